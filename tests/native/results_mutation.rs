//! The result reader under random mutation (the stable-Rust companion of `fuzz/`): real
//! results and a report, truncated, with bytes flipped, numbers replaced by NaN, infinities,
//! negatives and huge counts, values of the wrong type, columns of different lengths, deep
//! nesting, control characters in strings and members dropped. Every input gives a typed
//! error in one line or a consistent result (it rebuilds, re-reads to itself and checks
//! out, and its headlines and verification compute), never a panic.
//!
//! Seeded (ChaCha8), so a failure repeats; the failing input is written to
//! `target/mutation-failures/`. `INFERBENCH_MUTATIONS=N` runs N inputs instead of the
//! default (sized to take seconds on 2 cores).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use inferbench::report::render_markdown;
use inferbench::results::energy::energy_estimates;
use inferbench::results::headline;
use inferbench::results::io::{read_checked, read_result, to_json};
use inferbench::verify::{verify, Retrain};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// Inputs per run by default.
const MUTATIONS: usize = 3_000;

/// One in this many readable inputs also renders its whole report (seconds each).
const REPORT_EVERY: usize = 40;

fn corpus() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = [
        "tests/fixtures/results/cancelled.json",
        "tests/fixtures/results/coarse-timer.json",
        "tests/fixtures/hostile/plain.json",
        "tests/fixtures/compare/bob-desktop.json",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(root.join(p)).unwrap())
    .collect();
    // A report, which embeds its result.
    texts.push(render_markdown(&read_result(&texts[0]).unwrap()));
    texts
}

const NUMBERS: [&str; 16] = [
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "-0",
    "0",
    "1e308",
    "-1e308",
    "1e400",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "1e-17",
    "4294967296",
    "0.5",
    "10000001",
];

const STRINGS: [&str; 6] = [
    "\u{1b}[31mred\u{1b}[0m",
    "line\nbreak",
    "\u{202e}reversed",
    "<script>alert(1)</script>",
    "",
    "Server",
];

/// Every JSON path in `v` (as pointer strings), with whether it is an array or an object.
fn paths(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate().take(50) {
                paths(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                paths(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(Value::from(1), |v, _| Value::Array(vec![v]))
}

/// One structural change to a parsed result.
fn mutate_value(rng: &mut ChaCha8Rng, v: &mut Value) {
    let mut all = Vec::new();
    paths(v, String::new(), &mut all);
    let at = all.choose(rng).unwrap().clone();
    let Some(node) = v.pointer_mut(&at) else {
        return;
    };
    match rng.random_range(0..7) {
        // A value of another type.
        0 => {
            *node = [
                Value::from("x"),
                Value::Array(vec![]),
                Value::Object(Default::default()),
                Value::Bool(true),
                Value::Null,
                Value::from(-5),
                Value::from(u64::MAX),
            ]
            .choose(rng)
            .unwrap()
            .clone();
        }
        // A column (or any list) one longer or shorter.
        1 => {
            if let Value::Array(a) = node {
                if !a.is_empty() && rng.random_bool(0.5) {
                    a.remove(rng.random_range(0..a.len()));
                } else if let Some(x) = a.first().cloned() {
                    a.push(x);
                }
            }
        }
        // A number: huge, negative, tiny.
        2 => {
            if node.is_number() {
                *node = [
                    Value::from(u64::MAX),
                    Value::from(i64::MIN),
                    Value::from(1e300),
                    Value::from(-1.5),
                    Value::from(1e-17),
                    Value::from(0),
                ]
                .choose(rng)
                .unwrap()
                .clone();
            }
        }
        // Deep nesting.
        3 => *node = nested(rng.random_range(5..300)),
        // A hostile string.
        4 => {
            if node.is_string() {
                *node = Value::from(*STRINGS.choose(rng).unwrap());
            }
        }
        // A member dropped.
        5 => {
            if let Value::Object(o) = node {
                if let Some(k) = o.keys().nth(rng.random_range(0..o.len().max(1))).cloned() {
                    o.remove(&k);
                }
            }
        }
        // A count the file states, made huge.
        _ => {
            if let Value::Object(o) = node {
                for key in [
                    "query_count",
                    "sample_count",
                    "min_query_count",
                    "max_probes",
                ] {
                    if let Some(x) = o.get_mut(key) {
                        *x = Value::from(u64::MAX);
                    }
                }
            }
        }
    }
}

/// One textual change.
fn mutate_text(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    match rng.random_range(0..3) {
        // Truncation.
        0 => bytes.truncate(rng.random_range(0..bytes.len().max(1))),
        // Flipped bytes.
        1 => {
            for _ in 0..rng.random_range(1..8) {
                let i = rng.random_range(0..bytes.len().max(1));
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= 1 << rng.random_range(0..8);
                }
            }
        }
        // A number token replaced.
        _ => {
            let starts: Vec<usize> = (1..bytes.len())
                .filter(|&i| bytes[i].is_ascii_digit() && !bytes[i - 1].is_ascii_alphanumeric())
                .collect();
            if let Some(&i) = starts.choose(rng) {
                let end = (i..bytes.len())
                    .find(|&j| !matches!(bytes[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+'))
                    .unwrap_or(bytes.len());
                let with = NUMBERS.choose(rng).unwrap().as_bytes();
                bytes.splice(i..end, with.iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutant(rng: &mut ChaCha8Rng, corpus: &[String]) -> String {
    let base = corpus.choose(rng).unwrap();
    if rng.random_bool(0.5) {
        if let Ok(mut v) = serde_json::from_str::<Value>(base) {
            for _ in 0..rng.random_range(1..4) {
                mutate_value(rng, &mut v);
            }
            return v.to_string();
        }
    }
    let mut text = base.clone();
    for _ in 0..rng.random_range(1..3) {
        text = mutate_text(rng, &text);
    }
    text
}

/// What must hold for any input (see the module docs).
fn check(text: &str, report: bool) -> bool {
    match read_checked(text) {
        Err(e) => {
            let line = e.to_string();
            assert!(
                !line.contains('\n'),
                "a message of more than one line: {line:?}"
            );
            assert!(
                line.chars().count() < 1_000,
                "a message of {} characters",
                line.len()
            );
            false
        }
        Ok(checked) => {
            let again = read_checked(&to_json(&checked.result)).expect("a rebuilt result reads");
            assert!(again.is_consistent(), "{:?}", again.mismatches);
            assert!(
                again.result == checked.result,
                "a rebuilt result reads back changed"
            );
            for v in &checked.result.variants {
                for r in &v.runs {
                    let _ = headline(r);
                }
            }
            let _ = energy_estimates(&checked.result);
            let _ = verify(&checked, Retrain::Never).line("mutant.json");
            if report {
                let _ = render_markdown(&checked.result);
            }
            true
        }
    }
}

#[test]
fn mutated_results_give_an_error_or_a_consistent_result() {
    let corpus = corpus();
    let n: usize = std::env::var("INFERBENCH_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(MUTATIONS);
    let mut rng = ChaCha8Rng::seed_from_u64(0x1BFE_BE7C);
    let (mut readable, mut reports) = (0usize, 0usize);
    for i in 0..n {
        let text = mutant(&mut rng, &corpus);
        let report = readable % REPORT_EVERY == REPORT_EVERY - 1;
        match catch_unwind(AssertUnwindSafe(|| check(&text, report))) {
            Ok(ok) => {
                if ok {
                    readable += 1;
                    reports += usize::from(report);
                }
            }
            Err(_) => {
                let dir =
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/mutation-failures");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(format!("input-{i}.json"));
                std::fs::write(&path, &text).unwrap();
                panic!("input {i} failed (see above); it is in {}", path.display());
            }
        }
    }
    // The mutations must reach past the parser: some inputs stay readable results.
    assert!(readable > n / 20, "{readable} of {n} inputs were readable");
    eprintln!("{n} mutated inputs: {readable} readable, {reports} reports rendered");
}
