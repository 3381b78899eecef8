#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan) and runs each
# for SECONDS (default 60): scripts/fuzz.sh [SECONDS]
# Seed corpora are made at run time from the shared conformance and golden
# cases (never copied into the repository). New inputs found are kept in
# BUILD/corpus/TARGET, so later runs start from them; crashes are written to
# BUILD/artifacts/ and make the script fail. Executions per target are
# printed at the end and kept in BUILD/fuzz-report.txt.
# Environment: MATCHFUND_FUZZ_BUILD (default build-fuzz), MATCHFUND_SHARED_DIR
# (default ../shared), MATCHFUND_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${MATCHFUND_FUZZ_BUILD:-build-fuzz}
shared=${MATCHFUND_SHARED_DIR:-$(cd .. && pwd)/shared}
jobs=${MATCHFUND_JOBS:-$(nproc)}
targets=(donations_fuzz projects_fuzz events_fuzz contributions_fuzz rules_fuzz settlement_rules_fuzz
         money_fuzz time_fuzz allocator_fuzz settle_fuzz simulate_fuzz)

cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMATCHFUND_FUZZ=ON -DMATCHFUND_TESTS=OFF -DMATCHFUND_BENCH=OFF > "$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j "$jobs" --target fuzz_all

# --- seed corpora -------------------------------------------------------------
seeds=$build/seeds
rm -rf "$seeds"
for t in "${targets[@]}"; do mkdir -p "$seeds/$t" "$build/corpus/$t"; done
mkdir -p "$build/artifacts"
# seed TARGET PREFIX FILE: the first 64 KiB of FILE, after the PREFIX byte(s).
# (The CSV and money targets read their first byte as an option: 'A' is
# minor_units 2; for contributions an odd byte maps the Gitcoin columns.)
n=0
seed() {
  n=$((n + 1))
  { printf '%b' "$2"; head -c 65536 "$3"; } > "$seeds/$1/seed-$n"
}
seed_text() {
  n=$((n + 1))
  printf '%b%s' "$2" "$3" > "$seeds/$1/seed-$n"
}
cases=$shared/conformance/cases
[ -d "$cases" ] || { echo "fuzz: no conformance cases under $cases" >&2; exit 1; }
for f in "$cases"/*/donations.csv; do
  seed donations_fuzz A "$f"
  seed contributions_fuzz '\x00' "$f"
  seed simulate_fuzz '\x03\x10' "$f"  # chunks of 4 rows, batches from 49 bytes
done
for f in "$cases"/*/events.csv; do seed events_fuzz A "$f"; done
for f in "$cases"/*/projects.csv; do seed projects_fuzz '' "$f"; done
for f in "$cases"/*/rules.json; do seed rules_fuzz '' "$f"; done
for f in "$shared"/golden/*/rules.json; do seed settlement_rules_fuzz '' "$f"; seed rules_fuzz '' "$f"; done
for f in "$shared"/golden/*/votes.csv; do seed contributions_fuzz '\x01' "$f"; done
# Amounts, ratios, times, offsets and times of day as they appear in the cases.
grep -ohE '"[0-9]+(\.[0-9]+)?"' "$cases"/*/rules.json | tr -d '"' | sort -u > "$seeds/amounts.txt" || true
while read -r v; do seed_text money_fuzz A "$v"; done < "$seeds/amounts.txt"
grep -ohE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})' "$cases"/*/donations.csv "$cases"/*/rules.json |
  sort -u > "$seeds/times.txt" || true
while read -r v; do seed_text time_fuzz '' "$v"; done < "$seeds/times.txt"
for v in +08:00 -05:30 +00:00 -00:00 09:00 23:59:59 24:00 24:00:00; do seed_text time_fuzz '' "$v"; done
dd if=/dev/urandom of="$seeds/allocator_fuzz/seed-random" bs=4096 count=1 status=none

# --- runs ---------------------------------------------------------------------
report=$build/fuzz-report.txt
: > "$report"
failed=()
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s"
  log=$build/$t.log
  if "$build/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=16384 \
       -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
       "$build/corpus/$t" "$seeds/$t" > "$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
    printf '%-24s %12s executions in %ss\n' "$t" "$runs" "$seconds" | tee -a "$report"
  else
    failed+=("$t")
    printf '%-24s FAILED (see %s)\n' "$t" "$log" | tee -a "$report"
    grep -E 'ERROR|invariant|runtime error|==[0-9]+==|#[0-9]+ ' "$log" | head -30 || true
  fi
done
echo "== fuzz report ($report)"
cat "$report"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failing targets: ${failed[*]}; inputs in $build/artifacts/" >&2
  exit 1
fi
