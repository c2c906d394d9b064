//! Timer honesty (SPEC section 3): how the timer's tick bounds each latency, which runs are
//! within 20 ticks, the per-percentile error for those, and what would fix it.

use super::run_name;
use crate::format::{count, fine_duration_ms, sig};
use crate::loadgen::validity::TIMER_RATIO;
use crate::model::ModelPreset;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::report::text::{join_and, ms, plural, relative_percent};
use crate::results::Runtime;
use crate::stats::error::percentile_label;

/// Whether a run's median is within [`TIMER_RATIO`] ticks (or the tick is unmeasurable).
pub(crate) fn too_coarse(r: &RunAnalysis<'_>) -> bool {
    r.run.validity.reasons.iter().any(|x| {
        matches!(
            x,
            crate::loadgen::validity::InvalidReason::TimerTooCoarse { .. }
        )
    }) || match (r.tick_ms, r.summary.as_ref().ok()) {
        (Some(tick), Some(s)) => s
            .percentile(0.5)
            .is_some_and(|e| e.value_ms < TIMER_RATIO * tick),
        _ => false,
    }
}

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    if a.runs.is_empty() {
        return;
    }
    out.push_str("## Timer honesty\n\n");
    let known: Vec<&RunAnalysis<'_>> = a.runs.iter().filter(|r| r.tick_ms.is_some()).collect();
    if known.is_empty() {
        out.push_str(
            "No run records a measured timer resolution, so the error each tick adds to a \
             latency cannot be stated; treat differences of a few microseconds with caution.\n\n",
        );
        return;
    }
    out.push_str(&format!(
        "A latency is the difference of two readings of a timer that moves in ticks, so each \
         reading is off by up to one tick and each percentile is known to ± one tick: a \
         relative error of tick / value. A run is trusted only if its median latency is at \
         least {TIMER_RATIO} ticks (error at most {}).\n\n",
        relative_percent(1.0, TIMER_RATIO)
    ));
    let mut t = Table::new(&[
        ("Run", Align::Left),
        ("Tick", Align::Right),
        ("p50 (ms)", Align::Right),
        ("Ticks in p50", Align::Right),
        ("p50 error (± 1 tick)", Align::Right),
        ("p99 error (± 1 tick)", Align::Right),
        ("Readings of 0", Align::Right),
    ]);
    for r in &known {
        let tick = r.tick_ms.unwrap_or(0.0);
        let s = r.summary.as_ref().ok();
        let value = |p: f64| s.and_then(|s| s.percentile(p)).map(|e| e.value_ms);
        let err = |v: Option<f64>| match v {
            Some(v) if v > 0.0 => relative_percent(tick, v),
            Some(_) => "unbounded (reads 0)".to_string(),
            None => "n/a".to_string(),
        };
        let zeros = r.sample_ms.iter().filter(|&&x| x == 0.0).count();
        t.row(vec![
            run_name(r),
            fine_duration_ms(tick),
            value(0.5).map_or_else(|| "n/a".into(), |v| ms(v, Some(tick))),
            value(0.5).map_or_else(|| "n/a".into(), |v| crate::format::sig_grouped(v / tick, 3)),
            err(value(0.5)),
            err(value(0.99)),
            count(zeros as u64),
        ]);
    }
    out.push_str(&t.render());

    let coarse: Vec<&RunAnalysis<'_>> = a.runs.iter().filter(|r| too_coarse(r)).collect();
    if coarse.is_empty() {
        let worst = known
            .iter()
            .filter_map(|r| {
                let p50 = r.summary.as_ref().ok()?.percentile(0.5)?.value_ms;
                Some((r, p50 / r.tick_ms?))
            })
            .min_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((r, ratio)) = worst {
            out.push_str(&format!(
                "Every run's median is at least {TIMER_RATIO} ticks; the closest is {} at {} \
                 ticks, so the tick changes no conclusion here.\n\n",
                run_name(r),
                crate::format::sig_grouped(ratio, 3)
            ));
        }
        return;
    }
    out.push_str(&format!(
        "**{} within {TIMER_RATIO} ticks of the timer**: {}. Their latencies are not measured \
         as single samples: each value below is known only to ± one tick, and a reading of 0 \
         means \"shorter than one tick\", not a latency of zero.\n\n",
        plural(coarse.len() as u64, "run is", "runs are"),
        join_and(&coarse.iter().map(|r| run_name(r)).collect::<Vec<_>>())
    ));
    for r in &coarse {
        let Some(tick) = r.tick_ms else {
            out.push_str(&format!(
                "{}: the timer never moved while its resolution was measured, so no bound can \
                 be given.\n\n",
                run_name(r)
            ));
            continue;
        };
        let Ok(s) = &r.summary else { continue };
        out.push_str(&format!(
            "{} (tick {}):\n\n",
            run_name(r),
            fine_duration_ms(tick)
        ));
        let mut t = Table::new(&[
            ("Percentile", Align::Left),
            ("Value (ms)", Align::Right),
            ("Range (ms)", Align::Right),
            ("Relative error", Align::Right),
        ]);
        for e in &s.percentiles {
            let range = if e.value_ms == 0.0 {
                format!("0 to {}", sig(tick, 3))
            } else {
                format!(
                    "{} to {}",
                    sig((e.value_ms - tick).max(0.0), 3),
                    sig(e.value_ms + tick, 3)
                )
            };
            t.row(vec![
                percentile_label(e.percentile),
                ms(e.value_ms, Some(tick)),
                range,
                if e.value_ms > 0.0 {
                    relative_percent(tick, e.value_ms)
                } else {
                    "unbounded (reads 0)".into()
                },
            ]);
        }
        out.push_str(&t.render());
    }
    out.push_str(&fix_text(a, &coarse));
}

/// What would bring the latencies above the bar, computed from the model sizes: for each
/// larger preset, the ticks the shortest median would span if time scaled with FLOPs.
pub(crate) fn fix_text(a: &Analysis<'_>, coarse: &[&RunAnalysis<'_>]) -> String {
    let preset = a.result.model.preset;
    let flops = preset.description().flops_per_sample as f64;
    let larger: Vec<ModelPreset> = ModelPreset::ALL
        .into_iter()
        .filter(|p| p.description().flops_per_sample as f64 > flops)
        .collect();
    // The shortest typical latency in ticks: the median, or the mean reading when the median
    // reads 0 (quantised readings average to the true mean when the timer's phase is random).
    let basis = coarse
        .iter()
        .filter_map(|r| {
            let s = r.summary.as_ref().ok()?;
            let tick = r.tick_ms?;
            let p50 = s.percentile(0.5)?.value_ms;
            let (value, what) = if p50 > 0.0 {
                (p50, "median")
            } else {
                (s.mean_ms, "mean reading")
            };
            (value > 0.0).then_some((value, tick, what, r))
        })
        .min_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)));
    let mut text = String::new();
    if a.result.plan.model_file.is_some() {
        text.push_str(
            "The imported model's queries are too short for this timer: export a larger model \
             (more FLOPs per sample), or compare the batched scenarios (MultiStream, Offline), \
             whose queries last many ticks.",
        );
    } else if larger.is_empty() {
        text.push_str(&format!(
            "The model is already the largest preset (`{preset}`): a finer timer is the remedy."
        ));
    } else {
        match basis {
            Some((value, tick, what, r)) => {
                let estimates: Vec<String> = larger
                    .iter()
                    .map(|p| {
                        let factor = p.description().flops_per_sample as f64 / flops;
                        format!(
                            "`{p}` ({}x the work per sample) would take about {} ticks",
                            sig(factor, 3),
                            sig(value * factor / tick, 2)
                        )
                    })
                    .collect();
                let enough: Vec<String> = larger
                    .iter()
                    .filter(|p| {
                        let factor = p.description().flops_per_sample as f64 / flops;
                        value * factor / tick >= TIMER_RATIO
                    })
                    .map(|p| format!("`{p}`"))
                    .collect();
                text.push_str(&format!(
                    "Use a larger model preset. At the shortest {what} here ({}, {}, {} ticks), \
                     {} (assuming time scales with FLOPs): {}.",
                    crate::format::fine_duration_ms(value),
                    run_name(r),
                    sig(value / tick, 2),
                    join_and(&estimates),
                    if enough.is_empty() {
                        format!(
                            "none reaches {TIMER_RATIO} ticks on this timer, so a finer timer is \
                             needed as well"
                        )
                    } else {
                        format!(
                            "{} would clear the {TIMER_RATIO}-tick bar",
                            join_and(&enough)
                        )
                    }
                ));
            }
            None => text.push_str(&format!(
                "Use a larger model preset ({}): every reading here is 0, so how much larger \
                 cannot be estimated.",
                join_and(&larger.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>())
            )),
        }
    }
    if a.result.environment.runtime == Runtime::Browser
        && a.result.environment.cross_origin_isolated != Some(true)
    {
        text.push_str(
            " Serving the page cross-origin isolated (COOP/COEP headers, as `trunk serve` \
             does) gives a finer timer too.",
        );
    }
    text.push_str("\n\n");
    text
}
