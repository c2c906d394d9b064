//! `inferbench compare FILES... [--baseline LABEL] [--threshold PCT] [--markdown]`: every
//! machine's results against a baseline machine, for a teacher with a folder of students'
//! result files (or reports).

use std::time::Instant;

use super::args::Args;
use super::CliError;
use crate::compare::regression::RegressionVerdict;
use crate::compare::{render_comparison, ImportSet, MachineComparison, RowStatus};
use crate::format::{count, one_line, p_value, sig, times};
use crate::stats::CompareConfig;

/// Files from this size on (about a million queries) get progress lines on stderr.
const PROGRESS_BYTES: usize = 4_000_000;

pub(super) fn compare(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(args, &["--baseline", "--threshold"], &["--markdown"])?;
    if args.positional.len() < 2 {
        return Err(CliError::usage(format!(
            "compare needs at least two result files (.json or report .md), got {}",
            args.positional.len()
        )));
    }
    let mut set = ImportSet::new();
    let mut failed = 0;
    let files = args.positional.len();
    // Progress for files large enough to take a while (a million queries or so); small
    // ones load at once, and say nothing.
    let mut large = false;
    for (i, path) in args.positional.iter().enumerate() {
        let name = one_line(path, 200);
        let started = Instant::now();
        let outcome = super::read_file(path)
            .map_err(|e| e.message)
            .and_then(|text| {
                let big = text.len() >= PROGRESS_BYTES;
                if big {
                    eprintln!(
                        "inferbench: [{}/{files}] reading {name} ({:.1} MB)",
                        i + 1,
                        text.len() as f64 / 1e6
                    );
                }
                set.add(path, &text)
                    .map(|index| (index, big))
                    .map_err(|e| format!("{name}: {e}"))
            });
        match outcome {
            Ok((index, big)) => {
                large |= big;
                if big {
                    eprintln!(
                        "inferbench: [{}/{files}] {name}: {} queries read in {:.1} s",
                        i + 1,
                        count(set.files()[index].result.query_count()),
                        started.elapsed().as_secs_f64()
                    );
                }
                if let Some(what) = &set.files()[index].altered {
                    eprintln!("inferbench: {name}: {what}; recomputed values are used");
                }
            }
            Err(message) => {
                eprintln!("inferbench: skipped {message}");
                failed += 1;
            }
        }
    }
    if set.files().len() < 2 {
        return Err(CliError::usage(format!(
            "{} of {} files could be read: at least two are needed to compare",
            set.files().len(),
            args.positional.len()
        )));
    }
    let names = set.machine_names();
    let baseline = match args.one("--baseline")? {
        None => 0,
        Some(label) => names
            .iter()
            .position(|n| n == label)
            .or_else(|| {
                set.files()
                    .iter()
                    .position(|f| f.result.machine_label.eq_ignore_ascii_case(label))
            })
            .ok_or_else(|| {
                CliError::usage(format!(
                    "no machine is labelled \"{}\"; the machines are: {}",
                    one_line(label, 80),
                    names
                        .iter()
                        .map(|n| format!("\"{}\"", one_line(n, 80)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    let config = CompareConfig {
        noise_threshold: super::threshold(&args, CompareConfig::default().noise_threshold * 100.0)?,
        ..CompareConfig::default()
    };
    let started = Instant::now();
    let comparison = MachineComparison::of_with_progress(&set, baseline, &config, &mut |p| {
        if !large {
            return;
        }
        eprintln!(
            "inferbench: comparing {} {:?} ({} of {}, {:.1} s so far)",
            p.variant,
            p.scenario,
            p.done + 1,
            p.total,
            started.elapsed().as_secs_f64()
        )
    })
    .expect("the baseline index is in range");
    if large {
        eprintln!(
            "inferbench: compared {} machines in {:.1} s",
            set.files().len(),
            started.elapsed().as_secs_f64()
        );
    }
    if args.has("--markdown") {
        super::out(&render_comparison(&comparison));
    } else {
        super::out(&render_text(&comparison));
    }
    if failed > 0 {
        eprintln!("inferbench: {failed} file(s) skipped (see above)");
    }
    Ok(())
}

fn render_text(c: &MachineComparison) -> String {
    let name = |i: usize| {
        let m = &c.machines[i];
        format!(
            "{}{}",
            one_line(&m.name, 80),
            if m.altered.is_some() {
                " [altered file: recomputed values]"
            } else {
                ""
            }
        )
    };
    let mut out = format!(
        "Baseline: {} ({}); noise threshold {}%\n",
        name(c.baseline),
        one_line(&c.machines[c.baseline].file_name, 200),
        sig(c.config.noise_threshold * 100.0, 3)
    );
    for g in &c.groups {
        out.push_str(&format!("\n{} {:?}\n", g.variant, g.scenario));
        for r in &g.rows {
            let m = name(r.machine);
            let metric = r.headline.map_or_else(
                || "-".into(),
                |h| {
                    format!(
                        "{} {} {}{}",
                        h.label(),
                        sig(h.value, 4),
                        h.unit(),
                        h.ci.map_or_else(String::new, |ci| format!(
                            " (95% CI {}-{})",
                            sig(ci.lower, 4),
                            sig(ci.upper, 4)
                        ))
                    )
                },
            );
            let validity = match r.valid {
                Some(true) => "VALID",
                Some(false) => "INVALID",
                None => "-",
            };
            let status = match &r.status {
                RowStatus::Baseline => "baseline".to_string(),
                RowStatus::Compared(v) => format!(
                    "{} {}: speedup {} (95% CI {}-{}), Welch p (Holm) {}, Mann-Whitney p (Holm) {}",
                    RegressionVerdict::of(v.comparison.verdict.kind),
                    one_line(&v.sentence, 300),
                    times(v.comparison.speedup.of_means.point),
                    times(v.comparison.speedup.of_means.ci.lower),
                    times(v.comparison.speedup.of_means.ci.upper),
                    p_value(v.welch_p_holm),
                    p_value(v.mann_whitney_p_holm)
                ),
                RowStatus::WorkloadDiffers { differences } => format!(
                    "not compared, workload differs: {}",
                    differences
                        .iter()
                        .map(|d| one_line(&d.to_string(), 200))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                RowStatus::Missing => "not run".into(),
                RowStatus::NotComparable { reason } => {
                    format!("not comparable: {}", one_line(reason, 300))
                }
            };
            out.push_str(&format!("  {m}: {metric}, {validity}; {status}\n"));
        }
    }
    out
}
