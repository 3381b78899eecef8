#!/usr/bin/env bash
# Quick start 2: set up, build, and run every test: the Release build (unit,
# property, conformance, CLI tests and a benchmark smoke run), then the same
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, then every fuzz
# target for a short bounded time (MATCHFUND_FUZZ_SECONDS each, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== Release build"
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DMATCHFUND_TESTS=ON -DMATCHFUND_BENCH=ON
(cd build && ctest --output-on-failure -j "$(nproc)")

echo "== Benchmark smoke run (timings are not checked)"
build/bench/allocator_bench --benchmark_min_time=0.01 > build/bench-smoke.txt
build/bench/settlement_bench --benchmark_filter=Quadratic --benchmark_min_time=0.01 >> build/bench-smoke.txt
build/bench/scaling_bench --benchmark_filter='BM_Donors/1000/|BM_Pools/2/' --benchmark_min_time=0.01 >> build/bench-smoke.txt
smoke_data=build/smoke-data
rm -rf "$smoke_data"
build/matchfund generate --profile giving-day-2017 --scale 0.001 --seed 1 --out "$smoke_data" > /dev/null
MATCHFUND_DATASET=$smoke_data build/bench/peak_day_bench --benchmark_min_time=0.01 >> build/bench-smoke.txt
MATCHFUND_BENCH_DIR=build build/bench/engine_bench --benchmark_filter='mode:[01]/threads:(1|2)/' >> build/bench-smoke.txt
grep -E "^BM_" build/bench-smoke.txt
MATCHFUND_BUILD_DIR=build bench/serve_load.sh build/serve-smoke.jsonl 1 2

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMATCHFUND_SANITIZE=ON -DMATCHFUND_TESTS=ON -DMATCHFUND_BENCH=OFF
# The crash test kills its child 100 times here instead of 200: each round
# recovers a longer journal, and under the sanitizers 200 rounds took 46 to 127 s,
# the longest test of the run. The Release run above does all 200.
(cd build-asan && MATCHFUND_CRASH_KILLS=100 ctest --output-on-failure -j "$(nproc)")

echo "== Fuzz smoke run (clang, libFuzzer + ASan + UBSan; scripts/fuzz.sh runs longer)"
scripts/fuzz.sh "${MATCHFUND_FUZZ_SECONDS:-3}"
