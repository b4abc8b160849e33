#!/usr/bin/env bash
# `make demo`, last step: seed the sample district's console accounts in the local Keycloak,
# start `tapwatch console` in the background and print its URL and the demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DISTRICT=samples/district
STACK_DIR=${TAPWATCH_STACK_DIR:-.tapwatch/stack}
LOG=.tapwatch/demo-console.log
PID_FILE=.tapwatch/demo-console.pid
PORT=18000
mkdir -p .tapwatch
# The secured stack's admin credentials (written by `tapwatch stack up`, mode 0600).
set -a
# shellcheck disable=SC1091
. "${TAPWATCH_STACK_DIR:-.tapwatch/stack}/admin.env"
set +a
# A fresh password per run unless given (local accounts only; never a real district's).
PASSWORD=${TAPWATCH_DEMO_PASSWORD:-$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(9))')}

if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "== stopping the previous demo console (pid $(cat "$PID_FILE"))"
    kill -TERM "$(cat "$PID_FILE")"
    sleep 1
fi

echo "== seeding the sample district's console accounts in Keycloak"
$BIN/tapwatch stack seed-users --district "$DISTRICT" --password "$PASSWORD" --json >.tapwatch/demo-users.jsonl

echo "== starting the review console (log: $LOG)"
TAPWATCH_CONSOLE_CLIENT_SECRET=$(cat "$STACK_DIR/keycloak/console-client-secret") \
    nohup $BIN/tapwatch console --district "$DISTRICT" --port "$PORT" >"$LOG" 2>&1 &
echo $! >"$PID_FILE"
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.5
done

echo
echo "Review console: http://127.0.0.1:$PORT/  (stop it: kill \$(cat $PID_FILE))"
echo "Demo logins (password for each: $PASSWORD):"
$BIN/python -c '
import json
for line in open(".tapwatch/demo-users.jsonl"):
    user = json.loads(line)
    print("  %-32s %s" % (user["username"], user["role"]))
'
