//! Comparisons with the baseline, per scenario (speedups with intervals, tests, effect
//! sizes, tail differences, verdicts), and the normalised metrics with the Pareto table.

use super::summary::invalid_caveat;
use crate::format::{count, p_value, sig, times};
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::run_overlap::percentile_overlap;
use crate::report::analysis::{Analysis, Family};
use crate::report::table::{Align, Table};
use crate::report::text::{join_and, level, ms, pareto_status_text, tick_overlap_text};
use crate::report::verdict_text::VerdictSentence;
use crate::stats::error::percentile_label;
use crate::stats::tick_overlap;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    out.push_str("## Comparisons\n\n");
    let variants = &a.result.variants;
    if let Some(sut) = a.result.plan.synthetic_sut {
        out.push_str(&format!(
            "The synthetic system {sut} replaced the model, so there is no variant to compare: \
             no speedup, verdict or Pareto table.\n\n"
        ));
        return;
    }
    if variants.len() < 2 {
        let planned = a.result.plan.variants.len();
        match variants.first() {
            Some(v) if planned > 1 => out.push_str(&format!(
                "Only one variant, {}, has results (the plan had {planned}; the others did not \
                 run), so there is nothing to compare it with: no speedup, verdict or Pareto \
                 table.\n\n",
                v.variant
            )),
            Some(v) => out.push_str(&format!(
                "Only one variant, {}, was run, so there is nothing to compare it with: no \
                 speedup, verdict or Pareto table. Run two or more variants (the first is the \
                 baseline) to compare them.\n\n",
                v.variant
            )),
            None => out.push_str("No variant has results, so there is nothing to compare.\n\n"),
        }
        return;
    }
    for &s in &a.scenarios {
        match a.family(s) {
            Some(f) => render_family(a, f, out),
            None => {
                let ran: Vec<String> = a.runs_of(s).map(|r| r.variant.to_string()).collect();
                out.push_str(&format!(
                    "### {s}\n\nNo comparison: only {} ran this scenario{}.\n\n",
                    join_and(&ran),
                    if a.runs_of(s).any(|r| r.variant_index == 0) {
                        ""
                    } else {
                        ", and the baseline did not"
                    }
                ));
            }
        }
    }
    render_pareto(a, out);
}

fn render_family(a: &Analysis<'_>, f: &Family, out: &mut String) {
    let lvl = level(a.options.compare.confidence_level);
    let base = &a.runs[f.baseline_run];
    let tick = base.tick_ms;
    out.push_str(&format!(
        "### {}\n\nEach variant's {} against the baseline {} ({} values); speedup = baseline / \
         candidate, above 1 when the candidate is faster.\n\n",
        f.scenario,
        super::sample_noun(f.scenario),
        f.baseline,
        count(base.sample_ms.len() as u64)
    ));
    let holm = f.members.iter().filter(|m| m.comparison.is_ok()).count() > 1;
    let mut t = Table::new(&[
        ("Variant", Align::Left),
        ("n", Align::Right),
        ("Speedup of means", Align::Right),
        (&format!("{lvl} CI"), Align::Right),
        ("Speedup of medians", Align::Right),
        (&format!("{lvl} CI"), Align::Right),
        (
            if holm { "Welch p (Holm)" } else { "Welch p" },
            Align::Right,
        ),
        ("Mann-Whitney p", Align::Right),
        ("Cohen's d", Align::Right),
        ("Cliff's delta", Align::Right),
        ("Verdict", Align::Left),
    ]);
    let tail_ci = format!("{lvl} CI (ms)");
    let mut tail_columns = vec![
        ("Variant", Align::Left),
        ("Percentile", Align::Left),
        ("Baseline (ms)", Align::Right),
        ("Candidate (ms)", Align::Right),
        ("Difference (ms)", Align::Right),
        (tail_ci.as_str(), Align::Right),
        ("p (candidate's is lower)", Align::Right),
    ];
    if tick.is_some() {
        tail_columns.push(("Against the tick bounds", Align::Left));
    }
    let mut tails = Table::new(&tail_columns);
    let mut sentences = Vec::new();
    for m in &f.members {
        let run = &a.runs[m.run];
        match &m.comparison {
            Ok(c) => {
                let s = &c.speedup;
                t.row(vec![
                    m.variant.to_string(),
                    count(run.sample_ms.len() as u64),
                    times(s.of_means.point),
                    crate::report::text::interval(&s.of_means.ci, 3),
                    times(s.of_medians.point),
                    crate::report::text::interval(&s.of_medians.ci, 3),
                    p_value(c.verdict.p_value),
                    p_value(c.mann_whitney.p_value),
                    format!("{} ({})", sig(c.cohens_d, 3), c.cohens_d_magnitude.as_str()),
                    format!(
                        "{} ({})",
                        sig(c.cliffs_delta, 3),
                        c.cliffs_delta_magnitude.as_str()
                    ),
                    verdict_word(c.verdict.kind).to_string(),
                ]);
                for tail in &c.tails {
                    let mut cells = vec![
                        m.variant.to_string(),
                        percentile_label(tail.percentile),
                        ms(tail.b_ms, tick),
                        ms(tail.a_ms, tick),
                        sig(tail.difference_ms, 4),
                        format!(
                            "{} to {}",
                            sig(tail.difference_ci_ms.lower, 4),
                            sig(tail.difference_ci_ms.upper, 4)
                        ),
                        bootstrap_p(tail.p_value_a_lower),
                    ];
                    if tick.is_some() {
                        cells.push(
                            tick_overlap(tail.percentile, tail.a_ms, run.tick_ms, tail.b_ms, tick)
                                .map_or_else(
                                    || "n/a".to_string(),
                                    |o| {
                                        format!(
                                            "{} (±{})",
                                            if o.within { "within" } else { "beyond" },
                                            sig(o.bounds_ms, 3)
                                        )
                                    },
                                ),
                        );
                    }
                    tails.row(cells);
                }
                let ticks = percentile_overlap(run.run, run.tick_ms, base.run, base.tick_ms)
                    .map_or_else(String::new, |o| format!("; {}", tick_overlap_text(&o)));
                sentences.push(format!(
                    "- {}{ticks}{}.",
                    c.sentence(&f.baseline.to_string(), &m.variant.to_string()),
                    invalid_caveat(&[base, run])
                ));
            }
            Err(e) => {
                t.row(vec![
                    m.variant.to_string(),
                    count(run.sample_ms.len() as u64),
                    format!("not compared: {e}"),
                ]);
                sentences.push(format!(
                    "- {} could not be compared with {}: {e}.",
                    m.variant, f.baseline
                ));
            }
        }
    }
    out.push_str(&t.render());
    for s in &sentences {
        out.push_str(s);
        out.push('\n');
    }
    out.push('\n');
    if !tails.is_empty() {
        out.push_str(&format!(
            "Tail comparison (bootstrap of the LoadGen-percentile difference, candidate minus \
             baseline; the one-sided p is the share of resamples that do not show the \
             candidate's percentile lower):\n\n{}",
            tails.render()
        ));
    }
    if f.scenario == crate::loadgen::settings::Scenario::Offline {
        let rate = |i: usize| match a.runs[i].run.metric {
            Some(ScenarioMetric::Offline(m)) => m.samples_per_second,
            _ => None,
        };
        let parts: Vec<String> = f
            .members
            .iter()
            .filter_map(|m| {
                Some(format!(
                    "{} {}",
                    m.variant,
                    times(rate(m.run)? / rate(f.baseline_run)?)
                ))
            })
            .collect();
        if !parts.is_empty() {
            out.push_str(&format!(
                "Throughput ratio (samples/s of the variant over the baseline's, LoadGen's \
                 metric, one number per run): {}.\n\n",
                join_and(&parts)
            ));
        }
    }
}

/// A one-sided bootstrap p-value; its floor 1 / (R + 1) (no resample against) is written
/// `< 0.0001` for 10,000 resamples rather than as an exact-looking `9.999e-5`.
fn bootstrap_p(p: f64) -> String {
    if p < 1e-4 {
        "< 0.0001".to_string()
    } else {
        p_value(p)
    }
}

fn verdict_word(kind: crate::stats::VerdictKind) -> &'static str {
    use crate::stats::VerdictKind as K;
    match kind {
        K::Faster => "faster",
        K::Slower => "slower",
        K::WithinNoise => "within noise",
        K::NoSignificantDifference => "no significant difference",
    }
}

fn render_pareto(a: &Analysis<'_>, out: &mut String) {
    out.push_str("### Normalised metrics and Pareto frontier\n\n");
    let p = &a.pareto;
    if !p.missing.is_empty() {
        out.push_str(&format!(
            "No Pareto table: {}. It needs each variant's top-1 accuracy and its SingleStream \
             p90 latency.\n\n",
            join_and(&p.missing)
        ));
        return;
    }
    let names: Vec<String> = p.rows.iter().map(|r| r.variant.to_string()).collect();
    out.push_str(
        "Against the baseline: speedup = baseline mean / variant mean SingleStream latency \
         (the reference's definition, as in the page's variant comparison), \
         compression = baseline bytes / variant bytes, accuracy delta = variant - baseline top-1 \
         in percentage points, efficiency score = speedup x compression / (1 + |delta|) with \
         the delta as a fraction (the reference's formula: a ranking aid, not a measurement). A \
         variant is dominated when another is at least as accurate and at least as fast, and \
         strictly better in one.\n\n",
    );
    let mut t = Table::new(&[
        ("Variant", Align::Left),
        ("Size (bytes)", Align::Right),
        ("Compression (x)", Align::Right),
        ("Top-1 (%)", Align::Right),
        ("Accuracy delta (points)", Align::Right),
        ("SingleStream p90 (ms)", Align::Right),
        ("Speedup (x)", Align::Right),
        ("Efficiency score", Align::Right),
        ("Pareto (accuracy vs p90)", Align::Left),
    ]);
    let mut notes: Vec<String> = Vec::new();
    for (i, r) in p.rows.iter().enumerate() {
        let mut cell = |what: &str,
                        value: &Result<f64, crate::stats::StatsError>,
                        f: &dyn Fn(f64) -> String| match value {
            Ok(v) => f(*v),
            Err(e) => {
                let note = format!("{}'s {what}: {e}", r.variant);
                if !notes.contains(&note) {
                    notes.push(note);
                }
                "n/a".to_string()
            }
        };
        let (speedup, compression, delta, score) = match (&r.normalized, i) {
            (_, 0) => (
                "1 (baseline)".to_string(),
                "1 (baseline)".to_string(),
                "0 (baseline)".to_string(),
                "1 (baseline)".to_string(),
            ),
            (Some(n), _) => (
                cell("speedup", &n.speedup, &|x| sig(x, 3)),
                cell("compression", &n.compression, &|x| sig(x, 3)),
                cell("accuracy delta", &n.accuracy_delta, &|x| {
                    format!("{:+.2}", x * 100.0)
                }),
                if n.speedup.is_ok() {
                    cell("efficiency score", &n.efficiency, &|x| sig(x, 3))
                } else {
                    "n/a".to_string()
                },
            ),
            (None, _) => (
                "n/a".to_string(),
                "n/a".to_string(),
                "n/a".to_string(),
                "n/a".to_string(),
            ),
        };
        let status = match &r.status {
            Some(s) => pareto_status_text(s, |j| names[j].clone()),
            None => match (r.accuracy, r.p90_ms) {
                (None, _) => "not placed: no accuracy".into(),
                _ => "not placed: no SingleStream p90".into(),
            },
        };
        t.row(vec![
            r.variant.to_string(),
            count(r.size_bytes),
            compression,
            r.accuracy
                .map_or_else(|| "n/a".into(), |x| format!("{:.2}", x * 100.0)),
            delta,
            r.p90_ms.map_or_else(|| "n/a".into(), |x| ms(x, a.tick_ms)),
            speedup,
            score,
            status,
        ]);
    }
    out.push_str(&t.render());
    if !notes.is_empty() {
        out.push_str(&format!("Not computed: {}.\n\n", notes.join("; ")));
    }
    let on: Vec<&crate::report::analysis::ParetoRow> = p
        .rows
        .iter()
        .filter(|r| r.status.as_ref().is_some_and(|s| s.on_frontier))
        .collect();
    let dominated: Vec<String> = p
        .rows
        .iter()
        .filter(|r| r.status.as_ref().is_some_and(|s| !s.on_frontier))
        .map(|r| r.variant.to_string())
        .collect();
    if on.is_empty() {
        return;
    }
    let names: Vec<String> = on.iter().map(|r| r.variant.to_string()).collect();
    let tied = on
        .windows(2)
        .all(|w| w[0].accuracy == w[1].accuracy && w[0].p90_ms == w[1].p90_ms);
    out.push_str(&format!(
        "On the frontier: {}{}.",
        join_and(&names),
        if on.len() == 1 {
            " (at least as accurate and as fast as every other variant)"
        } else if tied {
            " (they tie on both accuracy and p90 latency)"
        } else {
            " (none is better than another on both axes)"
        }
    ));
    if dominated.is_empty() {
        out.push_str(" No variant is dominated.");
    } else {
        out.push_str(&format!(
            " Dominated: {}: another variant is better on one axis and no worse on the other. \
             Dominance compares point estimates; whether a latency difference is significant \
             is in the SingleStream comparison above.",
            join_and(&dominated)
        ));
    }
    if p.rows.iter().any(|r| r.p90_ms == Some(0.0)) {
        out.push_str(
            " Some p90 latencies read 0 (below one timer tick), so the latency axis cannot \
             separate those variants.",
        );
    }
    out.push_str("\n\n");
}
