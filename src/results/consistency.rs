//! Whether a file's stored derived values match what its raw part gives ([`check`]): a
//! result is read with every derived value rebuilt ([`super::derive`]), and each stored value
//! that differs from its rebuilt one is a [`Mismatch`], named so that a person sees what was
//! changed ("stored f32-naive SingleStream p90 latency 0.0001235 ms does not match its query
//! records (0.3950 ms)").
//!
//! Values are compared field by field as JSON: exactly for counts, flags and text, and for
//! other numbers within a relative 1e-9, because a result written in a browser and read
//! natively went through two builds of the math library (their `ln` and `exp` may differ in
//! the last bit), and that is no alteration.

use serde::Serialize;
use serde_json::{json, Value};

use super::derive::{rederive, validate_raw};
use super::read_error::ReadError;
use super::BenchResult;
use crate::format::{one_line, sig};
use crate::loadgen::result::RunResult;

/// Relative difference under which two stored numbers count as equal.
pub const RELATIVE_TOLERANCE: f64 = 1e-9;

/// The most mismatches listed for one file (the rest are counted).
pub const MAX_LISTED: usize = 100;

/// One stored derived value that differs from the one its raw part gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// The part of the result: "f32-naive SingleStream", "model", "A/B run".
    pub part: String,
    /// The field within that part, as a JSON path: `metric.percentile_latency_ms`.
    pub field: String,
    /// The field in words: "p90 latency", "validity", "summary mean".
    pub what: String,
    /// The stored value, as text with its unit: "0.0001235 ms", "VALID".
    pub stored: String,
    /// The rebuilt value, likewise.
    pub recomputed: String,
    /// What the value is rebuilt from: "its query records", "its model preset".
    pub source: &'static str,
}

impl Mismatch {
    /// "stored f32-naive SingleStream p90 latency 0.0001235 ms does not match its query
    /// records (0.3950 ms)".
    pub fn sentence(&self) -> String {
        format!(
            "stored {} {} {} does not match {} ({})",
            self.part, self.what, self.stored, self.source, self.recomputed
        )
    }
}

/// A result read with its derived values rebuilt, and what the stored ones got wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The result, every derived value rebuilt from its raw part.
    pub result: BenchResult,
    /// Each stored derived value that differs from the rebuilt one, the most telling first
    /// (headline metric, validity, summary mean, then the order of the file); at most
    /// [`MAX_LISTED`].
    pub mismatches: Vec<Mismatch>,
    /// How many differ in all (more than `mismatches.len()` when the list was cut).
    pub mismatch_count: usize,
}

impl Checked {
    /// Whether every stored derived value matches its raw part.
    pub fn is_consistent(&self) -> bool {
        self.mismatch_count == 0
    }

    /// What differs, in one sentence without the file's name: the first mismatch and how
    /// many more; `None` when the file checks out.
    pub fn summary(&self) -> Option<String> {
        let first = self.mismatches.first()?;
        let more = self.mismatch_count - 1;
        let tail = if more == 0 {
            String::new()
        } else {
            let names: Vec<String> = self.mismatches[1..]
                .iter()
                .take(3)
                .map(|m| format!("{} {}", m.part, m.what))
                .collect();
            format!(
                ", and {} more {} ({}{})",
                crate::format::count(more as u64),
                if more == 1 {
                    "value differs"
                } else {
                    "values differ"
                },
                names.join(", "),
                if more > names.len() { ", ..." } else { "" }
            )
        };
        Some(format!("{}{tail}", first.sentence()))
    }

    /// The line a reader prints (on the CLI's stderr) for a file that does not check out:
    /// "alice.json: stored p90 latency 0.0001235 ms does not match its query records
    /// (0.3950 ms); recomputed values are used". Control characters in the name are escaped.
    pub fn notice(&self, file_name: &str) -> Option<String> {
        self.summary().map(|s| {
            format!(
                "{}: {s}; recomputed values are used",
                one_line(file_name, 200)
            )
        })
    }
}

/// Checks `stored`'s raw part ([`validate_raw`]), rebuilds its derived values
/// ([`rederive`]) and lists those that differ.
///
/// # Errors
///
/// [`ReadError::Invalid`] when the raw part cannot be used.
pub fn check(stored: BenchResult) -> Result<Checked, ReadError> {
    validate_raw(&stored)?;
    let before = parts(&stored);
    let result = rederive(stored);
    let after = parts(&result);
    let mut found: Vec<(usize, Mismatch)> = Vec::new();
    let mut count = 0usize;
    for (b, a) in before.iter().zip(&after) {
        let mut diffs = Vec::new();
        diff(&b.values, &a.values, String::new(), &mut diffs);
        for (field, stored, recomputed) in diffs {
            count += 1;
            if found.len() < MAX_LISTED {
                found.push((
                    salience(&field),
                    Mismatch {
                        what: field_words(&field, b.percentile),
                        stored: value_text(&field, &stored),
                        recomputed: value_text(&field, &recomputed),
                        part: b.label.clone(),
                        field,
                        source: b.source,
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(s, _)| *s);
    Ok(Checked {
        result,
        mismatches: found.into_iter().map(|(_, m)| m).collect(),
        mismatch_count: count,
    })
}

/// A part of a result with its derived values as JSON.
struct Part {
    label: String,
    source: &'static str,
    percentile: Option<f64>,
    values: Value,
}

/// The derived values of `result`, part by part, in the file's order. A rebuilt result has
/// the same parts in the same order as the stored one.
fn parts(result: &BenchResult) -> Vec<Part> {
    let records = "its query records";
    let mut out = vec![Part {
        label: "model".into(),
        source: "its model preset",
        percentile: None,
        values: json!({ "description": result.model.description }),
    }];
    for v in &result.variants {
        if let Some(acc) = &v.accuracy {
            out.push(Part {
                label: format!("{} accuracy run", v.variant),
                source: records,
                percentile: None,
                values: run_values(acc),
            });
        }
        for r in &v.runs {
            out.push(Part {
                label: format!("{} {}", v.variant, r.run.settings.scenario()),
                source: records,
                percentile: Some(r.run.settings.target_percentile),
                values: json!({ "run": run_values(&r.run), "summary": r.summary }),
            });
        }
        if let Some(p) = &v.peak {
            out.push(Part {
                label: format!("{} peak search", v.variant),
                source: "its probes and its run at the peak",
                percentile: None,
                values: json!({
                    "peak_target_qps": p.peak_target_qps,
                    "lowest_failing_qps": p.lowest_failing_qps,
                    "probes": p.probes,
                    "peak_run": p.peak_run.as_ref().map(run_values),
                }),
            });
        }
    }
    if let Some(ab) = &result.ab_test {
        out.push(Part {
            label: "A/B run".into(),
            source: records,
            percentile: Some(ab.run.settings.target_percentile),
            values: json!({
                "run": run_values(&ab.run),
                "measure": ab.measure,
                "comparison": ab.comparison,
                "comparison_error": ab.comparison_error,
            }),
        });
    }
    out
}

/// A run's derived values (everything but its raw part).
fn run_values(run: &RunResult) -> Value {
    json!({
        "scenario": run.scenario,
        "query_count": run.query_count,
        "sample_count": run.sample_count,
        "times": run.times,
        "latency": run.latency,
        "metric": run.metric,
        "accuracy": run.accuracy,
        "validity": run.validity,
    })
}

/// Appends to `out` every (path, stored, rebuilt) where `a` and `b` differ.
fn diff(a: &Value, b: &Value, path: String, out: &mut Vec<(String, Value, Value)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                diff(va, y.get(k).unwrap_or(&Value::Null), join(k), out);
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    diff(&Value::Null, vb, join(k), out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(va, vb, format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_u64(), y.as_u64()) {
                (Some(p), Some(q)) => p == q,
                _ => match (x.as_f64(), y.as_f64()) {
                    (Some(p), Some(q)) => close(p, q),
                    _ => x == y,
                },
            };
            if !same {
                out.push((path, a.clone(), b.clone()));
            }
        }
        _ if a == b => {}
        _ => out.push((path, a.clone(), b.clone())),
    }
}

/// Whether two stored numbers are the same measurement (see the module docs).
fn close(p: f64, q: f64) -> bool {
    p == q || (p - q).abs() <= RELATIVE_TOLERANCE * p.abs().max(q.abs())
}

/// Headline values first, then validity, then the summary's mean, then the rest.
fn salience(field: &str) -> usize {
    let leaf = field.trim_start_matches("run.");
    match leaf {
        "metric.percentile_latency_ms"
        | "metric.samples_per_second"
        | "metric.completed_samples_per_second"
        | "accuracy.top1" => 0,
        "validity.valid" => 1,
        "summary.mean_ms" => 2,
        _ => 3,
    }
}

/// A field's name in words, for messages.
fn field_words(field: &str, percentile: Option<f64>) -> String {
    let leaf = field.trim_start_matches("run.");
    let named = match leaf {
        "metric.percentile_latency_ms" => Some(match percentile {
            Some(p) => format!("{} latency", crate::stats::error::percentile_label(p)),
            None => "percentile latency".into(),
        }),
        "metric.samples_per_second" => Some("samples per second".into()),
        "metric.completed_samples_per_second" => Some("completed samples per second".into()),
        "metric.early_stopping.estimate_ms" => Some("early-stopping estimate".into()),
        "accuracy.top1" => Some("top-1 accuracy".into()),
        "validity.valid" => Some("validity".into()),
        "summary.mean_ms" => Some("mean (summary)".into()),
        "comparison.verdict.kind" => Some("verdict".into()),
        _ if leaf.starts_with("validity.reasons") => Some("reasons for its validity".into()),
        _ => None,
    };
    named.unwrap_or_else(|| {
        leaf.trim_end_matches("_ms")
            .replace("_ms.", ".")
            .replace('_', " ")
    })
}

/// A stored or rebuilt value as text: VALID/INVALID for validity, numbers with 4
/// significant digits (and "ms" for fields in ms), text escaped, lists and objects as
/// short JSON.
fn value_text(field: &str, v: &Value) -> String {
    match v {
        Value::Bool(b) if field.ends_with("validity.valid") => {
            (if *b { "VALID" } else { "INVALID" }).into()
        }
        Value::Number(n) => {
            let text = match n.as_u64() {
                Some(u) => crate::format::count(u),
                None => sig(n.as_f64().unwrap_or(f64::NAN), 4),
            };
            if field.ends_with("_ms") {
                format!("{text} ms")
            } else {
                text
            }
        }
        Value::Null => "none".into(),
        Value::String(s) => one_line(s, 60),
        other => one_line(&other.to_string(), 80),
    }
}
