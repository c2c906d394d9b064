//! Results per scenario: for each variant's run, what ran, LoadGen's metric (with early
//! stopping, the Server bound and queueing split, the Offline rate), LoadGen's checks,
//! VALID/INVALID with each reason's explanation and recommendation, and a table of the
//! statistics with their intervals. Then the accuracy runs.

use super::{run_name, sample_noun, validity_word};
use crate::format::{count, fine_duration_ms, percent, sig};
use crate::loadgen::record::LatencySummary;
use crate::loadgen::result::{EarlyStoppingEstimate, ScenarioMetric};
use crate::loadgen::settings::Scenario;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::report::text::{
    duration, level, ms, ms_bounded_interval, ms_interval, plural, relative_percent, yes_no,
};
use crate::stats::error::percentile_label;
use crate::stats::tick::widen;
use crate::stats::TrendKind;

use super::validation::WEAK_RHO;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    for &s in &a.scenarios {
        out.push_str(&format!("## Results: {s}\n\n"));
        out.push_str(&format!(
            "{} Statistics below are of the {}.\n\n",
            match s {
                Scenario::SingleStream =>
                    "Metric: the target-percentile latency and its early-stopping estimate.",
                Scenario::MultiStream =>
                    "Metric: the target-percentile query latency and its early-stopping estimate.",
                Scenario::Server =>
                    "Metric: completed samples per second, valid only if the target-percentile \
                     latency is within the bound.",
                Scenario::Offline => "Metric: samples per second until the last sample completes.",
            },
            sample_noun(s)
        ));
        for r in a.runs_of(s) {
            render_run(a, r, out);
        }
    }
    render_accuracy(a, out);
}

fn render_run(a: &Analysis<'_>, r: &RunAnalysis<'_>, out: &mut String) {
    let run = r.run;
    let tick = r.tick_ms;
    out.push_str(&format!("### {} ({})\n\n", r.label, run.scenario));
    let unit = if run.scenario == Scenario::Offline {
        format!(
            "{} in {}",
            plural(run.sample_count, "sample", "samples"),
            plural(run.queries.len() as u64, "batch", "batches")
        )
    } else if run.scenario == Scenario::MultiStream {
        format!(
            "{} ({})",
            plural(run.query_count, "query", "queries"),
            plural(run.sample_count, "sample", "samples")
        )
    } else {
        plural(run.query_count, "query", "queries")
    };
    out.push_str(&format!(
        "- Ran {unit}; the last completed at {} after the start; the run ended: {}.\n",
        crate::format::duration_ms(run.times.final_query_completed_ms),
        run.stop_reason
    ));
    match run.warmup.first_query_latency_ms {
        Some(first) => out.push_str(&format!(
            "- {}; the very first query took {}.\n",
            if run.warmup.query_count > 0 {
                format!(
                    "{} warm-up {} (not recorded)",
                    count(run.warmup.query_count),
                    if run.warmup.query_count == 1 {
                        "query"
                    } else {
                        "queries"
                    }
                )
            } else {
                "No warm-up".to_string()
            },
            duration(first, tick)
        )),
        None => out.push_str("- No query completed, so there is no first-query latency.\n"),
    }
    render_metric(r, out);
    let c = &run.validity.checks;
    out.push_str(&format!(
        "- LoadGen's checks: min duration satisfied: {}; min queries satisfied: {}; \
         performance constraints satisfied: {}; early stopping satisfied: {}.\n",
        yes_no(c.min_duration_met),
        yes_no(c.min_queries_met),
        yes_no(c.latency_bound_met),
        yes_no(c.early_stopping_met)
    ));
    if run.is_valid() {
        match &r.limited {
            Some(l) => out.push_str(&format!("- Result: **VALID**, {}.\n\n", l.mark())),
            None => out.push_str("- Result: **VALID**.\n\n"),
        }
    } else {
        out.push_str(&format!(
            "- Result: **{}**{}, {}:\n",
            validity_word(r),
            r.limited
                .map_or_else(String::new, |l| format!(" ({})", l.mark())),
            plural(run.validity.reasons.len() as u64, "reason", "reasons")
        ));
        for reason in &run.validity.reasons {
            out.push_str(&format!(
                "  - {} Recommendation: {}\n",
                super::explanation(reason),
                reason.recommendation()
            ));
        }
        out.push('\n');
    }
    render_statistics_table(a, r, out);
    if let Some(ScenarioMetric::Server(m)) = run.metric {
        render_queueing(r, &m.queueing, &m.service, out);
    }
}

fn early_stopping_text(es: &EarlyStoppingEstimate, tick: Option<f64>) -> String {
    let label = percentile_label(es.percentile);
    match (es.estimate_ms, es.discarded) {
        (Some(v), Some(d)) => format!(
            "{label} early-stopping estimate {} (the {} highest {} discarded; {label} needs at \
             least {} queries)",
            duration(v, tick),
            count(d),
            if d == 1 { "latency" } else { "latencies" },
            count(es.min_query_count)
        ),
        _ => format!(
            "no {label} early-stopping estimate: it needs at least {} queries, the run has {}",
            count(es.min_query_count),
            count(es.query_count)
        ),
    }
}

fn render_metric(r: &RunAnalysis<'_>, out: &mut String) {
    let tick = r.tick_ms;
    match r.run.metric {
        Some(ScenarioMetric::SingleStream(m)) => {
            out.push_str(&format!(
                "- {} latency {}; {}; {}.\n",
                percentile_label(m.percentile),
                duration(m.percentile_latency_ms, tick),
                early_stopping_text(&m.early_stopping, tick),
                early_stopping_text(&m.early_stopping_p99, tick)
            ));
            if let (Some(with), Some(without)) =
                (m.qps_with_loadgen_overhead, m.qps_without_loadgen_overhead)
            {
                out.push_str(&format!(
                    "- Queries per second: {} with the load generator's overhead ((n - 1) / \
                     final issue time), {} without (1 / mean latency).\n",
                    crate::format::sig_grouped(with, 4),
                    crate::format::sig_grouped(without, 4)
                ));
            }
        }
        Some(ScenarioMetric::MultiStream(m)) => out.push_str(&format!(
            "- {} query latency {} ({} samples per query); {}.\n",
            percentile_label(m.percentile),
            duration(m.percentile_latency_ms, tick),
            m.samples_per_query,
            early_stopping_text(&m.early_stopping, tick)
        )),
        Some(ScenarioMetric::Server(m)) => {
            out.push_str(&format!(
                "- Offered {} QPS; scheduled {} samples/s; completed {} samples/s (LoadGen's \
                 metric, (n - 1) / time of the last completion).\n",
                crate::format::sig_grouped(m.target_qps, 4),
                m.scheduled_samples_per_second
                    .map_or_else(|| "n/a".into(), |x| crate::format::sig_grouped(x, 4)),
                m.completed_samples_per_second
                    .map_or_else(|| "n/a".into(), |x| crate::format::sig_grouped(x, 4)),
            ));
            out.push_str(&format!(
                "- {} latency {} against a bound of {}: {} ({} of the bound).\n",
                percentile_label(m.percentile),
                duration(m.percentile_latency_ms, tick),
                fine_duration_ms(m.latency_bound_ms),
                if m.latency_bound_met {
                    "within it"
                } else {
                    "over it"
                },
                relative_percent(m.percentile_latency_ms, m.latency_bound_ms)
            ));
            let es = &m.early_stopping;
            out.push_str(&format!(
                "- Early stopping: {} over the bound out of {}; {} needed with that many over: \
                 {}.\n",
                plural(es.overlatency_count, "query", "queries"),
                count(es.query_count),
                count(es.required_query_count),
                if es.met {
                    "met".to_string()
                } else {
                    format!(
                        "not met, would need at least {} more",
                        count(es.more_queries_needed)
                    )
                }
            ));
        }
        Some(ScenarioMetric::Offline(m)) => {
            out.push_str(&format!(
                "- {} samples/s (LoadGen's metric: {} / {}), batches of {}, expected {} \
                 samples/s{}.\n",
                m.samples_per_second
                    .map_or_else(|| "n/a".into(), |x| crate::format::sig_grouped(x, 4)),
                count(m.sample_count),
                crate::format::duration_ms(m.max_latency_ms),
                m.batch_size,
                crate::format::sig_grouped(m.expected_qps, 4),
                executors_note(r.run.executors)
            ));
            match &r.offline_rate {
                Some(Ok(rate)) => out.push_str(&format!(
                    "- LoadGen's metric is one number from one query, with no interval of its \
                     own. The {} full batches are repeated measurements of the same work, so \
                     the {} Student-t interval of their mean service time, inverted{}, bounds \
                     the sustained rate: {} samples/s ({} CI {} to {}), assuming independent \
                     batches{}. Time between batches was {} of {}.\n",
                    count(rate.batches as u64),
                    level(rate.ci.confidence_level),
                    if r.run.executors > 1 {
                        format!(" and multiplied by the {} executors", r.run.executors)
                    } else {
                        String::new()
                    },
                    crate::format::sig_grouped(rate.samples_per_second, 4),
                    level(rate.ci.confidence_level),
                    crate::format::sig_grouped(rate.ci.lower, 4),
                    crate::format::sig_grouped(rate.ci.upper, 4),
                    independence_note(r),
                    relative_percent(rate.gap_fraction, 1.0),
                    if r.run.executors > 1 {
                        "the executors' time"
                    } else {
                        "the run"
                    }
                )),
                Some(Err(why)) => out.push_str(&format!("- No interval for the rate: {why}.\n")),
                None => {}
            }
        }
        None => out.push_str("- No metric: no query completed.\n"),
    }
}

/// Whether the drift test supports the Offline interval's independence assumption.
fn independence_note(r: &RunAnalysis<'_>) -> String {
    match &r.trend {
        Ok(t) if t.kind != TrendKind::NoTrend && t.rho.abs() >= WEAK_RHO => format!(
            ", which the drift test contradicts (Spearman rho = {:.2} over the batches), so the \
             interval is likely too narrow",
            t.rho
        ),
        Ok(t) if t.kind == TrendKind::NoTrend => format!(
            " (the drift test finds no significant trend: Spearman rho = {:.2}, {})",
            t.rho,
            crate::report::verdict_text::format_p_value_at(t.p_value, t.alpha)
        ),
        Ok(t) => format!(
            " (the drift test finds only a weak trend: Spearman rho = {:.2})",
            t.rho
        ),
        Err(_) => " (untested: no drift test)".to_string(),
    }
}

fn render_statistics_table(a: &Analysis<'_>, r: &RunAnalysis<'_>, out: &mut String) {
    let tick = r.tick_ms;
    let summary = match &r.summary {
        Ok(s) => s,
        Err(e) => {
            out.push_str(&format!("No statistics for {}: {e}.\n\n", run_name(r)));
            return;
        }
    };
    let lvl = level(a.options.compare.confidence_level);
    let what = if r.run.scenario == Scenario::Offline {
        "Batch service time"
    } else {
        "Latency"
    };
    // With a known tick, each reading's bound gets a column and widens each interval.
    let bound = r.bound_ms;
    let ci_header = match bound {
        Some(_) => format!("{lvl} CI with the tick bound (ms)"),
        None => format!("{lvl} CI (ms)"),
    };
    let mut columns = vec![(what, Align::Left), ("Value (ms)", Align::Right)];
    if bound.is_some() {
        columns.push(("Tick bound (ms)", Align::Right));
    }
    columns.push((&ci_header, Align::Right));
    columns.push(("CI width (% of value)", Align::Right));
    let mut t = Table::new(&columns);
    let bound_cell = |b: Option<f64>| b.map_or_else(String::new, |b| format!("±{}", sig(b, 3)));
    let row = |t: &mut Table, cells: [String; 3], b: Option<f64>, width: String| {
        let [name, value, ci] = cells;
        let mut v = vec![name, value];
        if bound.is_some() {
            v.push(bound_cell(b));
        }
        v.push(ci);
        v.push(width);
        t.row(v);
    };
    row(
        &mut t,
        [
            format!("n = {}", count(summary.n as u64)),
            String::new(),
            String::new(),
        ],
        None,
        String::new(),
    );
    // The mean of a dithered clock's readings is unbiased: its interval needs no bound.
    let mean_bound = bound.filter(|_| !r.mean_unbiased);
    let mean_ci = mean_bound.map_or(summary.mean_ci_ms, |b| widen(&summary.mean_ci_ms, b));
    row(
        &mut t,
        [
            "mean (Student t)".into(),
            ms(summary.mean_ms, None),
            ms_interval(&mean_ci, None),
        ],
        mean_bound.or(bound.map(|_| 0.0)),
        relative_percent(mean_ci.width(), summary.mean_ms),
    );
    for e in &summary.percentiles {
        let (ci, width) = match &e.ci {
            Some(ci) => {
                let c = bound.map_or(ci.interval, |b| widen(&ci.interval, b));
                let text = if bound.is_some() {
                    ms_bounded_interval(&c, tick)
                } else {
                    ms_interval(&c, tick)
                };
                (text, relative_percent(c.width(), e.value_ms))
            }
            None => (
                format!("needs {} values", count(e.ci_min_samples as u64)),
                String::new(),
            ),
        };
        row(
            &mut t,
            [percentile_label(e.percentile), ms(e.value_ms, tick), ci],
            bound,
            width,
        );
    }
    for (name, value) in [("min", summary.min_ms), ("max", summary.max_ms)] {
        row(
            &mut t,
            [name.into(), ms(value, tick), String::new()],
            bound,
            String::new(),
        );
    }
    row(
        &mut t,
        [
            "standard deviation".into(),
            ms(summary.sd_ms, None),
            String::new(),
        ],
        None,
        String::new(),
    );
    // LoadGen's early-stopping estimates (the official SingleStream/MultiStream metric).
    let estimates = match r.run.metric {
        Some(ScenarioMetric::SingleStream(m)) => vec![m.early_stopping, m.early_stopping_p99],
        Some(ScenarioMetric::MultiStream(m)) => vec![m.early_stopping],
        _ => Vec::new(),
    };
    for es in estimates {
        row(
            &mut t,
            [
                format!(
                    "{} early-stopping estimate",
                    percentile_label(es.percentile)
                ),
                es.estimate_ms.map_or_else(
                    || format!("none: needs {} queries", count(es.min_query_count)),
                    |v| ms(v, tick),
                ),
                String::new(),
            ],
            es.estimate_ms.and(bound),
            String::new(),
        );
    }
    if let Some(first) = r.run.warmup.first_query_latency_ms {
        row(
            &mut t,
            [
                "first query (reported alone)".into(),
                ms(first, tick),
                String::new(),
            ],
            bound,
            String::new(),
        );
    }
    out.push_str(&t.render());
    if let Some(b) = bound {
        out.push_str(&format!(
            "The tick bound is {} ({} ticks of the timer): each reading is known to it, so each \
             percentile's interval is widened by it{}.\n\n",
            fine_duration_ms(b),
            crate::stats::LATENCY_BOUND_TICKS,
            if r.mean_unbiased {
                "; the mean's is not, the clock being dithered (its readings average out)"
            } else {
                ", and so is the mean's, the clock not being shown dithered"
            }
        ));
    }
}

fn render_queueing(
    r: &RunAnalysis<'_>,
    queueing: &LatencySummary,
    service: &LatencySummary,
    out: &mut String,
) {
    let tick = r.tick_ms;
    let total = r.run.latency;
    let mut t = Table::new(&[
        ("Part of the latency", Align::Left),
        ("Mean (ms)", Align::Right),
        ("p50 (ms)", Align::Right),
        ("p90 (ms)", Align::Right),
        ("p99 (ms)", Align::Right),
        ("Max (ms)", Align::Right),
        ("Share of the mean", Align::Right),
    ]);
    let total_mean = total.map_or(queueing.mean_ms + service.mean_ms, |l| l.mean_ms);
    let mut row = |name: &str, s: &LatencySummary| {
        t.row(vec![
            name.to_string(),
            ms(s.mean_ms, tick),
            ms(s.p50_ms, tick),
            ms(s.p90_ms, tick),
            ms(s.p99_ms, tick),
            ms(s.max_ms, tick),
            relative_percent(s.mean_ms, total_mean),
        ]);
    };
    row("queueing (scheduled to start)", queueing);
    row("service (start to completion)", service);
    if let Some(l) = total {
        row("latency (scheduled to completion)", &l);
    }
    out.push_str(&t.render());
    // How many queries waited longer than a typical query takes to serve.
    let typical = service.p50_ms;
    let waited = r
        .run
        .queries
        .iter()
        .filter(|q| q.queueing_ms().is_some_and(|w| w > typical))
        .count();
    let n = r.run.queries.len().max(1);
    let fraction = waited as f64 / n as f64;
    let share = queueing.mean_ms / total_mean;
    let meaning = if fraction >= 0.5 {
        "most queries waited behind earlier ones: the offered rate is near or beyond what the \
         system sustains"
    } else if fraction >= 0.05 {
        "queries often waited behind earlier ones"
    } else if share.is_finite() && share >= 0.1 {
        "few queries waited, so the queueing share comes from a few long stalls"
    } else {
        "few queries waited: the system keeps up with this rate"
    };
    out.push_str(&format!(
        "Queueing is {} of the mean latency, and {} of {} ({}) waited longer than the median \
         service time ({}): {meaning}.\n\n",
        relative_percent(queueing.mean_ms, total_mean),
        count(waited as u64),
        plural(n as u64, "query", "queries"),
        relative_percent(waited as f64, n as f64),
        duration(typical, tick)
    ));
}

fn render_accuracy(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    if !r.plan.accuracy_mode || r.variants.iter().all(|v| v.accuracy.is_none()) {
        return;
    }
    out.push_str("## Results: accuracy\n\n");
    let base = r.variants.first().and_then(|v| v.top1());
    let mut t = Table::new(&[
        ("Variant", Align::Left),
        ("Correct", Align::Right),
        ("Samples", Align::Right),
        ("Top-1 (%)", Align::Right),
        ("Delta vs baseline (points)", Align::Right),
        ("Result", Align::Left),
    ]);
    for (i, v) in r.variants.iter().enumerate() {
        let Some(run) = &v.accuracy else {
            t.row(vec![
                v.variant.to_string(),
                String::new(),
                String::new(),
                "not measured".into(),
                String::new(),
                String::new(),
            ]);
            continue;
        };
        let acc = run.accuracy;
        let top1 = acc.and_then(|x| x.top1);
        t.row(vec![
            v.variant.to_string(),
            acc.map_or_else(String::new, |x| count(x.correct)),
            acc.map_or_else(String::new, |x| count(x.total)),
            top1.map_or_else(|| "n/a".into(), |x| format!("{:.2}", x * 100.0)),
            match (i, base, top1) {
                (0, _, _) => "baseline".into(),
                (_, Some(b), Some(x)) => format!("{:+.2}", (x - b) * 100.0),
                _ => "n/a".into(),
            },
            if run.is_valid() {
                "VALID".into()
            } else {
                let reasons: Vec<String> = run
                    .validity
                    .reasons
                    .iter()
                    .map(super::explanation)
                    .collect();
                format!("INVALID: {}", reasons.join(" "))
            },
        ]);
    }
    out.push_str(&t.render());
    if let Some(b) = base {
        let n = r.model.training.test_samples;
        if n > 0 {
            out.push_str(&format!(
                "On {} test samples one sample is {} points, so differences of a point or two \
                 are a handful of samples (baseline top-1 {}).\n\n",
                count(n as u64),
                sig(100.0 / n as f64, 2),
                percent(b, 2)
            ));
        }
    }
}

/// How many executors served an Offline run, when more than one.
fn executors_note(executors: u32) -> String {
    if executors > 1 {
        format!(
            ", served by {executors} executors at once (one per logical core unless set), each \
             with its own copy of the variant, claiming batches from one counter"
        )
    } else {
        String::new()
    }
}
