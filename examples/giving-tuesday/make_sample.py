#!/usr/bin/env python3
"""Writes donations.csv for the GivingTuesday first-come-first-served example.

Deterministic: a fixed seed and only the Python standard library, so running it
again writes the same bytes. Run it from anywhere:

    python3 examples/giving-tuesday/make_sample.py
"""
import os
import random

SEED = 20181127
HERE = os.path.dirname(os.path.abspath(__file__))
DAY = "2018-11-27"  # all times are US Eastern, -05:00

NONPROFITS = [f"np-{n:03d}" for n in range(1, 41)]
DONORS = 420


def stamp(seconds):
    us = int(round(seconds * 1_000_000))
    h, rest = divmod(us, 3600 * 1_000_000)
    m, rest = divmod(rest, 60 * 1_000_000)
    s, us = divmod(rest, 1_000_000)
    return f"{DAY}T{h:02d}:{m:02d}:{s:02d}.{us // 1000:03d}-05:00"


def amount(rng):
    """Most donors in the burst give exactly the most one donation can be matched."""
    r = rng.random()
    if r < 0.55:
        return "2499.00"
    if r < 0.70:
        return rng.choice(["2500.00", "3000.00", "5000.00", "10000.00"])  # above the per-donation cap
    return rng.choice(["25.00", "50.00", "100.00", "250.00", "500.00", "1000.00"])


def main():
    rng = random.Random(SEED)
    # Three very popular nonprofits, then a long tail.
    weights = [30 if n < 3 else 1.5 for n in range(len(NONPROFITS))]
    donors = [f"donor-{n:04d}" for n in range(1, DONORS + 1)]

    rows = []  # (seconds after local midnight, donor, nonprofit, amount)
    # Eager clicks just before the match opens at 08:00:00.
    for _ in range(12):
        rows.append((8 * 3600 - rng.uniform(0.05, 20), rng.choice(donors), rng.choices(NONPROFITS, weights)[0],
                     amount(rng)))
    # The synchronized burst: most donations land in the first three seconds.
    for _ in range(600):
        rows.append((8 * 3600 + min(rng.expovariate(1 / 1.2), 9.5), rng.choice(donors),
                     rng.choices(NONPROFITS, weights)[0], amount(rng)))
    # Two "power donors" who give the capped maximum to one nonprofit after another.
    for donor in ("donor-power-1", "donor-power-2"):
        t = 8 * 3600 + rng.uniform(0.0, 0.3)
        for k in range(10):
            t += rng.uniform(0.02, 0.12)
            rows.append((t, donor, NONPROFITS[3 + k], "2499.00"))
    # The rest of the morning: donations keep coming after the match is gone.
    for _ in range(80):
        rows.append((rng.uniform(8 * 3600 + 10, 12 * 3600), rng.choice(donors), rng.choice(NONPROFITS),
                     rng.choice(["20.00", "50.00", "100.00", "250.00"])))
    rows.sort(key=lambda r: r[0])

    with open(os.path.join(HERE, "donations.csv"), "w", newline="\n") as f:
        f.write("id,time,donor,project,amount\n")
        for n, (seconds, donor, nonprofit, value) in enumerate(rows, start=1):
            f.write(f"gt{n:05d},{stamp(seconds)},{donor},{nonprofit},{value}\n")


if __name__ == "__main__":
    main()
