"""matchfund for analysts: replay a donation stream under campaign rules.

    import matchfund
    ledger, summary = matchfund.simulate("rules.json", "donations.csv", projects="projects.csv")
    metrics = matchfund.sweep(rules, donations_df, vary={"pools[0].caps.per_donor.amount": ["99", "999"]})

`rules` is a dict (the rules JSON) or a path; `donations` and `projects` are
pandas DataFrames or CSV paths, with the columns of SPEC 2 (id, time, donor,
project, amount[, channel]; times as RFC 3339 strings, amounts as decimal
strings or numbers). Money comes back exact in minor units (`*_minor`
columns, integers) and, for convenience, as floats in currency units.
Bad input raises matchfund.Error with the message the command line prints.
"""
import json
import os
import tempfile

import pandas as pd

from ._matchfund import Error
from . import _matchfund

__all__ = ["simulate", "sweep", "Error"]


def _rules_text(rules):
    if isinstance(rules, dict):
        return json.dumps(rules)
    with open(os.fspath(rules), encoding="utf-8") as f:
        return f.read()


def _csv_text(data):
    if data is None:
        return ""
    if isinstance(data, pd.DataFrame):
        return data.to_csv(index=False)
    with open(os.fspath(data), encoding="utf-8") as f:
        return f.read()


def simulate(rules, donations, projects=None):
    """Allocate every donation first come, first served (SPEC 4).

    Returns (ledger, summary): the ledger as a DataFrame with one row per
    donation and eligible pool (donation, pool, base_minor, granted_minor,
    base, granted, limit; donation, pool and limit are categoricals), and the
    summary of SPEC 5 as a dict.
    """
    r = _matchfund.simulate(_rules_text(rules), _csv_text(donations), _csv_text(projects))
    scale = 10 ** r["minor_units"]
    ledger = pd.DataFrame({
        "donation": pd.Categorical.from_codes(r["donation"], categories=r["ids"]),
        "pool": pd.Categorical.from_codes(r["pool"], categories=r["pools"]),
        "base_minor": r["base"],
        "granted_minor": r["granted"],
        "base": r["base"] / scale,
        "granted": r["granted"] / scale,
        "limit": pd.Categorical.from_codes(r["limit"], categories=r["limits"]),
    })
    return ledger, json.loads(r["summary"])


def sweep(rules, donations, vary=None, seeds=1, projects=None, out=None, threads=0):
    """Run every scenario (each rules in `rules` if it is a list, times every
    combination of `vary` {path: [values]}, each under seeds 1..seeds) over the
    same stream, in parallel. Returns metrics.csv as a DataFrame; the full
    results folder (docs/simulation.md) is kept in `out` when given.
    """
    rules_list = rules if isinstance(rules, list) else [rules]
    axes = [(path, [str(v) for v in values]) for path, values in (vary or {}).items()]
    texts = [_rules_text(r) for r in rules_list]
    with tempfile.TemporaryDirectory() as scratch:
        target = os.fspath(out) if out is not None else os.path.join(scratch, "sweep")
        _matchfund.sweep(texts, axes, seeds, _csv_text(donations), _csv_text(projects), target, threads)
        return pd.read_csv(os.path.join(target, "metrics.csv"))
