//! Statistical validation: how far each run's numbers can be trusted. Interval widths
//! relative to their estimates, Tukey outliers, the drift test, and whether the sample size
//! suffices (early stopping, MLPerf's formula, percentile intervals, power).

use super::run_name;
use crate::format::{count, sig};
use crate::loadgen::result::ScenarioMetric;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::report::text::{level, relative_percent};
use crate::report::verdict_text::TrendSentence;
use crate::stats::error::percentile_label;
use crate::stats::{MlperfSampleSize, TrendKind};

/// A significant trend weaker than this (|Spearman rho|) is called too weak to matter.
pub(crate) const WEAK_RHO: f64 = 0.1;

/// The confidence MLPerf's sample-size table uses.
const MLPERF_CONFIDENCE: f64 = 0.99;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    if a.runs.is_empty() {
        return;
    }
    out.push_str("## Statistical validation\n\n");
    render_widths(a, out);
    render_drift(a, out);
    render_sample_size(a, out);
}

fn render_widths(a: &Analysis<'_>, out: &mut String) {
    let lvl = level(a.options.compare.confidence_level);
    out.push_str(&format!(
        "Interval widths are the full width of the {lvl} interval over the estimate: the \
         smaller, the more precisely the run pins the number down. Outliers (Tukey's fences) are \
         counted, not removed.\n\n"
    ));
    let mut t = Table::new(&[
        ("Run", Align::Left),
        ("n", Align::Right),
        ("CV (%)", Align::Right),
        ("Mean CI width (%)", Align::Right),
        ("Target percentile", Align::Left),
        ("Its CI width (%)", Align::Right),
        ("Low outliers (mild/severe)", Align::Right),
        ("High outliers (mild/severe)", Align::Right),
    ]);
    for r in &a.runs {
        match &r.summary {
            Ok(s) => {
                let target = r.target_estimate();
                let offline = r.run.scenario == crate::loadgen::settings::Scenario::Offline;
                t.row(vec![
                    run_name(r),
                    count(s.n as u64),
                    s.cv.map_or_else(|| "n/a".into(), |cv| sig(cv * 100.0, 3)),
                    relative_percent(s.mean_ci_ms.width(), s.mean_ms),
                    if offline {
                        "none (Offline)".into()
                    } else {
                        percentile_label(r.target_percentile())
                    },
                    match target {
                        _ if offline => String::new(),
                        Some(e) => match &e.ci {
                            Some(ci) => relative_percent(ci.interval.width(), e.value_ms),
                            None => {
                                format!("none: needs {} values", count(e.ci_min_samples as u64))
                            }
                        },
                        None => "n/a".into(),
                    },
                    format!("{}/{}", s.outliers.low_mild, s.outliers.low_severe),
                    format!("{}/{}", s.outliers.high_mild, s.outliers.high_severe),
                ]);
            }
            Err(e) => t.row(vec![
                run_name(r),
                count(r.sample_ms.len() as u64),
                format!("no statistics: {e}"),
            ]),
        }
    }
    out.push_str(&t.render());
    let most = a
        .runs
        .iter()
        .filter_map(|r| r.summary.as_ref().ok().map(|s| (r, s)))
        .filter(|(_, s)| s.n > 0)
        .max_by(|x, y| {
            let share = |s: &crate::stats::Summary| {
                (s.outliers.high_mild + s.outliers.high_severe) as f64 / s.n as f64
            };
            share(x.1).total_cmp(&share(y.1))
        });
    if let Some((r, s)) = most {
        let high = s.outliers.high_mild + s.outliers.high_severe;
        if high > 0 {
            out.push_str(&format!(
                "The largest share of high outliers is in {}: {} of {} values ({}), {} of them \
                 severe; they stay in every statistic, because on a shared machine they are part \
                 of what a user experiences.\n\n",
                run_name(r),
                count(high as u64),
                count(s.n as u64),
                relative_percent(high as f64, s.n as f64),
                count(s.outliers.high_severe as u64)
            ));
        } else {
            out.push_str("No run has a high outlier.\n\n");
        }
    }
}

fn render_drift(a: &Analysis<'_>, out: &mut String) {
    out.push_str("### Drift within each run\n\n");
    for r in &a.runs {
        match &r.trend {
            Ok(t) => {
                let weak = t.kind != TrendKind::NoTrend && t.rho.abs() < WEAK_RHO;
                let note = match t.kind {
                    _ if weak => {
                        " (|rho| below 0.1: significant because the run is long, \
                                   but too weak to matter)"
                    }
                    TrendKind::LaterSlower => {
                        ": latency rose over the run, as when a laptop throttles or other \
                         programs start; the mean and tails mix two regimes"
                    }
                    TrendKind::LaterFaster => {
                        ": latency fell over the run, as when caches or the CPU clock warm up; \
                         a longer warm-up would remove the early slow queries"
                    }
                    _ => "",
                };
                let mut sentence = t.sentence();
                if r.run.scenario == crate::loadgen::settings::Scenario::Offline {
                    sentence = sentence.replace(" queries)", " batches)");
                }
                out.push_str(&format!("- {}: {sentence}{note}.\n", run_name(r)));
            }
            Err(e) => out.push_str(&format!("- {}: no trend test: {e}.\n", run_name(r))),
        }
    }
    out.push('\n');
}

/// The early-stopping minimum a run's metric states, if any.
fn early_stopping_minimum(r: &RunAnalysis<'_>) -> Option<u64> {
    match r.run.metric? {
        ScenarioMetric::SingleStream(m) => Some(m.early_stopping.min_query_count),
        ScenarioMetric::MultiStream(m) => Some(m.early_stopping.min_query_count),
        ScenarioMetric::Server(m) => Some(m.early_stopping.required_query_count),
        ScenarioMetric::Offline(_) => None,
    }
}

fn render_sample_size(a: &Analysis<'_>, out: &mut String) {
    out.push_str("### Is the sample large enough?\n\n");
    let c = &a.options.compare;
    // MLPerf's formula for each target percentile used.
    let mut percentiles: Vec<f64> = Vec::new();
    for r in &a.runs {
        let p = r.target_percentile();
        if r.run.scenario != crate::loadgen::settings::Scenario::Offline
            && !percentiles.iter().any(|&q| (q - p).abs() < 1e-12)
        {
            percentiles.push(p);
        }
    }
    percentiles.sort_by(f64::total_cmp);
    let formulas: Vec<MlperfSampleSize> = percentiles
        .iter()
        .filter_map(|&p| MlperfSampleSize::of(p, MLPERF_CONFIDENCE).ok())
        .collect();
    if !formulas.is_empty() {
        out.push_str(&format!(
            "MLPerf's sample-size formula, n = z² p (1 - p) / MOE² with z = |Φ⁻¹((1 - C) / 2)| \
             = {} at C = {} and a margin of error MOE = (1 - p) / 20, gives the queries a run \
             needs to pin its percentile down to that margin.",
            sig(formulas[0].z, 5),
            level(MLPERF_CONFIDENCE),
        ));
        for m in &formulas {
            let digits = m.formula_value.log10().floor().max(0.0) as usize + 2;
            out.push_str(&format!(
                " For {}: {} queries ({} unrounded, MOE = {}%), which LoadGen's rules round up \
                 to a multiple of 2^13: {} = {} x 2^13.",
                percentile_label(m.percentile),
                count(m.queries),
                crate::format::sig_grouped(m.formula_value, digits),
                sig(m.margin_of_error * 100.0, 3),
                count(m.queries_loadgen),
                m.queries_loadgen / crate::stats::sample_size::LOADGEN_QUERY_GRANULE
            ));
        }
        out.push_str(
            " Below that count a run can still be VALID (early stopping makes a short run pay \
             with a higher estimate), but its percentile is not pinned down to MLPerf's \
             margin.\n\n",
        );
    }
    out.push_str(&format!(
        "The last column is a power estimate: the queries each of two variants needs to \
         detect a {} difference of mean latency at α = {} with {} power, at this run's CV \
         (n = 2 (z(1 - α/2) + z(power))² CV² / δ²).\n\n",
        crate::report::verdict_text::format_percent(a.options.power_relative_difference),
        c.alpha,
        crate::report::verdict_text::format_percent(a.options.power)
    ));
    let mut t = Table::new(&[
        ("Run", Align::Left),
        ("Queries", Align::Right),
        ("Early-stopping minimum", Align::Right),
        ("MLPerf formula (share reached)", Align::Right),
        ("Percentiles with a CI", Align::Left),
        ("Queries for the power target", Align::Right),
    ]);
    for r in &a.runs {
        let n = r.sample_ms.len() as u64;
        let offline = r.run.scenario == crate::loadgen::settings::Scenario::Offline;
        let formula = (!offline)
            .then(|| MlperfSampleSize::of(r.target_percentile(), MLPERF_CONFIDENCE).ok())
            .flatten();
        let with_ci: Vec<String> = r
            .summary
            .as_ref()
            .map(|s| {
                s.percentiles
                    .iter()
                    .filter(|e| e.ci.is_some())
                    .map(|e| percentile_label(e.percentile))
                    .collect()
            })
            .unwrap_or_default();
        t.row(vec![
            run_name(r),
            if offline {
                format!("{} batches", count(n))
            } else {
                count(r.run.query_count)
            },
            early_stopping_minimum(r).map_or_else(
                || {
                    if offline {
                        "not applied (Offline)".into()
                    } else {
                        "n/a".into()
                    }
                },
                count,
            ),
            match formula {
                Some(m) => format!(
                    "{} ({})",
                    count(m.queries),
                    relative_percent(r.run.query_count as f64, m.queries as f64)
                ),
                None => String::new(),
            },
            if with_ci.is_empty() {
                "none".into()
            } else {
                with_ci.join(", ")
            },
            match &r.power_queries {
                Ok(q) => count(*q),
                Err(e) => format!("n/a: {e}"),
            },
        ]);
    }
    out.push_str(&t.render());
}
