#!/usr/bin/env bash
# Load on `matchfund serve`: wrk on loopback against reserve + confirm
# (bench/serve_load/reserve_confirm.lua), bounded in time, for each journal
# sync policy; writes one JSON line per run to RESULTS (requests/s, latency
# percentiles, errors). bench/peak_day.sh runs it and puts the results in
# docs/performance.md beside the Redis + Lua baseline.
# Usage: bench/serve_load.sh RESULTS [SECONDS] [CONNECTIONS]   (defaults: 10 and 4)
#   MATCHFUND_BUILD_DIR picks the build folder (default build).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RESULTS [SECONDS] [CONNECTIONS]" >&2; exit 1; }
results=$1
case $results in /*) ;; *) results=$PWD/$results ;; esac
seconds=${2:-10}
connections=${3:-4}
cd "$(dirname "$0")/.."
build=${MATCHFUND_BUILD_DIR:-build}
command -v wrk > /dev/null || scripts/setup.sh
[ -x "$build/matchfund" ] || { echo "serve_load: build $build/matchfund first (scripts/build.sh $build)" >&2; exit 1; }

tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The 2017 platform pool: 1:1, 999 per donor per day, large enough not to run dry during the run.
cat > "$tmp/rules.json" <<'RULES'
{ "utc_offset": "+08:00",
  "pools": [ {"id": "platform", "budget": "100000000", "match": {"ratio": "1"},
              "caps": {"per_donor": {"amount": "999", "per": "day"}}} ] }
RULES
export MATCHFUND_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
: > "$tmp/results.jsonl"
for policy in every_call interval off; do
  rm -rf "$tmp/data"
  "$build/matchfund" serve --rules "$tmp/rules.json" --data "$tmp/data" --listen 127.0.0.1:0 --fsync "$policy" \
    --threads "$connections" > "$tmp/server.out" 2> "$tmp/server.err" &
  server=$!
  for _ in $(seq 1200); do grep -q "listening on" "$tmp/server.out" && break; sleep 0.05; done
  url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/server.out")
  [ -n "$url" ] || { echo "serve_load: the server did not start" >&2; cat "$tmp/server.err" >&2; exit 1; }
  if ! wrk -t "$connections" -c "$connections" -d "${seconds}s" --latency -s bench/serve_load/reserve_confirm.lua \
         "$url" > "$tmp/wrk.out" 2>&1; then
    echo "serve_load: wrk failed ($policy):" >&2
    cat "$tmp/wrk.out" "$tmp/server.err" >&2
    exit 1
  fi
  line=$(tail -1 "$tmp/wrk.out")
  echo "{\"fsync\": \"$policy\", \"connections\": $connections, ${line#\{}" >> "$tmp/results.jsonl"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
done
mkdir -p "$(dirname "$results")"
mv "$tmp/results.jsonl" "$results"
cat "$results"
