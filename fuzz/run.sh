#!/usr/bin/env bash
# make fuzz: runs every fuzz target for SECONDS on top of its committed corpus, JOBS targets at
# a time. New inputs go to OUT/corpus/<target> and crashes to OUT/artifacts/ (OUT is ignored by
# git); the committed corpus in fuzz/corpus/ is only read. See docs/fuzzing.md.
#   fuzz/run.sh BUILD_DIR [SECONDS=300] [OUT=fuzz/.out] [JOBS=1]
set -euo pipefail
build=$(cd "${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS] [OUT] [JOBS]}" && pwd)
seconds=${2:-300}
mkdir -p "${3:-fuzz/.out}"
out=$(cd "${3:-fuzz/.out}" && pwd)
jobs=${4:-1}
src=$(cd "$(dirname "$0")" && pwd)

run_one() {
  local name=$1 bin="$build/fuzz/fuzz_$1"
  mkdir -p "$out/corpus/$name" "$out/artifacts"
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$out/artifacts/$name-" -dict="$src/dict/$name.dict" \
      "$out/corpus/$name" "$src/corpus/$name" >"$out/$name.log" 2>&1; then
    status=ok
  else
    status="FAILED (see $out/$name.log and $out/artifacts/)"
  fi
  local execs rate
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log")
  echo "fuzz: $name: ${execs:-?} runs, ${rate:-?} exec/s, $(ls "$out/corpus/$name" | wc -l) inputs found so far: $status"
  [[ $status == ok ]]
}
export -f run_one
export build seconds out src

targets=()
for dir in "$src"/corpus/*/; do targets+=("$(basename "$dir")"); done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time; output in $out"
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {}
