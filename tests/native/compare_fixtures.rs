//! The comparison fixtures in `tests/fixtures/compare/`: results of three "machines" whose
//! latencies come from a seeded synthetic clock (reproducible), on the tiny model with
//! small query counts (small files). The end-to-end tests import them in the page.
//!
//! This test regenerates them in memory and checks that the committed files are exactly
//! that; `INFERBENCH_UPDATE_FIXTURES=1 cargo test --test native compare_fixtures` rewrites
//! them.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::time::Duration;

use inferbench::bench::{BenchSession, BenchStep};

use inferbench::loadgen::clock::{Clock, TimerResolution};
use inferbench::loadgen::settings::{Scenario, Seeds};
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::results::io::to_json;
use inferbench::results::{BenchResult, Environment, Runtime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The fixtures' timer tick: 5 µs, a cross-origin isolated Chromium's.
const TICK: Duration = Duration::from_micros(5);

/// A clock that moves by `step_us x (1 + 0.3 U)` at every reading, U uniform in [0, 1), and
/// reads in whole [`TICK`]s, as a browser's coarsened `performance.now()` does.
struct JitterClock {
    now: Cell<Duration>,
    rng: RefCell<ChaCha8Rng>,
    step_us: f64,
}

impl Clock for JitterClock {
    fn now(&self) -> Duration {
        let u: f64 = self.rng.borrow_mut().random();
        let t = self.now.get() + Duration::from_secs_f64(self.step_us * (1.0 + 0.3 * u) / 1e6);
        self.now.set(t);
        let ticks = t.as_nanos() / TICK.as_nanos();
        Duration::from_nanos((ticks * TICK.as_nanos()) as u64)
    }
}

/// One fixture machine.
pub struct FixtureMachine {
    /// File name in `tests/fixtures/compare/`.
    pub file_name: &'static str,
    /// Machine label.
    pub label: &'static str,
    /// Mean clock step per reading, in us (the machine's "speed").
    pub step_us: f64,
    /// The synthetic clock's seed.
    pub clock_seed: u64,
    /// The plan's seeds (a different one makes a different workload).
    pub seed: u64,
}

/// Alice (baseline), Bob (about 1.4x faster), Carol (other seed: a different workload).
pub const MACHINES: [FixtureMachine; 3] = [
    FixtureMachine {
        file_name: "alice-laptop.json",
        label: "Alice's laptop",
        step_us: 300.0,
        clock_seed: 1,
        seed: 7,
    },
    FixtureMachine {
        file_name: "bob-desktop.json",
        label: "Bob's desktop",
        step_us: 210.0,
        clock_seed: 2,
        seed: 7,
    },
    FixtureMachine {
        file_name: "carol-other-seed.json",
        label: "Carol's tablet",
        step_us: 250.0,
        clock_seed: 3,
        seed: 8,
    },
];

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compare")
}

/// The result of `m`, generated.
pub fn generate(m: &FixtureMachine) -> BenchResult {
    let mut plan = BenchPlan::from_preset(
        PlanPreset::Custom,
        m.label,
        vec![Variant::F32Naive, Variant::Int8],
        &[Scenario::SingleStream, Scenario::Server, Scenario::Offline],
    )
    .with_model(ModelPreset::Tiny)
    .with_seeds(Seeds::all(m.seed));
    plan.train.epochs = 3;
    plan.calibrate_offline = false;
    for s in &mut plan.scenarios {
        s.min_duration_ms = 0;
        s.warmup_query_count = 5;
        s.min_query_count = match s.scenario() {
            Scenario::SingleStream => 300,
            Scenario::Server => 700,
            _ => 512,
        };
    }
    let clock = JitterClock {
        now: Cell::new(Duration::ZERO),
        rng: RefCell::new(ChaCha8Rng::seed_from_u64(m.clock_seed)),
        step_us: m.step_us,
    };
    let timer = TimerResolution {
        resolution_ms: Some(0.005),
        reads: 200_000,
        distinct_values: 190_000,
    };
    let mut session = BenchSession::new(plan)
        .expect("a valid fixture plan")
        .with_timer_resolution(timer);
    loop {
        match session
            .step(&clock, Duration::from_millis(10))
            .expect("no training failure")
        {
            BenchStep::Finished => break,
            BenchStep::WaitUntil(t) => while clock.now() < t {},
            BenchStep::Progress(_) => {}
        }
    }
    let environment = Environment {
        runtime: Runtime::Browser,
        user_agent: Some(format!("Mozilla/5.0 (fixture; {})", m.label)),
        os_arch: None,
        logical_cores: Some(4),
        device_memory_gib: Some(8.0),
        timer: Some(timer),
        clock_check: None,
        cross_origin_isolated: Some(true),
        simd: true,
        kernels: None,
        wasm_memory_bytes: Some(17_825_792),
        visibility_changes: 0,
    };
    session.finish(environment, Some("2026-11-20T10:00:00Z".into()))
}

/// Reads a committed fixture.
pub fn load(m: &FixtureMachine) -> BenchResult {
    let text =
        std::fs::read_to_string(fixture_dir().join(m.file_name)).expect("the fixture exists");
    inferbench::results::io::read_result(&text).expect("the fixture reads")
}

#[test]
fn committed_fixtures_are_what_the_generator_writes() {
    let update = std::env::var_os("INFERBENCH_UPDATE_FIXTURES").is_some();
    for m in &MACHINES {
        let json = to_json(&generate(m));
        let path = fixture_dir().join(m.file_name);
        if update {
            std::fs::create_dir_all(fixture_dir()).unwrap();
            std::fs::write(&path, &json).unwrap();
        } else {
            let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (INFERBENCH_UPDATE_FIXTURES=1 writes it)",
                    path.display()
                )
            });
            assert!(
                committed == json,
                "{} differs from the generator's output",
                m.file_name
            );
        }
    }
}
