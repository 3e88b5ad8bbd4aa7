#!/usr/bin/env bash
# overlap.sh BACKGROUND FOREGROUND: runs the command BACKGROUND at the lowest CPU priority
# (nice 19) while the command FOREGROUND runs; BACKGROUND's output is kept and printed after
# FOREGROUND's. Exits with FOREGROUND's status if it failed (BACKGROUND is then stopped), else
# with BACKGROUND's.
#
# `make test` compiles the next tree this way while a suite runs: the tests mostly wait (on Kafka,
# Redis, timeouts), so the compiler gets their idle CPU and they lose almost none of theirs.
set -uo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 BACKGROUND FOREGROUND" >&2
  exit 2
fi
background=$1
foreground=$2
log=$(mktemp "${TMPDIR:-/tmp}/switchyard-overlap.XXXXXX")
bg_seconds_file=$(mktemp "${TMPDIR:-/tmp}/switchyard-overlap.XXXXXX")
trap 'rm -f "$log" "$bg_seconds_file"' EXIT

# Its own process group, so that it can be stopped as a whole. setsid also gives it a scheduler
# autogroup of its own (Linux, sched_autogroup_enabled=1), which would compete with the
# foreground's autogroup as an equal whatever the nice value: so the autogroup is niced too.
# It writes how long it ran to $bg_seconds_file, for the timing line at the end.
setsid bash -c 'echo 19 > /proc/self/autogroup 2>/dev/null; nice -n 19 bash -c "$1"; status=$?
  echo "$SECONDS" > "$2"; exit "$status"' overlap "$background" "$bg_seconds_file" >"$log" 2>&1 &
bg=$!
started=$SECONDS

bash -c "$foreground"
fg_status=$?
fg_seconds=$((SECONDS - started))
if [[ $fg_status -ne 0 ]]; then
  kill -TERM -- "-$bg" 2>/dev/null
  wait "$bg" 2>/dev/null
  echo "overlap: '$foreground' failed ($fg_status); stopped '$background'" >&2
  exit "$fg_status"
fi

wait "$bg"
bg_status=$?
echo "overlap: output of '$background', which ran alongside:"
cat "$log"
# The two durations show which of the pair held the other up (CI time).
echo "overlap: '$foreground' took ${fg_seconds} s; '$background' took $(cat "$bg_seconds_file") s"
if [[ $bg_status -ne 0 ]]; then
  echo "overlap: '$background' failed ($bg_status)" >&2
fi
exit "$bg_status"
