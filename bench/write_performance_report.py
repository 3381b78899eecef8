#!/usr/bin/env python3
"""Writes docs/performance.md from one run of bench/peak_day.sh.

Usage: write_performance_report.py RESULTS_DIR DATASET_DIR > docs/performance.md
Every figure printed comes from the files of that run: the Google Benchmark
JSON (medians of the repetitions), the Redis + Lua baseline's JSON lines
(redis.jsonl, when bench/baselines/redis_lua/run.sh ran), /usr/bin/time -v of
one simulate, and the generator's calibration table.
"""
import json
import os
import platform
import re
import subprocess
import sys


def medians(suite):
    """Benchmark name -> its median entry (or the only run when not repeated)."""
    out = {}
    for b in suite["benchmarks"]:
        name = b["run_name"].split("/")[0]
        if b.get("aggregate_name") == "median" or (b.get("run_type") == "iteration" and name not in out):
            out[name] = b
    return out


def rate(b):
    return b.get("items_per_second", 0.0)


def human(x):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= div:
            return f"{x / div:.2f}{unit}"
    return f"{x:.0f}"


def redis_modes(results):
    """Mode ("unpipelined", "pipelined") -> the driver's JSON line, or {} when the baseline did not run."""
    path = os.path.join(results, "redis.jsonl")
    if not os.path.exists(path):
        return {}
    out = {}
    for line in open(path):
        line = line.strip()
        if line:
            entry = json.loads(line)
            out[entry["mode"]] = entry
    return out


def main():
    results, data = sys.argv[1], sys.argv[2]
    suite = json.load(open(os.path.join(results, "suite.json")))
    m = medians(suite)
    redis = redis_modes(results)
    reps = max((b.get("repetitions", 1) for b in suite["benchmarks"]), default=1)
    time_txt = open(os.path.join(results, "time.txt")).read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_txt).group(1))
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", time_txt).group(1)
    rows = sum(1 for _ in open(os.path.join(data, "donations.csv"))) - 1
    calibration = ""
    cal_path = data.rstrip("/") + ".calibration.txt"
    if os.path.exists(cal_path):
        calibration = open(cal_path).read().strip()
    ctx = suite["context"]
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()

    alloc, floor, naive = rate(m["BM_AllocateOnly"]), rate(m["BM_Floor"]), rate(m["BM_NaiveBaseline"])
    print("# Performance\n")
    print("Measured by `bench/peak_day.sh`, which wrote this page from one run: every ratio below")
    command_path = os.path.join(results, "suite.command")
    interleaved = os.path.exists(command_path) and "random_interleaving=true" in open(command_path).read()
    print("compares figures measured side by side in that run. Medians of", reps, "repetitions"
          + (", the repetitions of all the suite's benchmarks interleaved in a random order" if interleaved else ""))
    print("(the naive baseline" + (" and the Redis + Lua baseline run" if redis else " runs") + " once).\n")
    print("## Machine\n")
    print(f"- {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz ({cpu or platform.processor()}),"
          f" load average at the start {', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}")
    print(f"- build: {ctx.get('library_build_type', 'release')} Google Benchmark, matchfund Release (-O3)\n")
    print("## Workload\n")
    print(f"`matchfund generate --profile giving-day-2017` ({os.path.basename(data)}): {rows:,} donations,")
    print("its generated rules (three daily platform pools released at 09:00, corporate co-matching, the")
    print("21:09 surprise pool, per-donor daily and per-project caps).\n")
    print("## Results\n")
    print("| benchmark | median time | median throughput | vs floor | vs naive |")
    print("|---|---|---|---|---|")
    for name, label in (("BM_Parse", "parse: CSV to the columnar stream"),
                        ("BM_AllocateOnly", "**allocate only** (headline)"),
                        ("BM_EndToEnd", "end to end: CSV to ledger + summary"),
                        ("BM_Floor", "floor: one donor-state access per donation"),
                        ("BM_NaiveBaseline", "naive baseline (strings, unordered_map, double)")):
        if name not in m:
            continue
        b = m[name]
        r = rate(b)
        extra = f" ({b['bytes_per_second'] / 1e6:.0f} MB/s)" if "bytes_per_second" in b else ""
        print(f"| {label} | {b['real_time']:.1f} {b['time_unit']} | {human(r)} rows/s{extra} |"
              f" {r / floor:.3f}x | {r / naive:.1f}x |")
    for mode, label in (("unpipelined", "Redis + Lua, one call per donation"),
                        ("pipelined", "Redis + Lua, pipelined")):
        if mode not in redis:
            continue
        e = redis[mode]
        r = e["per_second"]
        print(f"| {label} | {e['seconds'] * 1000:.1f} ms ({e['donations']:,} donations) | {human(r)} rows/s |"
              f" {r / floor:.3f}x | {r / naive:.1f}x |")
    print()
    print(f"- allocate only runs at **{alloc / floor * 100:.1f}%** of the floor's speed"
          f" (the floor is {floor / alloc:.2f}x faster) and **{alloc / naive:.1f}x** the naive baseline.")
    print(f"- engine matched {m['BM_AllocateOnly'].get('matched', 0) / 100:,.2f};"
          f" the naive baseline (double money) matched {m['BM_NaiveBaseline'].get('matched', 0) / 100:,.2f}.")
    if "pipelined" in redis:
        p = redis["pipelined"]
        print(f"- allocate only is **{alloc / p['per_second']:.1f}x** the pipelined Redis + Lua baseline", end="")
        if "unpipelined" in redis:
            print(f" and **{alloc / redis['unpipelined']['per_second']:.1f}x** the one call per donation", end="")
        print(".")
        batch = p.get("batch", 1000)
        checked = all(e.get("matched_cents") == e.get("expected_matched_cents") for e in redis.values())
        print("- Redis + Lua baseline (`bench/baselines/redis_lua/`): one `EVALSHA` of `match.lua` per donation"
              " to a private `redis-server` on loopback TCP (no persistence), checking and incrementing a pool,"
              " a per-donor daily and a per-project counter; only the daily platform pools, at 1:1;"
              + (f" all {p['donations']:,} donations of the stream" if p["donations"] >= rows
                 else f" the first {p['donations']:,} donations of the stream")
              + " (the driver stops at 1,000,000 donations or 120 s a mode),"
              f" pipelined in batches of {batch}. It matched {p['matched_cents'] / 100:,.2f}"
              + (" (the same rules computed in the driver agree)." if checked
                 else ": **the same rules computed in the driver disagree**."))
    print(f"- peak memory of one `matchfund simulate` on this stream: **{rss_kb / 1024:.0f} MiB**"
          f" (maximum resident set size), wall time {elapsed}.\n")
    live_path_section(results, redis)
    serve_section(results, redis)
    sweep_section(results)
    settlement_path = os.path.join(results, "settlement.json")
    if os.path.exists(settlement_path):
        sm = medians(json.load(open(settlement_path)))
        print("## Settlement at Gitcoin scale\n")
        print("`bench/settlement_bench`: 100,000 contributions from 30,000 donors to 500 projects")
        print("(heavy-tailed), budget 25,000.00, cap 0.2; one settlement of the whole round.\n")
        print("| mechanism | median time | target |")
        print("|---|---|---|")
        targets = {"BM_SettleQuadratic": "under 100 ms", "BM_SettlePairwise": "under 10 s"}
        for name, label in (("BM_SettleQuadratic", "quadratic"), ("BM_SettleClusterProfile", "cluster_profile"),
                            ("BM_SettlePairwise", "pairwise"), ("BM_SettleProRata", "pro_rata")):
            if name in sm:
                b = sm[name]
                print(f"| {label} | {b['real_time']:.1f} {b['time_unit']} | {targets.get(name, '')} |")
        print()
    if calibration:
        print("## Calibration of the generated stream\n")
        print("```")
        print(calibration)
        print("```\n")


def live_path_section(results, redis):
    """reserve + confirm through the embedding API (bench/engine_bench), medians of its repetitions."""
    path = os.path.join(results, "engine.json")
    if not os.path.exists(path):
        return
    runs = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") == "median":
            runs[b["run_name"]] = b
    if not runs:
        return
    print("## The live path: reserve + confirm\n")
    print("`bench/engine_bench`: each client thread makes reserve + confirm pairs through `matchfund::Engine`")
    print("(one 1:1 pool with a per-donor daily and a per-project cap), on a data directory on this machine's")
    print("disk (ext4) unless in memory. Latency is one pair (both calls); medians of 3 repetitions.\n")
    print("| mode | threads | pairs/s | p50 | p99 | p99.9 |")
    print("|---|---|---|---|---|---|")
    for name in sorted(runs, key=lambda n: [int(x) for x in re.findall(r":(\d+)", n)]):
        b = runs[name]
        threads = re.search(r"threads:(\d+)", name).group(1)
        print(f"| {b.get('label', '')} | {threads} | {human(rate(b))} | {b['p50_us']:.1f} µs |"
              f" {b['p99_us']:.1f} µs | {b['p999_us']:.1f} µs |")
    print()
    if "unpipelined" in redis:
        u = redis["unpipelined"]
        print(f"The Redis + Lua baseline of this run, one client, one `EVALSHA` per donation and no persistence,"
              f" handles {human(u['per_second'])} donations/s unpipelined"
              + (f" and {human(redis['pipelined']['per_second'])}/s pipelined" if "pipelined" in redis else "")
              + " (one call per donation; a reserve + confirm pair is two calls in the engine).\n")


def serve_section(results, redis):
    """wrk against `matchfund serve` (bench/serve_load.sh), one line per journal sync policy."""
    path = os.path.join(results, "serve.jsonl")
    if not os.path.exists(path):
        return
    runs = [json.loads(line) for line in open(path) if line.strip()]
    if not runs:
        return
    print("## `matchfund serve` under load\n")
    print("`bench/serve_load.sh`: wrk on loopback, one connection per wrk thread, each alternating")
    print("`POST /v1/reserve` of a new donation and `POST /v1/confirm` of it (so pairs/s is half the")
    print("requests/s), with the bearer token, for a fixed time per journal sync policy.\n")
    print("| fsync | connections | requests/s | p50 | p99 | p99.9 | non-2xx | socket errors |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r['fsync']} | {r['connections']} | {human(r['requests_per_second'])} | {r['p50_us'] / 1000:.2f} ms |"
              f" {r['p99_us'] / 1000:.2f} ms | {r['p999_us'] / 1000:.2f} ms | {r['non_2xx']} | {r['socket_errors']} |")
    print()
    if "unpipelined" in redis:
        print(f"Beside it, the Redis + Lua baseline of the same run: {human(redis['unpipelined']['per_second'])}"
              " single-call check-and-decrements/s from one unpipelined client.\n")


def sweep_section(results):
    """Wall times of `matchfund sweep` over the stream (sweep.txt: "single t t t", "hundred t t")."""
    path = os.path.join(results, "sweep.txt")
    if not os.path.exists(path):
        return
    times = {}
    for line in open(path):
        name, *values = line.split()
        times[name] = sorted(float(v) for v in values)
    if "single" not in times or "hundred" not in times:
        return
    median = lambda v: v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    print("## Sweeps\n")
    print("`matchfund sweep` over the same stream and rules: the whole command (reading and parsing the")
    print("stream once, every scenario on both cores, writing the results folder), wall time.\n")
    print("| sweep | runs | median | each run |")
    print("|---|---|---|---|")
    print(f"| one scenario | {len(times['single'])} | {median(times['single']):.1f} s |"
          f" {', '.join(f'{t:.1f}' for t in times['single'])} |")
    print(f"| 100 scenarios (per-donor cap 99..999 x random max 1.0..1.9 on day 1) | {len(times['hundred'])} |"
          f" {median(times['hundred']):.1f} s | {', '.join(f'{t:.1f}' for t in times['hundred'])} |")
    print()


def append_notes():
    """The hand-written analysis beside this script, reproduced as it is."""
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance_notes.md")
    if os.path.exists(notes):
        print(open(notes).read().rstrip())
        print()


if __name__ == "__main__":
    main()
    append_notes()
