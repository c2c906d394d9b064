//! A deterministic result for the view tests: a real session (tiny model, every scenario,
//! short runs) on a clock that moves a fixed step at every reading, so every latency, and
//! therefore every number the page shows, is the same on every run and machine.

use std::cell::Cell;
use std::time::Duration;

use inferbench::bench::{BenchSession, BenchStep};

use inferbench::loadgen::clock::{Clock, TimerResolution};
use inferbench::loadgen::record::QueryRecord;
use inferbench::loadgen::result::RunResult;
use inferbench::loadgen::settings::{Scenario, ScenarioSettings};
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::results::{BenchResult, Environment, Runtime};

/// A clock that moves `step` at every reading (and can jump to a deadline).
pub struct SteppingClock {
    now: Cell<Duration>,
    step: Duration,
}

impl SteppingClock {
    /// A clock at zero moving `step_us` microseconds per reading.
    pub fn new(step_us: u64) -> Self {
        Self {
            now: Cell::new(Duration::ZERO),
            step: Duration::from_micros(step_us),
        }
    }

    /// Jumps to `t` if it is later.
    pub fn jump(&self, t: Duration) {
        if t > self.now.get() {
            self.now.set(t);
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> Duration {
        let t = self.now.get();
        self.now.set(t + self.step);
        t
    }
}

/// A tiny-model plan of `variants` in every scenario, each run lasting about 20 ms of
/// clock time (p90 everywhere, so 100 queries suffice for early stopping).
pub fn plan(variants: Vec<Variant>) -> BenchPlan {
    let mut plan = BenchPlan::from_preset(PlanPreset::Quick, "Lab 3", variants, &Scenario::ALL)
        .with_model(ModelPreset::Tiny);
    plan.train.epochs = 2;
    plan.calibrate_offline = false;
    for s in &mut plan.scenarios {
        s.min_duration_ms = 20;
        s.warmup_query_count = 2;
        s.target_percentile = 0.9;
        s.min_query_count = 100;
        match &mut s.scenario {
            ScenarioSettings::Server(v) => {
                v.target_qps = 2_000.0;
                v.latency_bound_ms = 10.0;
            }
            ScenarioSettings::Offline(o) => {
                o.batch_size = 16;
                o.expected_qps = 20_000.0;
                // A batch takes a few clock readings: no duration would be met.
                s.min_duration_ms = 0;
            }
            _ => {}
        }
    }
    plan
}

/// The browser-like environment of the fixture, with a timer of `resolution_ms`.
pub fn environment(resolution_ms: f64) -> Environment {
    Environment {
        runtime: Runtime::Browser,
        user_agent: Some("TestBrowser/1.0".into()),
        os_arch: None,
        logical_cores: Some(8),
        device_memory_gib: None,
        timer: Some(TimerResolution {
            resolution_ms: Some(resolution_ms),
            reads: 200_000,
            distinct_values: 40_000,
        }),
        clock_check: None,
        cross_origin_isolated: Some(true),
        simd: true,
        kernels: Some(inferbench::model::kernels::KernelPath::WasmRelaxedSimd),
        wasm_memory_bytes: Some(16 * 1024 * 1024),
        visibility_changes: 0,
    }
}

/// Runs `plan` on a clock stepping `step_us` per reading, with a timer of `resolution_ms`;
/// `cancel_at_step` cancels after that many steps.
pub fn run(
    plan: BenchPlan,
    step_us: u64,
    resolution_ms: f64,
    cancel_at_step: Option<usize>,
) -> BenchResult {
    let clock = SteppingClock::new(step_us);
    let env = environment(resolution_ms);
    let mut session = BenchSession::new(plan)
        .expect("the fixture plan is valid")
        .with_timer_resolution(env.timer.unwrap());
    for steps in 0..5_000_000 {
        if cancel_at_step == Some(steps) {
            session.cancel();
        }
        match session
            .step(&clock, Duration::from_millis(5))
            .expect("training converges")
        {
            BenchStep::Progress(_) => {}
            BenchStep::WaitUntil(t) => clock.jump(t),
            BenchStep::Finished => return session.finish(env, Some("2026-11-23T14:05:09Z".into())),
        }
    }
    panic!("the fixture session did not finish");
}

/// The standard fixture: f32-naive (baseline) and f32-fast, every scenario, a 7 us clock
/// step and a 0.1 us timer (every run VALID).
pub fn result() -> BenchResult {
    run(
        plan(vec![Variant::F32Naive, Variant::F32Fast]),
        7,
        0.0001,
        None,
    )
}

/// Replaces `run`'s query records by queries 1 ms apart with these latencies (the analysis
/// sample the verdict compares; the run's stored summaries are left as they were).
pub fn set_latencies(run: &mut RunResult, latencies_ms: &[f64]) {
    let server = run.scenario == Scenario::Server;
    // Offline: full batches (the statistics leave a partial one out).
    let samples = match run.settings.scenario {
        inferbench::loadgen::settings::ScenarioSettings::Offline(o) => o.batch_size,
        _ => 1,
    };
    run.queries = latencies_ms
        .iter()
        .enumerate()
        .map(|(i, &ms)| {
            let start = i as u64 * 1_000_000;
            QueryRecord::new(
                start,
                start,
                start + (ms * 1e6).round() as u64,
                samples,
                server,
            )
        })
        .collect();
}

/// `n` latencies around `center_ms` with a deterministic spread of +-5%.
pub fn spread(center_ms: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| center_ms * (0.95 + 0.01 * ((i * 37) % 11) as f64))
        .collect()
}
