//! Recommendations, each computed from the data: which variant to use and why, what each
//! INVALID run needs, longer runs where intervals are wide, the timer, visibility, drift,
//! and comparisons too small to decide.

use super::run_name;
use super::timer::{fix_text, timer_invalid};
use crate::format::{count, percent, sig};
use crate::loadgen::settings::Scenario;
use crate::report::analysis::{Analysis, Family, RunAnalysis};
use crate::report::text::{join_and, level, plural, relative_percent};
use crate::report::verdict_text::VerdictSentence;
use crate::results::RunStatus;
use crate::stats::error::percentile_label;
use crate::stats::{TrendKind, VerdictKind};

/// A drift this weak (|Spearman rho| below it) earns no recommendation, however significant.
const DRIFT_RHO: f64 = super::validation::WEAK_RHO;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    out.push_str("## Recommendations\n\n");
    let mut items: Vec<String> = Vec::new();
    if let Some(choice) = variant_choice(a) {
        items.push(choice);
    }
    if a.result.status == RunStatus::Cancelled {
        items.push(
            "The run was cancelled: run the plan to completion for a result in which every \
             task is measured."
                .to_string(),
        );
    }
    // Each INVALID run's recommendations; runs with the same advice share one item. The
    // timer, cancel and visibility reasons get their own items below.
    let mut invalid: Vec<(String, Vec<String>)> = Vec::new();
    for r in a.runs.iter().filter(|r| !r.run.is_valid()) {
        let recs: Vec<String> = r
            .run
            .validity
            .reasons
            .iter()
            .filter(|x| {
                !x.is_timer()
                    && !matches!(
                        x,
                        crate::loadgen::validity::InvalidReason::Cancelled { .. }
                            | crate::loadgen::validity::InvalidReason::PageHidden { .. }
                    )
            })
            .map(|x| x.recommendation())
            .collect();
        if recs.is_empty() {
            continue;
        }
        let advice = recs.join(" ");
        match invalid.iter_mut().find(|(text, _)| *text == advice) {
            Some((_, runs)) => runs.push(run_name(r)),
            None => invalid.push((advice, vec![run_name(r)])),
        }
    }
    for (advice, runs) in invalid {
        items.push(format!(
            "{} {} INVALID: {advice}",
            join_and(&runs),
            if runs.len() == 1 { "is" } else { "are" }
        ));
    }
    let coarse: Vec<&RunAnalysis<'_>> = a.runs.iter().filter(|r| timer_invalid(r)).collect();
    if !coarse.is_empty() {
        items.push(format!(
            "The timer makes {} INVALID (see Timer honesty). {}",
            join_and(&coarse.iter().map(|r| run_name(r)).collect::<Vec<_>>()),
            fix_text(a, &coarse).trim_end()
        ));
    }
    let limited: Vec<&RunAnalysis<'_>> = a
        .runs
        .iter()
        .filter(|r| r.limited.is_some() && !timer_invalid(r))
        .collect();
    if !limited.is_empty() {
        let marks: Vec<String> = limited
            .iter()
            .filter_map(|r| Some(format!("{} ({})", run_name(r), r.limited?.mark())))
            .collect();
        items.push(format!(
            "{} {} VALID but timer-limited: their percentiles are known only to their bound. \
             For more precise percentiles, lengthen each query. {}",
            join_and(&marks),
            if marks.len() == 1 { "is" } else { "are" },
            fix_text(a, &limited).trim_end()
        ));
    }
    let hidden = a.result.environment.visibility_changes;
    if hidden > 0 {
        items.push(format!(
            "The page was hidden {} during the run: close other tabs and keep the page visible \
             until the run ends, then run it again.",
            plural(u64::from(hidden), "time", "times")
        ));
    }
    items.extend(wide_intervals(a));
    items.extend(drift(a));
    items.extend(underpowered(a));
    if items.is_empty() {
        items.push(format!(
            "Nothing in this result calls for a change: every run is VALID, every headline \
             interval is narrower than {} of its estimate, no run is timer-limited, and no run \
             drifted by |rho| {DRIFT_RHO} or more.",
            crate::report::verdict_text::format_percent(a.options.wide_ci_relative_width)
        ));
    }
    for i in items {
        out.push_str(&format!("- {i}\n"));
    }
    out.push('\n');
}

/// Which variant to use, from the verdicts of SingleStream (or the first compared scenario)
/// and the accuracies.
fn variant_choice(a: &Analysis<'_>) -> Option<String> {
    let family: &Family = a
        .family(Scenario::SingleStream)
        .or_else(|| a.families.first())?;
    let baseline = family.baseline;
    let accuracy = |variant| {
        a.result
            .variants
            .iter()
            .find(|v| v.variant == variant)
            .and_then(|v| v.top1())
    };
    let base_acc = accuracy(baseline);
    let tolerance = a.options.accuracy_tolerance;
    let mut faster: Vec<(crate::model::Variant, f64, String, bool, Option<f64>)> = family
        .members
        .iter()
        .filter_map(|m| {
            let c = m.comparison.as_ref().ok()?;
            (c.verdict.kind == VerdictKind::Faster).then(|| {
                (
                    m.variant,
                    c.verdict.inputs.speedup.point,
                    c.sentence(&baseline.to_string(), &m.variant.to_string()),
                    a.runs[m.run].run.is_valid(),
                    accuracy(m.variant),
                )
            })
        })
        .collect();
    faster.sort_by(|x, y| y.1.total_cmp(&x.1));
    let s = family.scenario;
    if family.members.iter().all(|m| m.comparison.is_err()) {
        return Some(format!(
            "No variant could be compared with the baseline {baseline} in {s} (see the \
             comparisons): fix the measurement first, then compare."
        ));
    }
    let Some(best) = faster.first() else {
        return Some(format!(
            "Keep the baseline {baseline}: no variant is significantly faster in {s} (see \
             the verdicts above)."
        ));
    };
    let within = |acc: Option<f64>| match (acc, base_acc) {
        (Some(x), Some(b)) => x >= b - tolerance,
        _ => true,
    };
    let acc_text = |acc: Option<f64>| match (acc, base_acc) {
        (Some(x), Some(b)) => format!(
            "top-1 {} against the baseline's {}",
            percent(x, 2),
            percent(b, 2)
        ),
        _ => "accuracy not measured".to_string(),
    };
    let frontier = |v| {
        a.pareto
            .rows
            .iter()
            .find(|r| r.variant == v)
            .and_then(|r| r.status.as_ref())
            .map(|st| st.on_frontier)
    };
    let elsewhere = |v: crate::model::Variant| -> String {
        let notes: Vec<String> = a
            .families
            .iter()
            .filter(|f| f.scenario != s)
            .filter_map(|f| {
                let m = f.members.iter().find(|m| m.variant == v)?;
                let c = m.comparison.as_ref().ok()?;
                (c.verdict.kind != VerdictKind::Faster).then(|| {
                    format!(
                        "in {}: {}",
                        f.scenario,
                        c.sentence(&baseline.to_string(), &v.to_string())
                    )
                })
            })
            .collect();
        if notes.is_empty() {
            String::new()
        } else {
            format!(". It is not faster everywhere: {}", notes.join("; "))
        }
    };
    let describe = |x: &(crate::model::Variant, f64, String, bool, Option<f64>)| {
        let mut text = format!("{}, {}", x.2, acc_text(x.4));
        match frontier(x.0) {
            Some(true) => text.push_str(", on the Pareto frontier"),
            Some(false) => text.push_str(", though dominated on the Pareto table"),
            None => {}
        }
        if !x.3 {
            text.push_str(&format!(
                "; its {s} run is INVALID, so confirm with a VALID run first"
            ));
        }
        text.push_str(&elsewhere(x.0));
        text
    };
    let points = crate::report::verdict_text::format_percent(tolerance).replace('%', "");
    if within(best.4) {
        return Some(format!("Use {} for latency: {}.", best.0, describe(best)));
    }
    let lost = (base_acc.unwrap_or(0.0) - best.4.unwrap_or(0.0)) * 100.0;
    match faster.iter().find(|x| within(x.4)) {
        Some(alt) => Some(format!(
            "{} is the fastest but loses {} points of accuracy, more than the {} point \
             tolerance; use {} instead: {}.",
            best.0,
            sig(lost, 2),
            points,
            alt.0,
            describe(alt)
        )),
        None => Some(format!(
            "{} is the fastest ({}) but loses {} points of accuracy, more than the {} point \
             tolerance, and no faster variant stays within it: choose {} for speed or \
             {baseline} for accuracy.",
            best.0,
            best.2,
            sig(lost, 2),
            points,
            best.0
        )),
    }
}

/// "Run longer" where the headline interval is wide or missing.
fn wide_intervals(a: &Analysis<'_>) -> Vec<String> {
    let limit = a.options.wide_ci_relative_width;
    let lvl = level(a.options.compare.confidence_level);
    let mut items = Vec::new();
    // (percentile label, values needed) -> runs without that interval, with their sizes.
    let mut missing: Vec<((String, usize), Vec<String>)> = Vec::new();
    // Runs the timer makes INVALID need a fix of the timer, not more queries.
    for r in a.runs.iter().filter(|r| !timer_invalid(r)) {
        let n = r.sample_ms.len() as f64;
        let (what, width) = if r.run.scenario == Scenario::Offline {
            match &r.offline_rate {
                Some(Ok(rate)) => (
                    "samples/s".to_string(),
                    rate.ci.width() / rate.samples_per_second,
                ),
                _ => continue,
            }
        } else {
            let label = percentile_label(r.target_percentile());
            match r.target_estimate() {
                Some(e) => match &e.ci {
                    Some(ci) if e.value_ms > 0.0 => (label, ci.interval.width() / e.value_ms),
                    Some(_) => continue,
                    None => {
                        let key = (label, e.ci_min_samples);
                        let entry = format!("{} ({})", run_name(r), count(n as u64));
                        match missing.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, runs)) => runs.push(entry),
                            None => missing.push((key, vec![entry])),
                        }
                        continue;
                    }
                },
                None => continue,
            }
        };
        if width > limit && width.is_finite() {
            let needed = (n * (width / limit).powi(2)).ceil();
            let unit = if r.run.scenario == Scenario::Offline {
                "batches"
            } else {
                "queries"
            };
            items.push(format!(
                "Run {} longer: the {lvl} interval of its {what} spans {} of the estimate; \
                 about {} {unit} instead of {} would bring it to {} (the width shrinks \
                 roughly as 1/√n).",
                run_name(r),
                relative_percent(width, 1.0),
                count(needed as u64),
                count(n as u64),
                crate::report::verdict_text::format_percent(limit)
            ));
        }
    }
    for ((label, needed), runs) in missing {
        items.push(format!(
            "Run {} longer: a {lvl} interval of {label} needs at least {} queries (the \
             queries each run had are in parentheses).",
            join_and(&runs),
            count(needed as u64)
        ));
    }
    items
}

fn drift(a: &Analysis<'_>) -> Vec<String> {
    let rising: Vec<String> = a
        .runs
        .iter()
        .filter_map(|r| {
            let t = r.trend.as_ref().ok()?;
            (t.kind == TrendKind::LaterSlower && t.rho >= DRIFT_RHO)
                .then(|| format!("{} (Spearman rho = {:.2})", run_name(r), t.rho))
        })
        .collect();
    if rising.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "Latency rose during {}: let the machine cool down, plug a laptop in, close other \
         programs, and run again.",
        join_and(&rising)
    )]
}

/// Comparisons that found no difference with fewer queries than the power estimate needs.
fn underpowered(a: &Analysis<'_>) -> Vec<String> {
    let mut items = Vec::new();
    for f in &a.families {
        let base = &a.runs[f.baseline_run];
        for m in &f.members {
            let Ok(c) = &m.comparison else { continue };
            if c.verdict.kind != VerdictKind::NoSignificantDifference {
                continue;
            }
            let run = &a.runs[m.run];
            if timer_invalid(base) || timer_invalid(run) {
                continue;
            }
            let needed = [&base.power_queries, &run.power_queries]
                .iter()
                .filter_map(|q| q.as_ref().ok().copied())
                .max();
            let have = base.sample_ms.len().min(run.sample_ms.len()) as u64;
            if let Some(needed) = needed {
                if have < needed {
                    items.push(format!(
                        "{} against {} in {}: no significant difference, but with {} values \
                         the comparison could miss a {} difference; about {} per variant would \
                         detect one with {} power.",
                        m.variant,
                        f.baseline,
                        f.scenario,
                        count(have),
                        crate::report::verdict_text::format_percent(
                            a.options.power_relative_difference
                        ),
                        count(needed),
                        crate::report::verdict_text::format_percent(a.options.power)
                    ));
                }
            }
        }
    }
    items
}
