//! A run's table of statistics with their intervals (and how wide the timer's tick makes
//! them), and a Server run's queueing split: what the scenarios section shows under each
//! run's metric.

use super::run_name;
use crate::format::{count, fine_duration_ms, sig};
use crate::loadgen::record::LatencySummary;
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::Scenario;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::report::text::{
    duration, level, ms, ms_bounded_interval, ms_interval, plural, relative_percent,
};
use crate::stats::error::percentile_label;
use crate::stats::tick::widen;

pub(super) fn render_statistics_table(a: &Analysis<'_>, r: &RunAnalysis<'_>, out: &mut String) {
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

pub(super) fn render_queueing(
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
