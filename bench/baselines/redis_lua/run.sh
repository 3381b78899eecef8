#!/usr/bin/env bash
# The Redis + Lua baseline: installs redis-server and libhiredis-dev when missing,
# builds redis_lua_bench, starts a private redis-server on a free loopback port
# (no persistence, in a temporary folder), runs the driver on the dataset in
# MATCHFUND_DATASET and writes its JSON lines (one per mode) to RESULTS. The
# server is stopped however the script ends.
# Usage: MATCHFUND_DATASET=DIR bench/baselines/redis_lua/run.sh RESULTS [DRIVER_ARGS...]
#   DRIVER_ARGS go to redis_lua_bench (--limit N, --seconds S, --batch B, --dataset DIR).
#   MATCHFUND_BUILD_DIR picks the build folder (default build).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: MATCHFUND_DATASET=DIR $0 RESULTS [DRIVER_ARGS...]" >&2; exit 1; }
results=$1
shift
case $results in /*) ;; *) results=$PWD/$results ;; esac
cd "$(dirname "$0")/../../.."
build=${MATCHFUND_BUILD_DIR:-build}

packages=(redis-server libhiredis-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "redis baseline: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# Configure again so that CMake finds hiredis if it was just installed; a fresh
# folder gets a Release build without the tests. The logs stay in the build folder.
mkdir -p "$build"
if [ -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" > "$build/redis-configure.log" 2>&1 || { cat "$build/redis-configure.log"; exit 1; }
else
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMATCHFUND_TESTS=OFF -DMATCHFUND_BENCH=ON \
    > "$build/redis-configure.log" 2>&1 || { cat "$build/redis-configure.log"; exit 1; }
fi
cmake --build "$build" --target redis_lua_bench > "$build/redis-build.log" 2>&1 || { cat "$build/redis-build.log"; exit 1; }
driver=$build/bench/redis_lua_bench

tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=
for _ in $(seq 20); do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "$candidate" && continue
  redis-server --bind 127.0.0.1 --port "$candidate" --protected-mode yes --save '' --appendonly no \
    --dir "$tmp" --logfile "$tmp/redis.log" --daemonize no &
  server=$!
  for _ in $(seq 100); do
    kill -0 "$server" 2>/dev/null || break
    if [ "$(redis-cli -h 127.0.0.1 -p "$candidate" ping 2>/dev/null)" = PONG ]; then
      # the server that answers must be ours, not one that took the port meanwhile
      pid=$(redis-cli -h 127.0.0.1 -p "$candidate" info server | tr -d '\r' | sed -n 's/^process_id://p')
      [ "$pid" = "$server" ] && port=$candidate
      break
    fi
    sleep 0.05
  done
  [ -n "$port" ] && break
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
done
[ -n "$port" ] || { echo "redis baseline: could not start redis-server on a free port" >&2; cat "$tmp/redis.log" >&2 2>/dev/null || true; exit 1; }
echo "redis baseline: $(redis-server --version | cut -d' ' -f1-3) on 127.0.0.1:$port"

mkdir -p "$(dirname "$results")"
"$driver" --host 127.0.0.1 --port "$port" "$@" > "$tmp/results.jsonl"
mv "$tmp/results.jsonl" "$results"
cat "$results"
