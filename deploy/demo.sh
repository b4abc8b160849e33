#!/usr/bin/env bash
# `make demo`: load the sample district, run a worker and the mailer, ingest the sample
# payloads of every platform, wait for the pipeline, and show what came out: the alerts,
# one alert with its thread and history, the components' status and the principals'
# mail. Run it twice: same alerts, and no mail sent twice.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DISTRICT=samples/district
LOG_DIR=.tapwatch
MAILDIR=.tapwatch/stack/mail
mkdir -p "$LOG_DIR"
# The secured stack's admin credentials (written by `tapwatch stack up`, mode 0600).
set -a
# shellcheck disable=SC1091
. "${TAPWATCH_STACK_DIR:-.tapwatch/stack}/admin.env"
set +a

echo "== checking and loading the sample district"
# The demo ingests saved files and runs no live connector: its credentials are not needed.
$BIN/tapwatch district check "$DISTRICT" --files-only
$BIN/tapwatch district load "$DISTRICT"

echo "== starting a worker and the mailer (logs: $LOG_DIR/demo-worker.log, demo-mailer.log)"
$BIN/tapwatch worker --loglevel warning >"$LOG_DIR/demo-worker.log" 2>&1 &
WORKER=$!
$BIN/tapwatch mail run >"$LOG_DIR/demo-mailer.log" 2>&1 &
MAILER=$!
stop() {
    kill -TERM "$WORKER" "$MAILER" 2>/dev/null || true
    wait "$WORKER" "$MAILER" 2>/dev/null || true
}
trap stop EXIT

mails_before=$(find "$MAILDIR" -type f 2>/dev/null | wc -l)

echo "== ingesting the sample X payloads and waiting for the pipeline"
$BIN/tapwatch ingest file --district "$DISTRICT" --platform twitter --wait --timeout 180 \
    samples/x/timeline.jsonl samples/x/dm_events.jsonl samples/x/clauses.jsonl
for platform in facebook wordpress googleplus edmodo bluesky; do
    echo "== ingesting the sample $platform payloads"
    # shellcheck disable=SC2046  # the sample file names hold no spaces
    $BIN/tapwatch ingest file --district "$DISTRICT" --platform "$platform" --wait \
        --timeout 180 $(ls samples/"$platform"/*.json* | grep -v malformed)
done

echo "== checking the registered external sites (tapwatch sites check)"
# The sample's sites are invented example.org hosts: each is reported unreachable, so the
# check raises its external_site alert (exit 1 when a site fails: expected here).
$BIN/tapwatch sites check --district "$DISTRICT" || true

echo "== questionable communications nobody reported in time (tapwatch incidents escalate-overdue)"
# The sample's messages are from October 2026: their 24-hour reporting deadline has passed.
$BIN/tapwatch incidents escalate-overdue --district "$DISTRICT" || true

echo "== alerts raised for district wilmington-209u"
$BIN/tapwatch incidents list --district-id wilmington-209u

first=$($BIN/tapwatch incidents list --district-id wilmington-209u --rule two_way_dialogue \
    --platform twitter --json | head -1 | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["alert_id"])')
echo "== one alert, its thread and its history: tapwatch incidents show $first"
$BIN/tapwatch incidents show "$first"

for rule in non_school_contact questionable_communication unregistered_external_site external_site; do
    count=$($BIN/tapwatch incidents list --district-id wilmington-209u --rule "$rule" --json | wc -l)
    echo "== $rule: $count alert(s)"
done

echo "== components (tapwatch status)"
sleep 8  # the mailer sends high-severity alerts within seconds
$BIN/tapwatch status || true

mails_after=$(find "$MAILDIR" -type f 2>/dev/null | wc -l)
echo "== flag emails delivered by this run: $((mails_after - mails_before)) (maildir: $MAILDIR)"
