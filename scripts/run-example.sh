#!/usr/bin/env bash
# Quick start 1: set up, build, and simulate the 99 Giving Day 2017 example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DMATCHFUND_TESTS=OFF -DMATCHFUND_BENCH=OFF > /dev/null

example=examples/giving-day-2017
out=build/example-output
mkdir -p "$out"
build/matchfund simulate \
  --rules "$example/rules.json" \
  --donations "$example/donations.csv" \
  --projects "$example/projects.csv" \
  --ledger "$out/ledger.csv" \
  --summary "$out/summary.json"

echo "Summary ($out/summary.json):"
cat "$out/summary.json"
echo
echo "Ledger: $out/ledger.csv ($(($(wc -l < "$out/ledger.csv") - 1)) rows, one per donation and eligible pool)"
