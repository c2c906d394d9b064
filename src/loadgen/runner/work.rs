//! The measured phase's work, scenario by scenario ([`Work`]: what is issued next), and the
//! one way every query is issued, timed, recorded and held to the stop rule
//! ([`crate::loadgen::stop_rule`]).

use std::time::Duration;

use super::{ns_between, Runner};
use crate::loadgen::clock::Clock;
use crate::loadgen::record::QueryRecord;
use crate::loadgen::schedule::{self, SampleStream};
use crate::loadgen::settings::Scenario;
use crate::loadgen::stop_rule::{planned_end, stop_after, AfterQuery, Extent};
use crate::loadgen::sut::SystemUnderTest;
use crate::loadgen::validity::StopReason;

/// The work source of the measured phase.
#[derive(Debug)]
pub(super) enum Work {
    /// SingleStream and MultiStream: queries of `per_call` samples drawn from the stream.
    Stream {
        samples: SampleStream,
        per_call: u32,
    },
    /// Server: the arrival schedule and the next arrival's index.
    Server {
        samples: SampleStream,
        arrivals_ns: Vec<u64>,
        next: usize,
        capped_by_max_query_count: bool,
        /// The schedule was cut at the run's query limit ([`Runner::with_query_limit`]).
        capped_by_query_limit: bool,
        /// How far the arrivals not yet issued are shifted, in ns: the driver's pauses
        /// excused so far ([`Runner::driver_paused`]).
        shift_ns: u64,
    },
    /// Offline: `total` samples in batches of `batch`, batch `b` drawn from its own stream
    /// ([`schedule::offline_batch_samples`]).
    Offline {
        batch: u32,
        total: u64,
        issued: u64,
        /// `total` was lowered to fit the run's query limit in batches.
        capped_by_query_limit: bool,
    },
    /// Accuracy mode: the shuffled order and the position in it.
    Accuracy {
        order: Vec<usize>,
        per_call: u32,
        next: usize,
    },
}

/// A Server query's arrival: when it is due, and the clock's reading that found it due.
#[derive(Debug, Clone, Copy)]
struct Arrival {
    scheduled_ns: u64,
    now: Duration,
}

/// What the scenario's work says comes next.
enum Next {
    /// `n` samples are in the buffer: issue them (a Server query at its arrival).
    Issue { n: usize, arrival: Option<Arrival> },
    /// Wait for the next Server arrival.
    Wait(Duration),
    /// Nothing is left to issue.
    Stop(StopReason),
}

/// What one unit of measured work came to.
pub(super) enum Unit {
    /// A query (or batch) ran; the clock's reading at its completion (reused for the step's
    /// budget, so that a query costs two clock readings, not three).
    Ran(Duration),
    Wait(Duration),
    Stop(StopReason),
}

impl Work {
    /// Puts the next query's samples in `buf` and says how many, or says to wait for the
    /// next Server arrival or that nothing is left to issue. `start` is the measured phase's
    /// start, `seed` the run's sample-index seed.
    fn next<C: Clock + ?Sized>(
        &mut self,
        clock: &C,
        start: Duration,
        seed: u64,
        sample_set_size: usize,
        buf: &mut [usize],
    ) -> Next {
        match self {
            Work::Stream { samples, per_call } => {
                let n = *per_call as usize;
                samples.fill(&mut buf[..n]);
                Next::Issue { n, arrival: None }
            }
            Work::Server {
                samples,
                arrivals_ns,
                next,
                shift_ns,
                ..
            } => {
                let Some(&arrival_ns) = arrivals_ns.get(*next) else {
                    return Next::Stop(StopReason::ScheduleExhausted);
                };
                let scheduled_ns = arrival_ns + *shift_ns;
                // This reading is the query's issue time if it is due: one reading less.
                let now = clock.now();
                let deadline = start + Duration::from_nanos(scheduled_ns);
                if now < deadline {
                    return Next::Wait(deadline);
                }
                samples.fill(&mut buf[..1]);
                Next::Issue {
                    n: 1,
                    arrival: Some(Arrival { scheduled_ns, now }),
                }
            }
            Work::Offline {
                batch,
                total,
                issued,
                ..
            } => {
                let remaining = *total - *issued;
                if remaining == 0 {
                    return Next::Stop(StopReason::AllSamplesProcessed);
                }
                let n = u64::from(*batch).min(remaining) as usize;
                schedule::offline_batch_samples(
                    seed,
                    sample_set_size,
                    *issued / u64::from(*batch),
                    &mut buf[..n],
                );
                Next::Issue { n, arrival: None }
            }
            Work::Accuracy {
                order,
                per_call,
                next,
            } => {
                let end = (*next + *per_call as usize).min(order.len());
                let n = end - *next;
                buf[..n].copy_from_slice(&order[*next..end]);
                Next::Issue { n, arrival: None }
            }
        }
    }

    /// Counts a completed query of `n` samples.
    fn advance(&mut self, n: usize) {
        match self {
            Work::Stream { .. } => {}
            Work::Server { next, .. } => *next += 1,
            Work::Offline { issued, .. } => *issued += n as u64,
            Work::Accuracy { next, .. } => *next += n,
        }
    }

    /// How the measured work is bounded, for the stop rule.
    fn extent(&self) -> Extent {
        match self {
            Work::Stream { .. } => Extent::Open,
            Work::Server {
                arrivals_ns,
                next,
                capped_by_max_query_count,
                capped_by_query_limit,
                ..
            } => Extent::Planned {
                used_up: *next == arrivals_ns.len(),
                end: planned_end(
                    StopReason::ScheduleExhausted,
                    *capped_by_max_query_count,
                    *capped_by_query_limit,
                ),
            },
            Work::Offline {
                total,
                issued,
                capped_by_query_limit,
                ..
            } => Extent::Planned {
                used_up: *issued == *total,
                end: planned_end(
                    StopReason::AllSamplesProcessed,
                    false,
                    *capped_by_query_limit,
                ),
            },
            Work::Accuracy { order, next, .. } => Extent::Untimed {
                used_up: *next == order.len(),
            },
        }
    }
}

impl Runner {
    /// Runs one query (or batch) of the measured phase, or says to wait or stop: the
    /// scenario's work gives the samples ([`Work`]), every scenario is issued, timed and
    /// recorded the same way, and the one stop rule decides ([`stop_after`]).
    pub(super) fn measure_unit<C, S>(&mut self, clock: &C, sut: &mut S) -> Unit
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        let start = self.phase_start.expect("the measured phase has a start");
        let seed = self.settings.seeds.sample_index;
        let (n, arrival) = match self.work.next(
            clock,
            start,
            seed,
            self.sample_set_size,
            &mut self.samples_buf,
        ) {
            Next::Issue { n, arrival } => (n, arrival),
            Next::Wait(deadline) => return Unit::Wait(deadline),
            Next::Stop(reason) => return Unit::Stop(reason),
        };
        let issued_at = arrival.map_or_else(|| clock.now(), |a| a.now);
        sut.process(&self.samples_buf[..n], &mut self.predictions_buf[..n]);
        let completed = clock.now();
        let issued_ns = ns_between(start, issued_at).max(arrival.map_or(0, |a| a.scheduled_ns));
        let completed_ns = ns_between(start, completed).max(issued_ns);
        let offline = self.settings.scenario() == Scenario::Offline;
        // A Server query is due at its arrival; every Offline sample at t = 0; the others
        // when issued.
        let scheduled_ns = match arrival {
            Some(a) => a.scheduled_ns,
            None if offline => 0,
            None => issued_ns,
        };
        if let Work::Accuracy { .. } = self.work {
            if let Some(labels) = &self.labels {
                self.correct += self.samples_buf[..n]
                    .iter()
                    .zip(&self.predictions_buf[..n])
                    .filter(|&(&s, &p)| labels[s] == p)
                    .count() as u64;
            }
        } else {
            self.first_query_latency_ns
                .get_or_insert(completed_ns - issued_ns);
        }
        self.records.push(QueryRecord::new(
            scheduled_ns,
            issued_ns,
            completed_ns,
            n as u32,
            arrival.is_some(),
        ));
        self.service_total_ns += completed_ns - issued_ns;
        self.work.advance(n);
        let after = AfterQuery {
            queries: self.records.len() as u64,
            issued_ns,
            // An Offline batch is held to the maximum duration by its completion.
            timed_ns: if offline { completed_ns } else { issued_ns },
        };
        match stop_after(&self.settings, self.query_limit, self.work.extent(), after) {
            Some(reason) => Unit::Stop(reason),
            None => Unit::Ran(completed),
        }
    }
}
