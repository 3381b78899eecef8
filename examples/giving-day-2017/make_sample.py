#!/usr/bin/env python3
"""Writes projects.csv and donations.csv for the 99-Giving-Day-2017-style example.

Deterministic: a fixed seed and only the Python standard library, so running it
again writes the same bytes. Run it from anywhere:

    python3 examples/giving-day-2017/make_sample.py
"""
import os
import random

SEED = 2017
HERE = os.path.dirname(os.path.abspath(__file__))

# (project id, category, org). Six categories, twelve orgs.
PROJECTS = [
    ("edu-free-lunch", "education", "org-sunshine"),
    ("edu-rural-library", "education", "org-sunshine"),
    ("edu-teacher-training", "education", "org-bright-future"),
    ("edu-girls-scholarship", "education", "org-bright-future"),
    ("edu-school-heating", "education", "org-warm-winter"),
    ("edu-music-class", "education", "org-little-notes"),
    ("edu-coding-club", "education", "org-little-notes"),
    ("pov-clean-water", "poverty", "org-village-aid"),
    ("pov-winter-coats", "poverty", "org-warm-winter"),
    ("pov-elderly-meals", "poverty", "org-silver-years"),
    ("pov-microloans", "poverty", "org-village-aid"),
    ("pov-housing-repair", "poverty", "org-village-aid"),
    ("pov-left-behind-kids", "poverty", "org-sunshine"),
    ("hlt-cataract-surgery", "health", "org-clear-sight"),
    ("hlt-child-leukemia", "health", "org-hope-ward"),
    ("hlt-hearing-aids", "health", "org-clear-sight"),
    ("hlt-rural-clinics", "health", "org-hope-ward"),
    ("hlt-congenital-heart", "health", "org-hope-ward"),
    ("hlt-mental-health-line", "health", "org-listening-ear"),
    ("env-desert-trees", "environment", "org-green-belt"),
    ("env-river-cleanup", "environment", "org-green-belt"),
    ("env-panda-habitat", "environment", "org-wild-china"),
    ("env-coastal-wetlands", "environment", "org-wild-china"),
    ("env-recycling-schools", "environment", "org-green-belt"),
    ("ani-stray-dogs", "animals", "org-paw-rescue"),
    ("ani-snub-nosed-monkey", "animals", "org-wild-china"),
    ("ani-bird-rescue", "animals", "org-paw-rescue"),
    ("ani-cat-shelter", "animals", "org-paw-rescue"),
    ("dis-quake-rebuild", "disaster", "org-first-response"),
    ("dis-flood-kits", "disaster", "org-first-response"),
    ("dis-rescue-training", "disaster", "org-first-response"),
    ("dis-typhoon-shelters", "disaster", "org-first-response"),
    ("edu-braille-books", "education", "org-clear-sight"),
    ("pov-farm-cooperative", "poverty", "org-silver-years"),
    ("hlt-rare-disease", "health", "org-listening-ear"),
    ("env-solar-villages", "environment", "org-green-belt"),
]

# The "lucky" amounts donors pick, with how often they pick them.
AMOUNTS = [("1", 14), ("5", 10), ("9.9", 9), ("10", 14), ("20", 10), ("50", 10), ("66", 6),
           ("88", 6), ("99", 7), ("100", 7), ("200", 3), ("500", 2), ("999", 2)]
STEPS_AMOUNTS = [("1", 5), ("5", 3), ("9.9", 2)]  # step-count donations are small
CHANNELS = [("cash", 70), ("coins", 20), ("steps", 10)]

# Rows per local day (7, 8 and 9 September 2017, all +08:00).
DAYS = [("2017-09-07", 1400), ("2017-09-08", 900), ("2017-09-09", 1000)]
DONORS = 1200
DUPLICATES = 6      # client retries: a row sent again with the same id
LATE_ARRIVALS = 20  # surge rows that reach the server a moment after a later one


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def second_of_day(rng):
    """Seconds after local midnight: a few night owls, a surge at 09:00, an evening bump."""
    r = rng.random()
    if r < 0.03:  # before the match opens
        return rng.uniform(6 * 3600, 9 * 3600)
    if r < 0.40:  # the 09:00 surge, most of it in the first minutes
        return 9 * 3600 + min(rng.expovariate(1 / 90.0), 3599.0)
    if r < 0.75:  # the rest of the day
        return rng.uniform(9 * 3600 + 600, 24 * 3600)
    return rng.uniform(20 * 3600, 23.5 * 3600)  # the evening


def stamp(day, seconds):
    ms = int(seconds * 1000)
    h, rest = divmod(ms, 3600 * 1000)
    m, rest = divmod(rest, 60 * 1000)
    s, ms = divmod(rest, 1000)
    return f"{day}T{h:02d}:{m:02d}:{s:02d}.{ms:03d}+08:00"


def main():
    rng = random.Random(SEED)
    # Donor popularity: a few donors give often (Zipf-like weights).
    donor_weights = [(f"u{n:05d}", 1.0 / (n ** 0.7)) for n in range(1, DONORS + 1)]
    cumulative, acc = [], 0.0
    for _, w in donor_weights:
        acc += w
        cumulative.append(acc)

    def pick_donor():
        x = rng.random() * acc
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return donor_weights[lo][0]

    project_weights = [(p[0], 1.0 / (i + 1) ** 0.7) for i, p in enumerate(PROJECTS)]

    rows = []
    for day, count in DAYS:
        for _ in range(count):
            seconds = second_of_day(rng)
            channel = weighted(rng, CHANNELS)
            amount = weighted(rng, STEPS_AMOUNTS if channel == "steps" else AMOUNTS)
            rows.append([seconds, day, pick_donor(), weighted(rng, project_weights), amount, channel])
    rows.sort(key=lambda r: (r[1], r[0]))

    out = []
    for n, (seconds, day, donor, project, amount, channel) in enumerate(rows, start=1):
        out.append([f"d{n:06d}", stamp(day, seconds), donor, project, amount, channel])

    # Arrival order is file order: swap a few neighbours inside the surges, so a
    # row can carry a slightly earlier time than the row before it.
    surge = [i for i, r in enumerate(out) if "T09:0" in r[1]]
    for i in rng.sample(surge[:-1], LATE_ARRIVALS):
        out[i], out[i + 1] = out[i + 1], out[i]
    # Retries: a few rows sent again a little later with the same id.
    for i in sorted(rng.sample(range(len(out) - 10), DUPLICATES), reverse=True):
        out.insert(i + rng.randint(2, 8), list(out[i]))

    with open(os.path.join(HERE, "projects.csv"), "w", newline="\n") as f:
        f.write("project,category,org\n")
        for project, category, org in PROJECTS:
            f.write(f"{project},{category},{org}\n")
    with open(os.path.join(HERE, "donations.csv"), "w", newline="\n") as f:
        f.write("id,time,donor,project,amount,channel\n")
        for row in out:
            f.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
