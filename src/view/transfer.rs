//! A result crossing from the worker to the page without a JSON text of its queries: the
//! result's other fields as (small) JSON, and each run's queries as plain columns of
//! integers, which the web shell moves as transferable typed arrays (no copy, no parsing on
//! the page's thread), with each run's analysed values already sorted for the charts.
//!
//! [`split`] gives a result's shell and its runs' columns (in [`runs_mut`] order) and
//! [`join`] puts them together again; both are pure and tested natively. A million queries cross as 36 MB of typed
//! arrays that the page copies into its memory in a few milliseconds, where the same result
//! as JSON took it a long task to parse.

use serde::{Deserialize, Serialize};

use crate::loadgen::record::QueryRecord;
use crate::loadgen::result::RunResult;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::results::{analysis_sample_ms, BenchResult};
use crate::stats::sample::finite_sorted;

/// One run's queries as columns (the same length each).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryColumns {
    /// When each query was due, ns since the run's start.
    pub scheduled_ns: Vec<u64>,
    /// When the system under test started on it.
    pub issued_ns: Vec<u64>,
    /// When it completed.
    pub completed_ns: Vec<u64>,
    /// Samples in each query.
    pub samples: Vec<u32>,
    /// Whether the run is a Server run's (queueing/service split).
    pub server: bool,
    /// The run's analysed values ([`analysis_sample_ms`]) sorted ascending, in ms: what its
    /// CDF and histogram draw, sorted in the worker so that the page never sorts.
    pub sorted_sample_ms: Vec<f64>,
}

impl QueryColumns {
    /// The columns of `run`.
    pub fn of(run: &RunResult) -> Self {
        let q = &run.queries;
        Self {
            scheduled_ns: q.iter().map(|r| r.scheduled_ns).collect(),
            issued_ns: q.iter().map(|r| r.issued_ns).collect(),
            completed_ns: q.iter().map(|r| r.completed_ns).collect(),
            samples: q.iter().map(|r| r.samples).collect(),
            server: q.iter().any(|r| r.server),
            sorted_sample_ms: finite_sorted(&analysis_sample_ms(run)),
        }
    }

    /// How many queries the columns hold (their common length, checked by
    /// [`Self::records_in`]).
    pub fn len(&self) -> usize {
        self.scheduled_ns.len()
    }

    /// Whether they hold no query.
    pub fn is_empty(&self) -> bool {
        self.scheduled_ns.is_empty()
    }

    /// The records back.
    ///
    /// # Errors
    ///
    /// As [`Self::records_in`].
    pub fn records(&self) -> Result<Vec<QueryRecord>, String> {
        self.records_in(0..self.len())
    }

    /// The records of queries `range` (a part of [`Self::len`]): the web shell puts a
    /// million queries back a part per task.
    ///
    /// # Errors
    ///
    /// Columns of different lengths, a range past their end, or a query that completes
    /// before it was due or issued (a message from something other than InferBench's
    /// worker).
    pub fn records_in(&self, range: std::ops::Range<usize>) -> Result<Vec<QueryRecord>, String> {
        let n = self.scheduled_ns.len();
        if self.issued_ns.len() != n || self.completed_ns.len() != n || self.samples.len() != n {
            return Err(format!(
                "query columns differ in length: {n}, {}, {}, {}",
                self.issued_ns.len(),
                self.completed_ns.len(),
                self.samples.len()
            ));
        }
        if range.end > n || range.start > range.end {
            return Err(format!("queries {range:?} asked of {n}"));
        }
        range
            .map(|i| {
                let (s, is, c) = (
                    self.scheduled_ns[i],
                    self.issued_ns[i],
                    self.completed_ns[i],
                );
                if s > c || is > c {
                    return Err(format!("query {i} completes before it was due or issued"));
                }
                Ok(QueryRecord::new(s, is, c, self.samples[i], self.server))
            })
            .collect()
    }
}

/// Every run of `result` that holds queries, in a fixed order: each variant's accuracy run,
/// then its scenario runs, then the A/B run.
pub fn runs_mut(result: &mut BenchResult) -> Vec<&mut RunResult> {
    let mut runs = Vec::new();
    for v in &mut result.variants {
        if let Some(a) = v.accuracy.as_mut() {
            runs.push(a);
        }
        runs.extend(v.runs.iter_mut().map(|r| &mut r.run));
    }
    if let Some(ab) = result.ab_test.as_mut() {
        runs.push(&mut ab.run);
    }
    runs
}

/// What crosses besides the columns: the result with its runs' queries taken out, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultShell {
    /// The result without queries ([`crate::results::io`]'s JSON, compact).
    pub json: String,
    /// How many runs' columns follow (one per [`runs_mut`] entry).
    pub runs: usize,
}

/// `result`'s shell and each run's columns; `result` is left as it was (its queries are
/// moved out while the shell is written, then back).
pub fn split(result: &mut BenchResult) -> (ResultShell, Vec<QueryColumns>) {
    let mut taken = Vec::new();
    let mut columns = Vec::new();
    for run in runs_mut(result) {
        columns.push(QueryColumns::of(run));
        taken.push(std::mem::take(&mut run.queries));
    }
    let json = crate::results::json::to_compact(&*result).expect("a result always serialises");
    for (run, queries) in runs_mut(result).into_iter().zip(taken) {
        run.queries = queries;
    }
    (
        ResultShell {
            json,
            runs: columns.len(),
        },
        columns,
    )
}

/// Each scenario run's analysed values, sorted ascending (what its CDF and histogram draw),
/// computed where sorting costs the page nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortedSamples {
    runs: Vec<(Variant, Scenario, Vec<f64>)>,
}

impl SortedSamples {
    /// The sorted values of `variant`'s `scenario` run, if it has one.
    pub fn get(&self, variant: Variant, scenario: Scenario) -> Option<&[f64]> {
        self.runs
            .iter()
            .find(|(v, s, _)| *v == variant && *s == scenario)
            .map(|(_, _, x)| &x[..])
    }

    /// Computes them from `result` (sorts every run: the worker's job).
    pub fn of(result: &BenchResult) -> Self {
        let runs = result
            .variants
            .iter()
            .flat_map(|v| {
                v.runs.iter().map(|r| {
                    (
                        v.variant,
                        r.run.scenario,
                        finite_sorted(&analysis_sample_ms(&r.run)),
                    )
                })
            })
            .collect();
        Self { runs }
    }
}

/// Puts the queries back: the result and, per run of [`runs_mut`] order, its sorted
/// analysed values.
///
/// # Errors
///
/// A shell that is not a result, a number of columns other than its runs', or columns that
/// [`QueryColumns::records`] refuses.
pub fn join(
    shell: &ResultShell,
    columns: Vec<QueryColumns>,
) -> Result<(BenchResult, SortedSamples), String> {
    let runs = columns
        .into_iter()
        .map(|c| Ok((c.records()?, c.sorted_sample_ms)))
        .collect::<Result<Vec<_>, String>>()?;
    join_records(shell, runs)
}

/// [`join`] of runs whose records are already put back ([`QueryColumns::records_in`]):
/// per run of [`runs_mut`] order, its records and its sorted analysed values.
///
/// # Errors
///
/// A shell that is not a result, or a number of runs other than its runs'.
pub fn join_records(
    shell: &ResultShell,
    built: Vec<(Vec<QueryRecord>, Vec<f64>)>,
) -> Result<(BenchResult, SortedSamples), String> {
    let mut result: BenchResult = serde_json::from_str(&shell.json).map_err(|e| e.to_string())?;
    let mut runs = runs_mut(&mut result);
    if runs.len() != built.len() || shell.runs != built.len() {
        return Err(format!(
            "the result has {} runs, {} query columns came",
            runs.len(),
            built.len()
        ));
    }
    let mut sorted = Vec::with_capacity(built.len());
    for (run, (records, sorted_ms)) in runs.iter_mut().zip(built) {
        run.queries = records;
        sorted.push(sorted_ms);
    }
    // The scenario runs' samples, in the order `runs_mut` visits them.
    let mut samples = SortedSamples::default();
    let mut it = sorted.into_iter();
    for v in &result.variants {
        if v.accuracy.is_some() {
            it.next();
        }
        for r in &v.runs {
            if let Some(x) = it.next() {
                samples.runs.push((v.variant, r.run.scenario, x));
            }
        }
    }
    Ok((result, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_columns_are_refused() {
        let mut c = QueryColumns {
            scheduled_ns: vec![0, 10],
            issued_ns: vec![0, 10],
            completed_ns: vec![5, 20],
            samples: vec![1, 1],
            server: false,
            sorted_sample_ms: vec![],
        };
        assert_eq!(c.records().unwrap().len(), 2);
        assert_eq!(c.records_in(1..2).unwrap(), c.records().unwrap()[1..]);
        assert!(c.records_in(1..3).unwrap_err().contains("asked of 2"));
        c.completed_ns[1] = 9;
        assert!(c.records().unwrap_err().contains("query 1"));
        c.samples.pop();
        assert!(c.records().unwrap_err().contains("differ in length"));
    }
}
