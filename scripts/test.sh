#!/usr/bin/env bash
# The whole test suite: unit tests and integration tests over real components (Kafka broker,
# s3proxy, js-ipfs, litecoind, monerod, ganache), including the end-to-end pipeline. Installs what
# is missing first, with the test set (scripts/setup.sh --tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
exec ./mvnw -B -ntp verify "$@"
