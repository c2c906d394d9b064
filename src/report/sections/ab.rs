//! The A/B run, when the plan asked for one: two variants interleaved query by query with a
//! seeded traffic split, and the verdict on their latencies.

use crate::format::{count, p_value, sig, times};
use crate::plan::ab::{AbMeasure, AbResult, Arm};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{ms, plural};
use crate::report::verdict_text::AbSentence;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let Some(ab) = &a.result.ab_test else {
        if let Some(s) = &a.result.plan.ab_test {
            out.push_str(&format!(
                "## A/B run\n\nThe plan asked for an A/B run of {} against {} ({:?}), but it did \
                 not run (the session ended first).\n\n",
                s.b, s.a, s.scenario
            ));
        }
        return;
    };
    render_ab(ab, a.tick_ms, out);
}

fn render_ab(ab: &AbResult, tick: Option<f64>, out: &mut String) {
    let s = &ab.settings;
    let b_queries = ab.arms.iter().filter(|x| **x == Arm::B).count() as u64;
    let a_queries = ab.arms.len() as u64 - b_queries;
    out.push_str("## A/B run\n\n");
    out.push_str(&format!(
        "{} (A) and {} (B) served one {:?} run together: each query went to B with probability {} \
         by a seeded draw (seed {}), so both variants met the same conditions at the same \
         times and drift cannot favour either. {} went to A and {} to B{}.\n\n",
        s.a,
        s.b,
        s.scenario,
        sig(s.share_b, 3),
        s.seed,
        plural(a_queries, "query", "queries"),
        plural(b_queries, "query", "queries"),
        if ab.run.validity.valid {
            "; the run is VALID".to_string()
        } else {
            format!(
                "; the run is INVALID ({})",
                ab.run
                    .validity
                    .reasons
                    .iter()
                    .map(|r| r.explanation())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    ));
    if !ab.measure.reason().is_empty() {
        out.push_str(&format!("{}\n\n", ab.measure.reason()));
    }
    match (&ab.comparison, &ab.comparison_error) {
        (Some(c), _) => {
            let on = match ab.measure {
                AbMeasure::Latency => String::new(),
                AbMeasure::ServiceTime => " (on service times)".to_string(),
            };
            out.push_str(&format!(
                "Verdict{on}: {}\n\n",
                ab.sentence().unwrap_or_default()
            ));
            let mut table = Table::new(&[
                ("Arm", Align::Left),
                ("Queries", Align::Right),
                ("Mean (ms)", Align::Right),
                ("95% CI (ms)", Align::Right),
                ("Median (ms)", Align::Right),
                ("p90 (ms)", Align::Right),
                ("p99 (ms)", Align::Right),
            ]);
            for (name, summary) in [
                (format!("A: {}", s.a), &c.baseline),
                (format!("B: {}", s.b), &c.candidate),
            ] {
                let pct = |p: f64| {
                    summary
                        .percentiles
                        .iter()
                        .find(|e| (e.percentile - p).abs() < 1e-12)
                        .map_or_else(|| "-".into(), |e| ms(e.value_ms, tick))
                };
                table.row(vec![
                    name,
                    count(summary.n as u64),
                    ms(summary.mean_ms, tick),
                    format!(
                        "{} to {}",
                        ms(summary.mean_ci_ms.lower, tick),
                        ms(summary.mean_ci_ms.upper, tick)
                    ),
                    ms(summary.median_ms, tick),
                    pct(0.90),
                    pct(0.99),
                ]);
            }
            out.push_str(&table.render());
            out.push_str(&format!(
                "Speedup of B over A: {} of means (95% bootstrap CI {} to {}), {} of medians; \
                 Welch's t = {}, df = {}, p = {}; Mann-Whitney U = {}, p = {}; Cohen's d = {} \
                 ({}), Cliff's delta = {} ({}).\n\n",
                times(c.speedup.of_means.point),
                times(c.speedup.of_means.ci.lower),
                times(c.speedup.of_means.ci.upper),
                times(c.speedup.of_medians.point),
                sig(c.welch.t, 4),
                sig(c.welch.df, 4),
                p_value(c.welch.p_value),
                sig(c.mann_whitney.u, 6),
                p_value(c.mann_whitney.p_value),
                sig(c.cohens_d, 3),
                c.cohens_d_magnitude.as_str(),
                sig(c.cliffs_delta, 3),
                c.cliffs_delta_magnitude.as_str()
            ));
        }
        (None, Some(reason)) => out.push_str(&format!("No verdict: {reason}.\n\n")),
        (None, None) => out.push_str("No verdict.\n\n"),
    }
}
