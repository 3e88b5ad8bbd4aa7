# Switchyard — common tasks. `make run` and `make test` install what is missing (Debian 12,
# as root or with sudo), build, and start what they need themselves.
JOBS        ?= 2
BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
FUZZ_DIR    ?= build-fuzz
FUZZ_SECONDS ?= 300
BUILD_TYPE  ?= Release
# Tests mostly wait (on Kafka, Redis, timeouts), so three at once on two cores: the Release suite
# measured 701 s at -j3 against 861 s at -j2, with no test slower than its timeout allows.
CTEST_JOBS  ?= 3
CTEST_FLAGS ?= --output-on-failure -j$(CTEST_JOBS) --timeout 300

.PHONY: all deps build build-asan build-fuzz build-long run test test-release test-asan test-long test-fuzz unit chaos clean bench fuzz docs

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

# Line tables only (-g1): sanitizer reports keep function, file and line, and the tree builds
# about a tenth faster than with full debug information. Shared libraries: one instrumented copy
# of the product instead of one per test binary (about 20 GB of disk and most of the link time).
$(ASAN_DIR)/CMakeCache.txt:
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DSWITCHYARD_SANITIZE=ON -DSWITCHYARD_SHARED_LIBS=ON \
		-DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1

# libFuzzer needs clang; this tree builds only the libraries and fuzz/ (docs/fuzzing.md). -O1, as
# OSS-Fuzz builds its sanitizer targets: it compiles faster than Release's -O3, which the 15 s
# per target in CI cannot win back in inputs per second.
$(FUZZ_DIR)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Release -DSWITCHYARD_FUZZ=ON \
		"-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG"

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

build-asan: deps $(ASAN_DIR)/CMakeCache.txt
	cmake --build $(ASAN_DIR) -j$(JOBS)

build-fuzz: deps $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j$(JOBS)

# The whole pipeline locally on embedded defaults; Ctrl-C stops everything.
run: build
	@scripts/run-local.sh $(BUILD_DIR)

# Every test once: the unit, integration and conformance tests under AddressSanitizer + UBSan,
# the long suites (LONG_LABELS: chaos, the browser, the deploy and observability checks, and the
# few tests of what only the optimised build does) in the optimised tree, which builds only what
# they need, and each fuzz target over its corpus plus 15 s of fuzzing. While a suite runs, the
# next tree compiles beside it at the lowest CPU priority (scripts/overlap.sh): the tests mostly
# wait, so the compiler gets their idle CPU. The long suites leave the most idle CPU, so the
# biggest tree (the sanitizer one) compiles beside them. The suites themselves run one after the
# other, as `make test-long` etc.
test: build-long
	@scripts/overlap.sh "$(MAKE) --no-print-directory build-asan" "$(MAKE) --no-print-directory test-long"
	@scripts/overlap.sh "$(MAKE) --no-print-directory build-fuzz" "$(MAKE) --no-print-directory test-asan"
	@$(MAKE) --no-print-directory test-fuzz

# The suites that run in the optimised tree only, and the targets they need (tests/CMakeLists.txt).
LONG_LABELS ?= chaos|browser|deploy|optimised

build-long: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target long-suites

test-long: build-long
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -L '$(LONG_LABELS)'

# Every test of the optimised tree, the unit and integration tests included (not part of `make test`).
test-release: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS)

test-asan: build-asan
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest $(CTEST_FLAGS)

test-fuzz: build-fuzz
	cd $(FUZZ_DIR) && ctest $(CTEST_FLAGS) -L fuzz

unit: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -L unit

# The fault-injection suite alone (also part of test-long, so of test): kill -9, Redis restarts, Kafka
# outages and PSA faults under steady traffic, then the ledger check (docs/reliability.md).
# About 3 minutes once built; CHAOS_SEED=<n> repeats a run.
chaos: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -L chaos

# Documents generated from the code: docs/troubleshooting.md from the reason catalogue. A unit
# test fails when the committed file is not what this writes.
docs: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target troubleshooting-doc
	$(BUILD_DIR)/tools/troubleshooting-doc/troubleshooting-doc > docs/troubleshooting.md

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) .run

# Benchmarks of every stage and end to end on the local stack, next to a Node.js peer; prints
# `name value unit` lines and a summary (docs/performance.md). About 9 minutes once built
# (BENCH_ONLY=fleet: only the dispatch fleet part, about 3.5; BENCH_ONLY=ingest or normalize:
# only that part; BENCH_RUNS=3: medians of 3 runs).
bench: deps $(BUILD_DIR)/CMakeCache.txt
	@bench/install-tools.sh
	cmake --build $(BUILD_DIR) -j$(JOBS) --target switchyard-bench
	@bench/run.sh $(BUILD_DIR)

# Longer fuzzing: FUZZ_SECONDS per target, JOBS targets at a time. New inputs and crashes go to
# fuzz/.out/ (ignored), never into fuzz/corpus/; docs/fuzzing.md says how to keep a finding.
fuzz: build-fuzz
	@fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) fuzz/.out $(JOBS)
