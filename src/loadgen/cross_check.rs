//! The batch cross-check of a timer-limited run ([`CrossCheckRun`]): the run's own samples,
//! in the run's order and call sizes, timed again one by one (as the run timed them) and back
//! to back in groups of at least [`CrossCheckSettings::group_ticks`] ticks, interleaved
//! ([`PairedTiming`]). The groups' mean is free of the tick; the one-by-one mean next to it
//! shows whether quantised readings average out on this machine for this workload, and the
//! run's own per-query mean is shown beside both ([`CrossCheck`]).
//!
//! What is compared per call: the query latency for SingleStream and MultiStream (issue to
//! completion of one call), the service time for Server (a batch of calls cannot reproduce
//! the queueing). Offline's batches last thousands of ticks and are not cross-checked.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::record::ns_to_ms;
use super::result::RunResult;
use super::schedule::{SampleStream, PERFORMANCE_STREAM};
use super::settings::{Scenario, TestMode};
use super::sut::SystemUnderTest;
use super::timing_check::{PairedTimes, PairedTiming, TimedWork};

/// How a cross-check runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CrossCheckSettings {
    /// The least length of a group timed as a whole, in ticks: its own bound of 2 ticks is
    /// then at most 2% of it.
    pub group_ticks: f64,
    /// Groups, each timed both ways.
    pub groups: u32,
}

impl Default for CrossCheckSettings {
    /// Groups of 100 ticks, 100 of them: 20,000 ticks in all (0.1 s with a 5 µs tick, 0.4 s
    /// with a 20 µs one), whatever the query's length.
    fn default() -> Self {
        Self {
            group_ticks: 100.0,
            groups: 100,
        }
    }
}

/// What the cross-check of a run found, stored with the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CrossCheck {
    /// The run's scenario.
    pub scenario: Scenario,
    /// Samples per call (1, or MultiStream's samples per query).
    pub samples_per_call: u32,
    /// The run's queries.
    pub run_calls: u64,
    /// The run's own mean per call, in ms: query latency, or service time for Server.
    pub run_mean_ms: f64,
    /// The settings used.
    pub settings: CrossCheckSettings,
    /// The run's first calls timed both ways.
    pub times: PairedTimes,
}

impl CrossCheck {
    /// Whether the one-by-one mean agrees with the tick-free mean within the stated error.
    pub fn agrees(&self) -> bool {
        self.times.agrees()
    }
}

/// The longest group, in calls (a run whose readings are all 0 would ask for any number).
const MAX_CALLS_PER_GROUP: u32 = 10_000;

/// A cross-check, advanced step by step like the run it checks.
#[derive(Debug)]
pub struct CrossCheckRun {
    scenario: Scenario,
    settings: CrossCheckSettings,
    per_call: usize,
    run_calls: u64,
    run_mean_ms: f64,
    /// The samples of the replayed calls, `per_call` per call, in the run's order.
    samples: Vec<usize>,
    predictions: Vec<u8>,
    timing: PairedTiming,
}

impl CrossCheckRun {
    /// The cross-check of `run` (over a sample set of `sample_count` samples) on a clock whose
    /// tick is `tick_ms`; `None` for a run that is not a SingleStream, MultiStream or Server
    /// performance run with at least one query.
    pub fn new(
        run: &RunResult,
        sample_count: usize,
        tick_ms: f64,
        settings: CrossCheckSettings,
    ) -> Option<Self> {
        if run.mode != TestMode::Performance
            || run.scenario == Scenario::Offline
            || run.queries.is_empty()
            || sample_count == 0
        {
            return None;
        }
        let per_call = run.settings.samples_per_call() as usize;
        let run_calls = run.queries.len() as u64;
        let total_ns: u64 = run
            .queries
            .iter()
            .map(|q| match run.scenario {
                Scenario::Server => q.completed_ns - q.issued_ns,
                _ => q.latency_ns(),
            })
            .sum();
        let run_mean_ms = ns_to_ms(total_ns) / run_calls as f64;
        let calls_per_group = if run_mean_ms > 0.0 {
            (settings.group_ticks * tick_ms / run_mean_ms).ceil()
        } else {
            f64::from(MAX_CALLS_PER_GROUP)
        }
        .clamp(1.0, f64::from(MAX_CALLS_PER_GROUP)) as u32;
        let replayed = (u64::from(calls_per_group) * u64::from(settings.groups.max(2)))
            .min(run_calls) as usize;
        let mut stream = SampleStream::new(
            run.settings.seeds.sample_index,
            PERFORMANCE_STREAM,
            sample_count,
        );
        let mut samples = vec![0; replayed * per_call];
        stream.fill(&mut samples);
        Some(Self {
            scenario: run.scenario,
            settings,
            per_call,
            run_calls,
            run_mean_ms,
            samples,
            predictions: vec![0; per_call],
            timing: PairedTiming::new(settings.groups, calls_per_group, tick_ms),
        })
    }

    /// The share done, in `0..=1`.
    pub fn fraction_done(&self) -> f64 {
        self.timing.fraction_done()
    }

    /// Times groups for about `budget` (at least one); returns whether the check is over.
    pub fn step<C, S>(&mut self, clock: &C, sut: &mut S, budget: Duration) -> bool
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        let mut replay = Replay {
            samples: &self.samples,
            per_call: self.per_call,
            predictions: &mut self.predictions,
            sut,
        };
        self.timing.step(clock, &mut replay, budget)
    }

    /// What was found; `None` if fewer than two groups were timed (cancelled at once).
    pub fn finish(self) -> Option<CrossCheck> {
        Some(CrossCheck {
            scenario: self.scenario,
            samples_per_call: self.per_call as u32,
            run_calls: self.run_calls,
            run_mean_ms: self.run_mean_ms,
            settings: self.settings,
            times: self.timing.times()?,
        })
    }
}

/// The run's calls again: call `i` is the run's call `i` (wrapping around a short run).
struct Replay<'a, S: ?Sized> {
    samples: &'a [usize],
    per_call: usize,
    predictions: &'a mut [u8],
    sut: &'a mut S,
}

impl<S: SystemUnderTest + ?Sized> TimedWork for Replay<'_, S> {
    fn call(&mut self, index: u64) {
        let calls = (self.samples.len() / self.per_call) as u64;
        let at = (index % calls) as usize * self.per_call;
        self.sut.process(
            &self.samples[at..at + self.per_call],
            &mut self.predictions[..self.per_call],
        );
    }
}
