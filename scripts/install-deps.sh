#!/usr/bin/env bash
# Installs the Debian 12 packages Switchyard builds and runs with (see docs/ and
# cmake/Dependencies.cmake). Idempotent: installs only what is missing, and runs apt-get update
# only when something is. Uses sudo when not run as root.
#
# Our scripts and tests start their own redis-server on free ports; the system service the
# package may start is not used (and left alone).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  librdkafka-dev libboost1.81-dev libsimdjson-dev libhiredis-dev prometheus-cpp-dev libssl-dev
  libhowardhinnant-date-dev tzdata  # billing periods in a tenant's time zone (recipes)
  libmimalloc-dev  # the services' malloc (cmake/Allocator.cmake)
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev llvm  # libFuzzer builds (make fuzz, test-fuzz); llvm: llvm-symbolizer for crash stacks
  redis-server kcat prometheus curl jq python3 python3-yaml
  openssl  # the Redis TLS tests make a throwaway CA and certificates with the openssl CLI
  chromium  # the operator console's browser test (tests/browser), headless; Node.js and npm come with the machine
)

# The console's browser test runs on Node.js (20 or later, with npm), which this kind of machine
# comes with; where it is missing, Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

is_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == "installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

for pkg in "${missing[@]}"; do
  if ! is_installed "$pkg"; then
    echo "install-deps: $pkg did not install" >&2
    exit 1
  fi
done
echo "install-deps: installed ${missing[*]}"
