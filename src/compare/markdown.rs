//! The comparison report: machines against a baseline machine, as Markdown, with the
//! comparison's data embedded as JSON so that the numbers can be checked or re-used.
//!
//! Every sentence is derived from the [`MachineComparison`]; user text (labels, file names,
//! user agents) is escaped, never interpreted as Markdown or HTML.

use super::machines::{Group, MachineComparison, RowStatus};
use crate::format::{count, p_value, sig, times};
use crate::report::table::{Align, Table};
use crate::report::text::{escape_inline, join_and, plural};
use crate::stats::{ConfidenceInterval, VerdictKind};

/// The line right before the embedded comparison JSON.
pub const COMPARISON_JSON_MARKER: &str = "<!-- inferbench-comparison-json -->";

/// The comparison report of `comparison`.
pub fn render_comparison(comparison: &MachineComparison) -> String {
    let c = comparison;
    let name = |i: usize| escape_inline(&c.machines[i].name);
    let mut out = format!(
        "# InferBench comparison: {} against {}\n\n",
        plural(c.machines.len() as u64, "machine", "machines"),
        name(c.baseline)
    );
    out.push_str(&summary(c));
    out.push_str("## Machines\n\n");
    let mut machines = Table::new(&[
        ("Machine", Align::Left),
        ("File", Align::Left),
        ("Ran (UTC)", Align::Left),
        ("Platform", Align::Left),
        ("Timer resolution (µs)", Align::Right),
        ("Cross-origin isolated", Align::Left),
    ]);
    for (i, m) in c.machines.iter().enumerate() {
        machines.row(vec![
            if i == c.baseline {
                format!("{} (baseline){}", name(i), altered_mark(c, i))
            } else {
                format!("{}{}", name(i), altered_mark(c, i))
            },
            escape_inline(&m.file_name),
            m.created_utc
                .as_deref()
                .map_or_else(|| "not recorded".into(), escape_inline),
            escape_inline(&m.platform),
            m.timer_resolution_ms
                .map_or_else(|| "not measured".into(), |ms| sig(ms * 1e3, 3)),
            match m.cross_origin_isolated {
                Some(true) => "yes".into(),
                Some(false) => "no (coarse timer)".into(),
                None => "not applicable".into(),
            },
        ]);
    }
    out.push_str(&machines.render());
    out.push_str(&altered_files(c));
    for g in &c.groups {
        out.push_str(&group_section(c, g));
    }
    out.push_str(&method(c));
    out.push_str("## Data\n\nThe comparison as JSON (every statistic above, and more):\n\n");
    out.push_str(COMPARISON_JSON_MARKER);
    out.push_str("\n```json\n");
    out.push_str(&crate::report::html_safe_json(
        &crate::results::io::inline_number_arrays(
            &crate::results::json::to_pretty(c).expect("a comparison serialises"),
        ),
    ));
    out.push_str("\n```\n");
    out
}

/// " (**altered file**)" after a machine whose file does not check out, else nothing.
fn altered_mark(c: &MachineComparison, machine: usize) -> &'static str {
    if c.machines[machine].altered.is_some() {
        " (**altered file**)"
    } else {
        ""
    }
}

/// The machines whose files' stored values do not match their query records, each with the
/// first value that differs; nothing when every file checks out.
fn altered_files(c: &MachineComparison) -> String {
    let lines: Vec<String> = c
        .machines
        .iter()
        .filter_map(|m| {
            let what = m.altered.as_ref()?;
            Some(format!(
                "- {} ({}): {}.\n",
                escape_inline(&m.name),
                escape_inline(&m.file_name),
                escape_inline(what)
            ))
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "**Altered files.** The stored values of these files do not match their own query \
         records; every number below is recomputed from the records, never taken from the \
         file:\n\n{}\n",
        lines.concat()
    )
}

fn summary(c: &MachineComparison) -> String {
    let mut out = String::from("## Summary\n\n");
    let mut faster = 0;
    let mut slower = 0;
    let mut same = 0;
    let mut excluded: Vec<String> = Vec::new();
    for g in &c.groups {
        for r in &g.rows {
            match &r.status {
                RowStatus::Compared(v) => match v.comparison.verdict.kind {
                    VerdictKind::Faster => faster += 1,
                    VerdictKind::Slower => slower += 1,
                    _ => same += 1,
                },
                RowStatus::WorkloadDiffers { .. } => {
                    let n = escape_inline(&c.machines[r.machine].name);
                    if !excluded.contains(&n) {
                        excluded.push(n);
                    }
                }
                _ => {}
            }
        }
    }
    out.push_str(&format!(
        "{} runs were compared with {}'s: {} faster, {} slower, {} without a clear difference \
         (not significant or within the noise threshold).",
        faster + slower + same,
        escape_inline(&c.machines[c.baseline].name),
        faster,
        slower,
        same
    ));
    if excluded.is_empty() {
        out.push_str(" Every machine ran the same workload as the baseline.\n\n");
    } else {
        out.push_str(&format!(
            " Not compared where their workload differs from the baseline's: {} (see each \
             section for what differs).\n\n",
            join_and(&excluded)
        ));
    }
    for g in &c.groups {
        let sentences: Vec<String> = g
            .rows
            .iter()
            .filter_map(|r| match &r.status {
                RowStatus::Compared(v) => Some(escape_inline(&v.sentence)),
                _ => None,
            })
            .collect();
        if !sentences.is_empty() {
            out.push_str(&format!(
                "- {} {:?}: {}\n",
                g.variant,
                g.scenario,
                sentences.join("; ")
            ));
        }
    }
    out.push('\n');
    out
}

fn interval(ci: &Option<ConfidenceInterval>) -> String {
    ci.map_or_else(
        || "none".into(),
        |ci| format!("{} to {}", sig(ci.lower, 4), sig(ci.upper, 4)),
    )
}

fn group_section(c: &MachineComparison, g: &Group) -> String {
    let mut out = format!("## {}, {:?}\n\n", g.variant, g.scenario);
    let label = g.rows.iter().find_map(|r| r.headline).map_or_else(
        || "metric".to_string(),
        |h| format!("{} ({})", h.label(), h.unit()),
    );
    let mut table = Table::new(&[
        ("Machine", Align::Left),
        (&label, Align::Right),
        ("95% CI", Align::Right),
        ("Queries", Align::Right),
        ("Result", Align::Left),
        ("Speedup vs baseline (mean latency)", Align::Right),
        ("95% CI", Align::Right),
        ("Welch p (Holm)", Align::Right),
        ("Mann-Whitney p (Holm)", Align::Right),
        ("Verdict", Align::Left),
    ]);
    let mut differs: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for r in &g.rows {
        let m = format!(
            "{}{}",
            escape_inline(&c.machines[r.machine].name),
            altered_mark(c, r.machine)
        );
        let mut cells = vec![
            m.clone(),
            r.headline.map_or_else(|| "-".into(), |h| sig(h.value, 4)),
            r.headline.map_or_else(|| "-".into(), |h| interval(&h.ci)),
            count(r.queries as u64),
            match r.valid {
                Some(true) => "VALID".into(),
                Some(false) => "INVALID".into(),
                None => "-".into(),
            },
        ];
        match &r.status {
            RowStatus::Baseline => cells.extend([
                "1x (baseline)".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
            ]),
            RowStatus::Compared(v) => {
                let s = &v.comparison.speedup.of_means;
                cells.extend([
                    times(s.point),
                    format!("{} to {}", times(s.ci.lower), times(s.ci.upper)),
                    p_value(v.welch_p_holm),
                    p_value(v.mann_whitney_p_holm),
                    verdict_word(v.comparison.verdict.kind).into(),
                ]);
            }
            RowStatus::WorkloadDiffers { differences } => {
                cells.extend([
                    "not compared: other workload".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                ]);
                differs.push(format!(
                    "{m}: {}",
                    join_and(
                        &differences
                            .iter()
                            .map(|d| escape_inline(&d.to_string()))
                            .collect::<Vec<_>>()
                    )
                ));
            }
            RowStatus::Missing => {
                cells.extend(["not run".into(), "".into(), "".into(), "".into(), "".into()])
            }
            RowStatus::NotComparable { reason } => {
                cells.extend([
                    "not comparable".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                ]);
                notes.push(format!("{m}: {}", escape_inline(reason)));
            }
        }
        if !r.notes.is_empty() {
            notes.push(format!(
                "{m} ran a different sample size ({}); compared anyway, since the work per query is the same",
                join_and(&r.notes.iter().map(|d| escape_inline(&d.to_string())).collect::<Vec<_>>())
            ));
        }
        table.row(cells);
    }
    out.push_str(&table.render());
    for d in differs {
        out.push_str(&format!("- Workload differs from the baseline's: {d}.\n"));
    }
    for n in notes {
        out.push_str(&format!("- {n}.\n"));
    }
    out.push('\n');
    out
}

fn verdict_word(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Faster => "faster",
        VerdictKind::Slower => "slower",
        VerdictKind::WithinNoise => "within noise",
        VerdictKind::NoSignificantDifference => "no significant difference",
    }
}

fn method(c: &MachineComparison) -> String {
    let cfg = &c.config;
    format!(
        "## Method\n\n\
         - Runs are compared only when they did the same work: same InferBench version, model \
         (preset, layers, training), split seed, variant, scenario parameters, target percentile \
         and seeds. A different run length (duration, query counts, warm-up) is a note, not a \
         reason to refuse.\n\
         - Each machine's query latencies (Offline: the service times of full batches) are compared with the \
         baseline machine's: speedup = baseline mean / machine mean with a seeded percentile \
         bootstrap ({}; seed {}; {}% interval); Welch's t-test and the Mann-Whitney U \
         test (tie-corrected normal approximation), two-sided.\n\
         - Holm-Bonferroni correction over the machines compared in each section, for both \
         tests; the verdict uses the corrected Welch p.\n\
         - Verdict: faster when p < {} and the speedup's interval lies entirely above 1 + {}; \
         slower when it lies entirely below 1 / (1 + {}); otherwise within noise (significant) \
         or no significant difference.\n\
         - Headline intervals: order-statistic (distribution-free) intervals for latency \
         percentiles, the inverted Student-t interval of the mean time per sample for Offline \
         throughput.\n\n",
        crate::report::text::resamples_description(cfg),
        cfg.seed,
        sig(cfg.confidence_level * 100.0, 3),
        sig(cfg.alpha, 3),
        sig(cfg.noise_threshold, 3),
        sig(cfg.noise_threshold, 3),
    )
}
