//! Writes the report tests' fixture results (`tests/fixtures/results/`) from real native runs
//! of small plans on the tiny model: three variants with every scenario, a peak-QPS search, a
//! browser-like 100 us timer (its runs timer-limited or INVALID for the timer, with the clock
//! check and batch cross-checks), and a run cancelled mid-way.
//!
//! `cargo run --release --example gen_report_fixtures [NAME.json...]` (names: only those are
//! written); the report snapshots then change
//! (`cargo insta review`), since the numbers are new measurements.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The example is native only (it reads the system clock).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::PathBuf;
    use std::time::Duration;

    use inferbench::bench::{BenchSession, BenchStep};

    use inferbench::loadgen::clock::{measure_resolution, Clock, StdClock};
    use inferbench::loadgen::peak::PeakSearchSettings;
    use inferbench::loadgen::settings::{Scenario, ScenarioSettings, Seeds};
    use inferbench::loadgen::spin_until;
    use inferbench::model::{ModelPreset, Variant};
    use inferbench::plan::{BenchPlan, PlanPreset, TaskKind};
    use inferbench::results::io::read_result;
    use inferbench::results::{BenchResult, Environment};

    /// A clock that reads the system clock rounded down to whole `tick`s, as a browser's
    /// coarsened `performance.now()` does.
    struct TickClock {
        inner: StdClock,
        tick: Duration,
    }

    impl Clock for TickClock {
        fn now(&self) -> Duration {
            let t = self.inner.now();
            let ticks = t.as_nanos() / self.tick.as_nanos();
            Duration::from_nanos((ticks * self.tick.as_nanos()) as u64)
        }
    }

    /// A small plan on the tiny model: few queries per scenario.
    fn small_plan(label: &str, variants: Vec<Variant>, scenarios: &[Scenario]) -> BenchPlan {
        let mut plan = BenchPlan::from_preset(PlanPreset::Custom, label, variants, scenarios)
            .with_model(ModelPreset::Tiny)
            .with_seeds(Seeds::all(2026));
        plan.calibrate_offline = false;
        for s in &mut plan.scenarios {
            s.warmup_query_count = 5;
            s.min_duration_ms = 0;
            s.max_duration_ms = 10_000;
            match &mut s.scenario {
                ScenarioSettings::SingleStream => s.min_query_count = 200,
                // Below the 662 queries a p99 early-stopping estimate needs: INVALID on purpose.
                ScenarioSettings::MultiStream(_) => s.min_query_count = 100,
                ScenarioSettings::Server(x) => {
                    x.target_qps = 2_000.0;
                    x.latency_bound_ms = 0.5;
                    s.min_query_count = 460;
                    s.min_duration_ms = 100;
                }
                ScenarioSettings::Offline(o) => {
                    o.expected_qps = 1.0;
                    s.min_query_count = 1_024;
                }
            }
        }
        plan
    }

    /// Runs `plan` to its end on `clock` (busy-waiting for arrivals); `cancel_at` cancels the
    /// session once the given task has done that many units of work.
    fn run(
        plan: BenchPlan,
        clock: &impl Clock,
        cancel_at: Option<(TaskKind, u64)>,
        created_utc: &str,
    ) -> BenchResult {
        let timer = measure_resolution(clock, 100_000);
        // One unit of work per step when cancelling, so the cancel lands mid-run.
        let budget = if cancel_at.is_some() {
            Duration::ZERO
        } else {
            Duration::from_millis(20)
        };
        let mut session = BenchSession::new(plan)
            .expect("a valid plan")
            .with_timer_resolution(timer)
            .with_clock_check();
        loop {
            match session.step(clock, budget).expect("no failure") {
                BenchStep::Progress(p) => {
                    if let (Some((task, after)), Some(r)) = (cancel_at, &p.run) {
                        if p.task == task && r.done >= after {
                            session.cancel();
                        }
                    }
                }
                BenchStep::WaitUntil(t) => spin_until(clock, t),
                BenchStep::Finished => break,
            }
        }
        session.finish(
            Environment::native(Some(timer)),
            Some(created_utc.to_string()),
        )
    }

    /// Generates the fixtures from real runs, checks that each reads back identically, and
    /// writes them.
    pub fn main() {
        let clock = StdClock::new();
        let mut fixtures: Vec<(&str, BenchResult)> = Vec::new();

        let plan = small_plan(
            "Lab PC 7",
            vec![Variant::F32Naive, Variant::F32Fast, Variant::Int8],
            &Scenario::ALL,
        );
        fixtures.push((
            "three-variants.json",
            run(plan, &clock, None, "2026-11-23T09:15:00Z"),
        ));

        // The default model (about 20 us per sample with f32-fast), so that the bound is missed
        // at a rate the search reaches.
        let mut plan = small_plan("Lab PC 7", vec![Variant::F32Fast], &[Scenario::Server])
            .with_model(ModelPreset::Default);
        plan.accuracy_mode = false;
        plan.scenarios[0].min_query_count = 100;
        plan.scenarios[0].min_duration_ms = 0;
        if let ScenarioSettings::Server(x) = &mut plan.scenarios[0].scenario {
            x.target_qps = 1_000.0;
            x.latency_bound_ms = 1.0;
        }
        plan.peak_search = Some(PeakSearchSettings {
            decimals_of_precision: 0,
            boundary_step_size: 1.0,
            max_probes: 30,
        });
        fixtures.push((
            "peak-search.json",
            run(plan, &clock, None, "2026-11-23T09:20:00Z"),
        ));

        // A browser-like timer: 100 us ticks, so the tiny model's latencies mostly read 0.
        let coarse = TickClock {
            inner: StdClock::new(),
            tick: Duration::from_micros(100),
        };
        let plan = small_plan(
            "coarse timer",
            vec![Variant::F32Naive, Variant::F32Fast],
            &[Scenario::SingleStream, Scenario::Offline],
        );
        fixtures.push((
            "coarse-timer.json",
            run(plan, &coarse, None, "2026-11-23T09:25:00Z"),
        ));

        let plan = small_plan(
            "Lab PC 7",
            vec![Variant::F32Naive, Variant::F32Fast],
            &Scenario::ALL,
        );
        let cancel = TaskKind::Scenario {
            variant: Variant::F32Naive,
            scenario: Scenario::MultiStream,
        };
        fixtures.push((
            "cancelled.json",
            run(plan, &clock, Some((cancel, 40)), "2026-11-23T09:30:00Z"),
        ));

        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results");
        std::fs::create_dir_all(&dir).expect("creates the directory");
        // Names given on the command line: only those are written (the others are still
        // run, as every run takes its place in the machine's timeline).
        let only: Vec<String> = std::env::args().skip(1).collect();
        for (name, result) in fixtures {
            if !only.is_empty() && !only.iter().any(|o| o == name) {
                continue;
            }
            let json = serde_json::to_string(&result).expect("serialises");
            assert_eq!(read_result(&json).expect("reads back"), result, "{name}");
            std::fs::write(dir.join(name), json + "\n").expect("writes");
            println!("wrote tests/fixtures/results/{name}");
        }
    }
}
