#!/usr/bin/env bash
# What `make bench` needs beyond scripts/install-deps.sh: wrk (the load generator), Node.js and
# npm (the peer), and the peer's kafkajs (npm ci from bench/peer/package-lock.json). Installs
# only what is missing; uses sudo when not run as root.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bench: installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ ! -d $ROOT/bench/peer/node_modules/kafkajs ]]; then
  (cd "$ROOT/bench/peer" && npm ci --no-audit --no-fund --loglevel=error)
fi
