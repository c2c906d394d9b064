#!/usr/bin/env python3
"""Generate the reference values InferBench's statistics are tested against.

Versions used to generate the committed fixtures (also written into every file's "meta"):
    Python 3.11.7, numpy 2.4.6, scipy 1.17.1, statsmodels 0.15.0

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy statsmodels
    /tmp/venv/bin/python scripts/gen_stats_fixtures.py

writes tests/fixtures/stats/*.json (run from the repository root, or anywhere: paths are
relative to this file). tests/native/stats_reference.rs reads them; the Rust tests never
need Python. It also writes tests/fixtures/samples/: pairs of timing files (one number per
line, the input of `inferbench compare-samples`) and expected.json with scipy's Welch and
Mann-Whitney results for each pair, which tests/native/cli_compare_samples.rs checks the
command's --json output against. The samples use their own seeded Generator, so adding them
left every stats fixture byte-identical.

Every data set is drawn here from a seeded numpy Generator and written into the fixture
itself (rounded to 6 decimals, i.e. nanoseconds when the unit is ms, or quantised harder to
create ties), so the Rust side reads exactly the values scipy saw. Expected values come
from scipy/numpy/statsmodels; the few quantities those libraries do not provide (LoadGen's
percentile, Cliff's delta, Tukey counts, MLPerf's sample size) are computed here
independently and by brute force, as stated next to each.

File layout: {"meta": {...}, "cases": [...]} with one case per line, so diffs stay readable.
"""

import json
import math
import platform
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stats"
LOADGEN_PERCENTILES = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]

META = {
    "generator": "scripts/gen_stats_fixtures.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__,
}


def f(x):
    """A float for JSON: None for NaN (scipy's 'undefined')."""
    x = float(x)
    return None if math.isnan(x) else x


def write(name, description, cases):
    OUT.mkdir(parents=True, exist_ok=True)
    meta = dict(META, description=description)
    lines = ['{"meta": ' + json.dumps(meta) + ',', ' "cases": [']
    body = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    lines.append(",\n".join(body))
    lines.append("]}")
    (OUT / name).write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT / name}: {len(cases)} cases")


def rounded(x, decimals=6):
    return [float(v) for v in np.round(np.asarray(x, dtype=float), decimals)]


# ---------------------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------------------

rng = np.random.default_rng(20240601)


def lognormal(n, median_ms=2.0, sigma=0.3):
    return rounded(median_ms * rng.lognormal(0.0, sigma, n))


def pareto(n, scale_ms=1.0, alpha=2.5):
    # Classical Pareto with minimum scale_ms: heavy right tail.
    return rounded(scale_ms * (1.0 + rng.pareto(alpha, n)))


def quantised(n, resolution_ms=0.1, median_ms=1.0, sigma=0.15):
    # Latencies read from a coarse timer: many exact ties.
    x = median_ms * rng.lognormal(0.0, sigma, n)
    return rounded(np.maximum(np.round(x / resolution_ms), 1) * resolution_ms)


def normal(n, mean_ms, sd_ms):
    return rounded(np.abs(rng.normal(mean_ms, sd_ms, n)) + 1e-3)


# ---------------------------------------------------------------------------------------
# One-sample summaries
# ---------------------------------------------------------------------------------------

def loadgen_percentile(sorted_x, p):
    # LoadGen results.cc: sorted[floor(n * p)], clamped to the last element.
    n = len(sorted_x)
    return sorted_x[min(int(math.floor(n * p)), n - 1)]


def summary_case(name, x, level=0.95):
    a = np.asarray(x, dtype=float)
    s = np.sort(a)
    n = len(a)
    mean = float(np.mean(a))
    sd = float(np.std(a, ddof=1))
    if np.all(a == a[0]):
        sd = 0.0
        ci = (mean, mean)  # scipy returns NaN here; InferBench's documented degenerate interval
    else:
        r = stats.ttest_1samp(a, 0.0).confidence_interval(level)
        ci = (float(r.low), float(r.high))
    pcts = []
    for p in LOADGEN_PERCENTILES:
        res = stats.quantile_test(a, q=0.0, p=p).confidence_interval(level)
        lo, hi = f(res.low), f(res.high)
        entry = {"p": p, "loadgen": float(loadgen_percentile(s, p)), "ci": None}
        if lo is not None and hi is not None:
            # Ranks and exact coverage (for the same order statistics, with scipy's binom).
            bd = stats.binom(n, p)
            q = (1 - level) / 2
            li = int(bd.ppf(q)) - 1
            hi_i = int(bd.isf(q))
            assert s[li] == lo and s[hi_i] == hi
            entry["ci"] = {
                "lower": lo,
                "upper": hi,
                "lower_rank": li + 1,
                "upper_rank": hi_i + 1,
                "coverage": float(bd.cdf(hi_i) - bd.cdf(li)),
            }
        pcts.append(entry)
    q1, q3 = (float(v) for v in np.percentile(a, [25, 75]))
    iqr = q3 - q1
    counts = {
        "low_severe": int(np.sum(a < q1 - 3 * iqr)),
        "low_mild": int(np.sum((a >= q1 - 3 * iqr) & (a < q1 - 1.5 * iqr))),
        "high_mild": int(np.sum((a > q3 + 1.5 * iqr) & (a <= q3 + 3 * iqr))),
        "high_severe": int(np.sum(a > q3 + 3 * iqr)),
    }
    return {
        "name": name,
        "confidence_level": level,
        "data": [float(v) for v in a],
        "n": n,
        "mean": mean,
        "sd": sd,
        "min": float(s[0]),
        "max": float(s[-1]),
        "median": float(np.median(a)),
        "cv": sd / mean if mean != 0 else None,
        "mean_ci": list(ci),
        "percentiles": pcts,
        "tukey": dict(q1=q1, q3=q3, **counts),
    }


def summaries():
    cases = [
        summary_case("n2", [1.5, 2.5]),
        summary_case("n3", [3.0, 1.0, 2.0]),
        summary_case("n5", lognormal(5)),
        summary_case("n10_level_0.9", lognormal(10), level=0.9),
        summary_case("n36_p90_ci_just_possible", lognormal(36)),
        summary_case("n35_p90_ci_not_yet", lognormal(35)),
        summary_case("n100_lognormal", lognormal(100)),
        summary_case("n367_p99_ci_not_yet", lognormal(367)),
        summary_case("n368_p99_ci_just_possible", lognormal(368)),
        summary_case("ties_quantised_500", quantised(500)),
        summary_case("constant_20", [1.25] * 20),
        summary_case("pareto_1000", pareto(1000, alpha=1.5)),
        summary_case("outliers", rounded(list(lognormal(60)) + [40.0, 25.0, 0.05])),
        summary_case("lognormal_2000", lognormal(2000, sigma=0.5)),
        summary_case("lognormal_4000_p999_ci", lognormal(4000, sigma=0.4)),
        summary_case("n50_level_0.99", lognormal(50), level=0.99),
    ]
    write("summary.json", "One-sample summaries: numpy moments, scipy ttest_1samp CI, "
          "scipy quantile_test CI, numpy quartiles; LoadGen percentile and Tukey counts "
          "computed directly.", cases)


# ---------------------------------------------------------------------------------------
# Two-sample tests
# ---------------------------------------------------------------------------------------

def cliffs_delta_brute(a, b):
    a = np.asarray(a)[:, None]
    b = np.asarray(b)[None, :]
    return float((np.sum(a > b) - np.sum(a < b)) / (a.size * b.size))


def two_sample_case(name, a, b, level=0.95):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    case = {"name": name, "confidence_level": level,
            "a": [float(v) for v in a], "b": [float(v) for v in b]}
    both_constant = np.all(a == a[0]) and np.all(b == b[0])
    if both_constant:
        case["welch"] = None
        case["cohens_d"] = None
    else:
        r = stats.ttest_ind(a, b, equal_var=False)
        ci = r.confidence_interval(level)
        case["welch"] = {"t": float(r.statistic), "df": float(r.df), "p": float(r.pvalue),
                         "ci": [float(ci.low), float(ci.high)]}
        na, nb = len(a), len(b)
        sp = math.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1))
                       / (na + nb - 2))
        case["cohens_d"] = float((np.mean(a) - np.mean(b)) / sp)
    m = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic",
                           use_continuity=True)
    case["mann_whitney"] = {"u": float(m.statistic), "p": f(m.pvalue)}
    case["cliffs_delta"] = cliffs_delta_brute(a, b)
    return case


def two_samples():
    cases = [
        two_sample_case("n2_n2", [1.0, 2.0], [3.0, 5.0]),
        two_sample_case("n3_n3", [1.1, 1.3, 1.2], [1.5, 1.4, 1.9]),
        two_sample_case("n2_n5", [2.0, 2.4], lognormal(5)),
        two_sample_case("n5_n5_lognormal", lognormal(5), lognormal(5, median_ms=2.5)),
        two_sample_case("ties_quantised", quantised(200), quantised(150, median_ms=1.05)),
        two_sample_case("ties_heavy_coarse_timer",
                        quantised(300, resolution_ms=0.5, median_ms=1.2),
                        quantised(300, resolution_ms=0.5, median_ms=1.0)),
        two_sample_case("unequal_var_and_size", normal(30, 10.0, 1.0), normal(80, 12.0, 5.0)),
        two_sample_case("unequal_var_small_n", normal(4, 5.0, 0.1), normal(12, 5.5, 2.0)),
        two_sample_case("heavy_tail_lognormal",
                        lognormal(200, sigma=1.0), lognormal(200, median_ms=2.3, sigma=1.0)),
        two_sample_case("heavy_tail_pareto", pareto(300, alpha=1.5), pareto(300, alpha=2.0)),
        two_sample_case("identical_samples", *([lognormal(50)] * 2)),
        two_sample_case("one_constant", [5.0] * 6, lognormal(9, median_ms=5.0)),
        two_sample_case("all_equal", [2.0] * 4, [2.0] * 3),
        two_sample_case("large_2000_small_shift",
                        lognormal(2000, sigma=0.3), lognormal(2000, median_ms=2.02, sigma=0.3)),
        two_sample_case("large_2000_big_shift",
                        lognormal(2000, sigma=0.3), lognormal(2000, median_ms=2.3, sigma=0.3)),
        two_sample_case("large_2000_vs_500", lognormal(2000, sigma=0.5),
                        lognormal(500, median_ms=1.9, sigma=0.2)),
        two_sample_case("level_0.99", lognormal(40), lognormal(40, median_ms=2.2), level=0.99),
    ]
    write("two_sample.json", "Two-sample tests of a against b: scipy ttest_ind(equal_var="
          "False) with confidence_interval, mannwhitneyu(two-sided, asymptotic, continuity); "
          "Cohen's d (pooled, n-1 weights) and Cliff's delta (all pairs) computed directly. "
          "welch/cohens_d are null when both samples are constant.", cases)


# ---------------------------------------------------------------------------------------
# Holm, Spearman, sample size, distributions
# ---------------------------------------------------------------------------------------

def holm():
    families = [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.2, 0.01],
        [0.049, 0.051],
        [1e-10, 0.5, 0.02, 0.03, 0.04, 0.9],
        [0.3],
        [0.0, 1.0, 0.5],
    ]
    fam_rng = np.random.default_rng(7)
    families.append([float(v) for v in fam_rng.uniform(0, 0.2, 12)])
    cases = []
    for p in families:
        reject, adj, _, _ = multipletests(p, alpha=0.05, method="holm")
        cases.append({"p": p, "adjusted": [float(v) for v in adj],
                      "reject_at_0.05": [bool(v) for v in reject]})
    write("holm.json", "statsmodels multipletests(p, method='holm') adjusted p-values.", cases)


def spearman_case(name, y, alpha=0.05):
    r = stats.spearmanr(np.arange(len(y)), y)
    return {"name": name, "alpha": alpha, "data": [float(v) for v in y],
            "rho": float(r.statistic), "p": float(r.pvalue)}


def spearman():
    n = 2000
    idx = np.arange(n)
    cases = [
        spearman_case("n3", [1.0, 3.0, 2.0]),
        spearman_case("n5_ties", [1.0, 1.0, 2.0, 1.0, 2.0]),
        spearman_case("no_trend_500", lognormal(500)),
        spearman_case("slowing_2000",
                      rounded(np.asarray(lognormal(n)) * (1 + 0.2 * idx / n))),
        spearman_case("speeding_up_2000",
                      rounded(np.asarray(lognormal(n)) * (1 - 0.2 * idx / n))),
        spearman_case("quantised_ties_1000", quantised(1000)),
        spearman_case("strong_trend_300",
                      rounded(1.0 + 0.01 * np.arange(300) + rng.normal(0, 0.05, 300))),
    ]
    write("spearman.json", "scipy spearmanr(range(n), data): rho and two-sided p.", cases)


def sample_size():
    mlperf = []
    for p, c in [(0.90, 0.99), (0.95, 0.99), (0.97, 0.99), (0.99, 0.99), (0.90, 0.95),
                 (0.99, 0.95), (0.999, 0.99)]:
        z = abs(stats.norm.ppf((1 - c) / 2))
        moe = (1 - p) / 20
        value = z * z * p * (1 - p) / moe ** 2
        mlperf.append({"percentile": p, "confidence": c, "z": float(z), "moe": moe,
                       "formula_value": float(value), "nearest": int(round(value)),
                       "ceil": int(math.ceil(value)),
                       "loadgen": int(math.ceil(round(value) / 8192) * 8192)})
    power = []
    for cv, delta, alpha, pw in [(0.1, 0.05, 0.05, 0.8), (0.2, 0.01, 0.05, 0.9),
                                 (0.05, 0.02, 0.01, 0.8), (0.5, 0.1, 0.05, 0.95),
                                 (0.01, 0.5, 0.05, 0.8)]:
        za = stats.norm.ppf(1 - alpha / 2)
        zp = stats.norm.ppf(pw)
        value = 2 * (za + zp) ** 2 * cv ** 2 / delta ** 2
        power.append({"cv": cv, "relative_difference": delta, "alpha": alpha, "power": pw,
                      "formula_value": float(value),
                      "queries": max(2, int(math.ceil(value)))})
    write("sample_size.json", "MLPerf n = z^2 p(1-p)/MOE^2 with z = |norm.ppf((1-C)/2)|, "
          "MOE = (1-p)/20 (nearest integer as MLPerf's table, ceiling, and the nearest "
          "rounded up to a multiple of 2^13); power n = 2 (z_{1-a/2} + z_power)^2 cv^2 / "
          "delta^2 rounded up (at least 2), with scipy norm.ppf.",
          [{"mlperf": mlperf, "power": power}])


def distributions():
    cases = []
    for df in [1.0, 2.0, 3.5, 9.0, 30.0, 117.3, 1000.0, 4000.0, 40000.0]:
        for prob in [0.95, 0.975, 0.995, 0.9995]:
            cases.append({"kind": "t_ppf", "df": df, "prob": prob,
                          "value": float(stats.t.ppf(prob, df))})
        for t in [0.1, 1.0, 2.5, 6.0, 15.0]:
            cases.append({"kind": "t_two_sided_p", "df": df, "t": t,
                          "value": float(2 * stats.t.sf(t, df))})
    for prob in [0.005, 0.025, 0.8, 0.9, 0.975, 0.995]:
        cases.append({"kind": "norm_ppf", "prob": prob, "value": float(stats.norm.ppf(prob))})
    for n in [6, 36, 100, 368, 1000, 24576]:
        for p in [0.5, 0.9, 0.99]:
            for q in [0.025, 0.005]:
                bd = stats.binom(n, p)
                cases.append({"kind": "binom_tails", "n": n, "p": p, "q": q,
                              "ppf": int(bd.ppf(q)), "isf": int(bd.isf(q))})
    # Long runs: the order-statistic intervals of up to 30 million latencies (a 600 s
    # SingleStream run of a 20 us variant), at every percentile LoadGen reports.
    for n in [270336, 1000000, 10000000, 30000000]:
        for p in [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]:
            for q in [0.025, 0.005]:
                bd = stats.binom(n, p)
                cases.append({"kind": "binom_tails", "n": n, "p": p, "q": q,
                              "ppf": int(bd.ppf(q)), "isf": int(bd.isf(q))})
    write("distributions.json", "scipy t.ppf, 2 t.sf, norm.ppf, binom(n, p).ppf/isf.", cases)


# ---------------------------------------------------------------------------------------
# Sample files for the command-line tool (`inferbench compare-samples A.txt B.txt --json`)
# ---------------------------------------------------------------------------------------

SAMPLES_OUT = OUT.parent / "samples"


def cli_samples():
    # Its own generator: the stats fixtures above keep their draws.
    g = np.random.default_rng(20261123)

    def lat(n, median_ms, sigma, tick_ms=None):
        x = median_ms * g.lognormal(0.0, sigma, n)
        if tick_ms is not None:
            x = np.maximum(np.round(x / tick_ms), 1) * tick_ms
        # Six decimals (ns when the unit is ms); the files hold exactly these values.
        return [float(f"{v:.6f}") for v in x]

    pairs = [
        ("clear", "a 10% speedup, clearly significant",
         lat(200, 1.00, 0.20), lat(250, 0.90, 0.20)),
        ("close", "two runs of one variant: a small shift, heavier tails",
         lat(300, 1.00, 0.25), lat(300, 0.97, 0.30)),
        ("ties", "a 0.1 ms timer: many exact ties (Mann-Whitney's tie correction matters)",
         lat(250, 1.0, 0.15, tick_ms=0.1), lat(200, 1.05, 0.15, tick_ms=0.1)),
    ]
    SAMPLES_OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, what, baseline, candidate in pairs:
        for side, values in (("baseline", baseline), ("candidate", candidate)):
            lines = [f"# {name}: {side} timings in ms ({what}); "
                     "generated by scripts/gen_stats_fixtures.py"]
            lines += [repr(v) for v in values]
            (SAMPLES_OUT / f"{name}-{side}.txt").write_text("\n".join(lines) + "\n")
        a = np.asarray(candidate)
        b = np.asarray(baseline)
        w = stats.ttest_ind(a, b, equal_var=False)
        m = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic",
                               use_continuity=True)
        cases.append({
            "name": name,
            "baseline_file": f"{name}-baseline.txt",
            "candidate_file": f"{name}-candidate.txt",
            "n_baseline": len(baseline),
            "n_candidate": len(candidate),
            "welch": {"t": float(w.statistic), "df": float(w.df), "p": float(w.pvalue)},
            "mann_whitney": {"u": float(m.statistic), "p": float(m.pvalue)},
        })
    meta = dict(META, description=(
        "compare-samples inputs: candidate against baseline, as inferbench's stats do. "
        "scipy ttest_ind(candidate, baseline, equal_var=False) and mannwhitneyu(candidate, "
        "baseline, two-sided, asymptotic, continuity): U is the candidate's."))
    lines = ['{"meta": ' + json.dumps(meta) + ',', ' "cases": [']
    lines.append(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    lines.append("]}")
    (SAMPLES_OUT / "expected.json").write_text("\n".join(lines) + "\n")
    print(f"wrote {SAMPLES_OUT}: {len(cases)} sample pairs")


if __name__ == "__main__":
    summaries()
    two_samples()
    holm()
    spearman()
    sample_size()
    distributions()
    cli_samples()
