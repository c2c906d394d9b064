//! Everything the report derives from a result before writing a word: per-run statistics
//! (recomputed from the recorded latencies, never read from the file's stored summaries),
//! drift tests, the Offline rate interval, the comparison families with Holm's correction,
//! and the normalised metrics with the Pareto frontier.

use crate::loadgen::result::RunResult;
use crate::loadgen::settings::Scenario;
use crate::loadgen::timer_rule::{TimerLimited, TIMER_LIMITED_TICKS};
use crate::loadgen::timing_check::Dither;
use crate::model::Variant;
use crate::results::headline::{offline_rate, OfflineRate};
use crate::results::{analysis_sample_ms, BenchResult};
use crate::stats::{
    accuracy_delta, adjust_family, compression_ratio, efficiency_score, latency_bound_ms,
    pareto_frontier, queries_for_power, speedup_ratio, Comparison, ParetoPoint, ParetoStatus,
    SortedSample, StatsError, Summary, Trend,
};

use super::ReportOptions;

/// The analysed result.
pub(crate) struct Analysis<'a> {
    /// The result.
    pub result: &'a BenchResult,
    /// The thresholds and comparison settings.
    pub options: &'a ReportOptions,
    /// The environment's measured timer resolution, in ms.
    pub tick_ms: Option<f64>,
    /// The scenarios with at least one run, in the plan's order.
    pub scenarios: Vec<Scenario>,
    /// Every performance run, variant by variant in the result's order.
    pub runs: Vec<RunAnalysis<'a>>,
    /// One comparison family per scenario that has a baseline run and at least one other.
    pub families: Vec<Family>,
    /// Normalised metrics and Pareto status per variant.
    pub pareto: ParetoAnalysis,
}

/// One performance run and its statistics.
pub(crate) struct RunAnalysis<'a> {
    /// Position of the variant in `result.variants`.
    pub variant_index: usize,
    /// The variant.
    pub variant: Variant,
    /// What answered the queries, for headings: the variant, or the synthetic system that
    /// replaced the model ([`crate::plan::BenchPlan::sut_name`]).
    pub label: String,
    /// The run.
    pub run: &'a RunResult,
    /// The values statistics work on ([`analysis_sample_ms`]), in issue order.
    pub sample_ms: Vec<f64>,
    /// The same values sorted once, shared by the summary and every comparison of the run
    /// (`None` when there are none, or they are not finite).
    pub sorted: Option<SortedSample>,
    /// Their summary.
    pub summary: Result<Summary, StatsError>,
    /// The within-run trend test.
    pub trend: Result<Trend, StatsError>,
    /// The timer tick that bounds this run's readings, in ms.
    pub tick_ms: Option<f64>,
    /// The bound of each latency and percentile, 2 ticks, in ms ([`crate::stats::tick`]).
    pub bound_ms: Option<f64>,
    /// Whether the clock check showed the clock dithered, so that the mean needs no bound.
    pub mean_unbiased: bool,
    /// The timer-limited mark: the run's own, or (files written before it existed)
    /// recomputed from the median and the tick.
    pub limited: Option<TimerLimited>,
    /// Offline only: the sustained rate from the full batches.
    pub offline_rate: Option<Result<OfflineRate, String>>,
    /// Queries per variant to detect the configured difference at this run's CV.
    pub power_queries: Result<u64, StatsError>,
}

/// The comparisons of one scenario: each other variant against the baseline.
pub(crate) struct Family {
    /// The scenario.
    pub scenario: Scenario,
    /// The baseline variant (the result's first).
    pub baseline: Variant,
    /// Index into [`Analysis::runs`] of the baseline's run.
    pub baseline_run: usize,
    /// The candidates.
    pub members: Vec<Member>,
}

/// One candidate of a family.
pub(crate) struct Member {
    /// The candidate variant.
    pub variant: Variant,
    /// Index into [`Analysis::runs`].
    pub run: usize,
    /// The comparison (Holm-adjusted over the members that could be compared).
    pub comparison: Result<Comparison, StatsError>,
}

/// The normalised metrics and the Pareto frontier (accuracy against SingleStream p90).
pub(crate) struct ParetoAnalysis {
    /// Per variant, in the result's order.
    pub rows: Vec<ParetoRow>,
    /// Why no variant has a point, when none has.
    pub missing: Vec<String>,
}

/// The normalised metrics of a variant against the baseline, each on its own so that one
/// that cannot be computed (a p90 that reads 0) does not hide the others.
pub(crate) struct Normalized {
    /// Baseline p90 / variant p90.
    pub speedup: Result<f64, StatsError>,
    /// Baseline bytes / variant bytes.
    pub compression: Result<f64, StatsError>,
    /// Variant top-1 minus baseline top-1, a fraction.
    pub accuracy_delta: Result<f64, StatsError>,
    /// `speedup x compression / (1 + |delta|)`.
    pub efficiency: Result<f64, StatsError>,
}

/// One variant's figures.
pub(crate) struct ParetoRow {
    /// The variant.
    pub variant: Variant,
    /// Model bytes.
    pub size_bytes: u64,
    /// Top-1 accuracy, a fraction.
    pub accuracy: Option<f64>,
    /// SingleStream p90 latency, ms (the Pareto frontier's latency axis).
    pub p90_ms: Option<f64>,
    /// SingleStream mean latency, ms (the speedup of the normalised metrics, as the
    /// reference defines it: baseline mean / variant mean).
    pub mean_ms: Option<f64>,
    /// Against the baseline (`None` for the baseline, or when a figure is missing).
    pub normalized: Option<Normalized>,
    /// Pareto status among the variants that have both figures.
    pub status: Option<ParetoStatus>,
}

impl<'a> Analysis<'a> {
    /// Analyses `result`.
    pub fn of(result: &'a BenchResult, options: &'a ReportOptions) -> Self {
        let tick_ms = result.environment.timer.and_then(|t| t.resolution_ms);
        let dither = result.environment.clock_check.map(|c| c.dither);
        let mut runs = Vec::new();
        for (variant_index, v) in result.variants.iter().enumerate() {
            for r in &v.runs {
                runs.push(RunAnalysis::of(
                    variant_index,
                    v.variant,
                    result.plan.sut_name(v.variant),
                    &r.run,
                    (tick_ms, dither),
                    options,
                ));
            }
        }
        let mut scenarios: Vec<Scenario> = result
            .plan
            .scenarios
            .iter()
            .map(|s| s.scenario())
            .filter(|s| runs.iter().any(|r| r.run.scenario == *s))
            .collect();
        for r in &runs {
            if !scenarios.contains(&r.run.scenario) {
                scenarios.push(r.run.scenario);
            }
        }
        let families = scenarios
            .iter()
            .filter_map(|&s| family(s, &runs, options))
            .collect();
        let pareto = pareto(result, &runs);
        Analysis {
            result,
            options,
            tick_ms,
            scenarios,
            runs,
            families,
            pareto,
        }
    }

    /// The runs of `scenario`, in variant order.
    pub fn runs_of(&self, scenario: Scenario) -> impl Iterator<Item = &RunAnalysis<'a>> {
        self.runs.iter().filter(move |r| r.run.scenario == scenario)
    }

    /// The family of `scenario`, if it has one.
    pub fn family(&self, scenario: Scenario) -> Option<&Family> {
        self.families.iter().find(|f| f.scenario == scenario)
    }

    /// The baseline variant.
    pub fn baseline(&self) -> Option<Variant> {
        self.result.variants.first().map(|v| v.variant)
    }
}

impl<'a> RunAnalysis<'a> {
    fn of(
        variant_index: usize,
        variant: Variant,
        label: String,
        run: &'a RunResult,
        (env_tick_ms, env_dither): (Option<f64>, Option<Dither>),
        options: &ReportOptions,
    ) -> Self {
        let sample_ms = analysis_sample_ms(run);
        let level = options.compare.confidence_level;
        let sorted = SortedSample::new(&sample_ms).ok();
        let summary = match &sorted {
            Some(s) => Summary::of_sorted(s, level),
            // The error, as the unsorted values give it.
            None => Summary::with_confidence(&sample_ms, level),
        };
        let trend = Trend::of(&sample_ms, options.compare.alpha);
        let offline_rate = (run.scenario == Scenario::Offline)
            .then(|| offline_rate(run, options.compare.confidence_level));
        let power_queries = match &summary {
            Ok(s) => match s.cv {
                Some(cv) if cv > 0.0 => queries_for_power(
                    cv,
                    options.power_relative_difference,
                    options.compare.alpha,
                    options.power,
                ),
                _ => Err(StatsError::ZeroVariance {
                    statistic: "the power estimate",
                }),
            },
            Err(e) => Err(e.clone()),
        };
        let tick_ms = run.timer_resolution_ms.or(env_tick_ms);
        let limited = run.validity.timer_limited.or_else(|| {
            let (tick, l) = (tick_ms?, run.latency?);
            let p = run.settings.target_percentile;
            (run.scenario != Scenario::Offline && l.p50_ms < TIMER_LIMITED_TICKS * tick).then(
                || TimerLimited {
                    tick_ms: tick,
                    median_latency_ms: l.p50_ms,
                    percentile: p,
                    percentile_latency_ms: run.percentile_latency_ms().unwrap_or(l.p50_ms),
                    bound_ms: latency_bound_ms(tick),
                },
            )
        });
        RunAnalysis {
            variant_index,
            variant,
            label,
            run,
            sample_ms,
            sorted,
            summary,
            trend,
            tick_ms,
            bound_ms: tick_ms.map(latency_bound_ms),
            mean_unbiased: run.clock_dither.or(env_dither) == Some(Dither::Dithered),
            limited,
            offline_rate,
            power_queries,
        }
    }

    /// The run's target percentile (SingleStream p90, MultiStream and Server p99).
    pub fn target_percentile(&self) -> f64 {
        self.run.settings.target_percentile
    }

    /// The headline percentile's value and interval from the recomputed summary.
    pub fn target_estimate(&self) -> Option<&crate::stats::PercentileEstimate> {
        let s = self.summary.as_ref().ok()?;
        let p = self.target_percentile();
        s.percentiles
            .iter()
            .find(|e| (e.percentile - p).abs() < 1e-12)
    }
}

/// The family of `scenario`: every other variant's run against the first variant's.
fn family(scenario: Scenario, runs: &[RunAnalysis<'_>], options: &ReportOptions) -> Option<Family> {
    let baseline_run = runs
        .iter()
        .position(|r| r.variant_index == 0 && r.run.scenario == scenario)?;
    let baseline = &runs[baseline_run];
    let candidates: Vec<(usize, &RunAnalysis<'_>)> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.variant_index != 0 && r.run.scenario == scenario)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let members = match compare_runs_family(baseline, &candidates, options) {
        Ok(comparisons) => candidates
            .iter()
            .zip(comparisons)
            .map(|((i, r), c)| Member {
                variant: r.variant,
                run: *i,
                comparison: Ok(c),
            })
            .collect(),
        // Some candidate cannot be compared: compare each alone, then apply Holm's
        // correction over those that could be.
        Err(_) => {
            let mut members: Vec<Member> = candidates
                .iter()
                .map(|(i, r)| Member {
                    variant: r.variant,
                    run: *i,
                    comparison: compare_runs(baseline, r, options),
                })
                .collect();
            let mut ok: Vec<Comparison> = members
                .iter()
                .filter_map(|m| m.comparison.as_ref().ok().cloned())
                .collect();
            if !ok.is_empty() && adjust_family(&mut ok).is_ok() {
                let mut adjusted = ok.into_iter();
                for m in &mut members {
                    if m.comparison.is_ok() {
                        if let Some(c) = adjusted.next() {
                            m.comparison = Ok(c);
                        }
                    }
                }
            }
            members
        }
    };
    Some(Family {
        scenario,
        baseline: baseline.variant,
        baseline_run,
        members,
    })
}

/// One candidate run against the baseline run, on their sorted samples (or, when one has
/// none, the error the raw values give).
fn compare_runs(
    baseline: &RunAnalysis<'_>,
    candidate: &RunAnalysis<'_>,
    options: &ReportOptions,
) -> Result<Comparison, StatsError> {
    match (&baseline.sorted, &candidate.sorted) {
        (Some(b), Some(c)) => Comparison::of_sorted(b, c, &options.compare),
        _ => Comparison::of(&baseline.sample_ms, &candidate.sample_ms, &options.compare),
    }
}

/// Every candidate against the baseline, Holm-adjusted (as
/// [`compare_family`](crate::stats::compare_family)).
fn compare_runs_family(
    baseline: &RunAnalysis<'_>,
    candidates: &[(usize, &RunAnalysis<'_>)],
    options: &ReportOptions,
) -> Result<Vec<Comparison>, StatsError> {
    let mut comparisons = candidates
        .iter()
        .map(|(_, r)| compare_runs(baseline, r, options))
        .collect::<Result<Vec<_>, _>>()?;
    adjust_family(&mut comparisons)?;
    Ok(comparisons)
}

fn pareto(result: &BenchResult, runs: &[RunAnalysis<'_>]) -> ParetoAnalysis {
    let single_stream = |index: usize| {
        runs.iter()
            .find(|r| r.variant_index == index && r.run.scenario == Scenario::SingleStream)
            .and_then(|r| r.run.latency)
    };
    let mut rows: Vec<ParetoRow> = result
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| ParetoRow {
            variant: v.variant,
            size_bytes: v.size_bytes,
            accuracy: v.top1(),
            p90_ms: single_stream(i).map(|l| l.p90_ms),
            mean_ms: single_stream(i).map(|l| l.mean_ms),
            normalized: None,
            status: None,
        })
        .collect();
    let mut missing = Vec::new();
    if !result.plan.accuracy_mode {
        missing.push("accuracy mode was not run".to_string());
    }
    if !rows.iter().any(|r| r.p90_ms.is_some()) {
        missing.push("no variant has a SingleStream run".to_string());
    }
    // Normalised metrics against the baseline (stats::normalized, term by term).
    if let Some((first, others)) = rows.split_first_mut() {
        if let (Some(base_acc), Some(base_lat)) = (first.accuracy, first.mean_ms) {
            for r in others {
                if let (Some(acc), Some(lat)) = (r.accuracy, r.mean_ms) {
                    let speedup = speedup_ratio(base_lat, lat);
                    let compression = compression_ratio(first.size_bytes, r.size_bytes);
                    let delta = accuracy_delta(base_acc, acc);
                    let efficiency = match (&speedup, &compression, &delta) {
                        (Ok(s), Ok(c), Ok(d)) => efficiency_score(*s, *c, *d),
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e.clone()),
                    };
                    r.normalized = Some(Normalized {
                        speedup,
                        compression,
                        accuracy_delta: delta,
                        efficiency,
                    });
                }
            }
        }
    }
    // The frontier among the variants that have both figures.
    let with_point: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].accuracy.is_some() && rows[i].p90_ms.is_some())
        .collect();
    let points: Vec<ParetoPoint> = with_point
        .iter()
        .map(|&i| ParetoPoint {
            accuracy: rows[i].accuracy.unwrap_or(0.0),
            p90_latency_ms: rows[i].p90_ms.unwrap_or(0.0),
        })
        .collect();
    if let Ok(statuses) = pareto_frontier(&points) {
        for (k, mut status) in statuses.into_iter().enumerate() {
            // Indices into `points` become indices into `rows`.
            status.dominated_by = status.dominated_by.iter().map(|&j| with_point[j]).collect();
            rows[with_point[k]].status = Some(status);
        }
    }
    ParetoAnalysis { rows, missing }
}
