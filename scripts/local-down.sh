#!/usr/bin/env bash
# Stops the local stack started by scripts/local-up.sh (its state stays in the state directory):
# the supervisor first, then every process the stack recorded in pids/ that still runs, services
# restarted with scripts/local-service.sh included, even if the supervisor itself was killed.
#   CHAINSNAP_LOCAL_STATE  state directory (default .stack/local)
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${CHAINSNAP_LOCAL_STATE:-.stack/local}

# waits up to $2 seconds for pid $1 to exit; true if it did
gone_within() {
  local i
  for ((i = 0; i < $2 * 5; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  ! kill -0 "$1" 2>/dev/null
}
stop_pid() { # pid name
  kill -TERM "$1" 2>/dev/null || return 0
  gone_within "$1" 30 && return 0
  echo "[local] $2 (pid $1) did not stop on SIGTERM: killing it"
  kill -KILL "$1" 2>/dev/null || true
  gone_within "$1" 10 || true
}
alive() { # pidfile: true if the process it names runs and is the one recorded (not a reused pid)
  local pid start
  read -r pid start <"$1" || return 1
  [ -r "/proc/$pid/stat" ] || return 1
  [ "$start" = 0 ] || [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ]
}

if [ -f "$STATE/pipeline.pid" ]; then
  pid=$(cat "$STATE/pipeline.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    gone_within "$pid" 90 || { echo "[local] the supervisor did not stop: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$STATE/pipeline.pid"
fi
# what the supervisor did not stop (it was killed, or hung): services first, then the components
if [ -d "$STATE/pids" ]; then
  for name in prometheus snapshotter publisher verifier litecoind ipfs s3proxy kafka; do
    f="$STATE/pids/$name.pid"
    [ -f "$f" ] || continue
    if alive "$f"; then
      echo "[local] stopping $name (pid $(cut -d' ' -f1 "$f")), left running"
      stop_pid "$(cut -d' ' -f1 "$f")" "$name"
    fi
    rm -f "$f"
  done
  for f in "$STATE"/pids/*.pid; do # any other recorded process
    [ -e "$f" ] || continue
    alive "$f" && stop_pid "$(cut -d' ' -f1 "$f")" "$(basename "$f" .pid)"
    rm -f "$f"
  done
fi
# litecoind runs as a daemon: make sure it is gone even if nothing recorded it
if [ -f "$STATE/litecoin/regtest/chainsnap-node.pid" ]; then
  node=$(cat "$STATE/litecoin/regtest/chainsnap-node.pid")
  kill -TERM "$node" 2>/dev/null || true
fi
rm -f "$STATE/pipeline.env" "$STATE/snapshot-token"
rm -rf "$STATE/control"
echo "[local] stopped"
