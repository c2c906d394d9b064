//! A quick run of the page's default workload (the quick preset, the default model,
//! f32-naive and f32-fast, every scenario) in a dedicated worker, set up and driven exactly
//! as the app's worker does ([`inferbench::web::worker::prepare`]): every run is VALID, or
//! INVALID only for reasons its report states, never for the old 20-tick veto; each
//! timer-limited run carries its mark and its batch cross-check. It prints each run's figures
//! (the README's "what a Firefox user sees" comes from them).
//!
//! `scripts/test.sh` runs it in Firefox (`wasm-pack test --headless --firefox -- --test
//! quick_run`); the end-to-end test makes the same run through the page in Chromium.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::RecordingControl;
use inferbench::loadgen::validity::InvalidReason;
use inferbench::plan::PlanPreset;
use inferbench::report::render_markdown;
use inferbench::results::RunStatus;
use inferbench::view::form::{FormEdit, SetupForm};
use inferbench::web::clock::{cross_origin_isolated, PerformanceClock};
use inferbench::web::drive::{drive, DriveSettings};
use inferbench::web::env::browser_environment;
use inferbench::web::worker::prepare;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn a_quick_run_of_the_default_workload_is_valid_or_invalid_for_stated_reasons() {
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Label("quick run test".into()));
    let plan = form.check(359).plan.expect("the default form is valid");
    let clock = PerformanceClock::new().expect("a worker has performance.now()");
    let (mut session, timer) = prepare(plan, None, &clock).expect("the default plan is valid");
    drive(
        &mut session,
        &clock,
        &mut RecordingControl::default(),
        DriveSettings::default(),
    )
    .await
    .expect("training converges");
    let result = session.finish(browser_environment(timer, cross_origin_isolated()), None);
    assert_eq!(result.status, RunStatus::Completed);
    let report = render_markdown(&result);
    let env = &result.environment;
    let tick = timer.resolution_ms.expect("the worker's timer moves");
    let check = env.clock_check.expect("the worker checks the clock");
    let log = |text: String| web_sys::console::log_1(&text.into());
    log(format!(
        "{}: tick {tick} ms, isolated {:?}, clock check {:?} (readings 0/1/2/3+ ticks {:?})",
        env.user_agent.as_deref().unwrap_or("?"),
        env.cross_origin_isolated,
        check.dither,
        check.readings_by_ticks
    ));
    let mut runs = 0;
    let mut limited = 0;
    for v in &result.variants {
        for r in &v.runs {
            runs += 1;
            let run = &r.run;
            let latency = run.latency.expect("queries completed");
            log(format!(
                "{} {}: p50 {:.4} ms ({:.1} ticks), p90 {:.4} ms, {}{}{}",
                v.variant,
                run.scenario,
                latency.p50_ms,
                latency.p50_ms / tick,
                latency.p90_ms,
                if run.is_valid() { "VALID" } else { "INVALID" },
                run.validity
                    .timer_limited
                    .map_or_else(String::new, |l| format!(", {}", l.mark())),
                r.cross_check.map_or_else(String::new, |c| format!(
                    ", cross-check: run's mean {:.4} ms, one by one {:.4} ms, tick-free {:.4} \
                     ms, {}",
                    c.run_mean_ms,
                    c.times.per_query_mean_ms,
                    c.times.batch_mean_ms,
                    if c.agrees() { "agree" } else { "disagree" }
                ))
            ));
            for reason in &run.validity.reasons {
                log(format!("  INVALID: {}", reason.explanation()));
                assert!(
                    !matches!(reason, InvalidReason::TimerTooCoarse { .. }),
                    "the old 20-tick veto is gone"
                );
                // The report states it, with its numbers.
                assert!(
                    report.contains(&reason.explanation()),
                    "the report does not state: {}",
                    reason.explanation()
                );
            }
            if let Some(l) = run.validity.timer_limited {
                limited += 1;
                assert!(report.contains(&l.mark()), "the report marks {}", l.mark());
                assert!(
                    r.cross_check.is_some(),
                    "{} {} was not cross-checked",
                    v.variant,
                    run.scenario
                );
            }
        }
    }
    log(format!(
        "{limited} of {runs} runs timer-limited; {} INVALID",
        result
            .variants
            .iter()
            .flat_map(|v| &v.runs)
            .filter(|r| !r.run.is_valid())
            .count()
    ));
    assert_eq!(runs, 8);
}
