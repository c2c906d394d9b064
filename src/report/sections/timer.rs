//! Timer honesty (SPEC section 3): the tick and the bound it puts on every latency, the rule
//! by which it makes a run INVALID or only timer-limited, the clock check (is the clock
//! dithered?), each run against the tick, the batch cross-checks, and what would help.

use super::run_name;
use crate::format::{count, fine_duration_ms, sig, sig_grouped};
use crate::loadgen::cross_check::CrossCheck;
use crate::loadgen::synthetic::SyntheticSut;
use crate::loadgen::timer_rule::TIMER_LIMITED_TICKS;
use crate::loadgen::timing_check::{ClockCheck, Dither, DITHER_TOLERANCE_TICKS};
use crate::loadgen::validity::InvalidReason;
use crate::model::ModelPreset;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::report::text::{join_and, ms, plural, relative_percent};
use crate::results::Runtime;
use crate::stats::LATENCY_BOUND_TICKS;

/// Whether the timer made the run INVALID.
pub(crate) fn timer_invalid(r: &RunAnalysis<'_>) -> bool {
    r.run.validity.reasons.iter().any(InvalidReason::is_timer)
}

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    if a.runs.is_empty() {
        return;
    }
    out.push_str("## Timer honesty\n\n");
    let Some(tick) = a.runs.iter().find_map(|r| r.tick_ms) else {
        out.push_str(
            "No run records a measured timer resolution, so the error each tick adds to a \
             latency cannot be stated; treat differences of a few microseconds with caution.\n\n",
        );
        return;
    };
    let bound = LATENCY_BOUND_TICKS * tick;
    out.push_str(&format!(
        "The timer ticks every {}. Each reading is a tick less than one tick from the true \
         time (a browser rounds it down or up, at a pseudo-random threshold per tick: it \
         *dithers*), so a latency, the difference of two readings, is known to \
         ±{LATENCY_BOUND_TICKS} ticks ({}), and so is each percentile: every percentile's interval in this report is widened by that \
         bound. A run whose median latency is below {TIMER_LIMITED_TICKS} ticks ({}) is \
         **timer-limited**: VALID, with the bound stated. The timer makes a run INVALID only \
         where it makes the metric meaningless: a SingleStream or MultiStream percentile \
         within its bound of 0 (at most {}), a timer-limited run on a clock the clock check \
         finds not dithered, or a timer that never moved.\n\n",
        fine_duration_ms(tick),
        fine_duration_ms(bound),
        fine_duration_ms(TIMER_LIMITED_TICKS * tick),
        fine_duration_ms(bound)
    ));
    out.push_str(&clock_check_text(a.result.environment.clock_check.as_ref()));
    render_runs(a, out);
    render_cross_checks(a, out);
    let invalid: Vec<&RunAnalysis<'_>> = a.runs.iter().filter(|r| timer_invalid(r)).collect();
    if !invalid.is_empty() {
        out.push_str(&fix_text(a, &invalid));
    }
}

/// The clock check in words: what was timed, the two means, the verdict and its meaning.
pub(crate) fn clock_check_text(check: Option<&ClockCheck>) -> String {
    let widened = "the means' intervals are widened by the bound, as a possible bias";
    let Some(c) = check else {
        return format!(
            "No clock check was made, so whether the clock is dithered is not shown: {widened}.\n\n"
        );
    };
    let (Some(tick), Some(t)) = (c.tick_ms, c.times) else {
        return format!("The clock check could not run (the clock never moved): {widened}.\n\n");
    };
    let readings: u64 = c.readings_by_ticks.iter().sum();
    let share = |k: usize| relative_percent(c.readings_by_ticks[k] as f64, readings as f64);
    let mut text = format!(
        "Clock check, before the scenarios: a busy loop of {} ({} ticks) was timed {} times one \
         by one and, interleaved, in {} groups of {} back to back (each group {} ticks long, \
         read only at its ends). One-by-one mean {}, groups' mean {}; per call, the \
         one-by-one timing of a group exceeds its timing as a whole by {} (the median over the \
         groups, which stalls of the machine do not move; 99.9% interval {} to {}, with the \
         groups' own tick bound). One-by-one readings: {} read 0 ticks, {} 1 tick, {} 2 ticks, \
         {} 3 or more",
        fine_duration_ms(t.batch_mean_ms),
        sig(t.batch_mean_ms / tick, 2),
        count(u64::from(t.groups) * u64::from(t.calls_per_group)),
        t.groups,
        count(u64::from(t.calls_per_group)),
        sig_grouped(t.batch_mean_ms * f64::from(t.calls_per_group) / tick, 3),
        fine_duration_ms(t.per_query_mean_ms),
        fine_duration_ms(t.batch_mean_ms),
        fine_duration_ms(t.difference_ms),
        fine_duration_ms(t.difference_interval_ms.lower),
        fine_duration_ms(t.difference_interval_ms.upper),
        share(0),
        share(1),
        share(2),
        share(3)
    );
    // A clock that rounds both ways reads an item of d < 1 tick as 2 ticks about d^3 / 6 of
    // the time (start rounded down, end up, for uniform phases); one that rounds down, never.
    let d = t.batch_mean_ms / tick;
    if d < 1.0 && readings > 0 {
        let expected = d.powi(3) / 6.0;
        let seen = c.readings_by_ticks[2] as f64 / readings as f64;
        if seen >= expected / 2.0 {
            text.push_str(&format!(
                " (a clock that rounds both ways reads this item as 2 ticks about {} of the \
                 time, one that rounds down never: this one rounds both ways, hence a \
                 latency's bound of 2 ticks)",
                relative_percent(expected, 1.0)
            ));
        } else if seen < expected / 10.0 {
            text.push_str(&format!(
                " (a clock that rounds both ways would read this item as 2 ticks about {} of \
                 the time: this one seems to round down only, for which the bound of 2 ticks \
                 is conservative)",
                relative_percent(expected, 1.0)
            ));
        }
    }
    let tolerance = fine_duration_ms(DITHER_TOLERANCE_TICKS * tick);
    text.push_str(&match c.dither {
        Dither::Dithered => format!(
            ". The interval lies within {tolerance} (a tenth of a tick) of 0: the \
             clock is **dithered**, the mean of quantised latencies is unbiased, and the means' \
             intervals need no widening.\n\n"
        ),
        Dither::NotDithered => format!(
            ". The interval lies beyond {tolerance} (a tenth of a tick) from 0: the \
             clock is **not dithered**; timer-limited runs are INVALID, and {widened}.\n\n"
        ),
        Dither::Inconclusive | Dither::NotMeasured => format!(
            ". The interval is too wide to place the difference within {tolerance} (a tenth of \
             a tick) of 0 or beyond it: dithering is not shown, and {widened}.\n\n"
        ),
    });
    text
}

/// Each run's median in ticks, its status against the rule, and its metric's bound.
fn render_runs(a: &Analysis<'_>, out: &mut String) {
    let mut t = Table::new(&[
        ("Run", Align::Left),
        ("Tick", Align::Right),
        ("Median (ms)", Align::Right),
        ("Median in ticks", Align::Right),
        ("Status", Align::Left),
        ("Metric percentile (ms)", Align::Right),
        ("Its bound", Align::Right),
        ("Readings of 0", Align::Right),
    ]);
    for r in a.runs.iter().filter(|r| r.tick_ms.is_some()) {
        let tick = r.tick_ms.unwrap_or(0.0);
        let s = r.summary.as_ref().ok();
        let median = s.and_then(|s| s.percentile(0.5)).map(|e| e.value_ms);
        let status = if timer_invalid(r) {
            "INVALID (timer)".to_string()
        } else {
            match &r.limited {
                Some(l) => l.mark(),
                None => "not limited".to_string(),
            }
        };
        // Offline's metric is a throughput over the whole run, not a percentile.
        let target = r
            .target_estimate()
            .map(|e| e.value_ms)
            .filter(|_| r.run.scenario != crate::loadgen::settings::Scenario::Offline);
        t.row(vec![
            run_name(r),
            fine_duration_ms(tick),
            median.map_or_else(|| "n/a".into(), |v| ms(v, Some(tick))),
            median.map_or_else(|| "n/a".into(), |v| sig_grouped(v / tick, 3)),
            status,
            target.map_or_else(|| "n/a".into(), |v| ms(v, Some(tick))),
            match (target, r.bound_ms) {
                (Some(v), Some(b)) if v > 0.0 => {
                    format!("±{} ({})", fine_duration_ms(b), relative_percent(b, v))
                }
                (Some(_), Some(b)) => format!("±{} (reads 0)", fine_duration_ms(b)),
                _ => "n/a".into(),
            },
            count(r.sample_ms.iter().filter(|&&x| x == 0.0).count() as u64),
        ]);
    }
    out.push_str(&t.render());
    let limited = a.runs.iter().filter(|r| r.limited.is_some()).count();
    out.push_str(&if limited == 0 {
        format!(
            "No run is timer-limited: every median is at least {TIMER_LIMITED_TICKS} ticks, so \
             the tick changes no conclusion here.\n\n"
        )
    } else {
        format!(
            "{} timer-limited: each value is known only to its bound, and a reading of 0 means \
             \"shorter than one tick\", not a latency of zero.\n\n",
            plural(limited as u64, "run is", "runs are")
        )
    });
}

/// The batch cross-checks of the timer-limited runs, next to the runs' own means.
fn render_cross_checks(a: &Analysis<'_>, out: &mut String) {
    let checked: Vec<(&RunAnalysis<'_>, &CrossCheck)> = a
        .runs
        .iter()
        .filter_map(|r| {
            let v = &a.result.variants[r.variant_index];
            let c = v.run(r.run.scenario)?.cross_check.as_ref()?;
            Some((r, c))
        })
        .collect();
    if checked.is_empty() {
        if a.runs.iter().any(|r| r.limited.is_some()) {
            out.push_str(
                "No timer-limited run has a batch cross-check (it is made by the worker and by \
                 `inferbench run`, after each timer-limited run).\n\n",
            );
        }
        return;
    }
    out.push_str(&format!(
        "Batch cross-check of each timer-limited run: its first queries (the same samples, in \
         the same order) were timed again one by one and, interleaved, back to back in groups \
         of at least {} ticks, each read only at its ends, so that the groups' mean is nearly \
         free of the tick (2 ticks per group). The two agree when the interval of their \
         difference holds 0 (the median over the groups of the per-call difference, at 99.9%, \
         with the groups' own tick bound). Server compares service times.\n\n",
        sig(checked[0].1.settings.group_ticks, 3)
    ));
    let mut t = Table::new(&[
        ("Run", Align::Left),
        ("Run's mean (ms)", Align::Right),
        ("Calls timed each way", Align::Right),
        ("One by one (ms)", Align::Right),
        ("Tick-free (ms)", Align::Right),
        ("Difference, its interval (ms)", Align::Right),
        ("Agree", Align::Left),
    ]);
    for (r, c) in &checked {
        let x = &c.times;
        t.row(vec![
            run_name(r),
            sig(c.run_mean_ms, 4),
            {
                let calls = u64::from(x.groups) * u64::from(x.calls_per_group);
                format!(
                    "{} in {} groups{}",
                    count(calls),
                    x.groups,
                    if calls > c.run_calls {
                        format!(" (its {} queries, repeated)", count(c.run_calls))
                    } else {
                        String::new()
                    }
                )
            },
            sig(x.per_query_mean_ms, 4),
            sig(x.batch_mean_ms, 4),
            format!(
                "{} ({} to {})",
                sig(x.difference_ms, 2),
                sig(x.difference_interval_ms.lower, 2),
                sig(x.difference_interval_ms.upper, 2)
            ),
            if c.agrees() { "yes" } else { "no" }.to_string(),
        ]);
    }
    out.push_str(&t.render());
    let disagree: Vec<String> = checked
        .iter()
        .filter(|(_, c)| !c.agrees())
        .map(|(r, _)| run_name(r))
        .collect();
    if !disagree.is_empty() {
        out.push_str(&format!(
            "For {} the one-by-one timings differ from the tick-free ones beyond the error: \
             treat their means with caution.\n\n",
            join_and(&disagree)
        ));
    }
}

/// The remedy when a synthetic system under test ran: its service time, not a model preset,
/// sets how many ticks a query spans.
fn synthetic_fix(sut: SyntheticSut, runs: &[&RunAnalysis<'_>]) -> String {
    let tick = runs.iter().filter_map(|r| r.tick_ms).reduce(f64::max);
    let service_ms = sut.mean_service_ns() / 1e6;
    match tick {
        Some(tick) if tick > 0.0 => format!(
            "The synthetic system `{sut}` serves a query in {} on average, about {} ticks of \
             this timer: a service time of at least {} ({TIMER_LIMITED_TICKS} ticks) would no \
             longer be timer-limited.",
            fine_duration_ms(service_ms),
            sig(service_ms / tick, 2),
            fine_duration_ms(tick * TIMER_LIMITED_TICKS)
        ),
        _ => format!(
            "The synthetic system `{sut}` serves a query in {} on average: give it a longer \
             service time.",
            fine_duration_ms(service_ms)
        ),
    }
}

/// What would bring the latencies above the bar, computed from the model sizes: for each
/// larger preset, the ticks the shortest median would span if time scaled with FLOPs.
pub(crate) fn fix_text(a: &Analysis<'_>, runs: &[&RunAnalysis<'_>]) -> String {
    let preset = a.result.model.preset;
    let flops = preset.description().flops_per_sample as f64;
    let larger: Vec<ModelPreset> = ModelPreset::ALL
        .into_iter()
        .filter(|p| p.description().flops_per_sample as f64 > flops)
        .collect();
    // The shortest typical latency in ticks: the median, or the mean reading when the median
    // reads 0 (quantised readings average to the true mean on a dithered clock).
    let basis = runs
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
    if let Some(sut) = a.result.plan.synthetic_sut {
        text.push_str(&synthetic_fix(sut, runs));
    } else if a.result.plan.model_file.is_some() {
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
                let ticks_with = |p: &ModelPreset| {
                    value * p.description().flops_per_sample as f64 / flops / tick
                };
                let estimates: Vec<String> = larger
                    .iter()
                    .map(|p| {
                        format!(
                            "`{p}` ({}x the work per sample) would take about {} ticks",
                            sig(p.description().flops_per_sample as f64 / flops, 3),
                            sig(ticks_with(p), 2)
                        )
                    })
                    .collect();
                let enough: Vec<String> = larger
                    .iter()
                    .filter(|p| ticks_with(p) >= TIMER_LIMITED_TICKS)
                    .map(|p| format!("`{p}`"))
                    .collect();
                text.push_str(&format!(
                    "Use a larger model preset. At the shortest {what} here ({}, {}, {} ticks), \
                     {} (assuming time scales with FLOPs): {}.",
                    fine_duration_ms(value),
                    run_name(r),
                    sig(value / tick, 2),
                    join_and(&estimates),
                    if enough.is_empty() {
                        format!(
                            "none reaches {TIMER_LIMITED_TICKS} ticks on this timer, so a finer \
                             timer is needed as well"
                        )
                    } else {
                        format!("{} would no longer be timer-limited", join_and(&enough))
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
