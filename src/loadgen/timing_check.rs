//! Checking a coarse clock against itself: the same calls timed one by one (each reading
//! quantised by the tick) and back to back in groups (one reading at each end of a group long
//! enough for the tick to be negligible), interleaved so that both see the same machine.
//!
//! [`PairedTiming`] is the engine, driven step by step like a [`Runner`](super::runner::Runner)
//! (it reads time only through the [`Clock`] it is given). Group `g` times calls
//! `g k .. (g + 1) k` of a [`TimedWork`] twice: once with a reading before and after each call
//! (the runner's way), once as a whole, with a clock reading after each call so that both ways
//! pay the same cost per call; even groups go one by one first, odd groups as a whole first, so
//! that a cache warmed by the first timing favours neither. The per-call difference of the
//! two, `d_g = (sum of the one-by-one readings - group time) / k`, is a paired measurement of
//! the one-by-one timings' bias: a bias of the readings shifts every group's `d_g`, while a
//! stall of the machine (another program taking the core for milliseconds) lands in one
//! timing of one group. So [`PairedTimes`] states the **median** of the `d_g`, with its
//! distribution-free interval at [`AGREEMENT_LEVEL`] widened by the groups' own tick bound
//! (`2 ticks / k` per call, since each group is read only at its ends): a few stalled groups
//! move neither.
//!
//! [`ClockCheck`] uses it before the scenarios, on a fixed work item (a busy loop calibrated
//! to [`ClockCheckSettings::item_ticks`] of a tick, where rounding matters most): if the mean
//! of the one-by-one readings equals the tick-free group mean to within
//! [`DITHER_TOLERANCE_TICKS`], the clock is **dithered** (its readings round up as often as
//! the true time says), and means of quantised latencies are unbiased on this machine.
//! [`super::cross_check`] uses it after a timer-limited run, on the run's own samples.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, TimerResolution};
use crate::stats::sample::{median_sorted, sorted_copy};
use crate::stats::{latency_bound_ms, percentile_ci, ConfidenceInterval};

/// A bias of the one-by-one mean smaller than this many ticks is "unbiased": 0.1 tick is 0.5%
/// of a latency of 20 ticks, the shortest a run can have before it is timer-limited.
pub const DITHER_TOLERANCE_TICKS: f64 = 0.1;

/// The level of the interval a [`PairedTimes`] states its error at: 99.9%, so that two means
/// found apart are apart for real (by chance, 1 time in 1,000), not 1 time in 20.
pub const AGREEMENT_LEVEL: f64 = 0.999;

/// Work that [`PairedTiming`] times: call `index` of a fixed sequence.
pub trait TimedWork {
    /// Runs call `index` (the same index always does the same work).
    fn call(&mut self, index: u64);
}

impl<F: FnMut(u64)> TimedWork for F {
    fn call(&mut self, index: u64) {
        self(index);
    }
}

/// The calls of a [`PairedTiming`] timed both ways, and how far apart the two means are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedTimes {
    /// Groups timed (each both ways).
    pub groups: u32,
    /// Calls per group.
    pub calls_per_group: u32,
    /// The tick of the clock, in ms (the groups' bound is computed from it).
    pub tick_ms: f64,
    /// Mean of the one-by-one readings, per call, in ms.
    pub per_query_mean_ms: f64,
    /// Mean time per call of the groups timed as a whole, in ms: free of the tick.
    pub batch_mean_ms: f64,
    /// Median over the groups of the per-call difference (one by one minus as a whole), in
    /// ms.
    pub difference_ms: f64,
    /// Its stated error, in ms: the order-statistic interval of that median at
    /// [`AGREEMENT_LEVEL`], widened on both sides by the groups' own tick bound per call.
    pub difference_interval_ms: ConfidenceInterval,
    /// How long the timing took, in ms.
    pub duration_ms: f64,
}

impl PairedTimes {
    /// Whether the one-by-one and the tick-free timings agree: the difference's interval
    /// holds 0.
    pub fn agrees(&self) -> bool {
        self.difference_interval_ms.contains(0.0)
    }
}

/// The fewest groups a [`PairedTiming`] times: the least for a 99.9% interval of a median.
pub const MIN_GROUPS: u32 = 12;

/// Times `groups` groups of `calls_per_group` calls both ways (see the module docs).
#[derive(Debug, Clone)]
pub struct PairedTiming {
    groups_target: u32,
    calls_per_group: u32,
    tick_ms: f64,
    /// Per group: the sum of the one-by-one readings and the group's time, in ns.
    done: Vec<(u64, u64)>,
    /// One-by-one readings rounded to whole ticks: 0, 1, 2, 3 or more.
    readings_by_ticks: [u64; 4],
    started: Option<Duration>,
    last: Duration,
}

fn ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl PairedTiming {
    /// A timing of `groups` groups (at least [`MIN_GROUPS`]) of `calls_per_group` calls (at
    /// least 1) on a clock whose tick is `tick_ms`.
    pub fn new(groups: u32, calls_per_group: u32, tick_ms: f64) -> Self {
        Self {
            groups_target: groups.max(MIN_GROUPS),
            calls_per_group: calls_per_group.max(1),
            tick_ms,
            done: Vec::new(),
            readings_by_ticks: [0; 4],
            started: None,
            last: Duration::ZERO,
        }
    }

    /// Whether every group has been timed.
    pub fn is_finished(&self) -> bool {
        self.done.len() as u32 >= self.groups_target
    }

    /// The share of groups timed, in `0..=1`.
    pub fn fraction_done(&self) -> f64 {
        self.done.len() as f64 / f64::from(self.groups_target)
    }

    /// How many one-by-one readings were 0, 1, 2, and 3 or more ticks.
    pub fn readings_by_ticks(&self) -> [u64; 4] {
        self.readings_by_ticks
    }

    /// Times groups for about `budget` (at least one group); returns whether all are done.
    pub fn step<C, W>(&mut self, clock: &C, work: &mut W, budget: Duration) -> bool
    where
        C: Clock + ?Sized,
        W: TimedWork + ?Sized,
    {
        let step_start = clock.now();
        self.started.get_or_insert(step_start);
        while !self.is_finished() {
            let g = self.done.len() as u64;
            let first = g * u64::from(self.calls_per_group);
            let pair = if g.is_multiple_of(2) {
                let one_by_one = self.one_by_one(clock, work, first);
                (one_by_one, self.as_a_whole(clock, work, first))
            } else {
                let whole = self.as_a_whole(clock, work, first);
                (self.one_by_one(clock, work, first), whole)
            };
            self.done.push(pair);
            self.last = clock.now();
            if self.last.saturating_sub(step_start) >= budget {
                break;
            }
        }
        self.is_finished()
    }

    fn one_by_one<C, W>(&mut self, clock: &C, work: &mut W, first: u64) -> u64
    where
        C: Clock + ?Sized,
        W: TimedWork + ?Sized,
    {
        let tick_ns = self.tick_ms * 1e6;
        let mut sum = 0u64;
        for i in first..first + u64::from(self.calls_per_group) {
            let start = clock.now();
            work.call(i);
            let reading = ns(clock.now().saturating_sub(start));
            sum = sum.saturating_add(reading);
            let ticks = if tick_ns > 0.0 {
                (reading as f64 / tick_ns).round().min(3.0) as usize
            } else {
                3
            };
            self.readings_by_ticks[ticks] += 1;
        }
        sum
    }

    fn as_a_whole<C, W>(&mut self, clock: &C, work: &mut W, first: u64) -> u64
    where
        C: Clock + ?Sized,
        W: TimedWork + ?Sized,
    {
        let start = clock.now();
        for (n, i) in (first..first + u64::from(self.calls_per_group)).enumerate() {
            // The one-by-one way has one clock reading inside each call's interval (its
            // start's cost after the reading, its end's before): so does this one, the
            // group's first reading counting for its first call.
            if n > 0 {
                std::hint::black_box(clock.now());
            }
            work.call(i);
        }
        ns(clock.now().saturating_sub(start))
    }

    /// What was measured; `None` before [`MIN_GROUPS`] groups were timed.
    pub fn times(&self) -> Option<PairedTimes> {
        if self.done.len() < MIN_GROUPS as usize {
            return None;
        }
        let k = f64::from(self.calls_per_group);
        let per_call_ms = |v: u64| v as f64 / k / 1e6;
        let differences: Vec<f64> = self
            .done
            .iter()
            .map(|&(one, whole)| per_call_ms(one) - per_call_ms(whole))
            .collect();
        let ci = percentile_ci(&differences, 0.5, AGREEMENT_LEVEL)
            .ok()?
            .interval;
        let own = latency_bound_ms(self.tick_ms) / k;
        let calls = self.done.len() as f64 * k;
        let total = |f: fn(&(u64, u64)) -> u64| self.done.iter().map(f).sum::<u64>() as f64;
        Some(PairedTimes {
            groups: self.done.len() as u32,
            calls_per_group: self.calls_per_group,
            tick_ms: self.tick_ms,
            per_query_mean_ms: total(|p| p.0) / calls / 1e6,
            batch_mean_ms: total(|p| p.1) / calls / 1e6,
            difference_ms: median_sorted(&sorted_copy(&differences)).unwrap_or(0.0),
            difference_interval_ms: ConfidenceInterval {
                confidence_level: ci.confidence_level,
                lower: ci.lower - own,
                upper: ci.upper + own,
            },
            duration_ms: self
                .started
                .map_or(0.0, |s| self.last.saturating_sub(s).as_secs_f64() * 1e3),
        })
    }
}

/// What a driver knows of its clock, for every run it starts: the measured resolution (the
/// timer rule, [`super::timer_rule`]) and the clock check's dither verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClockFacts {
    /// The timer's resolution ([`measure_resolution`](super::clock::measure_resolution)),
    /// when measured.
    pub resolution: Option<TimerResolution>,
    /// The clock check's verdict ([`ClockCheck::dither`]), when the check ran.
    pub dither: Option<Dither>,
}

/// What the clock check found about dithering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dither {
    /// The one-by-one mean is within [`DITHER_TOLERANCE_TICKS`] of the tick-free mean, with
    /// its error: means of quantised latencies are unbiased on this clock.
    Dithered,
    /// The one-by-one mean is off by more than the tolerance, beyond its error: means of
    /// latencies shorter than a few ticks are biased.
    NotDithered,
    /// The error is too large to tell (a very noisy machine).
    Inconclusive,
    /// The clock never moved, so nothing could be checked.
    NotMeasured,
}

impl Dither {
    /// Whether the clock was shown to be dithered.
    pub fn is_dithered(self) -> bool {
        self == Dither::Dithered
    }
}

/// The verdict on paired timings of a clock whose tick is `tick_ms`: a bias of the
/// one-by-one readings whose interval lies within [`DITHER_TOLERANCE_TICKS`] of 0 is
/// dithered, one whose interval lies beyond it is not, and anything else is inconclusive.
pub fn dither_verdict(tick_ms: f64, times: &PairedTimes) -> Dither {
    let tolerance = DITHER_TOLERANCE_TICKS * tick_ms;
    let ci = times.difference_interval_ms;
    if -tolerance <= ci.lower && ci.upper <= tolerance {
        Dither::Dithered
    } else if ci.lower > tolerance || ci.upper < -tolerance {
        Dither::NotDithered
    } else {
        Dither::Inconclusive
    }
}

/// How the clock check runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClockCheckSettings {
    /// Length of the work item, in ticks (below one tick, rounding matters most).
    pub item_ticks: f64,
    /// Length of a group timed as a whole, in ticks.
    pub group_ticks: f64,
    /// Groups timed both ways.
    pub groups: u32,
}

impl Default for ClockCheckSettings {
    /// Items of 0.7 tick, groups of 100 ticks (143 items, whose own bound is then 2 ticks /
    /// 143, 0.014 tick per item), 120 groups: 24,000 ticks in all, 0.12 s with a 5 µs tick,
    /// 0.48 s with Firefox's 20 µs. Many short groups rather than a few long ones: a stall of
    /// the machine spoils fewer of them, and the median over them is tighter.
    fn default() -> Self {
        Self {
            item_ticks: 0.7,
            group_ticks: 100.0,
            groups: 120,
        }
    }
}

/// The clock check's findings, recorded in the result's environment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClockCheck {
    /// The tick checked, in ms (`None`: the clock never moved).
    pub tick_ms: Option<f64>,
    /// The settings used.
    pub settings: ClockCheckSettings,
    /// Busy-loop iterations of the work item.
    pub item_iterations: u64,
    /// Both timings of the item; `None` when not measured.
    pub times: Option<PairedTimes>,
    /// One-by-one readings of the item that were 0, 1, 2, and 3 or more ticks: a reading of
    /// 2 ticks for an item shorter than one shows that the clock rounds each reading to
    /// either neighbouring tick (a latency then errs by up to 2 ticks).
    pub readings_by_ticks: [u64; 4],
    /// The verdict.
    pub dither: Dither,
}

/// One unit of the clock check's work item: `iterations` steps of a busy loop the optimiser
/// cannot shorten. Returns a value that depends on every step.
pub fn spin(iterations: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..iterations {
        x = std::hint::black_box(
            x.wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407),
        );
    }
    x
}

/// The clock check's work item: something that takes a time proportional to `iterations`.
pub trait WorkItem {
    /// Does `iterations` units of work.
    fn run(&mut self, iterations: u64);
}

/// The real work item: [`spin`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Spin;

impl WorkItem for Spin {
    fn run(&mut self, iterations: u64) {
        std::hint::black_box(spin(iterations));
    }
}

/// The largest calibration loop, about 0.1 s of work (a clock that barely moves stops the
/// doubling here).
const MAX_CALIBRATION_ITERATIONS: u64 = 1 << 27;

/// The clock check, advanced step by step ([`ClockCheckRun::step`]).
#[derive(Debug)]
pub struct ClockCheckRun<W: WorkItem = Spin> {
    settings: ClockCheckSettings,
    tick_ms: Option<f64>,
    item: W,
    item_iterations: u64,
    timing: Option<PairedTiming>,
    finished: bool,
}

impl ClockCheckRun<Spin> {
    /// A check of a clock whose measured tick is `tick_ms`, on the [`Spin`] item.
    pub fn new(tick_ms: Option<f64>, settings: ClockCheckSettings) -> Self {
        Self::with_item(tick_ms, settings, Spin)
    }
}

impl<W: WorkItem> ClockCheckRun<W> {
    /// A check on another work item (for tests: one that advances a simulated clock).
    pub fn with_item(tick_ms: Option<f64>, settings: ClockCheckSettings, item: W) -> Self {
        Self {
            settings,
            tick_ms: tick_ms.filter(|t| *t > 0.0),
            item,
            item_iterations: 0,
            timing: None,
            finished: false,
        }
    }

    /// The share done, in `0..=1`.
    pub fn fraction_done(&self) -> f64 {
        match (&self.timing, self.finished) {
            (_, true) => 1.0,
            (Some(t), _) => t.fraction_done(),
            (None, _) => 0.0,
        }
    }

    /// Does about `budget` of work; returns whether the check is over.
    pub fn step<C: Clock + ?Sized>(&mut self, clock: &C, budget: Duration) -> bool {
        let Some(tick_ms) = self.tick_ms else {
            self.finished = true;
            return true;
        };
        if self.timing.is_none() {
            let Some(per_iteration_ms) = self.calibrate(clock, tick_ms) else {
                self.finished = true;
                return true;
            };
            let item_ms = self.settings.item_ticks * tick_ms;
            self.item_iterations = ((item_ms / per_iteration_ms).round() as u64).max(1);
            let actual_item_ms = self.item_iterations as f64 * per_iteration_ms;
            let calls = (self.settings.group_ticks * tick_ms / actual_item_ms).ceil();
            self.timing = Some(PairedTiming::new(
                self.settings.groups,
                calls.clamp(1.0, 1e6) as u32,
                tick_ms,
            ));
            return false;
        }
        let iterations = self.item_iterations;
        let item = &mut self.item;
        let timing = self.timing.as_mut().expect("set above");
        self.finished = timing.step(clock, &mut |_| item.run(iterations), budget);
        self.finished
    }

    /// Times ever longer loops until one lasts 200 ticks, then that loop twice more; returns
    /// the shortest time per iteration in ms, or `None` if the clock never got there.
    fn calibrate<C: Clock + ?Sized>(&mut self, clock: &C, tick_ms: f64) -> Option<f64> {
        let mut iterations = 16u64;
        let mut at_64k = None;
        let time = |item: &mut W, iterations: u64| {
            let start = clock.now();
            item.run(iterations);
            clock.now().saturating_sub(start).as_secs_f64() * 1e3
        };
        while iterations <= MAX_CALIBRATION_ITERATIONS {
            let ms = time(&mut self.item, iterations);
            if ms >= 200.0 * tick_ms {
                // The shortest of three: a stall of the machine only ever lengthens one.
                let shortest = (0..2).fold(ms, |m, _| m.min(time(&mut self.item, iterations)));
                return Some(shortest / iterations as f64);
            }
            match iterations {
                65_536 => at_64k = Some(ms),
                // 16 times the work did not take 4 times as long: the clock does not measure
                // the work (it never moves, or it moves by itself).
                1_048_576 if at_64k.is_some_and(|early| ms < 4.0 * early) => return None,
                _ if ms == 0.0 && iterations >= 1 << 22 => return None,
                _ => {}
            }
            iterations *= 2;
        }
        None
    }

    /// The findings (a check stopped early has what it measured so far).
    pub fn finish(self) -> ClockCheck {
        let times = self.timing.as_ref().and_then(PairedTiming::times);
        let dither = match (self.tick_ms, times) {
            (Some(tick), Some(t)) => dither_verdict(tick, &t),
            _ => Dither::NotMeasured,
        };
        ClockCheck {
            tick_ms: self.tick_ms,
            settings: self.settings,
            item_iterations: self.item_iterations,
            times,
            readings_by_ticks: self
                .timing
                .as_ref()
                .map_or([0; 4], PairedTiming::readings_by_ticks),
            dither,
        }
    }
}
