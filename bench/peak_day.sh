#!/usr/bin/env bash
# The peak-day benchmark: generates the 99 Giving Day 2017 workload at scale 1
# (cached), runs the suite with several repetitions, the Redis + Lua baseline
# (bench/baselines/redis_lua/run.sh), the live path (bench/engine_bench),
# settlement, measures peak memory of a whole
# `simulate`, and writes docs/performance.md from what it measured.
# Usage: bench/peak_day.sh [SCALE] [REPETITIONS]   (defaults: 1 and 5)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
reps=${2:-5}
scripts/setup.sh
command -v python3 >/dev/null || { sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo); "${sudo_cmd[@]}" apt-get install -y -qq python3; }
[ -x /usr/bin/time ] || { sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo); "${sudo_cmd[@]}" apt-get install -y -qq time; }
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DMATCHFUND_TESTS=ON -DMATCHFUND_BENCH=ON > /dev/null

data=build/peak-day-data/giving-day-2017-scale-$scale
if [ ! -s "$data/donations.csv" ]; then
  echo "generating giving-day-2017 at scale $scale into $data"
  mkdir -p "$(dirname "$data")"
  build/matchfund generate --profile giving-day-2017 --scale "$scale" --seed 2017 --out "$data" > "$data.calibration.txt"
fi

results=build/peak-day-results
mkdir -p "$results"
echo "running the suite ($reps repetitions, interleaved)"
# Repetitions of all the suite's benchmarks run in a random order, so that a
# slow or fast phase of a shared machine falls on allocate only and on its
# floor alike, and their ratio does not depend on which ran first.
suite=(build/bench/peak_day_bench --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true
  --benchmark_format=json --benchmark_out="$results/suite.json" --benchmark_out_format=json)
echo "${suite[*]}" > "$results/suite.command"
MATCHFUND_DATASET=$data "${suite[@]}" > /dev/null

echo "the Redis + Lua baseline (one EVALSHA per donation, unpipelined and pipelined)"
rm -f "$results/redis.jsonl"  # the report shows it only when measured in this run
MATCHFUND_DATASET=$data bench/baselines/redis_lua/run.sh "$results/redis.jsonl" > /dev/null ||
  echo "the Redis + Lua baseline failed: the report leaves it out"

echo "the live path: reserve + confirm through the embedding API, 1 to 8 threads, each fsync policy"
MATCHFUND_BENCH_DIR=build build/bench/engine_bench --benchmark_repetitions=3 --benchmark_format=json \
  --benchmark_out="$results/engine.json" --benchmark_out_format=json > /dev/null

echo "matchfund serve under wrk: reserve + confirm over HTTP on loopback"
rm -f "$results/serve.jsonl"
MATCHFUND_BUILD_DIR=build bench/serve_load.sh "$results/serve.jsonl" 10 4 > /dev/null ||
  echo "the serve load run failed: the report leaves it out"

echo "settlement at Gitcoin scale"
build/bench/settlement_bench --benchmark_repetitions="$reps" --benchmark_format=json \
  --benchmark_out="$results/settlement.json" --benchmark_out_format=json > /dev/null

echo "sweeps: one scenario (3 runs) and 100 scenarios (10 x 10 values, 2 runs), wall time"
sweep_out=build/peak-day-sweep
sweep_seconds() {
  rm -rf "$sweep_out"
  /usr/bin/time -f %e -o "$results/sweep-time.txt" build/matchfund sweep --rules "$data/rules.json" \
    --donations "$data/donations.csv" --projects "$data/projects.csv" --out "$sweep_out" "$@" > /dev/null
  cat "$results/sweep-time.txt"
}
caps=$(seq -s, 99 100 999)
ratios=1.0,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,1.9
{
  echo "single $(sweep_seconds) $(sweep_seconds) $(sweep_seconds)"
  echo "hundred $(sweep_seconds --vary "pools[platform-day1].caps.per_donor.amount=$caps" \
    --vary "pools[platform-day1].match.random.max=$ratios") $(sweep_seconds \
    --vary "pools[platform-day1].caps.per_donor.amount=$caps" --vary "pools[platform-day1].match.random.max=$ratios")"
} > "$results/sweep.txt"
rm -rf "$sweep_out"

echo "peak memory of one simulate"
/usr/bin/time -v build/matchfund simulate --rules "$data/rules.json" --donations "$data/donations.csv" \
  --projects "$data/projects.csv" --ledger "$results/ledger.csv" --summary "$results/summary.json" \
  2> "$results/time.txt"

python3 bench/write_performance_report.py "$results" "$data" > docs/performance.md
echo "wrote docs/performance.md"
