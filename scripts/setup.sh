#!/usr/bin/env bash
# Installs what chainsnap needs, idempotently; safe to run again.
#   scripts/setup.sh          what the local run (scripts/local-up.sh) needs: Debian packages
#                             litecoind, zstd, curl, jq, prometheus, Java 17, Node.js/npm; js-ipfs in
#                             tools/ipfs
#   scripts/setup.sh --tests  also what only the tests need (scripts/test.sh): monero (monerod),
#                             wget, systemd and util-linux (unshare) for the systemd controller test;
#                             chromium (the downloads page test), awscli and rclone (the mirror
#                             clients), prometheus-alertmanager;
#                             ganache in tools/ganache; kubectl, schema validators in k8s/schemas
# The output of apt-get and npm goes to .stack/setup.log.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=false
for arg in "$@"; do
  case "$arg" in
    --tests) tests=true ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[setup] %s\n' "$*"; }
mkdir -p .stack
LOG="$PWD/.stack/setup.log"
printf '=== scripts/setup.sh %s, %s\n' "$*" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$LOG"

# runs a noisy command with its output in the log; on failure shows the end of the log
quietly() {
  if ! "$@" >>"$LOG" 2>&1; then
    log "failed: $*; end of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -------------------------------------------------------------------------
declare -A need=(
  [litecoind]=/usr/lib/litecoin/litecoind
  [zstd]=/usr/bin/zstd
  [curl]=/usr/bin/curl
  [jq]=/usr/bin/jq
  [prometheus]=/usr/bin/prometheus
)
if $tests; then
  need+=(
    [monero]=/usr/bin/monerod
    [wget]=/usr/bin/wget
    [systemd]=/lib/systemd/systemd
    [util-linux]=/usr/bin/unshare
    [chromium]=/usr/bin/chromium
    [awscli]=/usr/bin/aws
    [rclone]=/usr/bin/rclone
    [prometheus-alertmanager]=/usr/bin/prometheus-alertmanager
    # kubectl (KubernetesManifestsTest renders k8s/ with `kubectl kustomize`): the machine image
    # ships Google Cloud SDK's package `kubectl` (1.32, kustomize v5), which is not in Debian's
    # archive; Debian's package is kubernetes-client (1.20, kustomize v2: too old for the
    # `components` of k8s/, the test then fails on rendering)
    [kubernetes-client]=/usr/bin/kubectl
  )
fi
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
  log "installing Debian packages: ${missing[*]} (output in $LOG)"
  quietly as_root apt-get update -q
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  log "Debian packages present"
fi

npm_install() { # dir
  (cd "$1" && quietly npm install --ignore-scripts --no-audit --no-fund --no-progress --loglevel=error)
}

# --- js-ipfs (the IPFS node of tests and the local run) --------------------------------------
# npm package ipfs 0.66.1; its node reports the version of its core, ipfs-core 0.18.1
if [ ! -x tools/ipfs/node_modules/.bin/jsipfs ]; then
  log "installing js-ipfs (npm ipfs 0.66.1) into tools/ipfs (takes a few minutes; output in $LOG)"
  npm_install tools/ipfs
else
  log "js-ipfs present"
fi

# --- ganache (the Ethereum JSON-RPC node of the chain adapter tests) ------------------------
if $tests; then
  if [ ! -x tools/ganache/node_modules/.bin/ganache ]; then
    log "installing ganache 7.9.2 into tools/ganache (output in $LOG)"
    npm_install tools/ganache
  else
    log "ganache present"
  fi
fi

# --- Kubernetes schema validators (KubernetesManifestsTest: k8s/schemas/validate.mjs) --------
# npm kubernetes-models 5.1.0 and @kubernetes-models/prometheus-operator 6.0.0
if $tests; then
  if [ ! -d k8s/schemas/node_modules/kubernetes-models ]; then
    log "installing the Kubernetes schema validators into k8s/schemas (output in $LOG)"
    npm_install k8s/schemas
  else
    log "Kubernetes schema validators present"
  fi
fi

log "ready$($tests && echo " (with the test set)")"
