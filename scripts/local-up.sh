#!/usr/bin/env bash
# Runs the whole pipeline on this machine with real parts (Kafka, s3proxy, js-ipfs, litecoind
# regtest, snapshotter, publisher, verifier), takes a snapshot, waits until the verifier has booted a
# node from the published archive and the index names it latest, prints it, and leaves the stack
# running. Restart one service with scripts/local-service.sh; stop it all with scripts/local-down.sh.
#   CHAINSNAP_LOCAL_STATE  state directory (default .stack/local)
#   CHAINSNAP_LOCAL_BUILD  0 to use the artifacts already built (the test of this script does)
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${CHAINSNAP_LOCAL_STATE:-.stack/local}
log() { printf '[local] %s\n' "$*"; }

scripts/setup.sh
if [ -f "$STATE/pipeline.pid" ] || [ -d "$STATE/pids" ]; then
  log "stopping what an earlier local run left running"
  scripts/local-down.sh
fi

mkdir -p "$STATE/logs"
BUILD_LOG="$STATE/logs/build.log"
if [ "${CHAINSNAP_LOCAL_BUILD:-1}" != 0 ]; then
  log "building (tests are scripts/test.sh); output in $BUILD_LOG"
  if ! ./mvnw -B -ntp -q -DskipTests install >"$BUILD_LOG" 2>&1; then
    log "the build failed; end of $BUILD_LOG:"; tail -40 "$BUILD_LOG"; exit 1
  fi
fi

rm -f "$STATE/pipeline.env"
log "starting Kafka, s3proxy, js-ipfs, litecoind and the three services (logs in $STATE/logs)"
nohup java -Xmx256m -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dchainsnap.project.dir="$PWD" \
  -cp "test-support/target/classes:$(cat .stack/lib/test-support.classpath)" \
  io.chainsnap.testsupport.LocalPipeline "$STATE" \
  "${CHAINSNAP_KAFKA_PORT:-0}" "${CHAINSNAP_S3_PORT:-0}" \
  "${CHAINSNAP_SNAPSHOTTER_PORT:-0}" "${CHAINSNAP_PUBLISHER_PORT:-0}" "${CHAINSNAP_VERIFIER_PORT:-0}" \
  > "$STATE/logs/pipeline.log" 2>&1 &
echo $! > "$STATE/pipeline.pid"

for _ in $(seq 1 600); do
  [ -f "$STATE/pipeline.env" ] && break
  if ! kill -0 "$(cat "$STATE/pipeline.pid")" 2>/dev/null; then
    log "the stack failed to start; end of $STATE/logs/pipeline.log:"; tail -40 "$STATE/logs/pipeline.log"; exit 1
  fi
  sleep 1
done
[ -f "$STATE/pipeline.env" ] || { log "stack not ready after 10 minutes"; exit 1; }
# shellcheck disable=SC1091
. "$STATE/pipeline.env"

log "requesting a snapshot of $TARGET"
curl -fsS -X POST -H "Authorization: Bearer $(cat "$SNAPSHOT_TOKEN_FILE")" \
  "$SNAPSHOTTER_URL/targets/$TARGET/snapshots" >/dev/null

log "waiting for the verifier to boot a node from the published archive"
latest=""
for _ in $(seq 1 300); do
  latest=$(curl -fsS "$INDEX_URL" 2>/dev/null | jq -r '.latest.full // empty' || true)
  [ -n "$latest" ] && break
  sleep 1
done
if [ -z "$latest" ]; then
  log "no verified snapshot after 5 minutes; see $STATE/logs/*.log"; exit 1
fi

echo
echo "Index:   $INDEX_URL"
curl -fsS "$INDEX_URL" | jq --arg id "$latest" '{latest: .latest, snapshot: (.snapshots[] | select(.snapshotId == $id))}'
echo
echo "The stack keeps running: snapshotter $SNAPSHOTTER_URL, publisher $PUBLISHER_URL, verifier $VERIFIER_URL"
echo "Downloads page:   $PAGE_URL (HTML, beside feed.atom)"
age=""
for _ in $(seq 1 30); do # Prometheus scrapes every 2 s
  age=$(curl -fsS "$PROMETHEUS_URL/api/v1/query" --data-urlencode 'query=chainsnap_publisher_latest_age_seconds' 2>/dev/null \
    | jq -r '.data.result[0].value[1] // empty' || true)
  [ -n "$age" ] && break
  sleep 1
done
echo "Prometheus:       $PROMETHEUS_URL (alerts: $PROMETHEUS_URL/alerts)"
echo "Freshness:        the newest verified snapshot is ${age:-(not scraped yet)} s old (chainsnap_publisher_latest_age_seconds)"
echo "Settings:         $STATE/pipeline.env (URLs, S3 endpoint, bucket and keys; mode 0600)"
echo "Bearer token:     in $SNAPSHOT_TOKEN_FILE (mode 0600)"
echo "Another snapshot: curl -X POST -H \"Authorization: Bearer \$(cat $SNAPSHOT_TOKEN_FILE)\" $SNAPSHOTTER_URL/targets/$TARGET/snapshots"
echo "Restore it:       bin/chainsnap restore --index $INDEX_URL --trusted-key $TRUSTED_KEY_FILE --state-dir $STATE/cli-state --latest --dest /tmp/restored"
echo "List snapshots:   bin/chainsnap list --index $INDEX_URL --trusted-key $TRUSTED_KEY_FILE --state-dir $STATE/cli-state"
echo "Signing key:      the publisher signs index.json with $STATE/signing/index-signing.key; clients pin $TRUSTED_KEY_FILE"
echo "Restart one:      scripts/local-service.sh restart publisher   (or snapshotter, verifier; stop, start, status)"
echo "Logs:             $STATE/logs (pipeline.log is the supervisor's)"
echo "Stop everything:  scripts/local-down.sh"

# the index must verify with the publisher's key (index.json.sig beside it), as clients check it;
# the CLI's sequence state stays with this stack (a fresh stack starts its sequence again)
echo
log "checking index.json against its signature with the CLI (--trusted-key $TRUSTED_KEY_FILE)"
if ! bin/chainsnap list --index "$INDEX_URL" --trusted-key "$TRUSTED_KEY_FILE" --state-dir "$STATE/cli-state"; then
  log "the CLI refused the index (see its message above; exit 8 bad signature, 9 expired, 11 rollback)"
  exit 1
fi
