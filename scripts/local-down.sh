#!/usr/bin/env bash
# Stops the local pipeline started by scripts/local-up.sh (its state stays in .stack/local).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.stack/local
if [ -f "$STATE/pipeline.pid" ]; then
  pid=$(cat "$STATE/pipeline.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 90); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$STATE/pipeline.pid"
fi
# litecoind runs as a daemon: make sure it is gone even if the supervisor was killed hard
if [ -f "$STATE/litecoin/regtest/chainsnap-node.pid" ]; then
  node=$(cat "$STATE/litecoin/regtest/chainsnap-node.pid")
  kill -TERM "$node" 2>/dev/null || true
fi
rm -f "$STATE/pipeline.env" "$STATE/snapshot-token"
echo "[local] stopped"
