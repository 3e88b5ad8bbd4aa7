#!/usr/bin/env bash
# `make bench`: measures each stage of Switchyard and the whole pipeline on the local stack
# (redis-server, the embedded Kafka, the PSA sandbox), next to a Node.js/kafkajs peer, and
# prints one figure a line — `name value unit` — then a summary line. docs/performance.md
# explains every figure. Logs and the figures file are in bench/.out/.
#
#   bench/run.sh [BUILD_DIR]          BUILD_DIR holds the build with bench/ in it (default build)
#   BENCH_SECONDS=10                  length of each throughput run (the fleet part scales with it)
#   BENCH_POLL_TENANTS=1000           tenants of the poll fleet part (each polled for 2 entities)
#   BENCH_ONLY=fleet                  only the dispatch fleet part (see "dispatch fleet" below)
#   BENCH_ONLY=ingest                 only ingest, its two ceilings and the peer (no linger0 run), with their ratios
#   BENCH_ONLY=normalize              only the single-consumer normalize run and its ceiling
#   BENCH_RUNS=3                      that many runs; prints each figure's median over the runs
#                                     (ratios are each run's own, then their median), then the summary
#   BENCH_KAFKA_PROPERTIES='linger.ms=2'  librdkafka properties for every service of the run (key=value lines)
#   BENCH_RELAY_ALSO_TO=relay.activity  normalize's ceiling also produces an activity-sized record a message
#   BENCH_DISPATCH_BIN=PATH           the dispatch binary of the fleet part (default: BUILD_DIR's)
set -euo pipefail

BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ $BUILD_DIR == /* ]] && BIN=$BUILD_DIR || BIN="$ROOT/$BUILD_DIR"
OUT=${BENCH_OUT:-$ROOT/bench/.out}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
SYBENCH="$BIN/bench/sybench"
FIGURES="$OUT/figures.txt"
ONLY=${BENCH_ONLY:-all}
case $ONLY in
  all | fleet | ingest | normalize) ;;
  *) echo "bench: BENCH_ONLY must be fleet, ingest or normalize (or unset for everything)" >&2; exit 1 ;;
esac
RUNS=${BENCH_RUNS:-1}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive number" >&2; exit 1; }
part() { [[ $ONLY == all || " $* " == *" $ONLY "* ]]; }  # part ingest normalize: this run includes one of them

if [[ ! -x $SYBENCH ]]; then
  echo "bench: $SYBENCH is missing: build the switchyard-bench target (the top-level CMakeLists.txt needs add_subdirectory(bench))" >&2
  exit 1
fi
for tool in sybench-ceiling:ingest sybench-relay:normalize; do
  if part "${tool#*:}" && [[ ! -x $BIN/bench/${tool%%:*} ]]; then
    echo "bench: $BIN/bench/${tool%%:*} is missing: build the switchyard-bench target" >&2
    exit 1
  fi
done
TOOLS=(redis-server redis-cli jq curl python3)
part ingest && TOOLS+=(wrk node npm)
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (make bench installs wrk, nodejs and npm)" >&2; exit 1; }
done
if part ingest && [[ ! -d $ROOT/bench/peer/node_modules/kafkajs ]]; then
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

# The summary line: each target of the parts that ran, met or missed, from the figures file.
print_summary() {
  local met=0 total=0 parts=()
  target() {  # description value comparison threshold
    local ok
    ok=$(awk -v v="$2" -v t="$4" -v c="$3" 'BEGIN { print ((c == ">=" && v >= t) || (c == "<" && v < t) || (c == "<=" && v <= t)) ? 1 : 0 }')
    total=$((total + 1))
    met=$((met + ok))
    parts+=("$1 $2 ($3 $4: $([[ $ok == 1 ]] && echo met || echo MISSED))")
  }
  if part ingest; then
    target "ingest ConnectWise webhooks/s" "$(val ingest_connectwise_per_s)" ">=" 50000
    target "ingest Autotask webhooks/s" "$(val ingest_autotask_per_s)" ">=" 50000
    target "ingest/peer ConnectWise" "$(val ratio_connectwise_switchyard_to_peer)" ">=" 5
    target "ingest/peer Autotask" "$(val ratio_autotask_switchyard_to_peer)" ">=" 5
  fi
  part normalize && target "normalize events/cpu-s" "$(val normalize_events_per_cpu_s)" ">=" 100000
  part && target "e2e webhook p99 ms at 1000/s" "$(val e2e_webhook_1000_p99)" "<" 50
  if part ingest; then  # issue #18
    target "ingest/peer per cpu-s ConnectWise" "$(val ratio_connectwise_cpu_efficiency)" ">=" 3
    target "ingest/peer per cpu-s Autotask" "$(val ratio_autotask_cpu_efficiency)" ">=" 3
    target "ingest/peer webhooks/s ConnectWise (issue 18)" "$(val ratio_connectwise_switchyard_to_peer)" ">=" 2
    target "ingest/peer webhooks/s Autotask (issue 18)" "$(val ratio_autotask_switchyard_to_peer)" ">=" 2
    target "ingest/ceiling" "$(val ratio_ingest_to_ceiling)" ">=" 0.6
  fi
  if part fleet; then
    target "sandbox delayed requests/s at 1500/s offered" "$(val sandbox_latency_1500_achieved)" ">=" 1000
    target "dispatch fleet commands/s" "$(val dispatch_fleet_per_s)" ">=" 400
    target "dispatch isolation p99 - baseline ms" "$(val dispatch_isolation_difference)" "<=" "$(val dispatch_isolation_allowed)"
    # The comparison means something only when both kinds of run kept up (a saturated baseline
    # makes both p99s the run's length).
    target "dispatch isolation runs unfinished" "$(val dispatch_isolation_unfinished)" "<" 1
    target "dispatch backlog peak RSS MiB" "$(val memory_dispatch_backlog_peak_rss)" "<=" 256
    target "dispatch fleet lost + twice" "$(awk '$1 ~ /^dispatch_(fleet|isolation).*_(lost|twice)$/ { n += $2 } END { print n + 0 }' "$FIGURES")" "<" 1
  fi
  if part; then
    # A cycle that was not measured (absent, or -1 after a timeout) counts as missed.
    local poll_one poll_two
    poll_one=$(awk -v v="$(val poll_fleet_cycle_s)" 'BEGIN { print (v > 0 ? v : 1e9) }')
    poll_two=$(awk -v v="$(val poll_fleet_cycle_2_replicas_s)" 'BEGIN { print (v > 0 ? v : 1e9) }')
    target "poll fleet cycle s, 1 replica" "$poll_one" "<" 60
    target "poll fleet: 2 replicas / 1" "$(calc "$poll_two / $poll_one")" "<" 0.7
  fi
  local summary
  summary=$(IFS=';'; echo "${parts[*]}")
  echo "summary $met/$total targets met: ${summary//;/; }"
}

# --- BENCH_RUNS > 1: that many runs of this script, then each figure's median ---------------
# Every run is whole (its own stack, its own ratios); the median of a ratio is the median of
# the runs' ratios, never a ratio of medians.
if ((RUNS > 1)); then
  rm -rf "$OUT" && mkdir -p "$OUT"
  for ((run = 1; run <= RUNS; run++)); do
    say "run $run of $RUNS (figures in $OUT/run$run/)"
    BENCH_RUNS=1 BENCH_OUT="$OUT/run$run" "$0" "$BUILD_DIR" >"$OUT/run$run.txt"
    grep '^summary' "$OUT/run$run.txt" | sed "s/^/run $run: /" >&2 || true
  done
  # name value unit lines of every run → name median unit, in the order of the first run.
  for ((run = 1; run <= RUNS; run++)); do cat "$OUT/run$run/figures.txt"; done | awk '
    BEGIN { CONVFMT = "%.10g" }
    { if (!($1 in n)) { order[++names] = $1; unit[$1] = $3 } v[$1, ++n[$1]] = $2 }
    END {
      for (i = 1; i <= names; i++) {
        k = order[i]; m = n[k]
        for (a = 1; a <= m; a++) s[a] = v[k, a] + 0
        for (a = 2; a <= m; a++) { x = s[a]; for (b = a - 1; b >= 1 && s[b] > x; b--) s[b + 1] = s[b]; s[b + 1] = x }
        med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
        printf "%s %s %s\n", k, med, unit[k]
      }
    }' | tee "$FIGURES"
  fig bench_runs "$RUNS" runs
  print_summary
  exit 0
fi

# --- the local stack -----------------------------------------------------------------------
TOPICS=switchyard.raw.v1,switchyard.canonical.v1,switchyard.commands.v1,switchyard.raw.dlq.v1,switchyard.commands.dlq.v1
TOPICS+=,peer.raw.v1,ceiling.raw,norm.raw,norm.canonical,relay.raw,relay.canonical,e2e.raw,e2e.canonical
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
# The bench's ConnectWise callbacks name their signing key on the tenant's own host (the
# sandbox), as ingest requires (Metadata.key_url); see bench/sybench/payloads.cpp.
export SYBENCH_CONNECTWISE_KEY_URL="$SANDBOX_URL/connectwise/v4_6_release/apis/3.0/system/callbackKeys/7"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The demo tenants without a binding rate limit (the largest the tenants file accepts):
# every run measures Switchyard, not the limit.
jq '(.tenants[].rate_limit) = {"requests_per_second": 10000, "burst": 100000}' "$ROOT/config/tenants.local.json" |
  sed "s|\${SANDBOX_URL}|$SANDBOX_URL|g" >"$OUT/tenants.json"
# The embedded broker answers an empty fetch only after the whole fetch.wait.max.ms (500 ms by
# default); a real broker answers as soon as data arrives. 5 ms keeps latencies honest here.
# BENCH_KAFKA_PROPERTIES adds lines of its own, to measure a setting.
printf 'fetch.wait.max.ms=5\n%s\n' "${BENCH_KAFKA_PROPERTIES:-}" >"$OUT/kafka.properties"

export SWITCHYARD_KAFKA_BOOTSTRAP="$BOOTSTRAP"
export SWITCHYARD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export SWITCHYARD_TENANTS_FILE="$OUT/tenants.json"
export SWITCHYARD_KAFKA_PROPERTIES_FILE="$OUT/kafka.properties"
export SWITCHYARD_POLLING=false

# start_service NAME LOG [VAR=value...]: sets SERVICE_PID, SERVICE_PORT (the operator
# listener: /readyz, /metrics) and, used by ingest only, WEBHOOK_PORT and API_PORT
# (docs/configuration.md#listeners).
start_service() {
  local name=$1 log=$2
  shift 2
  SERVICE_PORT=$(free_port)
  WEBHOOK_PORT=$(free_port)
  API_PORT=$(free_port)
  env "$@" SWITCHYARD_OPERATOR_LISTEN="127.0.0.1:$SERVICE_PORT" SWITCHYARD_WEBHOOK_LISTEN="127.0.0.1:$WEBHOOK_PORT" \
    SWITCHYARD_API_LISTEN="127.0.0.1:$API_PORT" "$BIN/services/$name/switchyard-$name" >"$OUT/$log.log" 2>&1 &
  SERVICE_PID=$!
  pids+=($SERVICE_PID)
}

"$SYBENCH" selfcheck --tenants "$OUT/tenants.json" | figures_from selfcheck

# Every part up to the dispatch fleet (not indented: each is gated by BENCH_ONLY with `part`).
if part ingest; then
# --- ingest: webhooks/s and latency to the 202, 64 keep-alive clients --------------------
"$SYBENCH" wrk-script --psa connectwise --out "$OUT/connectwise.lua" 2>>"$OUT/sybench.log"
"$SYBENCH" wrk-script --psa autotask --out "$OUT/autotask.lua" 2>>"$OUT/sybench.log"
wrk_run() {  # figure url script pid...
  local figure=$1 url=$2 script=$3
  shift 3
  local before=0 after=0 pid broker_before broker_after
  FIGURE=warmup wrk -t2 -c64 -d2s --timeout 10s -s "$script" "$url" >>"$OUT/wrk.log" 2>&1
  for pid in "$@"; do before=$((before + $(ticks "$pid"))); done
  broker_before=$(ticks "$KAFKA_PID")
  FIGURE=$figure wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$script" "$url" | figures_from wrk
  for pid in "$@"; do after=$((after + $(ticks "$pid"))); done
  broker_after=$(ticks "$KAFKA_PID")
  local cores
  cores=$(calc "($after - $before) / $(getconf CLK_TCK) / $SECONDS_PER_RUN")
  fig "${figure}_cpu" "$cores" cores
  fig "${figure}_per_cpu_s" "$(calc "$(val "${figure}_per_s") / $cores")" webhooks/cpu-s
  # The embedded broker shares the machine's cores with the server and wrk: what it took is
  # what the ceiling (which produces nothing) never pays.
  fig "${figure}_broker_cpu" "$(calc "($broker_after - $broker_before) / $(getconf CLK_TCK) / $SECONDS_PER_RUN")" cores
}

say "ingest: wrk, 2 threads, 64 connections, ${SECONDS_PER_RUN} s a payload"
start_service ingest ingest
INGEST_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" ingest
wrk_run ingest_connectwise "http://127.0.0.1:$WEBHOOK_PORT" "$OUT/connectwise.lua" "$INGEST_PID"
wrk_run ingest_autotask "http://127.0.0.1:$WEBHOOK_PORT" "$OUT/autotask.lua" "$INGEST_PID"
fig memory_ingest_peak_rss "$(peak_rss_mib "$INGEST_PID")" MiB
stop "$INGEST_PID"

# --- the ceiling: a server that answers 202 doing nothing, the same requests and load -----
# What ingest could reach on this machine if its work cost nothing: sybench-ceiling reads each
# request whole and answers a 202 of the size of ingest's, with ingest's threading (2 io
# threads, a strand a connection). ratio_ingest_to_ceiling is ingest's share of that.
# ceiling_run FIGURE NAME [sybench-ceiling options...]: one wrk run of the ConnectWise webhooks
# against a sybench-ceiling of its own (port file and log named NAME).
ceiling_run() {
  local figure=$1 name=$2
  shift 2
  "$BIN/bench/sybench-ceiling" --listen 127.0.0.1:0 --port-file "$OUT/$name.port" "$@" >"$OUT/$name.log" 2>&1 &
  local ceiling_pid=$!
  pids+=("$ceiling_pid")
  wait_for_file "$OUT/$name.port"
  wrk_run "$figure" "http://127.0.0.1:$(cat "$OUT/$name.port")" "$OUT/connectwise.lua" "$ceiling_pid"
  stop "$ceiling_pid"
}
say "ceiling: a do-nothing Beast server, the ConnectWise webhooks, the same wrk load"
ceiling_run ingest_ceiling ceiling
fig ratio_ingest_to_ceiling "$(calc "$(val ingest_connectwise_per_s) / $(val ingest_ceiling_per_s)")" x

# --- the acknowledged ceiling: the same server answering only once Kafka has the body --------
# ingest's promise (202 only after acks=all) with nothing else: each body produced unchanged with
# ingest's producer, the 202 sent from the connection's strand on the delivery report.
# ratio_acked_ceiling_to_ceiling is what that promise alone leaves of the ceiling on this machine.
say "acknowledged ceiling: the same server, each body produced with acks=all before its 202"
ceiling_run ingest_acked_ceiling acked-ceiling --bootstrap "$BOOTSTRAP" --topic ceiling.raw \
  --properties "$SWITCHYARD_KAFKA_PROPERTIES_FILE"
fig ratio_acked_ceiling_to_ceiling "$(calc "$(val ingest_acked_ceiling_per_s) / $(val ingest_ceiling_per_s)")" x
fig ratio_ingest_to_acked_ceiling "$(calc "$(val ingest_connectwise_per_s) / $(val ingest_acked_ceiling_per_s)")" x

if part; then
# The same with linger.ms=0 set explicitly: a request waits for its acknowledgement, so at 64
# clients a linger of 5 ms (the producer's default until 2026-11) bounded throughput at about
# 64 / 5 ms. linger.ms=0 is the default now, so this run repeats the first one; it stays in
# the full run for comparison with the older results (BENCH_ONLY=ingest leaves it out).
say "ingest with linger.ms=0 (ConnectWise)"
printf 'fetch.wait.max.ms=5\nlinger.ms=0\n' >"$OUT/kafka-linger0.properties"
start_service ingest ingest-linger0 SWITCHYARD_KAFKA_PROPERTIES_FILE="$OUT/kafka-linger0.properties"
INGEST_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" ingest-linger0
wrk_run ingest_connectwise_linger0 "http://127.0.0.1:$WEBHOOK_PORT" "$OUT/connectwise.lua" "$INGEST_PID"
stop "$INGEST_PID"
fi  # linger0

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
fi  # ingest

if part normalize; then

# --- normalize: raw → dedup → canonical, 20 % duplicates ---------------------------------
# start_feeder FIGURE TOPIC-PREFIX [normalize-feed options...]: the feeder of one normalize
# run, started first, on a flushed Redis. It prepares its envelopes meanwhile and waits for the
# services file that finish_feeder writes.
start_feeder() {
  local figure=$1 prefix=$2
  shift 2
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  "$SYBENCH" normalize-feed --bootstrap "$BOOTSTRAP" --raw-topic "$prefix.raw" --canonical-topic "$prefix.canonical" \
    --tenants "$OUT/tenants.json" --figure "$figure" --duration "$SECONDS_PER_RUN" \
    --redis-port "$REDIS_PORT" --pool "${BENCH_POOL:-400000}" --services-file "$OUT/$figure.services" "$@" \
    >"$OUT/$figure.out" 2>>"$OUT/sybench.log" &
  FEEDER_PID=$!
}
# finish_feeder FIGURE READY-URLS PIDS (comma-separated): tells the feeder what to wait for and
# to measure, waits for its run, and prints its figures.
finish_feeder() {
  local figure=$1
  printf '%s\n%s\n' "$2" "$3" >"$OUT/$figure.services.tmp"
  mv "$OUT/$figure.services.tmp" "$OUT/$figure.services"
  wait "$FEEDER_PID" || { echo "bench: the $figure feeder failed; see $OUT/sybench.log" >&2; exit 1; }
  figures_from "$figure" <"$OUT/$figure.out"
}

# feed_normalize FIGURE N TOPIC-PREFIX [proxy]: N normalize processes in one consumer group.
# With "proxy" the feeder owns the Redis relay that counts round trips, so the services are
# pointed at it.
feed_normalize() {
  local figure=$1 count=$2 prefix=$3 proxy=${4:-}
  local options=()
  [[ -n $proxy ]] && options+=(--proxy-port-file "$OUT/$figure.proxy")
  start_feeder "$figure" "$prefix" "${options[@]}"
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
  finish_feeder "$figure" "$(IFS=,; echo "${urls[*]}")" "$(IFS=,; echo "${normalize_pids[*]}")"
  NORMALIZE_RSS=$(peak_rss_mib "${normalize_pids[@]}")
  stop "${normalize_pids[@]}"
}

say "normalize: one consumer, 8 partitions, dedup on, 20 % duplicates, Redis round trips counted"
feed_normalize normalize 1 norm proxy
fig memory_normalize_peak_rss "$NORMALIZE_RSS" MiB

# --- normalize's ceiling: its consume loop and producer relaying raw messages, no other work ----
# The same feeder and envelopes without duplicates: each message is consumed once and produced
# once, unchanged (bench/relay/relay.cpp). normalize over it is the share of the Kafka floor its
# own work leaves.
say "normalize ceiling: a relay on normalize's consume loop and producer, doing no other work"
start_feeder normalize_ceiling relay --dup-rate 0
rm -f "$OUT/relay.ready"
"$BIN/bench/sybench-relay" --bootstrap "$BOOTSTRAP" --from relay.raw --to relay.canonical --group bench-relay \
  --properties "$SWITCHYARD_KAFKA_PROPERTIES_FILE" --ready-file "$OUT/relay.ready" \
  ${BENCH_RELAY_ALSO_TO:+--also-to "$BENCH_RELAY_ALSO_TO"} >"$OUT/relay.log" 2>&1 &
RELAY_PID=$!
pids+=("$RELAY_PID")
wait_for_file "$OUT/relay.ready"
finish_feeder normalize_ceiling "" "$RELAY_PID"  # no ready URL: the ready file said so
stop "$RELAY_PID"
fig ratio_normalize_to_ceiling "$(calc "$(val normalize_events_per_cpu_s) / $(val normalize_ceiling_events_per_cpu_s)")" ratio
fi  # normalize

if part; then

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
INGEST_PORT=$WEBHOOK_PORT  # where sybench posts its webhooks
INGEST_OPERATOR_PORT=$SERVICE_PORT
start_service normalize normalize-e2e SWITCHYARD_TOPIC_RAW=e2e.raw SWITCHYARD_TOPIC_CANONICAL=e2e.canonical
NORMALIZE_PID=$SERVICE_PID
wait_ready "http://127.0.0.1:$INGEST_OPERATOR_PORT/readyz" ingest-e2e
wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" normalize-e2e
# Warm-up (not reported): the first seconds after a start include partition assignment.
"$SYBENCH" e2e-webhook --webhook-port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure warmup \
  --connections 256 --rate 1000 --duration 3 --id-base 500000 >>"$OUT/e2e.log" 2>>"$OUT/sybench.log"
"$SYBENCH" e2e-webhook --webhook-port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure e2e_webhook_1000 \
  --connections 256 --rate 1000 --duration "$SECONDS_PER_RUN" --id-base 1000000 2>>"$OUT/sybench.log" | figures_from e2e
"$SYBENCH" e2e-webhook --webhook-port "$INGEST_PORT" --bootstrap "$BOOTSTRAP" --topic e2e.canonical --figure e2e_webhook_10000 \
  --connections 256 --rate 10000 --duration "$SECONDS_PER_RUN" --id-base 2000000 2>>"$OUT/sybench.log" | figures_from e2e
fig memory_ingest_e2e_peak_rss "$(peak_rss_mib "$INGEST_PID")" MiB
fig memory_normalize_e2e_peak_rss "$(peak_rss_mib "$NORMALIZE_PID")" MiB
stop "$INGEST_PID" "$NORMALIZE_PID"
fig memory_devkafka_peak_rss "$(peak_rss_mib "$KAFKA_PID")" MiB
fi  # the scaling, dispatch and end-to-end parts

# --- dispatch fleet: one dispatch process, many PSA tenants far away ------------------------
if part fleet; then
# A broker and a sandbox of its own: 32 partitions a topic (the backlog must fit the mock
# broker's ~5 MB a partition), the sandbox answering every request after 200 ms (+0..20 ms)
# and allowing each tenant 5 requests/s (burst 5). Tenants are Autotask instances under the
# sandbox's /tenants/<id>/ prefix, with rate_limit 5/s, burst 5 in the tenants file too.
# Dispatch is a black box started with env vars and a tenants file, one process per run, so
# BENCH_DISPATCH_BIN may be any build of it. docs/performance.md, "Dispatch fleet".
FLEET_TENANTS=${BENCH_FLEET_TENANTS:-200}
FLEET_COUNT=${BENCH_FLEET_COUNT:-10000}
FLEET_TIMEOUT=${BENCH_FLEET_TIMEOUT:-$((3 * SECONDS_PER_RUN + 30))}      # after the commands are produced
SERIAL_COUNT=${BENCH_FLEET_SERIAL_COUNT:-$((10 * SECONDS_PER_RUN))}
ISO_TENANTS=50 ISO_RATE=100 ISO_SECONDS=$SECONDS_PER_RUN
BACKLOG_COUNT=${BENCH_BACKLOG_COUNT:-100000}
BACKLOG_SECONDS=$((SECONDS_PER_RUN + 5))
DISPATCH_BIN=${BENCH_DISPATCH_BIN:-$BIN/services/dispatch/switchyard-dispatch}
FLEET_RUNS="rate serial iso1 iso2 iso3 iso4 iso5 iso6 backlog"

say "dispatch fleet: $FLEET_TENANTS tenants, 200 ms PSA latency, 5 requests/s a tenant; dispatch $DISPATCH_BIN"
fleet_topics=""
for run in $FLEET_RUNS; do
  fleet_topics+="${fleet_topics:+,}fleet.$run.commands,fleet.$run.dlq,fleet.$run.retry,fleet.$run.results"
done
LD_PRELOAD="$SHIM" "$BIN/tools/devkafka/devkafka" --partitions "${BENCH_FLEET_PARTITIONS:-32}" --topics "$fleet_topics" \
  --bootstrap-file "$OUT/fleet-bootstrap" >"$OUT/fleet-devkafka.log" 2>&1 &
FLEET_KAFKA_PID=$!
pids+=($FLEET_KAFKA_PID)
"$BIN/tools/psa-sandbox/psa-sandbox" --listen 127.0.0.1:0 --port-file "$OUT/fleet-sandbox.port" --quiet \
  --latency-ms 200 --jitter-ms 20 --tenant-quota-rps 5 --tenant-quota-burst 5 >"$OUT/fleet-sandbox.log" 2>&1 &
FLEET_SANDBOX_PID=$!
pids+=($FLEET_SANDBOX_PID)
wait_for_file "$OUT/fleet-bootstrap"
wait_for_file "$OUT/fleet-sandbox.port"
FLEET_BOOTSTRAP=$(cat "$OUT/fleet-bootstrap")
FLEET_SANDBOX_PORT=$(cat "$OUT/fleet-sandbox.port")
FLEET_SANDBOX_URL="http://127.0.0.1:$FLEET_SANDBOX_PORT"

# The sandbox alone: 1,500 delayed requests/s over 400 connections (400 tenants, each below
# its quota), i.e. about 320 requests waiting out their latency at any time.
"$SYBENCH" sandbox-load --port "$FLEET_SANDBOX_PORT" --figure sandbox_latency_1500 --rate 1500 --duration 5 \
  --connections 400 --tenants 400 2>>"$OUT/sybench.log" | figures_from fleet

fleet_tenants() {  # prefix count: writes $OUT/fleet-<prefix>.json
  jq -n --arg url "$FLEET_SANDBOX_URL" --arg p "$1" --argjson n "$2" '{tenants: [range(0; $n) | ($p + "-" + tostring) as $id | {
      id: $id, psa: "autotask", base_url: ($url + "/tenants/" + $id + "/autotask/ATServicesRest"), allow_insecure_http: true,
      credentials: {username: "api@switchyard.test", secret: "demo-secret", integration_code: "DEMOINTEGRATIONCODE"},
      webhook_signing_secrets: ["demo-at-webhook-secret"], rate_limit: {requests_per_second: 5, burst: 5},
      options: {default_company_id: "100", default_queue_id: "8"}}]}' >"$OUT/fleet-$1.json"
}
fleet_tenants fleet "$FLEET_TENANTS"
fleet_tenants iso "$ISO_TENANTS"
fleet_tenants bl "$FLEET_TENANTS"

# start_fleet_dispatch LOG RUN PREFIX [VAR=value...]: a dispatch for topic fleet.RUN.commands
# (and its own dead-letter, retry and results topics, so no run sees another's leftovers),
# from an empty Redis; sets SERVICE_PID and SERVICE_PORT once it has its partitions.
start_fleet_dispatch() {
  local log=$1 run=$2 prefix=$3
  shift 3
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  SERVICE_PORT=$(free_port)
  local extra=()
  [[ -n ${BENCH_DISPATCH_CONCURRENCY:-} ]] && extra+=(SWITCHYARD_DISPATCH_CONCURRENCY="$BENCH_DISPATCH_CONCURRENCY")
  env SWITCHYARD_KAFKA_BOOTSTRAP="$FLEET_BOOTSTRAP" SWITCHYARD_TENANTS_FILE="$OUT/fleet-$prefix.json" \
    SWITCHYARD_TOPIC_COMMANDS="fleet.$run.commands" SWITCHYARD_TOPIC_COMMANDS_DLQ="fleet.$run.dlq" \
    SWITCHYARD_TOPIC_COMMANDS_RETRY="fleet.$run.retry" SWITCHYARD_TOPIC_COMMAND_RESULTS="fleet.$run.results" \
    SWITCHYARD_CONSUMER_GROUP="bench-fleet-$run" SWITCHYARD_OPERATOR_LISTEN="127.0.0.1:$SERVICE_PORT" "${extra[@]}" "$@" \
    "$DISPATCH_BIN" >"$OUT/$log.log" 2>&1 &
  SERVICE_PID=$!
  pids+=($SERVICE_PID)
  wait_ready "http://127.0.0.1:$SERVICE_PORT/readyz" "$log"
}
# fleet_run FIGURE RUN PREFIX TENANTS ENV [sybench options...]: one dispatch, one sybench
# dispatch-fleet run; sybench stops dispatch before it checks what reached the sandbox.
fleet_run() {
  local figure=$1 run=$2 prefix=$3 tenants=$4 env_list=$5
  shift 5
  # shellcheck disable=SC2086
  start_fleet_dispatch "$figure" "$run" "$prefix" $env_list
  "$SYBENCH" dispatch-fleet --bootstrap "$FLEET_BOOTSTRAP" --topic "fleet.$run.commands" --dlq-topic "fleet.$run.dlq" \
    --retry-topic "fleet.$run.retry" --group "bench-fleet-$run" --sandbox-url "$FLEET_SANDBOX_URL" --metrics-url "http://127.0.0.1:$SERVICE_PORT/metrics" \
    --figure "$figure" --tenants "$tenants" --tenant-prefix "$prefix" --pids "$SERVICE_PID" --stop-pid "$SERVICE_PID" \
    "$@" 2>>"$OUT/sybench.log" | figures_from fleet
  stop "$SERVICE_PID"
}

say "dispatch fleet: $FLEET_COUNT commands at once for $FLEET_TENANTS tenants (at most ${FLEET_TIMEOUT} s)"
fleet_run dispatch_fleet rate fleet "$FLEET_TENANTS" "" --count "$FLEET_COUNT" --timeout "$FLEET_TIMEOUT"
say "dispatch fleet: the same with SWITCHYARD_DISPATCH_CONCURRENCY=1, $SERIAL_COUNT commands"
fleet_run dispatch_fleet_serial serial fleet "$FLEET_TENANTS" "SWITCHYARD_DISPATCH_CONCURRENCY=1" \
  --count "$SERIAL_COUNT" --timeout $((SERIAL_COUNT / 2 + 30))

# Isolation: $ISO_RATE commands/s over $ISO_TENANTS tenants for $ISO_SECONDS s, three times
# with tenant iso-0 answered 429 (Retry-After: 30) to everything and three times without,
# interleaved; the other tenants' p99 (produce → ticket created) of each kind, as medians.
say "dispatch isolation: $ISO_RATE commands/s over $ISO_TENANTS tenants, iso-0 throttled or not, 3 runs each"
for i in 1 2 3; do
  fleet_run "dispatch_isolation_baseline_run$i" "iso$((2 * i - 1))" iso "$ISO_TENANTS" "" --rate "$ISO_RATE" \
    --duration "$ISO_SECONDS" --timeout "$ISO_SECONDS" --throttled iso-0 --throttle 0
  fleet_run "dispatch_isolation_throttled_run$i" "iso$((2 * i))" iso "$ISO_TENANTS" "" --rate "$ISO_RATE" \
    --duration "$ISO_SECONDS" --timeout "$ISO_SECONDS" --throttled iso-0 --throttle 1
done
median3() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ISO_BASE=$(median3 "$(val dispatch_isolation_baseline_run1_p99)" "$(val dispatch_isolation_baseline_run2_p99)" \
  "$(val dispatch_isolation_baseline_run3_p99)")
ISO_THROTTLED=$(median3 "$(val dispatch_isolation_throttled_run1_p99)" "$(val dispatch_isolation_throttled_run2_p99)" \
  "$(val dispatch_isolation_throttled_run3_p99)")
fig dispatch_isolation_baseline_p99 "$ISO_BASE" ms
fig dispatch_isolation_p99 "$ISO_THROTTLED" ms
fig dispatch_isolation_difference "$(calc "$ISO_THROTTLED - $ISO_BASE")" ms
fig dispatch_isolation_allowed "$(calc "($ISO_BASE * 0.1 > 20) ? $ISO_BASE * 0.1 : 20")" ms
fig dispatch_isolation_unfinished "$(awk '$1 ~ /^dispatch_isolation_.*_run[0-9]_unfinished$/ { n += $2 } END { print n + 0 }' "$FIGURES")" commands

# Backlog: $BACKLOG_COUNT commands wait on the topic for tenants whose PSA refuses everything
# (429, Retry-After: 30); dispatch runs against them for $BACKLOG_SECONDS s.
say "dispatch backlog: $BACKLOG_COUNT commands waiting, dispatch for $BACKLOG_SECONDS s, peak RSS"
"$SYBENCH" dispatch-fleet --mode produce --exhaust 1 --bootstrap "$FLEET_BOOTSTRAP" --topic fleet.backlog.commands \
  --sandbox-url "$FLEET_SANDBOX_URL" --figure memory_dispatch_backlog_produced --count "$BACKLOG_COUNT" \
  --tenants "$FLEET_TENANTS" --tenant-prefix bl 2>>"$OUT/sybench.log" | figures_from fleet
start_fleet_dispatch dispatch_backlog backlog bl
sleep "$BACKLOG_SECONDS"
fig memory_dispatch_backlog_peak_rss "$(peak_rss_mib "$SERVICE_PID")" MiB
"$SYBENCH" dispatch-fleet --mode held --bootstrap "$FLEET_BOOTSTRAP" --topic fleet.backlog.commands \
  --figure memory_dispatch_backlog 2>>"$OUT/sybench.log" | figures_from fleet
stop "$SERVICE_PID"
stop "$FLEET_SANDBOX_PID" "$FLEET_KAFKA_PID"

fi  # fleet

# --- poll fleet: one full poll cycle over 1,000 tenants x 2 entities -----------------------
# A sandbox of its own that answers every request after 200 ms; each tenant a ConnectWise
# instance under its /tenants/<id>/ prefix, polled every hour (so a cycle is one live poll of
# each tenant/entity). sybench runs 1, then 2, ingest Pollers in its own process (each with
# its own 32 workers, Redis, HTTP and Kafka connections) that share the tenants through the
# Redis leases as ingest replicas do. docs/performance.md, "Poll fleet".
if part; then
POLL_TENANTS=${BENCH_POLL_TENANTS:-1000}
say "poll fleet: $POLL_TENANTS tenants x 2 entities, 200 ms PSA latency, 1 and 2 poller replicas of 32 workers"
"$BIN/tools/psa-sandbox/psa-sandbox" --listen 127.0.0.1:0 --port-file "$OUT/poll-sandbox.port" --quiet \
  --latency-ms 200 >"$OUT/poll-sandbox.log" 2>&1 &
POLL_SANDBOX_PID=$!
pids+=($POLL_SANDBOX_PID)
wait_for_file "$OUT/poll-sandbox.port"
POLL_SANDBOX_URL="http://127.0.0.1:$(cat "$OUT/poll-sandbox.port")"
for replicas in 1 2; do
  name=poll_fleet_cycle_s
  [[ $replicas == 1 ]] || name=poll_fleet_cycle_${replicas}_replicas_s
  "$SYBENCH" poll-fleet --sandbox-url "$POLL_SANDBOX_URL" --bootstrap "$BOOTSTRAP" --redis-port "$REDIS_PORT" \
    --tenants "$POLL_TENANTS" --replicas "$replicas" --tenant-prefix "poll$replicas" --figure "$name" \
    2>>"$OUT/sybench.log" | figures_from poll
done
stop "$POLL_SANDBOX_PID"
fi

# --- summary --------------------------------------------------------------------------------
load_note
print_summary
