//! The environment: every field of [`Environment`](crate::results::Environment), what is
//! unknown said plainly, and what the timer, isolation and visibility imply for the numbers.

use crate::format::{count, fine_duration_ms};
use crate::loadgen::timer_rule::TIMER_LIMITED_TICKS;
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{escape_inline, plural};
use crate::results::Runtime;
use crate::stats::latency_bound_ms;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let env = &a.result.environment;
    let browser = env.runtime == Runtime::Browser;
    out.push_str("## Environment\n\n");
    let mut t = Table::new(&[("Field", Align::Left), ("Value", Align::Left)]);
    t.row(vec![
        "Runtime".into(),
        if browser {
            "browser (WebAssembly in a dedicated worker)".into()
        } else {
            "native (the `inferbench` command-line tool)".into()
        },
    ]);
    t.row(vec![
        "User agent".into(),
        match (&env.user_agent, browser) {
            (Some(ua), _) => escape_inline(ua),
            (None, true) => "unknown: the browser did not report it".into(),
            (None, false) => "none (native run)".into(),
        },
    ]);
    t.row(vec![
        "Operating system and CPU architecture".into(),
        match (&env.os_arch, browser) {
            (Some(os), _) => escape_inline(os),
            (None, true) => {
                "not recorded: browsers do not report it (the user agent hints at it)".into()
            }
            (None, false) => "unknown".into(),
        },
    ]);
    t.row(vec![
        "Logical cores".into(),
        env.logical_cores
            .map_or_else(|| "unknown: not reported".into(), |n| n.to_string()),
    ]);
    t.row(vec![
        "Device memory".into(),
        match (env.device_memory_gib, browser) {
            (Some(g), _) => format!(
                "{g} GiB (navigator.deviceMemory: rounded down to a power of two, capped at 8)"
            ),
            (None, true) => "unknown: only Chromium reports navigator.deviceMemory".into(),
            (None, false) => "not recorded for native runs".into(),
        },
    ]);
    t.row(vec![
        "Timer resolution".into(),
        match env.timer {
            Some(timer) => match timer.resolution_ms {
                Some(r) => format!(
                    "{} (smallest positive step over {} reads, {} distinct values)",
                    fine_duration_ms(r),
                    count(u64::from(timer.reads)),
                    count(u64::from(timer.distinct_values))
                ),
                None => format!(
                    "unmeasurable: the timer never moved over {} reads",
                    count(u64::from(timer.reads))
                ),
            },
            None => "unknown: not measured".into(),
        },
    ]);
    t.row(vec![
        "Clock check".into(),
        match env.clock_check.map(|c| c.dither) {
            Some(crate::loadgen::timing_check::Dither::Dithered) => {
                "dithered: means of quantised latencies are unbiased (see Timer honesty)".into()
            }
            Some(crate::loadgen::timing_check::Dither::NotDithered) => {
                "not dithered: means of quantised latencies are biased (see Timer honesty)".into()
            }
            Some(_) => "inconclusive or not measurable (see Timer honesty)".into(),
            None => "not made".into(),
        },
    ]);
    t.row(vec![
        "Cross-origin isolated".into(),
        match (env.cross_origin_isolated, browser) {
            (Some(true), _) => "yes".into(),
            (Some(false), _) => "no".into(),
            (None, true) => "unknown: not reported".into(),
            (None, false) => "not applicable (native)".into(),
        },
    ]);
    t.row(vec![
        "SIMD".into(),
        match (env.simd, browser) {
            (true, true) => "on (built with WebAssembly SIMD128)".into(),
            (false, true) => "off (built without WebAssembly SIMD128)".into(),
            (true, false) => "on (the target's vector extensions)".into(),
            (false, false) => "off".into(),
        },
    ]);
    t.row(vec![
        "Kernels".into(),
        match env.kernels {
            Some(k) => format!("`{k}`: {}", k.summary()),
            None => "not recorded (a result from before InferBench recorded it)".into(),
        },
    ]);
    t.row(vec![
        "WebAssembly memory".into(),
        match (env.wasm_memory_bytes, browser) {
            (Some(b), _) => format!("{} bytes at the end of the run", count(b)),
            (None, true) => "unknown: not reported".into(),
            (None, false) => "not applicable (native)".into(),
        },
    ]);
    t.row(vec![
        "Visibility changes during the run".into(),
        env.visibility_changes.to_string(),
    ]);
    t.row(vec![
        "InferBench version".into(),
        escape_inline(&a.result.app_version),
    ]);
    out.push_str(&t.render());
    render_implications(a, out);
}

/// What the timer, isolation and visibility mean for this result's numbers.
fn render_implications(a: &Analysis<'_>, out: &mut String) {
    let env = &a.result.environment;
    let browser = env.runtime == Runtime::Browser;
    match env.timer.and_then(|t| t.resolution_ms) {
        Some(tick) => {
            let floor = TIMER_LIMITED_TICKS * tick;
            let shortest = a
                .runs
                .iter()
                .filter_map(|r| r.run.latency.map(|l| (r, l.p50_ms)))
                .min_by(|x, y| x.1.total_cmp(&y.1));
            let mut text = format!(
                "Every latency is a difference of two timer readings of a {} tick, so it is known \
                 to within 2 ticks ({}). A run whose median is below {TIMER_LIMITED_TICKS} ticks \
                 ({}) is timer-limited: its percentiles carry that bound.",
                fine_duration_ms(tick),
                fine_duration_ms(latency_bound_ms(tick)),
                fine_duration_ms(floor)
            );
            if let Some((r, _)) = shortest.filter(|(_, p50)| *p50 == 0.0) {
                text.push_str(&format!(
                    " The shortest median here ({} {}) reads 0, shorter than one tick: see Timer \
                     honesty below.",
                    r.label, r.run.scenario
                ));
            } else if let Some((r, p50)) = shortest {
                text.push_str(&format!(
                    " The shortest median here, {} ({} {}), is {} ticks: {}.",
                    fine_duration_ms(p50),
                    r.label,
                    r.run.scenario,
                    crate::format::sig_grouped(p50 / tick, 3),
                    if p50 >= floor {
                        "no run is timer-limited"
                    } else {
                        "see Timer honesty below"
                    }
                ));
            }
            out.push_str(&text);
            out.push_str("\n\n");
        }
        None => out.push_str(
            "The timer's resolution is unknown, so how precisely each latency was read \
             cannot be stated.\n\n",
        ),
    }
    if browser {
        match env.cross_origin_isolated {
            Some(true) => out.push_str(
                "The page was cross-origin isolated, so the browser gave it its finest timer.\n\n",
            ),
            Some(false) => out.push_str(
                "The page was not cross-origin isolated, so the browser coarsened its timer on \
                 purpose (Chromium: 100 µs with jitter instead of 5 µs); serve it with \
                 COOP/COEP headers for finer readings.\n\n",
            ),
            None => {}
        }
    } else {
        out.push_str(
            "This is a native run: it reads the operating system's monotonic clock, and browser \
             isolation does not apply. Compare it with a browser run to see the cost of \
             WebAssembly and the browser's timer.\n\n",
        );
    }
    if env.visibility_changes > 0 {
        out.push_str(&format!(
            "The page was hidden {} during the run; browsers throttle hidden pages and their \
             workers, so the runs affected are INVALID.\n\n",
            plural(u64::from(env.visibility_changes), "time", "times")
        ));
    }
}
