#!/usr/bin/env bash
# The worked study of docs/simulation.md: the generated 99 Giving Day 2017 stream
# (scale 1, seed 2017: 12.68M donations) replayed under the 2017-style rules and
# four alternatives for the daily platform pools, each under 5 seeds, and the
# report. Writes examples/study-2017/{rules/,results/metrics_bands.csv,report.html}.
# Usage: examples/study-2017/run_study.sh [SCALE]   (default 1)
#   MATCHFUND_BUILD_DIR picks the build folder (default build).
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-1}
build=${MATCHFUND_BUILD_DIR:-build}
scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
data=build/peak-day-data/giving-day-2017-scale-$scale
if [ ! -s "$data/donations.csv" ]; then
  mkdir -p "$data"
  "$build"/matchfund generate --profile giving-day-2017 --scale "$scale" --seed 2017 --out "$data" > "$data.calibration.txt"
fi
study=examples/study-2017
python3 $study/make_variants.py "$data/rules.json" $study/rules
out=build/study-2017
rm -rf "$out"
SECONDS=0
"$build"/matchfund sweep --rules $study/rules/base.json --rules $study/rules/cap-99.json \
  --rules $study/rules/one-pool.json --rules $study/rules/fixed-1to1.json --rules $study/rules/random-0.1-1.json \
  --donations "$data/donations.csv" --projects "$data/projects.csv" --seeds 5 --out "$out"
echo "sweep: ${SECONDS} s"
"$build"/matchfund report --in "$out" --out $study/report.html
mkdir -p $study/results
cp "$out/metrics_bands.csv" "$out/metrics.csv" $study/results/
