#!/usr/bin/env bash
# Installs what chainsnap's local run and tests need, idempotently: Debian packages (litecoind,
# monero, zstd, curl, jq, wget, systemd and unshare for the systemd controller test, Java 17),
# Node.js/npm, the js-ipfs node under tools/ipfs and ganache under tools/ganache. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -------------------------------------------------------------------------
declare -A need=(
  [litecoind]=/usr/lib/litecoin/litecoind
  [monero]=/usr/bin/monerod
  [zstd]=/usr/bin/zstd
  [curl]=/usr/bin/curl
  [jq]=/usr/bin/jq
  [wget]=/usr/bin/wget
  [systemd]=/lib/systemd/systemd
  [util-linux]=/usr/bin/unshare
)
missing=()
for pkg in "${!need[@]}"; do
  [ -x "${need[$pkg]}" ] || missing+=("$pkg")
done
if ! command -v javac >/dev/null 2>&1 || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|2[0-9])'; then
  missing+=(openjdk-17-jdk-headless)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi

# --- js-ipfs (the IPFS node of tests and the local run) --------------------------------------
if [ ! -x tools/ipfs/node_modules/.bin/jsipfs ]; then
  log "installing js-ipfs 0.66.1 into tools/ipfs (takes a few minutes)"
  (cd tools/ipfs && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
else
  log "js-ipfs present"
fi

# --- ganache (the Ethereum JSON-RPC node of the chain adapter tests) ------------------------
if [ ! -x tools/ganache/node_modules/.bin/ganache ]; then
  log "installing ganache 7.9.2 into tools/ganache"
  (cd tools/ganache && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
else
  log "ganache present"
fi

log "ready"
