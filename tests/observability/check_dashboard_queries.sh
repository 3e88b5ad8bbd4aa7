#!/usr/bin/env bash
# Live check of the Grafana dashboards (ctest grafana_dashboard_queries):
#
#   check_dashboard_queries.sh BUILD_DIR
#
# Starts the whole pipeline on free loopback ports the way scripts/run-local.sh does (redis-server,
# the embedded Kafka, the PSA sandbox, ingest, normalize, dispatch), and a real Prometheus that
# scrapes the three /metrics endpoints every second and loads deploy/prometheus/rules. Drives
# traffic that makes every series appear (a connection test, signed ConnectWise callbacks and a duplicate, refused
# webhooks, commands that are created, updated, skipped, rejected by the PSA and throttled, an
# unparseable raw envelope). Then runs every target expr of every panel of
# deploy/grafana/dashboards/*.json against Prometheus ($__rate_interval → 1m, $__interval → 15s,
# any other $variable → .*, in label_values() selectors too; every target carries the label
# namespace=switchyard-check, as Kubernetes discovery gives it) and fails listing every panel whose query returns no data (an empty
# result, or only NaN), and every label_values() template variable without values. Also fails if
# a rule does not evaluate or a target is not up.
# Everything started is stopped on exit. Needs: prometheus, redis-server, kcat, curl, jq, python3.
set -euo pipefail

BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEADLINE_SECONDS=${DEADLINE_SECONDS:-90}   # how long to wait for every panel to have data

for tool in prometheus redis-server kcat curl jq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
for bin in tools/devkafka/devkafka tools/psa-sandbox/psa-sandbox services/ingest/switchyard-ingest \
           services/normalize/switchyard-normalize services/dispatch/switchyard-dispatch; do
  [[ -x "$BUILD/$bin" ]] || { echo "not built: $BUILD/$bin" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchyard-dashboards.XXXXXX")
pids=()
status=1
cleanup() {
  trap - INT TERM EXIT
  # Newest first (Prometheus, the services, then what they depend on), each given 5 s.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ $status -ne 0 ]]; then
    for log in "$WORK"/*.log; do
      [[ -s "$log" ]] || continue
      echo "---- last lines of $(basename "$log")"
      tail -n 8 "$log" | cut -c1-400
    done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say() { printf '==> %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_file() {
  for _ in $(seq 1 200); do [[ -s "$1" ]] && return 0; sleep 0.1; done
  echo "timed out waiting for $1" >&2; return 1
}
wait_http() {  # url name
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$2 did not become ready ($1)" >&2; return 1
}
post() {  # url json [curl options] -> prints the HTTP status
  curl -sS -o "$WORK/last-response" -w '%{http_code}' -X POST "$1" -H 'Content-Type: application/json' \
    --data-binary "$2" "${@:3}"
}
expect() {  # what expected-status-regex actual
  if [[ ! $3 =~ ^($2)$ ]]; then
    echo "$1: expected HTTP $2, got $3: $(cat "$WORK/last-response" 2>/dev/null)" >&2
    return 1
  fi
}

# ------------------------------------------------------------------ the pipeline
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
pids+=($!)

"$BUILD/tools/devkafka/devkafka" --partitions 4 --bootstrap-file "$WORK/bootstrap" >"$WORK/devkafka.log" 2>&1 &
pids+=($!)
wait_for_file "$WORK/bootstrap"
BOOTSTRAP=$(cat "$WORK/bootstrap")

"$BUILD/tools/psa-sandbox/psa-sandbox" --listen 127.0.0.1:0 --port-file "$WORK/sandbox.port" >"$WORK/psa-sandbox.log" 2>&1 &
pids+=($!)
wait_for_file "$WORK/sandbox.port"
SANDBOX="http://127.0.0.1:$(cat "$WORK/sandbox.port")"

# The local tenants, polling every 2 s so PSA calls and polls show in every scrape window.
sed "s|\${SANDBOX_URL}|$SANDBOX|g" "$ROOT/config/tenants.local.json" |
  jq '.tenants |= map(if .poll then .poll.interval_seconds = 2 else . end)' >"$WORK/tenants.json"

export SWITCHYARD_KAFKA_BOOTSTRAP="$BOOTSTRAP"
export SWITCHYARD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export SWITCHYARD_TENANTS_FILE="$WORK/tenants.json"
export SWITCHYARD_DISPATCH_INITIAL_BACKOFF_MS=200
# Bearer token for the commands endpoint and the connection test (docs/configuration.md, "API tokens file").
API_TOKEN="observability-check-$(date +%s%N)"
printf '{"tokens": [{"id": "observability-check", "token": "%s", "tenants": ["*"], "scopes": ["commands", "admin"]}]}\n' \
  "$API_TOKEN" >"$WORK/api-tokens.json"
export SWITCHYARD_API_TOKENS_FILE="$WORK/api-tokens.json"
# PORT: each service's operator listener (/metrics, the probes; what Prometheus scrapes);
# ingest's webhooks and API have their own (docs/configuration.md#listeners).
declare -A PORT
WEBHOOK_PORT=$(free_port)
API_PORT=$(free_port)
export SWITCHYARD_WEBHOOK_LISTEN="127.0.0.1:$WEBHOOK_PORT" SWITCHYARD_API_LISTEN="127.0.0.1:$API_PORT"
for svc in ingest normalize dispatch; do
  PORT[$svc]=$(free_port)
  SWITCHYARD_OPERATOR_LISTEN="127.0.0.1:${PORT[$svc]}" "$BUILD/services/$svc/switchyard-$svc" >"$WORK/$svc.log" 2>&1 &
  pids+=($!)
done
for svc in ingest normalize dispatch; do wait_http "http://127.0.0.1:${PORT[$svc]}/readyz" "switchyard-$svc"; done
WEBHOOKS="http://127.0.0.1:$WEBHOOK_PORT"
API="http://127.0.0.1:$API_PORT"
say "pipeline ready (sandbox $SANDBOX, ingest webhooks $WEBHOOKS, API $API)"

# ------------------------------------------------------------------ Prometheus
PROM_PORT=$(free_port)
CHECK_NAMESPACE=switchyard-check
PROM="http://127.0.0.1:$PROM_PORT"
{
  echo "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}"
  echo "rule_files: ['$ROOT/deploy/prometheus/rules/*.yml']"
  echo "scrape_configs:"
  # The namespace label Kubernetes service discovery gives every target (the dashboards'
  # namespace variable is label_values(up{...}, namespace), and every query filters on it).
  for svc in ingest normalize dispatch; do
    echo "  - job_name: switchyard-$svc"
    echo "    static_configs: [{targets: ['127.0.0.1:${PORT[$svc]}'], labels: {namespace: $CHECK_NAMESPACE}}]"
  done
} >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
pids+=($!)
wait_http "$PROM/-/ready" prometheus
# Scraping starts a few seconds after /-/ready (service discovery sends targets every 5 s); the
# traffic must come after the first scrape, or new counters never show an increase.
for _ in $(seq 1 300); do
  curl -fsS -G "$PROM/api/v1/query" --data-urlencode 'query=count(up == 1) == 3' 2>/dev/null |
    jq -e '.data.result | length == 1' >/dev/null && break
  sleep 0.1
done
say "prometheus ready and scraping ($PROM)"

# ------------------------------------------------------------------ traffic
HOOK="$WEBHOOKS/v1/webhooks/connectwise/acme"
callback() {  # id
  expect "sandbox callback ticket $1" 200 "$(post "$SANDBOX/_sandbox/connectwise/callbacks" \
    "{\"url\":\"$HOOK\",\"entity\":\"ticket\",\"id\":\"$1\",\"action\":\"updated\"}")"
}
send_command() {  # id external_ref expected-status [extra payload json]
  expect "command $1" "$3" "$(post "$API/v1/tenants/globex/commands" \
    "{\"command_version\":1,\"id\":\"$1\",\"tenant\":\"globex\",\"type\":\"ticket.upsert\",
      \"payload\":{\"external_ref\":\"$2\",\"title\":\"Disk almost full on SRV01 ($1)\",\"priority\":\"high\"${4:+,$4}}}" \
    -H "Authorization: Bearer $API_TOKEN")"
}

# Counters are created at their first increment and rate() needs an increase between two
# scrapes, so everything happens in two rounds, a few scrapes apart.
traffic_round() {  # round
  local r=$1
  say "round $r: a changed ConnectWise ticket, its signed callback twice (a duplicate), refused webhooks"
  expect "sandbox ticket update" 200 "$(post "$SANDBOX/_sandbox/records/connectwise/service/tickets" \
    "{\"id\":1,\"summary\":\"Observability check round $r\"}")"
  callback 1
  callback 1
  expect "unsigned webhook" 401 "$(post "$HOOK" 'not json')"
  # Answered like a bad signature (the endpoint does not tell which tenants exist).
  expect "unknown tenant" 401 "$(post "$WEBHOOKS/v1/webhooks/connectwise/nobody" '{}')"

  say "round $r: an unparseable envelope on the raw topic (normalize dead-letters it)"
  echo "not an envelope ($r)" | kcat -P -b "$BOOTSTRAP" -t switchyard.raw.v1 -k "obs/ticket/$r"

  say "round $r: commands created, updated, redelivered, rejected by the PSA, refused by ingest (no token, invalid)"
  send_command "obs-$r-create" "obs-ref-$r" 202
  send_command "obs-$r-update" "obs-ref-$r" 202
  send_command "obs-$r-create" "obs-ref-$r" 202
  send_command "obs-$r-bad" "obs-ref-bad-$r" 202 '"company_id":"999999"'
  expect "command without a token" 401 "$(post "$API/v1/tenants/globex/commands" '{}')"
  expect "invalid command" 422 "$(post "$API/v1/tenants/globex/commands" \
    '{"id":"x","tenant":"globex","type":"ticket.upsert","payload":{}}' -H "Authorization: Bearer $API_TOKEN")"

  say "round $r: two 429s from Autotask (the tenant is parked), a 503 (retried), then a burst above the tenant's rate limit"
  expect "fault" 200 "$(post "$SANDBOX/_sandbox/faults/autotask" '{"status":429,"retry_after_seconds":1,"count":2}')"
  send_command "obs-$r-429" "obs-ref-429-$r" 202
  sleep 3  # both 429s used (each parks the tenant for its Retry-After) before the next rule replaces them
  expect "fault" 200 "$(post "$SANDBOX/_sandbox/faults/autotask" '{"status":503,"retry_after_seconds":0,"count":1}')"
  send_command "obs-$r-503" "obs-ref-503-$r" 202
  for i in $(seq 1 8); do send_command "obs-$r-burst-$i" "obs-burst-$r-$i" 202; done
}
# Adoption (the Adoption dashboard): globex is activated by a connection test before its first
# command, so its time to first value exists once a ticket is created.
say "a connection test of globex (activates it)"
expect "connection test" 200 "$(post "$API/v1/tenants/globex/connection-test" '{}' -H "Authorization: Bearer $API_TOKEN")"
traffic_round 1
sleep 4
traffic_round 2
round=2

# ------------------------------------------------------------------ the panels
# One line per target: dashboard, panel id, panel title, refId, expr (base64).
jq -r '. as $d | [.. | objects | select(has("targets") and .type != "row")] | .[] | . as $p
       | .targets[] | [$d.title, ($p.id | tostring), $p.title, .refId, (.expr | @base64)] | @tsv' \
  "$ROOT"/deploy/grafana/dashboards/*.json >"$WORK/targets.tsv"
total=$(wc -l <"$WORK/targets.tsv")
[[ $total -gt 0 ]] || { echo "no panel targets found" >&2; exit 1; }

# Template variables: dashboard, name, selector (base64, may be empty), label.
jq -r '. as $d | .templating.list[] | select(.type == "query") | . as $v
       | ((.query | objects | .query) // .query) as $q
       | ($q | capture("^\\s*label_values\\(((?<sel>.*),)?\\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$")
          // error("\($d.title): variable \($v.name): not label_values(...): \($q)"))
       | [$d.title, $v.name, ((.sel // "") | @base64), .label] | @tsv' \
  "$ROOT"/deploy/grafana/dashboards/*.json >"$WORK/variables.tsv"

substitute() {
  base64 -d <<<"$1" | jq -Rrs '
           gsub("\\$(__rate_interval|\\{__rate_interval\\})"; "1m")
         | gsub("\\$(__interval|\\{__interval\\})"; "15s")
         | gsub("\\$(__range|\\{__range\\})"; "1h")
         | gsub("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\\}|\\$[A-Za-z_][A-Za-z0-9_]*"; ".*")'
}

check_panels() {  # writes failures to $WORK/failures
  : >"$WORK/failures"
  while IFS=$'\t' read -r dash id title ref expr_b64; do
    local expr answer
    expr=$(substitute "$expr_b64")
    answer=$(curl -sS -G "$PROM/api/v1/query" --data-urlencode "query=$expr" 2>&1) || true
    if ! jq -e '.status == "success"' >/dev/null 2>&1 <<<"$answer"; then
      printf '%s / panel %s "%s" target %s: query failed: %s\n    %s\n' "$dash" "$id" "$title" "$ref" \
        "$(jq -r '.error // .' <<<"$answer" 2>/dev/null || echo "$answer")" "$expr" >>"$WORK/failures"
    elif ! jq -e '[.data.result[]? | .value[1] | select(. != "NaN")] | length > 0' >/dev/null <<<"$answer"; then
      printf '%s / panel %s "%s" target %s: no data\n    %s\n' "$dash" "$id" "$title" "$ref" "$expr" >>"$WORK/failures"
    fi
  done <"$WORK/targets.tsv"
  while IFS=$'\t' read -r dash name sel_b64 label; do
    local sel args=() answer
    sel=$(substitute "$sel_b64")   # a variable may be scoped by another ($namespace)
    [[ -n "$sel" ]] && args=(--data-urlencode "match[]=$sel")
    answer=$(curl -sS -G "$PROM/api/v1/label/$label/values" "${args[@]}" 2>&1) || true
    if ! jq -e '.status == "success" and (.data | length > 0)' >/dev/null 2>&1 <<<"$answer"; then
      printf '%s / variable %s: label_values(%s, %s) has no values: %s\n' "$dash" "$name" "$sel" "$label" \
        "$(jq -r '.error // empty' <<<"$answer" 2>/dev/null)" >>"$WORK/failures"
    fi
  done <"$WORK/variables.tsv"
  [[ ! -s "$WORK/failures" ]]
}

check_prometheus() {  # every target up, every rule evaluates
  local targets rules
  targets=$(curl -fsS "$PROM/api/v1/targets") || return 1
  rules=$(curl -fsS "$PROM/api/v1/rules") || return 1
  jq -r '.data.activeTargets[] | select(.health != "up") | "target \(.labels.job) \(.scrapeUrl): \(.health) \(.lastError)"' \
    <<<"$targets" >>"$WORK/failures"
  jq -r '.data.groups[].rules[] | select(.health != "ok") | "rule \(.name): \(.health) \(.lastError // "")"' \
    <<<"$rules" >>"$WORK/failures"
  [[ $(jq '[.data.activeTargets[]] | length' <<<"$targets") -eq 3 ]] || echo "expected 3 scrape targets" >>"$WORK/failures"
  [[ $(jq '[.data.groups[].rules[]] | length' <<<"$rules") -gt 0 ]] || echo "no rules loaded" >>"$WORK/failures"
  [[ ! -s "$WORK/failures" ]]
}

say "querying $total panel targets until each has data (at most ${DEADLINE_SECONDS}s)"
deadline=$((SECONDS + DEADLINE_SECONDS))
while true; do
  if check_panels && check_prometheus; then break; fi
  if ((SECONDS >= deadline)); then
    echo "FAILED: panels or checks without data after ${DEADLINE_SECONDS}s:" >&2
    cat "$WORK/failures" >&2
    exit 1
  fi
  # rate() over 1m forgets a round a minute later (sooner than the queries finish on a busy
  # machine): keep the traffic coming until every panel has had its data.
  round=$((round + 1))
  traffic_round "$round" >/dev/null
  sleep 2
done
say "all $total panel targets and $(wc -l <"$WORK/variables.tsv") variables of $(ls "$ROOT"/deploy/grafana/dashboards/*.json | wc -l) dashboards return data; targets up, rules healthy"
status=0
