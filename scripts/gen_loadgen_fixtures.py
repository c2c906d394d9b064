#!/usr/bin/env python3
"""Generate the fixtures that InferBench's load generator is checked against: what MLPerf
LoadGen itself (the pip package, Python bindings of the real C++ LoadGen) decides and prints.

Version used for the committed fixtures (also written into every file's "meta"):
    Python 3.11.7, mlcommons-loadgen 6.0.17 (LoadGen 6.0.17 @ d6147c7eb7)

    python3 -m venv /tmp/lgvenv && /tmp/lgvenv/bin/pip install mlcommons-loadgen==6.0.17
    /tmp/lgvenv/bin/python scripts/gen_loadgen_fixtures.py

It writes tests/fixtures/loadgen/ (paths are relative to this file):

- agreement.json: one case per LoadGen run. Each case gives LoadGen the committed
  mlperf.conf (LoadGen reads its own embedded copy first; the script checks that the
  committed copy has the same SHA-1 as the one LoadGen reports) and then a user.conf written
  here (kept in the case), runs a synthetic system under test written here, and records
  what LoadGen's mlperf_log_summary.txt and mlperf_log_detail.txt say: the effective
  settings, "Result is", the four "satisfied" lines, the Early Stopping Result lines, the
  number of discarded queries, the early-stopping estimate, and for Server the query and
  overlatency counts. tests/native/loadgen_agreement.rs replays every case in InferBench
  (the same two conf files, the same latencies on a scripted clock) and checks that
  InferBench's own summary log agrees.
- summary_*.txt: real LoadGen summary logs, one per scenario, whose layout InferBench's
  summary writer is diffed against (numbers masked).
- mlperf.conf: LoadGen's mlperf.conf (mlcommons/inference @ b66003e1, loadgen/mlperf.conf,
  Apache-2.0), as LoadGen 6.0.17 embeds it.

The systems under test. SingleStream and MultiStream: every query completes after a
spin of 20 us (a fixed system far below any latency bound), so LoadGen's latencies are its
own measurements of a fixed system, distinct to the nanosecond. Server: most queries
complete at once; `overlatency` chosen queries (positions from a seeded random.Random,
written into the case) complete 150 ms after they were issued, from a helper thread, far
above the 50 ms bound, so that LoadGen counts that many queries over the bound (checked
against its result_overlatency_query_count; a run disturbed by a loaded machine is repeated).

Each case keeps LoadGen's own latency of every query, in issue order, read from its
mlperf_log_trace.json (each sample's complete_ns, from the query's scheduled time; a
MultiStream query's latency is its last sample's). InferBench replays exactly those
latencies on a scripted clock, so the replay's sorted latencies are LoadGen's, and the
early-stopping estimate must be the same order statistic to the nanosecond. The script
checks that LoadGen's estimate is sorted[q - discarded - 1] of those latencies and its
percentile lines sorted[floor(q * p)], and records the estimate's index.

Every LoadGen run happens in its own process: LoadGen's FromConfig reads the embedded
mlperf.conf only on the first call of a process.
"""

import hashlib
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "loadgen"
MODEL = "default"  # the model name InferBench looks user.conf lines up with: its model preset
SPIN_NS = 20_000  # SingleStream and MultiStream: every query's spin
SERVER_QPS = 500
SERVER_BOUND_MS = 50
SERVER_SLOW_NS = 150_000_000
QSL_SIZE = 1024
PERCENTILES = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]


def loadgen_version():
    import importlib.metadata

    return importlib.metadata.version("mlcommons-loadgen")


# ---------------------------------------------------------------------------------------
# One LoadGen run (in a child process).
# ---------------------------------------------------------------------------------------


def spin(ns):
    end = time.perf_counter_ns() + ns
    while time.perf_counter_ns() < end:
        pass


def child(case_path):
    """Runs the case in `case_path` with LoadGen, writing its logs next to it."""
    import mlperf_loadgen as lg

    case = json.loads(Path(case_path).read_text())
    scenario = case["scenario"]
    out_dir = case["out_dir"]
    spin_ns = case.get("spin_ns", 0)
    slow = set(case.get("slow", []))  # Server: query indices completed late
    state = {"issued": 0}
    pending = []
    lock = threading.Lock()
    stop = threading.Event()

    def issue(query_samples):
        i = state["issued"]
        state["issued"] += 1
        responses = [lg.QuerySampleResponse(q.id, 0, 0) for q in query_samples]
        if i in slow:
            with lock:
                pending.append((time.perf_counter_ns() + SERVER_SLOW_NS, responses))
            return
        spin(spin_ns)
        lg.QuerySamplesComplete(responses)

    def completer():
        while not stop.is_set() or pending:
            now = time.perf_counter_ns()
            with lock:
                due = [item for item in pending if item[0] <= now]
                for item in due:
                    pending.remove(item)
            for _, responses in due:
                lg.QuerySamplesComplete(responses)
            time.sleep(0.001)

    helper = threading.Thread(target=completer, daemon=True)
    helper.start()
    sut = lg.ConstructSUT(issue, lambda: None)
    qsl = lg.ConstructQSL(QSL_SIZE, QSL_SIZE, lambda s: None, lambda s: None)
    settings = lg.TestSettings()
    settings.scenario = getattr(lg.TestScenario, scenario)
    settings.mode = lg.TestMode.PerformanceOnly
    conf = Path(out_dir) / "user.conf"
    conf.write_text(case["user_conf"])
    if settings.FromConfig(str(conf), MODEL, scenario) != 0:
        raise SystemExit(f"LoadGen refused the user.conf of {case['name']}")
    log = lg.LogSettings()
    log.log_output.outdir = out_dir
    log.log_output.copy_summary_to_stdout = False
    log.enable_trace = True
    lg.StartTestWithLogSettings(sut, qsl, settings, log)
    stop.set()
    helper.join()
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)


def run_loadgen(case):
    """Runs `case` in a child process; returns (summary text, detail entries by key, query
    latencies in issue order)."""
    with tempfile.TemporaryDirectory() as tmp:
        case = dict(case, out_dir=tmp)
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(case))
        subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)
        summary = (Path(tmp) / "mlperf_log_summary.txt").read_text()
        detail = {}
        for line in (Path(tmp) / "mlperf_log_detail.txt").read_text().splitlines():
            if line.startswith(":::MLLOG "):
                entry = json.loads(line[len(":::MLLOG "):])
                detail.setdefault(entry["key"], entry["value"])
        # The trace is not valid JSON as a whole (LoadGen quotes some keys twice), but each
        # sample's "begin" event is one JSON object on its own line.
        queries = {}
        for line in (Path(tmp) / "mlperf_log_trace.json").read_text().splitlines():
            if '"name":"Sample"' in line and '"ph":"b"' in line:
                args = json.loads(line.rstrip().rstrip(","))["args"]
                queries.setdefault(args["query_seq"], []).append(args["complete_ns"])
        latencies = [max(queries[q]) for q in sorted(queries)]
        return summary, detail, latencies


# ---------------------------------------------------------------------------------------
# Reading LoadGen's logs.
# ---------------------------------------------------------------------------------------


def summary_value(summary, label):
    """The value after `label :` in a summary, as text; None when the line is absent."""
    for line in summary.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == label:
            return value.strip()
    return None


def early_stopping_lines(summary):
    lines = summary.splitlines()
    if "Early Stopping Result:" not in lines:
        return []
    start = lines.index("Early Stopping Result:") + 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[start:end]


def percentile_lines(summary):
    """{"50.00": ns, ...} from the summary's percentile lines (per-query for MultiStream)."""
    out = {}
    for line in summary.splitlines():
        m = re.match(r"(\d+\.\d\d) percentile latency \(ns\)\s*: (\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def parse(summary, detail, latencies, scenario):
    es = early_stopping_lines(summary)
    text = "\n".join(es)
    discards = re.search(r"Would discard (\d+) highest latency queries", text)
    estimates = re.findall(r"Early stopping \d+\.\dth percentile estimate: (\d+)", text)
    needed = re.search(r"Need to process at least (\d+) queries", text)
    more = re.search(r"Would need to run at least (\d+) more queries", text)
    yes = {"Yes": True, "NO": False, None: None}
    got = {
        "result": summary_value(summary, "Result is"),
        "performance_constraints_satisfied": yes[
            summary_value(summary, "Performance constraints satisfied")
        ],
        "min_duration_satisfied": yes[summary_value(summary, "Min duration satisfied")],
        "min_queries_satisfied": yes[summary_value(summary, "Min queries satisfied")],
        "early_stopping_satisfied": yes[summary_value(summary, "Early stopping satisfied")],
        "early_stopping_lines": es,
        "discarded": int(discards.group(1)) if discards else None,
        # The target percentile's estimate, then (SingleStream) the 99th percentile's.
        "estimate_ns": int(estimates[0]) if estimates else None,
        "p99_estimate_ns": int(estimates[1]) if len(estimates) > 1 else None,
        "min_queries_for_estimate": int(needed.group(1)) if needed else None,
        "more_queries_needed": int(more.group(1)) if more else None,
        "query_count": detail.get("result_query_count"),
        "overlatency_query_count": detail.get("result_overlatency_query_count"),
        "percentiles_ns": percentile_lines(summary),
        "min_latency_ns": int(summary_value(summary, "Min latency (ns)")),
        "max_latency_ns": int(summary_value(summary, "Max latency (ns)")),
        "mean_latency_ns": int(summary_value(summary, "Mean latency (ns)")),
        "effective": {
            k[len("effective_"):]: v for k, v in detail.items() if k.startswith("effective_")
        },
        "mlperf_conf_sha1": detail["loadgen_file_sha1"]["/mlperf.conf"],
    }
    # The trace's latencies are the ones LoadGen summarised: check, and locate the estimate.
    q = len(latencies)
    assert q == got["query_count"], (q, got["query_count"])
    ordered = sorted(latencies)
    for label, value in got["percentiles_ns"].items():
        assert ordered[int(q * float(label) / 100)] == value, (label, value)
    assert ordered[0] == got["min_latency_ns"] and ordered[-1] == got["max_latency_ns"]
    assert sum(ordered) // q == got["mean_latency_ns"]
    if got["estimate_ns"] is not None:
        index = q - got["discarded"] - 1
        assert ordered[index] == got["estimate_ns"], (index, got["estimate_ns"])
        got["estimate_index"] = index
    if scenario == "Server":
        bound_ns = got["effective"]["target_latency_ns"]
        assert sum(1 for x in latencies if x > bound_ns) == got["overlatency_query_count"]
    return got


# ---------------------------------------------------------------------------------------
# Cases.
# ---------------------------------------------------------------------------------------


def user_conf(scenario, percentile, n, min_duration_ms=0, extra=()):
    lines = [
        "# Written by scripts/gen_loadgen_fixtures.py: read by LoadGen after its mlperf.conf.",
        f"*.{scenario}.min_duration = {min_duration_ms}",
        f"*.{scenario}.min_query_count = {n}",
        f"*.{scenario}.max_query_count = {n}",
    ]
    if percentile is not None:
        lines.append(f"{MODEL}.{scenario}.target_latency_percentile = {percentile}")
    lines.extend(extra)
    return "\n".join(lines) + "\n"


def latency_case(scenario, percentile, n, min_duration_ms=0):
    name = f"{scenario}-p{percentile}-n{n}" + (f"-min{min_duration_ms}ms" if min_duration_ms else "")
    case = {
        "name": name,
        "scenario": scenario,
        "user_conf": user_conf(scenario, percentile, n, min_duration_ms),
        "spin_ns": SPIN_NS,
    }
    summary, detail, latencies = run_loadgen(case)
    return {**case, "loadgen": parse(summary, detail, latencies, scenario), "latencies_ns": latencies}


def server_case(n, overlatency, rng):
    name = f"Server-n{n}-over{overlatency}"
    conf = user_conf(
        "Server",
        None,
        n,
        extra=[f"*.Server.target_qps = {SERVER_QPS}", f"*.Server.target_latency = {SERVER_BOUND_MS}"],
    )
    case = {"name": name, "scenario": "Server", "user_conf": conf,
            "slow": sorted(rng.sample(range(n), overlatency))}
    for attempt in range(5):
        summary, detail, latencies = run_loadgen(case)
        got = parse(summary, detail, latencies, "Server")
        if got["overlatency_query_count"] == overlatency:
            return {**case, "loadgen": got, "latencies_ns": latencies}
        print(f"  {name}: {got['overlatency_query_count']} over the bound (attempt "
              f"{attempt + 1}): the machine disturbed the run, running it again", file=sys.stderr)
    raise SystemExit(f"{name}: no undisturbed run in 5 attempts")


def write_cases(name, description, cases):
    meta = {
        "generator": "scripts/gen_loadgen_fixtures.py",
        "python": platform.python_version(),
        "mlcommons_loadgen": loadgen_version(),
        "model": MODEL,
        "description": description,
    }
    lines = ['{"meta": ' + json.dumps(meta) + ",", ' "cases": [']
    lines += ["  " + json.dumps(c) + ("," if i + 1 < len(cases) else "") for i, c in enumerate(cases)]
    lines += [" ]}", ""]
    (OUT / name).write_text("\n".join(lines))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    conf_sha1 = hashlib.sha1((OUT / "mlperf.conf").read_bytes()).hexdigest()
    rng = random.Random(20261201)
    cases = []
    for scenario in ["SingleStream", "MultiStream"]:
        for percentile in [90, 99]:
            for n in [50, 64, 65, 100, 500, 1000, 7914]:
                print(f"{scenario} p{percentile} n={n}", file=sys.stderr)
                cases.append(latency_case(scenario, percentile, n))
        for n in [100, 1000]:
            print(f"{scenario} p90 n={n}, min duration not met", file=sys.stderr)
            cases.append(latency_case(scenario, 90, n, min_duration_ms=3_600_000))
    for n, over in [(458, 0), (459, 0), (661, 1), (662, 1), (500, 3), (1000, 1), (1000, 5),
                    (1000, 10), (1000, 11), (2000, 10), (2010, 10), (2000, 25)]:
        print(f"Server n={n} over={over}", file=sys.stderr)
        cases.append(server_case(n, over, rng))
    for c in cases:
        if c["loadgen"]["mlperf_conf_sha1"] != conf_sha1:
            raise SystemExit("tests/fixtures/loadgen/mlperf.conf is not the mlperf.conf LoadGen embeds")
    write_cases(
        "agreement.json",
        "LoadGen's decisions and latencies for synthetic systems under test; see the "
        "generator's docstring",
        cases,
    )

    # Real summary logs for the layout, one per scenario, and two INVALID ones (for the
    # Recommendations block).
    server_extra = [f"*.Server.target_qps = {SERVER_QPS}", f"*.Server.target_latency = {SERVER_BOUND_MS}"]
    layouts = {
        "summary_singlestream.txt": ("SingleStream", user_conf("SingleStream", 90, 1000), {}),
        "summary_multistream.txt": ("MultiStream", user_conf("MultiStream", 99, 700), {}),
        "summary_server.txt": ("Server", user_conf("Server", None, 2000, extra=server_extra), {}),
        "summary_offline.txt": (
            "Offline", user_conf("Offline", None, 5000, extra=["*.Offline.target_qps = 5000"]), {}),
        "summary_singlestream_invalid.txt": (
            "SingleStream", user_conf("SingleStream", 90, 50, min_duration_ms=3_600_000), {}),
        "summary_server_invalid.txt": (
            "Server", user_conf("Server", None, 500, extra=server_extra),
            {"slow": list(range(0, 500, 40))}),
    }
    for name, (scenario, conf, extra) in layouts.items():
        case = {"name": name, "scenario": scenario, "user_conf": conf, "spin_ns": SPIN_NS, **extra}
        (OUT / name).write_text(run_loadgen(case)[0])
    print(f"wrote {len(cases)} cases and {len(layouts)} summary logs to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
