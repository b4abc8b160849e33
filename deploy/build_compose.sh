#!/usr/bin/env bash
# Builds Docker Compose (the Compose specification's reference loader) from its Go module
# into the shared cache, once: the tests validate deploy/docker-compose.yml with
# `docker-compose config`, which needs no Docker daemon. Debian's docker-compose 1.29
# predates the current specification (it rejects `name:` and `additional_contexts`).
set -euo pipefail
COMPOSE_VERSION=${COMPOSE_VERSION:-v5.6.0}
CACHE=${TAPWATCH_CACHE_DIR:-$HOME/.cache/tapwatch}
TARGET=$CACHE/bin/docker-compose
if [ -x "$TARGET" ]; then
    exit 0
fi
# `go install module@version` refuses a module whose go.mod has exclude directives, so
# build from a throwaway module that requires it.
WORK=$CACHE/compose-build
mkdir -p "$WORK" "$CACHE/bin"
cd "$WORK"
[ -f go.mod ] || go mod init tapwatch.local/composebuild >/dev/null 2>&1
go get "github.com/docker/compose/v5/cmd@$COMPOSE_VERSION"
go build -o "$TARGET.tmp" github.com/docker/compose/v5/cmd
mv "$TARGET.tmp" "$TARGET"
