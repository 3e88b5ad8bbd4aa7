#!/usr/bin/env bash
# `make run`: the whole pipeline on one machine with embedded defaults — a redis-server, the
# embedded Kafka (tools/devkafka), the PSA sandbox and the three services — then one sample
# webhook (ConnectWise → canonical topic) and one sample command (→ an Autotask ticket),
# printing where each went. Ctrl-C stops everything. Logs: .run/*.log
set -euo pipefail

BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="$ROOT/.run"
BIN="$ROOT/$BUILD_DIR"
# One listener per audience (docs/configuration.md#listeners): ingest's webhooks and vendor
# API on their defaults, and each service's operator listener (/metrics, /healthz, /readyz) on
# its own port, since all three run on this one machine.
WEBHOOK_PORT=${WEBHOOK_PORT:-8080}
API_PORT=${API_PORT:-8081}
INGEST_OPERATOR_PORT=${INGEST_OPERATOR_PORT:-9090}
NORMALIZE_OPERATOR_PORT=${NORMALIZE_OPERATOR_PORT:-9091}
DISPATCH_OPERATOR_PORT=${DISPATCH_OPERATOR_PORT:-9092}

rm -rf "$RUN" && mkdir -p "$RUN"
pids=()
service_pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  # Services first, and wait for them: they commit offsets and leave their groups while Kafka
  # and Redis are still up. Then the infrastructure.
  for pid in "${service_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap cleanup INT TERM EXIT

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# A free loopback port (the kernel picks it; a tiny race is acceptable for a dev run).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-40000 -n 1; }

wait_for_file() {
  for _ in $(seq 1 100); do [[ -s "$1" ]] && return 0; sleep 0.1; done
  echo "timed out waiting for $1" >&2; return 1
}

wait_ready() {  # url name
  for _ in $(seq 1 300); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$2 did not become ready; see $RUN/$2.log" >&2; return 1
}

REDIS_PORT=$(free_port)
say "redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$RUN/redis.log" 2>&1 &
pids+=($!)

say "embedded Kafka (librdkafka mock cluster)"
"$BIN/tools/devkafka/devkafka" --partitions 4 --bootstrap-file "$RUN/bootstrap" >"$RUN/devkafka.log" 2>&1 &
pids+=($!)
wait_for_file "$RUN/bootstrap"
BOOTSTRAP=$(cat "$RUN/bootstrap")
echo "    bootstrap: $BOOTSTRAP"

say "PSA sandbox (ConnectWise, Autotask)"
"$BIN/tools/psa-sandbox/psa-sandbox" --listen 127.0.0.1:0 --port-file "$RUN/sandbox.port" >"$RUN/psa-sandbox.log" 2>&1 &
pids+=($!)
wait_for_file "$RUN/sandbox.port"
SANDBOX_URL="http://127.0.0.1:$(cat "$RUN/sandbox.port")"
echo "    $SANDBOX_URL"
sed "s|\${SANDBOX_URL}|$SANDBOX_URL|g" "$ROOT/config/tenants.local.json" >"$RUN/tenants.json"

export SWITCHYARD_KAFKA_BOOTSTRAP="$BOOTSTRAP"
export SWITCHYARD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export SWITCHYARD_TENANTS_FILE="$RUN/tenants.json"
export SWITCHYARD_API_TOKENS_FILE="$ROOT/config/api-tokens.local.json"
# A fresh at-rest key for this run (it seals the PSA tokens ingest and dispatch share in Redis).
(umask 077 && printf 'local %s\n' "$(openssl rand -base64 32)" >"$RUN/secret-keys")
export SWITCHYARD_SECRET_KEYS_FILE="$RUN/secret-keys"
# The demo vendor token (a literal in that file), for the sample command below.
API_TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' "$SWITCHYARD_API_TOKENS_FILE" | head -n 1)

export SWITCHYARD_WEBHOOK_LISTEN="127.0.0.1:$WEBHOOK_PORT"  # read by ingest only
export SWITCHYARD_API_LISTEN="127.0.0.1:$API_PORT"
for svc in ingest:$INGEST_OPERATOR_PORT normalize:$NORMALIZE_OPERATOR_PORT dispatch:$DISPATCH_OPERATOR_PORT; do
  name=${svc%%:*} port=${svc##*:}
  if [[ $name == ingest ]]; then
    say "switchyard-ingest: webhooks on :$WEBHOOK_PORT, vendor API on :$API_PORT, operator on :$port"
  else
    say "switchyard-$name: operator on :$port"
  fi
  SWITCHYARD_OPERATOR_LISTEN="127.0.0.1:$port" "$BIN/services/$name/switchyard-$name" >"$RUN/$name.log" 2>&1 &
  service_pids+=($!)
done
for svc in ingest:$INGEST_OPERATOR_PORT normalize:$NORMALIZE_OPERATOR_PORT dispatch:$DISPATCH_OPERATOR_PORT; do
  wait_ready "http://127.0.0.1:${svc##*:}/readyz" "${svc%%:*}"
done
say "all services ready"

WEBHOOKS="http://127.0.0.1:$WEBHOOK_PORT"
API="http://127.0.0.1:$API_PORT"
say "sample webhook: the sandbox sends a signed ConnectWise ticket callback to ingest"
curl -fsS -X POST "$SANDBOX_URL/_sandbox/connectwise/callbacks" -H 'Content-Type: application/json' \
  -d "{\"url\":\"$WEBHOOKS/v1/webhooks/connectwise/acme\",\"entity\":\"ticket\",\"id\":\"1\",\"action\":\"updated\"}"
echo
echo "    → raw topic switchyard.raw.v1 → normalize → canonical topic switchyard.canonical.v1:"
for _ in $(seq 1 100); do
  event=$(kcat -C -b "$BOOTSTRAP" -t switchyard.canonical.v1 -o beginning -e -q -c 1 2>/dev/null || true)
  [[ -n "$event" ]] && break
  sleep 0.2
done
echo "$event" | (jq . 2>/dev/null || cat)

say "sample command: ticket.upsert for tenant globex (Autotask) through ingest"
curl -fsS -X POST "$API/v1/tenants/globex/commands" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $API_TOKEN" -d '{
  "command_version": 1, "id": "demo-cmd-1", "tenant": "globex", "type": "ticket.upsert",
  "payload": {"external_ref": "demo-alert-1", "title": "Disk almost full on SRV01", "priority": "high"}}'
echo
echo "    → commands topic switchyard.commands.v1 → dispatch → Autotask (sandbox). Writes seen by the PSA:"
for _ in $(seq 1 100); do
  writes=$(curl -fsS "$SANDBOX_URL/_sandbox/writes")
  [[ "$writes" == *Tickets* ]] && break
  sleep 0.1
done
echo "$writes" | (jq . 2>/dev/null || cat)
echo "    → and its outcome on switchyard.command-results.v1 (the ticket's Autotask id):"
for _ in $(seq 1 100); do
  result=$(kcat -C -b "$BOOTSTRAP" -t switchyard.command-results.v1 -o beginning -e -q -c 1 2>/dev/null || true)
  [[ -n "$result" ]] && break
  sleep 0.2
done
echo "$result" | (jq . 2>/dev/null || cat)

OPERATOR_TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' "$SWITCHYARD_API_TOKENS_FILE" | sed -n 2p)
say "operator console: http://127.0.0.1:$INGEST_OPERATOR_PORT/console (token: $OPERATOR_TOKEN, docs/console.md)"
say "pipeline running — metrics: http://127.0.0.1:$INGEST_OPERATOR_PORT/metrics, :$NORMALIZE_OPERATOR_PORT/metrics, :$DISPATCH_OPERATOR_PORT/metrics; logs in .run/; Ctrl-C to stop"
wait
