#!/usr/bin/env bash
# The whole test suite: unit tests and integration tests over real components (Kafka broker,
# s3proxy, js-ipfs, litecoind), including the end-to-end pipeline. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec ./mvnw -B -ntp verify "$@"
