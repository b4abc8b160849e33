#!/usr/bin/env bash
# `make demo`: load the sample district, run a worker, ingest the sample X payloads,
# wait for the pipeline, and print the alerts it raised. Run it twice: same alerts.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DISTRICT=samples/district
LOG_DIR=.tapwatch
mkdir -p "$LOG_DIR"

echo "== checking and loading the sample district"
$BIN/tapwatch district check "$DISTRICT"
$BIN/tapwatch district load "$DISTRICT"

echo "== starting a worker (log: $LOG_DIR/demo-worker.log)"
$BIN/tapwatch worker --loglevel warning >"$LOG_DIR/demo-worker.log" 2>&1 &
WORKER=$!
trap 'kill -TERM $WORKER 2>/dev/null; wait $WORKER 2>/dev/null || true' EXIT

echo "== ingesting the sample X payloads and waiting for the pipeline"
$BIN/tapwatch ingest file --district "$DISTRICT" --platform twitter --wait --timeout 180 \
    samples/x/timeline.jsonl samples/x/dm_events.jsonl

echo "== alerts raised for district wilmington-209u"
$BIN/tapwatch incidents list --district-id wilmington-209u
