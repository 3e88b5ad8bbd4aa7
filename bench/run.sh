#!/usr/bin/env bash
# `make bench`: measures each stage of Switchyard and the whole pipeline on the local stack
# (redis-server, the embedded Kafka, the PSA sandbox), next to a Node.js/kafkajs peer, and
# prints one figure a line — `name value unit` — then a summary line. docs/performance.md
# explains every figure. Logs and the figures file are in bench/.out/.
#
#   bench/run.sh [BUILD_DIR]          BUILD_DIR holds the build with bench/ in it (default build)
#   BENCH_SECONDS=10                  length of each throughput run
set -euo pipefail

BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ $BUILD_DIR == /* ]] && BIN=$BUILD_DIR || BIN="$ROOT/$BUILD_DIR"
OUT="$ROOT/bench/.out"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
SYBENCH="$BIN/bench/sybench"
FIGURES="$OUT/figures.txt"

if [[ ! -x $SYBENCH ]]; then
  echo "bench: $SYBENCH is missing: build the switchyard-bench target (the top-level CMakeLists.txt needs add_subdirectory(bench))" >&2
  exit 1
fi
for tool in wrk node npm redis-server redis-cli jq curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (make bench installs wrk, nodejs and npm)" >&2; exit 1; }
done
if [[ ! -d $ROOT/bench/peer/node_modules/kafkajs ]]; then
  (cd "$ROOT/bench/peer" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

rm -rf "$OUT" && mkdir -p "$OUT"
: >"$FIGURES"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

say() { printf '==> %s\n' "$*" >&2; }
# Figure lines from a command's output go to stdout and the figures file; the rest to its log.
figures_from() {  # log-name
  tee -a "$OUT/$1.log" | grep -E '^[A-Za-z0-9_]+ -?[0-9.]+ [^ ]+$' | tee -a "$FIGURES" || true
}
fig() { printf '%s %s %s\n' "$1" "$2" "$3" | tee -a "$FIGURES"; }
val() { awk -v n="$1" '$1 == n { v = $2 } END { print (v == "" ? 0 : v) }' "$FIGURES"; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_file() {
  for _ in $(seq 1 300); do [[ -s $1 ]] && return 0; sleep 0.1; done
  echo "bench: timed out waiting for $1" >&2; return 1
}
wait_ready() {  # url log-name
  for _ in $(seq 1 300); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "bench: $2 did not become ready; see $OUT/$2.log" >&2; return 1
}
stop() {  # pid...: stops them and forgets them (the exit trap must not signal a reused pid)
  local pid p keep=()
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for pid in "$@"; do [[ $p == "$pid" ]] && continue 2; done
    keep+=("$p")
  done
  pids=("${keep[@]}")
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # CPU time used so far, in clock ticks
peak_rss_mib() {  # pid... → summed VmHWM
  local total=0 kb
  for pid in "$@"; do
    kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  calc "$total / 1024"
}
descendants() { echo "$1" $(pgrep -P "$1" | tr '\n' ' '); }  # a process and its children
load_note() { say "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures are only comparable on an idle machine)"; }

# --- the local stack -----------------------------------------------------------------------
TOPICS=switchyard.raw.v1,switchyard.canonical.v1,switchyard.commands.v1,switchyard.raw.dlq.v1,switchyard.commands.dlq.v1
TOPICS+=,peer.raw.v1,norm.raw,norm.canonical,e2e.raw,e2e.canonical
for n in 1 2 4; do TOPICS+=,scale$n.raw,scale$n.canonical; done

load_note
REDIS_PORT=$(free_port)
say "redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$OUT/redis.log" 2>&1 &
pids+=($!)
# The broker gets TCP_NODELAY on its connections, as a real Kafka broker has (see
# bench/nodelay/nodelay.c); BENCH_MOCK_NAGLE=1 leaves the mock as it is, to see the difference.
SHIM="$BIN/bench/libsybench_nodelay.so"
[[ ${BENCH_MOCK_NAGLE:-0} == 1 ]] && SHIM=""
say "embedded Kafka, 8 partitions a topic${SHIM:+, TCP_NODELAY}"
LD_PRELOAD="$SHIM" "$BIN/tools/devkafka/devkafka" --partitions 8 --topics "$TOPICS" --bootstrap-file "$OUT/bootstrap" >"$OUT/devkafka.log" 2>&1 &
KAFKA_PID=$!
pids+=($KAFKA_PID)
wait_for_file "$OUT/bootstrap"
BOOTSTRAP=$(cat "$OUT/bootstrap")
say "PSA sandbox"
"$BIN/tools/psa-sandbox/psa-sandbox" --listen 127.0.0.1:0 --port-file "$OUT/sandbox.port" >/dev/null 2>"$OUT/psa-sandbox.log" &
SANDBOX_PID=$!
pids+=($SANDBOX_PID)
wait_for_file "$OUT/sandbox.port"
SANDBOX_URL="http://127.0.0.1:$(cat "$OUT/sandbox.port")"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The demo tenants without a binding rate limit (the largest the tenants file accepts):
# every run measures Switchyard, not the limit.
jq '(.tenants[].rate_limit) = {"requests_per_second": 10000, "burst": 100000}' "$ROOT/config/tenants.local.json" |
  sed "s|\${SANDBOX_URL}|$SANDBOX_URL|g" >"$OUT/tenants.json"
# The embedded broker answers an empty fetch only after the whole fetch.wait.max.ms (500 ms by
# default); a real broker answers as soon as data arrives. 5 ms keeps latencies honest here.
printf 'fetch.wait.max.ms=5\n' >"$OUT/kafka.properties"

export SWITCHYARD_KAFKA_BOOTSTRAP="$BOOTSTRAP"
export SWITCHYARD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export SWITCHYARD_TENANTS_FILE="$OUT/tenants.json"
export SWITCHYARD_KAFKA_PROPERTIES_FILE="$OUT/kafka.properties"
export SWITCHYARD_POLLING=false

# start_service NAME LOG [VAR=value...]: sets SERVICE_PID and SERVICE_PORT.
start_service() {
  local name=$1 log=$2
  shift 2
  SERVICE_PORT=$(free_port)
  env "$@" SWITCHYARD_LISTEN="127.0.0.1:$SERVICE_PORT" "$BIN/services/$name/switchyard-$name" >"$OUT/$log.log" 2>&1 &
  SERVICE_PID=$!
  pids+=($SERVICE_PID)
}

"$SYBENCH" selfcheck --tenants "$OUT/tenants.json" | figures_from selfcheck

# --- ingest: webhooks/s and latency to the 202, 64 keep-alive clients --------------------
"$SYBENCH" wrk-script --psa connectwise --out "$OUT/connectwise.lua" 2>>"$OUT/sybench.log"
"$SYBENCH" wrk-script --psa autotask --out "$OUT/autotask.lua" 2>>"$OUT/sybench.log"
wrk_run() {  # figure url script pid...
  local figure=$1 url=$2 script=$3
  shift 3
  local before=0 after=0 pid
  FIGURE=warmup wrk -t2 -c64 -d2s --timeout 10s -s "$script" "$url" >>"$OUT/wrk.log" 2>&1
  for pid in "$@"; do before=$((before + $(ticks "$pid"))); done
  FIGURE=$figure wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$script" "$url" | figures_from wrk
  for pid in "$@"; do after=$((after + $(ticks "$pid"))); done
  local cores
  cores=$(calc "($after - $before) / $(getconf CLK_TCK) / $SECONDS_PER_RUN")
  fig "${figure}_cpu" "$cores" cores
  fig "${figure}_per_cpu_s" "$(calc "$(val "${figure}_per_s") / $cores")" webhooks/cpu-s
}

say "ingest: wrk, 2 threads, 64 connections, ${SECONDS_PER_RUN} s a payload"
start_service ingest ingest
INGEST_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" ingest
wrk_run ingest_connectwise "http://127.0.0.1:$SERVICE_PORT" "$OUT/connectwise.lua" "$INGEST_PID"
wrk_run ingest_autotask "http://127.0.0.1:$SERVICE_PORT" "$OUT/autotask.lua" "$INGEST_PID"
fig memory_ingest_peak_rss "$(peak_rss_mib "$INGEST_PID")" MiB
stop "$INGEST_PID"

# The same with linger.ms=0: a request waits for its acknowledgement, so at 64 clients the
# producer's linger (5 ms by default) bounds throughput at about 64 / 5 ms; without it the
# figure shows what the CPU allows.
say "ingest with linger.ms=0 (ConnectWise)"
printf 'fetch.wait.max.ms=5\nlinger.ms=0\n' >"$OUT/kafka-linger0.properties"
start_service ingest ingest-linger0 SWITCHYARD_KAFKA_PROPERTIES_FILE="$OUT/kafka-linger0.properties"
INGEST_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" ingest-linger0
wrk_run ingest_connectwise_linger0 "http://127.0.0.1:$SERVICE_PORT" "$OUT/connectwise.lua" "$INGEST_PID"
stop "$INGEST_PID"

# --- the peer: Node.js + kafkajs, same load, same broker ---------------------------------
PEER_WORKERS=${PEER_WORKERS:-2}
say "peer: node $(node --version), kafkajs, $PEER_WORKERS workers"
PEER_PORT=$(free_port)
BOOTSTRAP="$BOOTSTRAP" PORT=$PEER_PORT TOPIC=peer.raw.v1 WORKERS=$PEER_WORKERS KAFKAJS_NO_PARTITIONER_WARNING=1 \
  node "$ROOT/bench/peer/server.js" >"$OUT/peer.log" 2>&1 &
PEER_PID=$!
pids+=($PEER_PID)
for _ in $(seq 1 300); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PEER_PORT/healthz" || true)
  [[ $code == 404 ]] && break
  sleep 0.1
done
sleep 1  # every worker connected to the broker
PEER_ALL=$(descendants "$PEER_PID")
# shellcheck disable=SC2086
wrk_run peer_connectwise "http://127.0.0.1:$PEER_PORT" "$OUT/connectwise.lua" $PEER_ALL
# shellcheck disable=SC2086
wrk_run peer_autotask "http://127.0.0.1:$PEER_PORT" "$OUT/autotask.lua" $PEER_ALL
# shellcheck disable=SC2086
fig memory_peer_peak_rss "$(peak_rss_mib $PEER_ALL)" MiB
stop "$PEER_PID"
for psa in connectwise autotask; do
  fig "ratio_${psa}_switchyard_to_peer" "$(calc "$(val ingest_${psa}_per_s) / $(val peer_${psa}_per_s)")" x
  fig "ratio_${psa}_cpu_efficiency" "$(calc "$(val ingest_${psa}_per_cpu_s) / $(val peer_${psa}_per_cpu_s)")" x
done

# --- normalize: raw → dedup → canonical, 20 % duplicates ---------------------------------
# feed_normalize FIGURE N TOPIC-PREFIX [proxy]: N normalize processes in one consumer group.
# The feeder starts first: it prepares its envelopes meanwhile and, with "proxy", owns the
# Redis relay that counts round trips, so the services are pointed at it.
feed_normalize() {
  local figure=$1 count=$2 prefix=$3 proxy=${4:-}
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  local args=(--bootstrap "$BOOTSTRAP" --raw-topic "$prefix.raw" --canonical-topic "$prefix.canonical"
    --tenants "$OUT/tenants.json" --figure "$figure" --duration "$SECONDS_PER_RUN"
    --redis-port "$REDIS_PORT" --pool "${BENCH_POOL:-400000}" --services-file "$OUT/$figure.services")
  [[ -n $proxy ]] && args+=(--proxy-port-file "$OUT/$figure.proxy")
  "$SYBENCH" normalize-feed "${args[@]}" >"$OUT/$figure.out" 2>>"$OUT/sybench.log" &
  local feeder=$!
  local redis_url="redis://127.0.0.1:$REDIS_PORT"
  if [[ -n $proxy ]]; then
    wait_for_file "$OUT/$figure.proxy"
    redis_url="redis://127.0.0.1:$(cat "$OUT/$figure.proxy")"
  fi
  local normalize_pids=() urls=()
  for ((i = 0; i < count; i++)); do
    start_service normalize "$figure-$i" SWITCHYARD_REDIS_URL="$redis_url" SWITCHYARD_TOPIC_RAW="$prefix.raw" \
      SWITCHYARD_TOPIC_CANONICAL="$prefix.canonical" SWITCHYARD_CONSUMER_GROUP="bench-$figure"
    normalize_pids+=("$SERVICE_PID")
    urls+=("http://127.0.0.1:$SERVICE_PORT/readyz")
  done
  { (IFS=,; echo "${urls[*]}"); (IFS=,; echo "${normalize_pids[*]}"); } >"$OUT/$figure.services.tmp"
  mv "$OUT/$figure.services.tmp" "$OUT/$figure.services"
  wait "$feeder" || { echo "bench: the $figure feeder failed; see $OUT/sybench.log" >&2; exit 1; }
  figures_from "$figure" <"$OUT/$figure.out"
  NORMALIZE_RSS=$(peak_rss_mib "${normalize_pids[@]}")
  stop "${normalize_pids[@]}"
}

say "normalize: one consumer, 8 partitions, dedup on, 20 % duplicates, Redis round trips counted"
feed_normalize normalize 1 norm proxy
fig memory_normalize_peak_rss "$NORMALIZE_RSS" MiB

for n in 1 2 4; do
  say "scaling: $n normalize consumer(s) on 8 partitions"
  feed_normalize "scale_$n" "$n" "scale$n"
done

# --- dispatch: commands/s against the sandbox, the limiter's cost, latency ---------------
say "dispatch: commands → Autotask sandbox, no binding rate limit"
start_service dispatch dispatch
DISPATCH_PID=$SERVICE_PID
DISPATCH_METRICS="http://127.0.0.1:$SERVICE_PORT/metrics"
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" dispatch
dispatch_run() {  # figure count rate [sybench options...]
  local figure=$1 count=$2 rate=$3
  shift 3
  "$SYBENCH" dispatch --bootstrap "$BOOTSTRAP" --topic switchyard.commands.v1 --metrics-url "$DISPATCH_METRICS" \
    --sandbox-url "$SANDBOX_URL" --sandbox-pid "$SANDBOX_PID" --figure "$figure" --count "$count" --rate "$rate" \
    --pids "$DISPATCH_PID" "$@" 2>>"$OUT/sybench.log" | figures_from dispatch
}
# The sandbox finds a ticket by externalID by scanning every ticket it holds: each run starts
# from an empty sandbox so that its scan stays short (dispatch_sandbox_cpu shows what it costs).
reset_sandbox() { curl -fsS -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null; }
"$SYBENCH" limiter --redis-port "$REDIS_PORT" --figure dispatch_limiter 2>>"$OUT/sybench.log" | figures_from dispatch
reset_sandbox
redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
DISPATCH_COUNT=${BENCH_DISPATCH_COUNT:-3000}
REFS=c$RANDOM
# New tickets: per command a lookup by externalID, then the create (2 PSA requests).
dispatch_run dispatch_create "$DISPATCH_COUNT" 0 --ref-prefix "$REFS"
# What a command costs in Redis, and the limiter's share of a command's time. commandstats
# also counts the commands a script runs: the limiter's script runs 4 (TIME, 2 GET, SET) when
# it allows, as it always does here, so the round trips are the total less 4 per EVALSHA.
STATS=$(redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r')
total_calls=$(echo "$STATS" | awk -F'[=,:]' '/^cmdstat_/ { n += $3 } END { print n + 0 }')
limiter_calls=$(echo "$STATS" | awk -F'[=,:]' '/^cmdstat_(evalsha|eval):/ { n += $3 } END { print n + 0 }')
finished=$(calc "$DISPATCH_COUNT - $(val dispatch_create_unfinished)")
fig dispatch_redis_round_trips_per_command "$(calc "($total_calls - 4 * $limiter_calls) / $finished")" round-trips/command
fig dispatch_limiter_calls_per_command "$(calc "$limiter_calls / $finished")" calls/command
fig dispatch_limiter_overhead "$(calc "100 * $(val dispatch_limiter_calls_per_command) * $(val dispatch_limiter_acquire_p50) / (1000000 / $(val dispatch_create_per_s))")" '%'
# Updates of tickets dispatch made above (its write memo knows them): one PATCH a command.
dispatch_run dispatch_update $((DISPATCH_COUNT * 2)) 0 --ref-prefix "$REFS" --refs 100

say "end to end: command produced → PSA request, at 100, 1,000 and 10,000 commands/s"
reset_sandbox
dispatch_run e2e_command_100 $((100 * SECONDS_PER_RUN / 2)) 100
reset_sandbox
dispatch_run e2e_command_1000 3000 1000      # 3 s: past what dispatch can do, the queue grows
reset_sandbox
dispatch_run e2e_command_10000 3000 10000    # 0.3 s
fig memory_dispatch_peak_rss "$(peak_rss_mib "$DISPATCH_PID")" MiB
stop "$DISPATCH_PID"

# --- end to end: webhook → canonical event ------------------------------------------------
say "end to end: webhook → ingest → normalize → canonical, at 1,000 and 10,000 webhooks/s"
redis-cli -p "$REDIS_PORT" flushall >/dev/null
start_service ingest ingest-e2e SWITCHYARD_TOPIC_RAW=e2e.raw
INGEST_PID=$SERVICE_PID
INGEST_PORT=$SERVICE_PORT
start_service normalize normalize-e2e SWITCHYARD_TOPIC_RAW=e2e.raw SWITCHYARD_TOPIC_CANONICAL=e2e.canonical
NORMALIZE_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$INGEST_PORT/readyz" ingest-e2e
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" normalize-e2e
# Warm-up (not reported): the first seconds after a start include partition assignment.
"$SYBENCH" e2e-webhook --port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure warmup \
  --connections 256 --rate 1000 --duration 3 --id-base 500000 >>"$OUT/e2e.log" 2>>"$OUT/sybench.log"
"$SYBENCH" e2e-webhook --port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure e2e_webhook_1000 \
  --connections 256 --rate 1000 --duration "$SECONDS_PER_RUN" --id-base 1000000 2>>"$OUT/sybench.log" | figures_from e2e
"$SYBENCH" e2e-webhook --port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure e2e_webhook_10000 \
  --connections 256 --rate 10000 --duration "$SECONDS_PER_RUN" --id-base 2000000 2>>"$OUT/sybench.log" | figures_from e2e
fig memory_ingest_e2e_peak_rss "$(peak_rss_mib "$INGEST_PID")" MiB
fig memory_normalize_e2e_peak_rss "$(peak_rss_mib "$NORMALIZE_PID")" MiB
stop "$INGEST_PID" "$NORMALIZE_PID"
fig memory_devkafka_peak_rss "$(peak_rss_mib "$KAFKA_PID")" MiB

# --- summary --------------------------------------------------------------------------------
met=0 total=0 parts=()
target() {  # description value comparison threshold
  local ok
  ok=$(awk -v v="$2" -v t="$4" -v c="$3" 'BEGIN { print ((c == ">=" && v >= t) || (c == "<" && v < t)) ? 1 : 0 }')
  total=$((total + 1))
  met=$((met + ok))
  parts+=("$1 $2 ($3 $4: $([[ $ok == 1 ]] && echo met || echo MISSED))")
}
target "ingest ConnectWise webhooks/s" "$(val ingest_connectwise_per_s)" ">=" 50000
target "ingest Autotask webhooks/s" "$(val ingest_autotask_per_s)" ">=" 50000
target "ingest/peer ConnectWise" "$(val ratio_connectwise_switchyard_to_peer)" ">=" 5
target "ingest/peer Autotask" "$(val ratio_autotask_switchyard_to_peer)" ">=" 5
target "normalize events/cpu-s" "$(val normalize_events_per_cpu_s)" ">=" 100000
target "e2e webhook p99 ms at 1000/s" "$(val e2e_webhook_1000_p99)" "<" 50
load_note
summary=$(IFS=';'; echo "${parts[*]}")
echo "summary $met/$total targets met: ${summary//;/; }"
