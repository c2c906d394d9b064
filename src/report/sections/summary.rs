//! The title and the executive summary: what ran, whether it completed, the headline numbers
//! with their intervals, VALID/INVALID counts, the verdicts against the baseline, accuracy.

use super::{headlines, run_name};
use crate::format::percent;
use crate::loadgen::validity::StopReason;
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{escape_inline, join_and, plural};
use crate::report::verdict_text::VerdictSentence;
use crate::results::RunStatus;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    out.push_str(&format!(
        "# InferBench report: {}\n\n",
        escape_inline(&r.machine_label)
    ));
    let when = match &r.created_utc {
        Some(t) => format!(
            "Run ended {} (UTC, as recorded by the driver)",
            escape_inline(t)
        ),
        None => "The result does not record when it ran (no `created_utc`)".to_string(),
    };
    let names: Vec<String> = r
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == 0 {
                format!("{} (the baseline)", v.variant)
            } else {
                v.variant.to_string()
            }
        })
        .collect();
    let what = match (r.plan.synthetic_sut, r.variants.first()) {
        (Some(sut), Some(v)) => format!(
            "No model ran: the synthetic system `{sut}` answered the queries (its results are \
             filed under the variant slot {})",
            v.variant
        ),
        (Some(sut), None) => {
            format!("No model ran: the synthetic system `{sut}` was to answer the queries")
        }
        (None, _) if names.is_empty() => format!(
            "{}; no variant has results",
            crate::report::text::capitalised(&crate::report::text::model_name(r))
        ),
        (None, _) => format!(
            "{}; variants with results: {}",
            crate::report::text::capitalised(&crate::report::text::model_name(r)),
            names.join(", ")
        ),
    };
    out.push_str(&format!(
        "{when}. InferBench {}, result schema `{}` version {}. {what}.\n\n",
        escape_inline(&r.app_version),
        escape_inline(&r.schema),
        r.schema_version,
    ));
    render_status(a, out);

    out.push_str("## Executive summary\n\n");
    if a.runs.is_empty() {
        out.push_str(
            "No performance run has results, so there is no headline number, validity \
             count or verdict to report.\n\n",
        );
    } else {
        let level = crate::report::text::level(a.options.compare.confidence_level);
        let mut t = Table::new(&[
            ("Scenario", Align::Left),
            ("Variant", Align::Left),
            ("Metric (unit)", Align::Left),
            ("Value", Align::Right),
            (&format!("{level} CI"), Align::Right),
            ("Result", Align::Left),
        ]);
        for &s in &a.scenarios {
            for run in a.runs_of(s) {
                let result = super::result_text(run);
                for h in headlines(run) {
                    t.row(vec![
                        s.to_string(),
                        run.label.clone(),
                        h.metric,
                        h.value,
                        h.interval,
                        result.clone(),
                    ]);
                }
            }
        }
        out.push_str(&t.render());
        render_counts(a, out);
        render_verdicts(a, out);
    }
    render_accuracy(a, out);
}

/// Completed or cancelled, and what is missing.
fn render_status(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    let plan = &r.plan;
    let mut missing = Vec::new();
    let training = &r.model.training;
    // Nothing is trained when a synthetic system replaces the model or a model file is
    // imported.
    let trains = plan.synthetic_sut.is_none() && plan.model_file.is_none();
    if trains && (training.steps_done < training.total_steps || training.total_steps == 0) {
        missing.push(if training.total_steps == 0 {
            "training did not start".to_string()
        } else {
            format!(
                "training stopped after {} of {} steps",
                crate::format::count(training.steps_done as u64),
                crate::format::count(training.total_steps as u64)
            )
        });
    }
    for v in &plan.variants {
        match r.variants.iter().find(|x| x.variant == *v) {
            None => missing.push(format!("{v} did not run at all")),
            Some(x) => {
                let mut absent = Vec::new();
                if plan.accuracy_mode && x.accuracy.is_none() {
                    absent.push("accuracy run".to_string());
                }
                for s in &plan.scenarios {
                    if x.run(s.scenario()).is_none() {
                        absent.push(format!("{} run", s.scenario()));
                    }
                }
                if plan.peak_search.is_some() && x.peak.is_none() {
                    absent.push("peak-QPS search".to_string());
                }
                if !absent.is_empty() {
                    missing.push(format!("{v} has no {}", absent.join(", no ")));
                }
            }
        }
    }
    let cut: Vec<String> = a
        .runs
        .iter()
        .filter(|x| x.run.stop_reason == StopReason::Cancelled)
        .map(run_name)
        .collect();
    match r.status {
        RunStatus::Completed if missing.is_empty() => out.push_str(&format!(
            "Status: **completed**: every planned task ran ({} performance {}).\n\n",
            a.runs.len(),
            if a.runs.len() == 1 { "run" } else { "runs" }
        )),
        RunStatus::Completed => out.push_str(&format!(
            "Status: **completed**, but the result lacks parts of the plan: {}.\n\n",
            missing.join("; ")
        )),
        RunStatus::Cancelled => {
            out.push_str("Status: **cancelled**. ");
            if cut.is_empty() {
                out.push_str("No run was interrupted mid-way. ");
            } else {
                out.push_str(&format!(
                    "Interrupted mid-way, its measurements kept and INVALID: {}. ",
                    join_and(&cut)
                ));
            }
            if missing.is_empty() {
                out.push_str("Every planned task has a result.\n\n");
            } else {
                out.push_str(&format!("Missing: {}.\n\n", missing.join("; ")));
            }
        }
    }
}

fn render_counts(a: &Analysis<'_>, out: &mut String) {
    let invalid: Vec<String> = a
        .runs
        .iter()
        .filter(|r| !r.run.is_valid())
        .map(run_name)
        .collect();
    let total = a.runs.len();
    let valid = total - invalid.len();
    if invalid.is_empty() {
        out.push_str(&format!(
            "All {} are VALID.\n\n",
            plural(total as u64, "performance run", "performance runs")
        ));
    } else {
        out.push_str(&format!(
            "Of {}, {} VALID and {} INVALID: {} (the reasons are under each scenario's results).\n\n",
            plural(total as u64, "performance run", "performance runs"),
            valid,
            invalid.len(),
            join_and(&invalid)
        ));
    }
}

fn render_verdicts(a: &Analysis<'_>, out: &mut String) {
    let Some(baseline) = a.baseline() else {
        return;
    };
    if a.result.variants.len() < 2 {
        out.push_str(&format!(
            "Only {baseline} was run, so there is no verdict against a baseline.\n\n"
        ));
        return;
    }
    if a.families.is_empty() {
        out.push_str(&format!(
            "No scenario has runs of both the baseline {baseline} and another variant, so \
             there is no verdict.\n\n"
        ));
        return;
    }
    out.push_str(&format!(
        "Verdicts against the baseline {baseline}, scenario by scenario (speedup of mean \
         latency, Welch's p; Holm-adjusted where several variants are compared):\n\n"
    ));
    for f in &a.families {
        for m in &f.members {
            let run = &a.runs[m.run];
            let base = &a.runs[f.baseline_run];
            let caveat = invalid_caveat(&[base, run]);
            match &m.comparison {
                Ok(c) => out.push_str(&format!(
                    "- {}: {}{caveat}.\n",
                    f.scenario,
                    c.sentence(&f.baseline.to_string(), &m.variant.to_string())
                )),
                Err(e) => out.push_str(&format!(
                    "- {}: {} could not be compared with {}: {e}.\n",
                    f.scenario, m.variant, f.baseline
                )),
            }
        }
    }
    out.push('\n');
}

/// " (f32-fast's run is INVALID)" when a compared run is INVALID.
pub(crate) fn invalid_caveat(runs: &[&crate::report::analysis::RunAnalysis<'_>]) -> String {
    let invalid: Vec<String> = runs
        .iter()
        .filter(|r| !r.run.is_valid())
        .map(|r| r.label.clone())
        .collect();
    match invalid.len() {
        0 => String::new(),
        1 => format!(" ({}'s run is INVALID)", invalid[0]),
        _ => format!(" (the {} runs are INVALID)", join_and(&invalid)),
    }
}

fn render_accuracy(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    if !r.plan.accuracy_mode {
        out.push_str("Accuracy mode was not run, so no accuracy is reported.\n\n");
        return;
    }
    if let Some(why) = crate::report::text::accuracy_not_measured(r) {
        out.push_str(&format!("{why}.\n\n"));
        return;
    }
    let parts: Vec<String> = r
        .variants
        .iter()
        .map(|v| match v.accuracy.as_ref().and_then(|x| x.accuracy) {
            Some(acc) => match acc.top1 {
                Some(top1) => format!(
                    "{} {} ({} of {})",
                    v.variant,
                    percent(top1, 2),
                    acc.correct,
                    acc.total
                ),
                None => format!("{} none (no sample processed)", v.variant),
            },
            None => format!("{} not measured", v.variant),
        })
        .collect();
    if parts.is_empty() {
        out.push_str("No variant ran, so no accuracy is reported.\n\n");
    } else {
        out.push_str(&format!(
            "Top-1 accuracy on the {}-sample test split (accuracy mode, every sample once): {}.\n\n",
            r.model.training.test_samples,
            join_and(&parts)
        ));
    }
}
