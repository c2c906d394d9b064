#!/usr/bin/env python3
"""Generate the hostile result files the readers are tested against (tests/fixtures/hostile/).

    python3 scripts/gen_hostile_fixtures.py

(standard library only; paths are relative to this file). Each file is a small real result
(tests/fixtures/results/three-variants.json, cut down to its f32-naive accuracy and Server
runs) with one hostile change, the input of a problem found by fuzzing the CLI (issue 9).
tests/native/results_hostile.rs reads them and says what each must give; the inputs too
large to commit (a 50 MB label, 100,001 scenarios, a 200 MB file, deep nesting) are built
by that test itself.

- percentile-1e-17-a.json, percentile-1e-17-b.json: two machines whose Server run targets
  the 1e-17th percentile, where `1 - p` rounds to 1 (`inferbench compare` looped forever);
- ansi-label.json: a machine label with a line break and ANSI escapes (forged terminal lines);
- ansi-enum.json: a variant name with a line break and ANSI escapes (echoed by the error);
- overflow-more-queries.json: `more_queries_needed` = u64::MAX in a stored reason and metric
  (overflowed when its recommendation added the query count);
- script-label.json: a machine label that is an HTML script tag (raw in the comparison
  report's embedded JSON);
- more-records-than-stated.json: 460 query records in a run that states 10 queries;
- plain.json: the cut-down result itself, labelled "Trent" (the other machine of a
  comparison, and the base the test builds its large inputs from).
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "tests", "fixtures", "results", "three-variants.json")
OUT = os.path.join(ROOT, "tests", "fixtures", "hostile")

U64_MAX = 2**64 - 1


def base():
    """The f32-naive accuracy and Server runs of the three-variant fixture."""
    with open(BASE) as f:
        d = json.load(f)
    naive = d["variants"][0]
    naive["runs"] = [r for r in naive["runs"] if r["run"]["scenario"] == "Server"]
    naive["peak"] = None
    d["variants"] = [naive]
    return d


def server(d):
    return d["variants"][0]["runs"][0]


def with_label(d, label):
    d["machine_label"] = label
    d["plan"]["machine_label"] = label
    return d


def percentile(d, label):
    d = with_label(d, label)
    server(d)["run"]["settings"]["target_percentile"] = 1e-17
    for s in d["plan"]["scenarios"]:
        if s["scenario"]["kind"] == "Server":
            s["target_percentile"] = 1e-17
    return d


def overflow(d):
    run = server(d)["run"]
    reason = {
        "reason": "EarlyStoppingNeedsMoreQueries",
        "percentile": 0.99,
        "query_count": run["query_count"],
        "overlatency_count": 0,
        "more_queries_needed": U64_MAX,
    }
    run["validity"]["valid"] = False
    run["validity"]["checks"]["early_stopping_met"] = False
    run["validity"]["reasons"] = [reason]
    run["metric"]["early_stopping"]["met"] = False
    run["metric"]["early_stopping"]["more_queries_needed"] = U64_MAX
    return d


def more_records(d):
    server(d)["run"]["query_count"] = 10
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = {
        "percentile-1e-17-a.json": percentile(base(), "Mallory A"),
        "percentile-1e-17-b.json": percentile(base(), "Mallory B"),
        "ansi-label.json": with_label(base(), "Mallory\n\u001b[2J\u001b[31mVALID 0.001 ms"),
        "overflow-more-queries.json": overflow(base()),
        "script-label.json": with_label(base(), "<script>alert(1)</script>"),
        "more-records-than-stated.json": more_records(base()),
        "plain.json": with_label(base(), "Trent"),
    }
    enum = base()
    enum["variants"][0]["variant"] = "f32-naive\n\u001b[31mFORGED: VALID"
    cases["ansi-enum.json"] = enum
    for name, d in cases.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(d, f, separators=(",", ":"))
            f.write("\n")
        print(name)


if __name__ == "__main__":
    main()
