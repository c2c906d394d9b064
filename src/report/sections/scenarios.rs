//! Results per scenario: for each variant's run, what ran, LoadGen's metric (with early
//! stopping, the Server bound and queueing split, the Offline rate), LoadGen's checks,
//! VALID/INVALID with each reason's explanation and recommendation, and a table of the
//! statistics with their intervals. Then the accuracy runs.

use super::{sample_noun, validity_word};
use crate::format::{count, fine_duration_ms};
use crate::loadgen::result::{EarlyStoppingEstimate, ScenarioMetric};
use crate::loadgen::settings::Scenario;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::text::{duration, level, plural, relative_percent, yes_no};
use crate::stats::error::percentile_label;
use crate::stats::TrendKind;

use super::accuracy::render_accuracy;
use super::statistics_table::{render_queueing, render_statistics_table};
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
