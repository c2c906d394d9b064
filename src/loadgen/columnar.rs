//! The query records of a run in a result file: compact columns
//! (`#[serde(with = "columnar")]` on [`RunResult::queries`](super::result::RunResult)).
//!
//! **Written (schema version 2)**: one JSON object of packed columns, each a base64 string of
//! LEB128 varints ([`crate::encoding`]), whole nanoseconds:
//!
//! ```json
//! {"count": 3, "idle_ns": "AAQE", "issue_delay_ns": "AAAA", "latency_ns": "6AfoB+gH",
//!  "samples": 1, "server": false}
//! ```
//!
//! - `count`: the number of queries; every column holds exactly that many values;
//! - `idle_ns` (zigzag): each query's scheduled time minus the previous query's completion
//!   (the first query's: minus 0, the run's start), so `scheduled_ns` is the previous
//!   `completed_ns` plus it. In SingleStream and MultiStream it is the load generator's own
//!   time between two queries (a few hundred nanoseconds), in Server the time the system was
//!   idle before the arrival (negative when the query arrived while the previous one was
//!   still being served), in Offline minus the previous batch's completion (every batch is
//!   due at 0);
//! - `issue_delay_ns` (zigzag): `issued_ns - scheduled_ns`; omitted when every query was
//!   issued when it was due (SingleStream, MultiStream, accuracy mode);
//! - `latency_ns`: `completed_ns - scheduled_ns`;
//! - `samples`: one number when every query has the same sample count, else a packed column;
//! - `server`: whether the records carry Server's queueing/service split.
//!
//! **Read**: version 2's packed columns, and version 1's arrays of decimal integers
//! (`scheduled_gap_ns`: each scheduled time minus the previous one; `issue_delay_ns`,
//! `latency_ns` and `samples` as above, as arrays), told apart by the JSON type of the
//! columns. Reading checks that every column holds `count` values (version 1: that the
//! arrays have equal lengths), that no run holds more than
//! [`MAX_QUERY_COUNT`] queries, that no time is negative
//! and that no query completes before it was issued.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::record::QueryRecord;
use super::settings::MAX_QUERY_COUNT;
use crate::encoding::{base64_decode, pack_signed, pack_unsigned, unzigzag, Varints};

/// A column as the file holds it: decimal integers (version 1) or a packed string
/// (version 2), borrowed from the input when possible.
enum Column<'a> {
    Numbers(Vec<i64>),
    Packed(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Column<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColumnVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for ColumnVisitor<'a> {
            type Value = Column<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a packed column (base64 string) or an array of integers")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Column::Packed(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Column::Packed(Cow::Owned(v.to_string())))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                numbers(seq).map(Column::Numbers)
            }
        }

        deserializer.deserialize_any(ColumnVisitor(std::marker::PhantomData))
    }
}

/// The integers of a version 1 array, at most [`MAX_QUERY_COUNT`] of them.
fn numbers<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<i64>, A::Error> {
    let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
    while let Some(v) = seq.next_element::<i64>()? {
        if values.len() as u64 >= MAX_QUERY_COUNT {
            return Err(A::Error::custom(too_many()));
        }
        values.push(v);
    }
    Ok(values)
}

/// `samples`: one count for every query, or a column.
enum SamplesColumn<'a> {
    Same(u32),
    Each(Column<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for SamplesColumn<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SamplesVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for SamplesVisitor<'a> {
            type Value = SamplesColumn<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sample count, a packed column or an array of sample counts")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                u32::try_from(v)
                    .map(SamplesColumn::Same)
                    .map_err(|_| E::custom(format!("a query of {v} samples")))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Err(E::custom(format!("a query of {v} samples")))
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(SamplesColumn::Each(Column::Packed(Cow::Borrowed(v))))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(SamplesColumn::Each(Column::Packed(Cow::Owned(
                    v.to_string(),
                ))))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                numbers(seq).map(|v| SamplesColumn::Each(Column::Numbers(v)))
            }
        }

        deserializer.deserialize_any(SamplesVisitor(std::marker::PhantomData))
    }
}

fn too_many() -> String {
    format!(
        "a run holds more than {MAX_QUERY_COUNT} queries, the most InferBench records in one run"
    )
}

#[derive(Deserialize)]
struct Columns<'a> {
    #[serde(default)]
    count: Option<u64>,
    #[serde(default, borrow)]
    idle_ns: Option<Column<'a>>,
    #[serde(default, borrow)]
    scheduled_gap_ns: Option<Column<'a>>,
    #[serde(default, borrow)]
    issue_delay_ns: Option<Column<'a>>,
    #[serde(borrow)]
    latency_ns: Column<'a>,
    #[serde(borrow)]
    samples: SamplesColumn<'a>,
    #[serde(default)]
    server: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum SamplesOut {
    Same(u32),
    Each(String),
}

#[derive(Serialize)]
struct ColumnsOut {
    count: u64,
    idle_ns: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_delay_ns: Option<String>,
    latency_ns: String,
    samples: SamplesOut,
    server: bool,
}

fn signed(a: u64, b: u64) -> i64 {
    // Times are nanoseconds of a run (at most days), far below i64::MAX.
    a as i64 - b as i64
}

/// Writes the records as packed columns (schema version 2).
///
/// # Errors
///
/// Whatever the serializer returns.
pub fn serialize<S: Serializer>(records: &[QueryRecord], serializer: S) -> Result<S::Ok, S::Error> {
    let mut previous_completed = 0;
    let idle_ns = pack_signed(records.iter().map(|r| {
        let idle = signed(r.scheduled_ns, previous_completed);
        previous_completed = r.completed_ns;
        idle
    }));
    let issue_delay_ns = (!records.iter().all(|r| r.issued_ns == r.scheduled_ns))
        .then(|| pack_signed(records.iter().map(|r| signed(r.issued_ns, r.scheduled_ns))));
    let samples = match records.first() {
        Some(first) if records.iter().all(|r| r.samples == first.samples) => {
            SamplesOut::Same(first.samples)
        }
        None => SamplesOut::Same(1),
        _ => SamplesOut::Each(pack_unsigned(records.iter().map(|r| u64::from(r.samples)))),
    };
    ColumnsOut {
        count: records.len() as u64,
        idle_ns,
        issue_delay_ns,
        latency_ns: pack_unsigned(records.iter().map(QueryRecord::latency_ns)),
        samples,
        server: records.iter().any(|r| r.server),
    }
    .serialize(serializer)
}

/// A column being read value by value.
enum Reader<'a> {
    Numbers(std::slice::Iter<'a, i64>),
    Packed {
        values: Varints<'a>,
        signed: bool,
    },
    /// An omitted column: zeros.
    Zeros,
}

impl Reader<'_> {
    fn next(&mut self, name: &str, i: usize) -> Result<i64, String> {
        match self {
            Reader::Numbers(it) => it
                .next()
                .copied()
                .ok_or_else(|| format!("the {name} column ends at query {i}")),
            Reader::Packed { values, signed } => {
                let v = values
                    .next_value()
                    .map_err(|e| format!("the {name} column: {e}"))?
                    .ok_or_else(|| format!("the {name} column ends at query {i}"))?;
                if *signed {
                    Ok(unzigzag(v))
                } else {
                    i64::try_from(v).map_err(|_| format!("query {i}'s {name} is too large ({v})"))
                }
            }
            Reader::Zeros => Ok(0),
        }
    }

    fn is_exhausted(&self) -> bool {
        match self {
            Reader::Numbers(it) => it.len() == 0,
            Reader::Packed { values, .. } => values.is_empty(),
            Reader::Zeros => true,
        }
    }
}

/// A column's decoded form: its numbers, or the bytes of its packed text.
enum Decoded<'a> {
    Numbers(&'a [i64]),
    Bytes(Vec<u8>),
}

fn decode<'a>(column: &'a Column<'_>, name: &str) -> Result<Decoded<'a>, String> {
    match column {
        Column::Numbers(v) => Ok(Decoded::Numbers(v)),
        Column::Packed(text) => base64_decode(text)
            .map(Decoded::Bytes)
            .map_err(|e| format!("the {name} column: {e}")),
    }
}

fn reader<'a>(decoded: &'a Decoded<'_>, signed: bool) -> Reader<'a> {
    match decoded {
        Decoded::Numbers(v) => Reader::Numbers(v.iter()),
        Decoded::Bytes(b) => Reader::Packed {
            values: Varints::new(b),
            signed,
        },
    }
}

fn length(decoded: &Decoded<'_>) -> usize {
    match decoded {
        Decoded::Numbers(v) => v.len(),
        // Every varint takes at least one byte.
        Decoded::Bytes(b) => b.len(),
    }
}

/// Reads the columns (version 2 or 1) back into records.
///
/// # Errors
///
/// Columns of the wrong length or of mixed versions, a run over the query limit, a column
/// that is not valid base64 of varints, a negative time, or a completion before its issue.
pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<QueryRecord>, D::Error> {
    let c = Columns::deserialize(deserializer)?;
    records_of(&c).map_err(D::Error::custom)
}

fn records_of(c: &Columns<'_>) -> Result<Vec<QueryRecord>, String> {
    // Version 2: `idle_ns` and a count, packed columns. Version 1: `scheduled_gap_ns`, arrays.
    let (scheduled, after_completion) = match (&c.idle_ns, &c.scheduled_gap_ns) {
        (Some(idle @ Column::Packed(_)), None) => (idle, true),
        (None, Some(gaps @ Column::Numbers(_))) => (gaps, false),
        (Some(_), Some(_)) => {
            return Err("the query columns have both idle_ns and scheduled_gap_ns".into())
        }
        (None, None) => {
            return Err("the query columns have neither idle_ns nor scheduled_gap_ns".into())
        }
        (Some(_), None) => return Err("idle_ns must be a packed (base64) column".into()),
        (None, Some(_)) => return Err("scheduled_gap_ns must be an array of integers".into()),
    };
    let packed = after_completion;
    let columns = [Some(&c.latency_ns), c.issue_delay_ns.as_ref()]
        .into_iter()
        .flatten()
        .chain(match &c.samples {
            SamplesColumn::Each(col) => Some(col),
            SamplesColumn::Same(_) => None,
        });
    for col in columns {
        if matches!(col, Column::Packed(_)) != packed {
            return Err(if packed {
                "a version 2 query column must be packed (a base64 string)".into()
            } else {
                "a version 1 query column must be an array of integers".into()
            });
        }
    }
    if packed && c.count.is_none() {
        return Err("the packed query columns have no count".into());
    }
    let scheduled = decode(scheduled, "scheduled")?;
    let latency = decode(&c.latency_ns, "latency_ns")?;
    let delay = c
        .issue_delay_ns
        .as_ref()
        .map(|col| decode(col, "issue_delay_ns"))
        .transpose()?;
    let samples = match &c.samples {
        SamplesColumn::Each(col) => Some(decode(col, "samples")?),
        SamplesColumn::Same(_) => None,
    };
    let n = match c.count {
        Some(n) => n,
        None => {
            // Version 1: the arrays' lengths must agree.
            let n = length(&scheduled);
            let lengths = [
                Some(length(&latency)),
                delay.as_ref().map(length),
                samples.as_ref().map(length),
            ];
            if lengths.iter().flatten().any(|&l| l != n) {
                return Err(format!(
                    "query columns differ in length: scheduled_gap_ns {n}, latency_ns {}, \
                     issue_delay_ns {}, samples {}",
                    length(&latency),
                    delay.as_ref().map_or(0, length),
                    samples.as_ref().map_or(n, length),
                ));
            }
            n as u64
        }
    };
    if n > MAX_QUERY_COUNT {
        return Err(too_many());
    }
    let n = n as usize;
    let mut sched_r = reader(&scheduled, true);
    let mut lat_r = reader(&latency, false);
    let mut delay_r = delay.as_ref().map_or(Reader::Zeros, |d| reader(d, true));
    let mut samples_r = samples.as_ref().map(|s| reader(s, false));
    // A hostile count cannot make this allocate more than the columns could hold.
    let mut records = Vec::with_capacity(n.min(length(&latency)));
    let mut previous: i64 = 0; // the previous scheduled (v1) or completed (v2) time
    for i in 0..n {
        let step = sched_r.next("scheduled", i)?;
        let scheduled_at = previous.checked_add(step).unwrap_or(-1);
        let s = u64::try_from(scheduled_at).map_err(|_| {
            format!("query {i} is scheduled at a negative time ({scheduled_at} ns)")
        })?;
        let issued = scheduled_at
            .checked_add(delay_r.next("issue_delay_ns", i)?)
            .unwrap_or(-1);
        let is = u64::try_from(issued)
            .map_err(|_| format!("query {i} is issued at a negative time ({issued} ns)"))?;
        let latency_ns = u64::try_from(lat_r.next("latency_ns", i)?)
            .map_err(|_| format!("query {i} has a negative latency"))?;
        let done = s
            .checked_add(latency_ns)
            .filter(|&d| d <= i64::MAX as u64)
            .ok_or_else(|| format!("query {i}'s completion time overflows"))?;
        if is > done {
            return Err(format!(
                "query {i} completes ({done} ns) before it was issued ({is} ns)"
            ));
        }
        let count = match (&mut samples_r, &c.samples) {
            (Some(r), _) => {
                let k = r.next("samples", i)?;
                u32::try_from(k).map_err(|_| format!("query {i} has {k} samples"))?
            }
            (None, SamplesColumn::Same(k)) => *k,
            (None, SamplesColumn::Each(_)) => unreachable!("a samples column has a reader"),
        };
        records.push(QueryRecord::new(s, is, done, count, c.server));
        previous = if after_completion {
            done as i64
        } else {
            scheduled_at
        };
    }
    let extra = [
        ("scheduled", sched_r.is_exhausted()),
        ("latency_ns", lat_r.is_exhausted()),
        ("issue_delay_ns", delay_r.is_exhausted()),
        (
            "samples",
            samples_r.as_ref().is_none_or(Reader::is_exhausted),
        ),
    ];
    if let Some((name, _)) = extra.iter().find(|(_, done)| !done) {
        return Err(format!("the {name} column holds more than {n} values"));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Run {
        #[serde(with = "super")]
        queries: Vec<QueryRecord>,
    }

    fn read(json: &str) -> Result<Vec<QueryRecord>, String> {
        serde_json::from_str::<Run>(json)
            .map(|r| r.queries)
            .map_err(|e| e.to_string())
    }

    fn server_records() -> Vec<QueryRecord> {
        vec![
            QueryRecord::new(0, 0, 120_000, 1, true),
            // Arrives during the first query's service: negative idle time, queueing.
            QueryRecord::new(50_000, 120_000, 260_000, 1, true),
            QueryRecord::new(1_000_000, 1_000_300, 1_150_000, 1, true),
        ]
    }

    #[test]
    fn packed_columns_round_trip() {
        for records in [
            server_records(),
            vec![],
            vec![QueryRecord::new(0, 0, 5, 8, false)],
            // Offline: every batch due at 0, the last one partial.
            vec![
                QueryRecord::new(0, 10, 2_000, 64, false),
                QueryRecord::new(0, 2_100, 4_000, 64, false),
                QueryRecord::new(0, 4_050, 5_000, 17, false),
            ],
        ] {
            let run = Run { queries: records };
            let text = serde_json::to_string(&run).unwrap();
            assert!(text.contains("\"count\":"), "{text}");
            assert_eq!(serde_json::from_str::<Run>(&text).unwrap(), run, "{text}");
        }
    }

    #[test]
    fn version_1_arrays_are_read() {
        let v1 = r#"{"queries": {"scheduled_gap_ns": [0, 50000, 950000],
            "issue_delay_ns": [0, 70000, 300], "latency_ns": [120000, 210000, 150000],
            "samples": 1, "server": true}}"#;
        assert_eq!(read(v1).unwrap(), server_records());
    }

    #[test]
    fn singlestream_idle_times_are_small() {
        // Queries back to back, 300 ns of load-generator time between them.
        let records: Vec<QueryRecord> = (0..1000u64)
            .map(|i| {
                let start = i * 150_300;
                QueryRecord::new(start, start, start + 150_000, 1, false)
            })
            .collect();
        let text = serde_json::to_string(&Run { queries: records }).unwrap();
        // 2 bytes of idle time and 3 of latency per query: under 7 characters a query.
        assert!(text.len() < 7_000, "{} characters", text.len());
    }

    #[test]
    fn broken_columns_are_refused_with_a_reason() {
        let cases = [
            (
                r#"{"queries": {"count": 2, "idle_ns": "AA==", "latency_ns": "AAA=", "samples": 1}}"#,
                "ends at query 1",
            ),
            (
                r#"{"queries": {"count": 1, "idle_ns": "AA==", "latency_ns": "AAA=", "samples": 1}}"#,
                "holds more than 1 values",
            ),
            (
                r#"{"queries": {"count": 1, "idle_ns": "A!==", "latency_ns": "AA==", "samples": 1}}"#,
                "not base64",
            ),
            (
                r#"{"queries": {"idle_ns": "AA==", "latency_ns": "AA==", "samples": 1}}"#,
                "no count",
            ),
            (
                r#"{"queries": {"count": 1, "idle_ns": "AA==", "latency_ns": [1], "samples": 1}}"#,
                "must be packed",
            ),
            (
                r#"{"queries": {"scheduled_gap_ns": [5, -10], "latency_ns": [1, 1], "samples": 1}}"#,
                "negative time",
            ),
            (
                r#"{"queries": {"scheduled_gap_ns": [0], "issue_delay_ns": [9], "latency_ns": [5], "samples": 1}}"#,
                "before it was issued",
            ),
            (
                r#"{"queries": {"scheduled_gap_ns": [0, 1], "latency_ns": [5], "samples": 1}}"#,
                "differ in length",
            ),
            (
                r#"{"queries": {"count": 20000000, "idle_ns": "", "latency_ns": "", "samples": 1}}"#,
                "more than 10000000 queries",
            ),
        ];
        for (json, reason) in cases {
            let e = read(json).unwrap_err();
            assert!(e.contains(reason), "{json}: {e}");
        }
    }
}
