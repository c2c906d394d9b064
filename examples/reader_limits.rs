//! The result reader's time and memory on large and hostile inputs (issue 9's goals: peak
//! memory at most 4x the file's size, under 2 s per 64 MiB natively). A benchmark, not a
//! test: it prints a table and asserts nothing.
//!
//! `cargo run --release --example reader_limits` (add `-- --quick` for smaller inputs).
//!
//! Memory is counted by a global allocator that tracks the bytes allocated: the peak during
//! the read above what was allocated before it (the input text itself is allocated before
//! and is reported apart). Inputs:
//! - real results: a fixture's SingleStream run with its records repeated (latencies drawn
//!   from the fixture's own) to the given size, derived values rebuilt, written as the app
//!   writes it;
//! - hostile texts of the kinds fuzzing found: 100,001 plan scenarios, a 50 MB string, a
//!   file of nested brackets, a query column of zeros beyond the run's stated count, a list
//!   of numbers under an ordinary key.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The example is native only (it reads the system clock).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The system allocator, counting bytes in use and their peak.
    struct Counting;

    static IN_USE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    #[allow(unsafe_code)]
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                if new_size > layout.size() {
                    let now = IN_USE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                        + (new_size - layout.size());
                    PEAK.fetch_max(now, Ordering::Relaxed);
                } else {
                    IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
                }
            }
            p
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    use inferbench::loadgen::record::QueryRecord;
    use inferbench::results::derive::rederive;
    use inferbench::results::io::{read_checked, read_result, read_stored, to_json};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::time::Instant;

    const MIB: f64 = 1024.0 * 1024.0;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).expect("the fixture exists")
    }

    /// A real result of about `bytes`: the plain fixture's runs with their records repeated.
    fn real_result(bytes: usize) -> String {
        let mut r = read_result(&fixture("results/three-variants.json")).unwrap();
        r.variants.truncate(1);
        r.variants[0]
            .runs
            .retain(|x| x.run.scenario == inferbench::loadgen::Scenario::SingleStream);
        r.variants[0].peak = None;
        let sample = to_json(&r).len();
        let run = &mut r.variants[0].runs[0].run;
        let latencies: Vec<u64> = run.queries.iter().map(|q| q.latency_ns()).collect();
        // About 6 bytes per query in the packed columns (schema version 2).
        let n = (bytes.saturating_sub(sample) / 6).max(1);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut t = 0u64;
        run.queries = (0..n)
            .map(|_| {
                let l = latencies[rng.random_range(0..latencies.len())];
                let q = QueryRecord::new(t, t, t + l, 1, false);
                t += l + rng.random_range(0..200);
                q
            })
            .collect();
        run.query_count = n as u64;
        run.settings.min_query_count = 100;
        to_json(&rederive(r))
    }

    fn hostile_scenarios() -> String {
        let mut v: serde_json::Value =
            serde_json::from_str(&fixture("hostile/plain.json")).unwrap();
        let one = v["plan"]["scenarios"][0].clone();
        v["plan"]["scenarios"] = serde_json::Value::Array(vec![one; 100_001]);
        serde_json::to_string(&v).unwrap()
    }

    fn hostile_string(bytes: usize) -> String {
        fixture("hostile/plain.json").replacen(
            "\"Trent\"",
            &format!("\"{}\"", "A".repeat(bytes)),
            1,
        )
    }

    fn hostile_zeros(bytes: usize) -> String {
        // A Server run's columns of zeros: the cheapest text per record a file can have.
        let text = fixture("hostile/plain.json");
        let zeros = vec!["0"; bytes / 6].join(",");
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let q = &mut v["variants"][0]["runs"][0]["run"]["queries"];
        q["scheduled_gap_ns"] = serde_json::Value::Null;
        q["latency_ns"] = serde_json::Value::Null;
        q["issue_delay_ns"] = serde_json::Value::Null;
        serde_json::to_string(&v)
            .unwrap()
            .replacen(
                "\"scheduled_gap_ns\":null",
                &format!("\"scheduled_gap_ns\":[{zeros}]"),
                1,
            )
            .replacen(
                "\"latency_ns\":null",
                &format!("\"latency_ns\":[{zeros}]"),
                1,
            )
            .replacen(
                "\"issue_delay_ns\":null",
                &format!("\"issue_delay_ns\":[{zeros}]"),
                1,
            )
    }

    fn hostile_list(bytes: usize) -> String {
        let numbers = vec!["0"; bytes / 2].join(",");
        fixture("hostile/plain.json").replacen(
            "\"variants\":",
            &format!("\"padding\":[{numbers}],\"variants\":"),
            1,
        )
    }

    /// Runs `step` and prints a row: its time and the peak of the memory it allocated, for
    /// an input of `size` bytes.
    fn measure_step(name: &str, size: usize, step: impl FnOnce() -> String) {
        let before = IN_USE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let outcome = step();
        let secs = start.elapsed().as_secs_f64();
        let extra = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        println!(
            "| {name} | {:.1} | {:.3} | {:.2} | {:.1} | {:.2}x | {:.2}x | {outcome} |",
            size as f64 / MIB,
            secs,
            secs * 64.0 * MIB / size as f64,
            extra as f64 / MIB,
            extra as f64 / size as f64,
            (extra + size) as f64 / size as f64,
        );
    }

    /// The phases of reading a real result, each on its own: parsing, rebuilding.
    fn phases(name: &str, text: &str) {
        measure_step(
            &format!("{name}: parse only (read_stored)"),
            text.len(),
            || {
                let r = read_stored(text).unwrap();
                format!("{} variants", r.variants.len())
            },
        );
        let stored = read_stored(text).unwrap();
        measure_step(
            &format!("{name}: rebuild only (rederive)"),
            text.len(),
            move || {
                let rebuilt = rederive(stored);
                format!("{} variants rebuilt", rebuilt.variants.len())
            },
        );
    }

    /// Reads `text` as every reader does and prints its row.
    fn measure(name: &str, text: String) {
        measure_step(name, text.len(), || match read_checked(&text) {
            Ok(c) => format!(
                "read, {} queries{}",
                c.result
                    .variants
                    .iter()
                    .flat_map(|v| &v.runs)
                    .map(|r| r.run.queries.len())
                    .sum::<usize>(),
                if c.is_consistent() { "" } else { ", altered" }
            ),
            Err(e) => {
                let e = e.to_string();
                format!("refused: {}", e.chars().take(60).collect::<String>())
            }
        });
    }

    pub fn main() {
        let quick = std::env::args().any(|a| a == "--quick");
        let big = if quick { 8 << 20 } else { 60 << 20 };
        println!("| input | MiB | read s | s per 64 MiB | peak MiB during read | peak / size | (text + peak) / size | outcome |");
        println!("|---|---:|---:|---:|---:|---:|---:|---|");
        measure("real result, 1 MiB", real_result(1 << 20));
        let text = real_result(16 << 20);
        phases("real result, 16 MiB", &text);
        measure("real result, 16 MiB", text);
        if !quick {
            measure("real result, 60 MiB", real_result(60 << 20));
        }
        measure("100,001 plan scenarios", hostile_scenarios());
        measure(
            "one 50 MB string",
            hostile_string(if quick { 8 << 20 } else { 50 << 20 }),
        );
        measure("nested brackets", "[".repeat(big));
        measure(
            "columns of zeros beyond the stated count",
            hostile_zeros(big),
        );
        measure("a list of numbers under an ordinary key", hostile_list(big));
    }
}
