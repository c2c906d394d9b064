//! Offline on several executors, driven by a scripted clock and a scripted pool: the batches
//! of one query shared between the session's executor and a helper, merged into one run.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use inferbench::bench::pool::{OfflineJob, OfflinePool};
use inferbench::bench::{BenchSession, BenchStep};
use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::offline::{BatchTiming, OfflineStop};
use inferbench::loadgen::result::ScenarioMetric;
use inferbench::loadgen::settings::Scenario;
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::results::Environment;

/// What the scripted pool saw, for the test to check.
#[derive(Debug, Default)]
struct Seen {
    prepared: Vec<(u64, u32)>,
    origin: Option<Duration>,
    helper: Vec<BatchTiming>,
    stopped: bool,
}

/// One scripted helper: before each batch the session claims, it takes one itself, which
/// "runs" from `start` to `start + 3 ms` on the query's clock, 3 ms after its previous one.
struct ScriptedPool {
    seen: Rc<RefCell<Seen>>,
    next: u64,
    batches: u64,
    helper_free_ns: u64,
    polls_until_ready: u32,
}

impl OfflinePool for ScriptedPool {
    fn helpers(&self) -> u32 {
        1
    }
    fn prepare(&mut self, job: &OfflineJob) {
        self.batches = job.query.batch_count();
        self.next = 0;
        self.helper_free_ns = 0;
        self.polls_until_ready = 2;
        self.seen
            .borrow_mut()
            .prepared
            .push((job.query.total_samples(), job.warmup_batches));
    }
    fn ready(&mut self) -> bool {
        self.polls_until_ready = self.polls_until_ready.saturating_sub(1);
        self.polls_until_ready == 0
    }
    fn start(&mut self, origin: Duration) {
        self.seen.borrow_mut().origin = Some(origin);
    }
    fn claim(&mut self) -> Option<u64> {
        if self.seen.borrow().stopped {
            return None;
        }
        if self.next < self.batches {
            let batch = self.next;
            self.next += 1;
            let issued_ns = self.helper_free_ns;
            self.helper_free_ns += 3_000_000;
            self.seen.borrow_mut().helper.push(BatchTiming {
                batch,
                issued_ns,
                completed_ns: self.helper_free_ns,
            });
        }
        let batch = self.next;
        (batch < self.batches).then(|| {
            self.next += 1;
            batch
        })
    }
    fn claimed(&self) -> u64 {
        self.next
    }
    fn stop(&mut self) {
        self.seen.borrow_mut().stopped = true;
    }
    fn collect(&mut self) -> Option<Vec<(Vec<BatchTiming>, OfflineStop)>> {
        let seen = self.seen.borrow();
        let stop = if seen.stopped {
            OfflineStop::Cancelled
        } else {
            OfflineStop::Exhausted
        };
        Some(vec![(seen.helper.clone(), stop)])
    }
}

fn offline_plan() -> BenchPlan {
    let mut plan = BenchPlan::from_preset(
        PlanPreset::Quick,
        "two cores",
        vec![Variant::F32Fast],
        &[Scenario::Offline],
    )
    .with_model(ModelPreset::Tiny);
    plan.train.epochs = 1;
    plan.accuracy_mode = false;
    plan.calibrate_offline = false;
    let offline = &mut plan.scenarios[0];
    offline.min_duration_ms = 0;
    offline.min_query_count = 640; // 10 batches of 64
    offline.warmup_query_count = 3;
    plan
}

#[test]
fn an_offline_query_is_shared_between_the_session_and_a_helper() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let pool = ScriptedPool {
        seen: Rc::clone(&seen),
        next: 0,
        batches: 0,
        helper_free_ns: 0,
        polls_until_ready: 0,
    };
    let mut session = BenchSession::new(offline_plan())
        .expect("valid plan")
        .with_offline_pool(Box::new(pool));
    assert_eq!(session.offline_executors(), 2);
    let clock = ManualClock::new();
    let mut steps = 0;
    loop {
        match session.step(&clock, Duration::ZERO).expect("no failure") {
            BenchStep::Finished => break,
            _ => clock.advance(Duration::from_millis(1)),
        }
        steps += 1;
        assert!(steps < 100_000, "the session does not finish");
    }
    let result = session.finish(Environment::native(None), None);
    let run = &result.variants[0].runs[0].run;
    let seen = seen.borrow();
    // The helpers got the whole query and the warm-up count.
    assert_eq!(seen.prepared, vec![(640, 3)]);
    assert!(seen.origin.is_some());
    // Every batch once, split between the two executors, merged in issue order.
    assert_eq!(run.executors, 2);
    assert_eq!(run.sample_count, 640);
    assert_eq!(run.queries.len(), 10);
    assert_eq!(seen.helper.len(), 5);
    let issued: Vec<u64> = run.queries.iter().map(|q| q.issued_ns).collect();
    assert!(issued.windows(2).all(|w| w[0] <= w[1]));
    assert!(run.validity.valid, "{:?}", run.validity.reasons);
    // Throughput: all samples over the last completion (the helper's 15 ms at the latest).
    let last_ms = run.times.final_query_completed_ms;
    assert!(last_ms >= 15.0);
    let Some(ScenarioMetric::Offline(metric)) = &run.metric else {
        panic!("an Offline metric");
    };
    let expected = 640.0 / (last_ms / 1e3);
    let got = metric.samples_per_second.expect("a throughput");
    assert!(
        (got - expected).abs() < 1e-6 * expected,
        "{got} vs {expected}"
    );
}

#[test]
fn a_cancel_stops_the_helpers_and_keeps_their_batches() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let pool = ScriptedPool {
        seen: Rc::clone(&seen),
        next: 0,
        batches: 0,
        helper_free_ns: 0,
        polls_until_ready: 0,
    };
    let mut session = BenchSession::new(offline_plan())
        .expect("valid plan")
        .with_offline_pool(Box::new(pool));
    let clock = ManualClock::new();
    loop {
        match session.step(&clock, Duration::ZERO).expect("no failure") {
            BenchStep::Finished => break,
            BenchStep::Progress(p) => {
                let measuring = p.run.as_ref().is_some_and(|r| r.done >= 128);
                if measuring && !seen.borrow().stopped {
                    session.cancel();
                }
            }
            BenchStep::WaitUntil(t) => clock.set(t),
        }
        clock.advance(Duration::from_millis(1));
    }
    assert!(seen.borrow().stopped, "the pool was told to stop");
    let result = session.finish(Environment::native(None), None);
    let run = &result.variants[0].runs[0].run;
    assert!(!run.validity.valid);
    assert!(run.queries.len() < 10);
    assert!(run.queries.len() >= seen.borrow().helper.len());
}

/// A pool that must not be used: its helpers build variants from a model, so a synthetic
/// system's Offline run is served by the session's executor alone.
struct UnusablePool;

impl OfflinePool for UnusablePool {
    fn helpers(&self) -> u32 {
        3
    }
    fn prepare(&mut self, _: &OfflineJob) {
        panic!("a synthetic system's Offline run was given to the pool");
    }
    fn ready(&mut self) -> bool {
        panic!("a synthetic system's Offline run waited for the pool");
    }
    fn start(&mut self, _: Duration) {
        panic!("a synthetic system's Offline run started the pool");
    }
    fn claim(&mut self) -> Option<u64> {
        panic!("a synthetic system's Offline run claimed from the pool");
    }
    fn claimed(&self) -> u64 {
        0
    }
    fn stop(&mut self) {}
    fn collect(&mut self) -> Option<Vec<(Vec<BatchTiming>, OfflineStop)>> {
        panic!("a synthetic system's Offline run collected from the pool");
    }
}

#[test]
fn a_synthetic_system_runs_offline_on_one_executor_beside_a_pool() {
    use inferbench::loadgen::clock::StdClock;
    use inferbench::loadgen::spin_until;
    let plan = offline_plan().with_synthetic_sut("fixed:20us".parse().unwrap());
    let mut session = BenchSession::new(plan)
        .expect("valid plan")
        .with_offline_pool(Box::new(UnusablePool));
    assert_eq!(session.offline_executors(), 1);
    let clock = StdClock::new();
    loop {
        match session
            .step(&clock, Duration::from_millis(20))
            .expect("no failure")
        {
            BenchStep::Finished => break,
            BenchStep::WaitUntil(t) => spin_until(&clock, t),
            BenchStep::Progress(_) => {}
        }
    }
    let result = session.finish(Environment::native(None), None);
    let run = &result.variants[0].runs[0].run;
    assert_eq!(run.executors, 1);
    assert_eq!(run.sample_count, 640);
    assert_eq!(run.queries.len(), 10);
}
