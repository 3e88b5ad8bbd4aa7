#!/usr/bin/env bash
# A wall-clock profile of one process: samples every thread's stack with gdb, N times, and
# counts where each thread whose stack mentions PATTERN stands — waiting included, which a CPU
# profiler (perf) does not show. Used for docs/performance.md's "where the time goes".
#
#   bench/stacks.sh PID [SAMPLES=40] [PATTERN=switchyard]
set -euo pipefail
pid=$1 samples=${2:-40} pattern=${3:-switchyard}
for ((i = 0; i < samples; i++)); do
  gdb -p "$pid" -batch -ex "thread apply all bt 30" 2>/dev/null || true
  echo "=== end of sample"
  sleep 0.05
done | python3 -c '
import re, sys, collections
pattern = sys.argv[1]
counts = collections.Counter()
threads = 0
stack = []
def flush():
    global stack, threads
    if stack and any(pattern in f for f in stack):
        # innermost frame, and the innermost frame of our own code: "waiting in X, called from Y"
        inner = stack[0]
        ours = next((f for f in stack if "switchyard::" in f), "?")
        counts[(inner, ours)] += 1
        threads += 1
    stack = []
for line in sys.stdin:
    if line.startswith("Thread ") or line.startswith("==="):
        flush()
        continue
    m = re.match(r"#\d+\s+(?:0x[0-9a-f]+ in )?(.+?) \(", line)
    if m:
        stack.append(re.sub(r"<[^<>]*(?:<[^<>]*>[^<>]*)*>", "<>", m.group(1)))
flush()
total = sum(counts.values()) or 1
for (inner, ours), n in counts.most_common(25):
    print(f"{100 * n / total:5.1f}%  {inner[:60]:60s}  in {ours[:90]}")
' "$pattern"
