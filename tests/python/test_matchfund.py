"""The matchfund Python module against the shared conformance cases."""
import json
import os
import tempfile
import unittest

import pandas as pd

import matchfund

CASES = os.path.join(os.environ.get("MATCHFUND_SHARED_DIR", "../shared"), "conformance", "cases")
CASE = os.path.join(CASES, "038-mixed-small-campaign")


def expected_ledger(case):
    return pd.read_csv(os.path.join(case, "ledger.csv"), dtype=str, keep_default_na=False)


def as_text(ledger, minor_units=2):
    """The ledger DataFrame in the CSV ledger's form, for comparison."""
    fmt = lambda v: f"{v // 10 ** minor_units}.{v % 10 ** minor_units:0{minor_units}d}" if minor_units else str(v)
    return pd.DataFrame({
        "donation": ledger["donation"].astype(str),
        "pool": ledger["pool"].astype(str),
        "base": [fmt(int(v)) for v in ledger["base_minor"]],
        "granted": [fmt(int(v)) for v in ledger["granted_minor"]],
        "limit": ledger["limit"].astype(str),
    })


class Simulate(unittest.TestCase):
    def setUp(self):
        if not os.path.isdir(CASE):
            self.fail(f"the shared conformance cases are not at {CASES}; set MATCHFUND_SHARED_DIR")

    def test_paths_give_the_case_ledger_and_summary(self):
        ledger, summary = matchfund.simulate(os.path.join(CASE, "rules.json"), os.path.join(CASE, "donations.csv"),
                                             projects=os.path.join(CASE, "projects.csv"))
        pd.testing.assert_frame_equal(as_text(ledger), expected_ledger(CASE))
        with open(os.path.join(CASE, "summary.json")) as f:
            self.assertEqual(summary, json.load(f))
        self.assertEqual(ledger["granted"].sum() * 100, ledger["granted_minor"].sum())

    def test_a_dict_and_dataframes_give_the_same(self):
        with open(os.path.join(CASE, "rules.json")) as f:
            rules = json.load(f)
        donations = pd.read_csv(os.path.join(CASE, "donations.csv"), dtype=str, keep_default_na=False)
        projects = pd.read_csv(os.path.join(CASE, "projects.csv"), dtype=str, keep_default_na=False)
        ledger, summary = matchfund.simulate(rules, donations, projects=projects)
        pd.testing.assert_frame_equal(as_text(ledger), expected_ledger(CASE))
        self.assertEqual(summary["matched"], json.load(open(os.path.join(CASE, "summary.json")))["matched"])

    def test_bad_rules_raise_an_error_naming_the_place(self):
        with self.assertRaises(matchfund.Error) as caught:
            matchfund.simulate({"pools": [{"id": "x", "budget": "-1", "match": {"ratio": "1"}}]},
                               os.path.join(CASE, "donations.csv"))
        self.assertIn("pools[0].budget", str(caught.exception))


class Sweep(unittest.TestCase):
    def test_one_row_per_scenario_and_seed(self):
        with tempfile.TemporaryDirectory() as out:
            metrics = matchfund.sweep(os.path.join(CASE, "rules.json"), os.path.join(CASE, "donations.csv"),
                                      projects=os.path.join(CASE, "projects.csv"),
                                      vary={"max_total_ratio": ["0.5", "3"]}, seeds=2,
                                      out=os.path.join(out, "s"))
            self.assertTrue(os.path.exists(os.path.join(out, "s", "scenarios", "3", "summary.json")))
        self.assertEqual(len(metrics), 4)
        self.assertEqual(list(metrics["max_total_ratio"]), [0.5, 0.5, 3, 3])
        self.assertEqual(list(metrics["seed"]), [1, 2, 1, 2])
        # A tighter max_total_ratio can only lower the total matched.
        self.assertLessEqual(metrics["matched"][0], metrics["matched"][2])


if __name__ == "__main__":
    unittest.main()
