#!/usr/bin/env python3
"""Writes the study's candidate rules from the generated 2017 rules.

Usage: make_variants.py GENERATED_RULES.json OUT_DIR
Writes OUT_DIR/{base,cap-99,one-pool,fixed-1to1,random-0.1-1}.json; each
differs from base.json (the 2017-style rules as `matchfund generate` writes
them) in one decision about the three daily platform pools.
"""
import copy
import json
import os
import sys

DAILY = ["platform-day1", "platform-day2", "platform-day3"]


def daily_pools(rules):
    return [p for p in rules["pools"] if p["id"] in DAILY]


def cap_99(rules):
    for p in daily_pools(rules):
        p["caps"]["per_donor"]["amount"] = "99"
    return rules


def one_pool(rules):
    days = daily_pools(rules)
    merged = copy.deepcopy(days[0])
    merged["id"] = "platform"
    merged["budget"] = f"{sum(float(p['budget']) for p in days):.2f}"
    merged["windows"] = [w for p in days for w in p["windows"]]
    first = rules["pools"].index(days[0])
    rules["pools"] = [p for p in rules["pools"] if p["id"] not in DAILY]
    rules["pools"].insert(first, merged)
    return rules


def fixed(rules):
    for p in daily_pools(rules):
        p["match"] = {"ratio": "1"}
    return rules


def random_low(rules):
    for p in daily_pools(rules):
        p["match"] = {"random": {"min": "0.1", "max": "1", "step": "0.1"}}
    return rules


def main():
    source, out = sys.argv[1], sys.argv[2]
    base = json.load(open(source))
    os.makedirs(out, exist_ok=True)
    for name, change in [("base", lambda r: r), ("cap-99", cap_99), ("one-pool", one_pool),
                         ("fixed-1to1", fixed), ("random-0.1-1", random_low)]:
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(change(copy.deepcopy(base)), f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
