//! How InferBench copes with large results, natively: for a result of 1 million and of 10
//! million queries (the limit), the seconds and the peak memory of writing it, reading it
//! back, reporting it and comparing two such files.
//!
//! `cargo run --release --example scale_bench [QUERIES...]` (default: 1000000 10000000).
//! Each result holds two variants' SingleStream runs of half the queries each, driven by the
//! real load generator on a scripted clock with service times that vary from query to
//! query (150 µs and 100 µs, plus 0-50%): the files are what a long run writes, made in
//! seconds. Every step runs in a fresh process, so that its peak memory (`VmHWM` of
//! `/proc/self/status`, the resident high-water mark) is its own. This is a benchmark for
//! humans, not a test: the numbers depend on the machine and its load.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The example is native only (it reads `/proc` and spawns processes).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::time::{Duration, Instant};

    use inferbench::bench::{BenchSession, BenchStep};

    use inferbench::compare::{ImportSet, MachineComparison};
    use inferbench::loadgen::clock::ManualClock;
    use inferbench::loadgen::settings::{Scenario, ScenarioSettings, Seeds};
    use inferbench::loadgen::{run_to_completion, Runner, VaryingSut};
    use inferbench::model::{ModelPreset, Variant};
    use inferbench::plan::{BenchPlan, PlanPreset};
    use inferbench::results::io::{parse_result, to_json};
    use inferbench::results::{BenchResult, Environment, ScenarioRun};
    use inferbench::stats::CompareConfig;

    /// The peak resident memory of this process so far, in MB (`VmHWM`).
    fn peak_mb() -> f64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    /// A result of `queries` queries in all, labelled `label`, `slower` times slower.
    fn synthetic(label: &str, queries: u64, slower: f64) -> BenchResult {
        let mut plan = BenchPlan::from_preset(
            PlanPreset::Custom,
            label,
            vec![Variant::F32Naive, Variant::F32Fast],
            &[Scenario::SingleStream],
        )
        .with_model(ModelPreset::Tiny)
        .with_seeds(Seeds::all(7));
        plan.accuracy_mode = false;
        plan.train.epochs = 1;
        for s in &mut plan.scenarios {
            s.min_duration_ms = 0;
            s.min_query_count = 100;
            s.warmup_query_count = 0;
        }
        let clock = ManualClock::new();
        let mut session = BenchSession::new(plan).expect("a valid plan");
        loop {
            match session.step(&clock, Duration::ZERO).expect("no failure") {
                BenchStep::Finished => break,
                BenchStep::WaitUntil(t) => clock.set(t),
                BenchStep::Progress(_) => clock.advance(Duration::from_micros(1)),
            }
        }
        let mut result = session.finish(
            Environment::native(None),
            Some("2026-11-23T09:00:00Z".into()),
        );
        for (v, base_us) in [(0, 150.0), (1, 100.0)] {
            let settings = result.variants[v].runs[0].run.settings.clone();
            // Exactly `queries / 2` queries: no duration or count limit of the preset stops
            // the run before (the quick preset's maximum duration would).
            let settings = inferbench::loadgen::settings::TestSettings {
                min_query_count: queries / 2,
                max_query_count: queries / 2,
                max_duration_ms: 0,
                ..settings
            };
            assert!(matches!(settings.scenario, ScenarioSettings::SingleStream));
            let clock = ManualClock::new();
            let mut sut = VaryingSut::new(
                &clock,
                Duration::from_nanos((base_us * slower * 1e3) as u64),
            );
            let runner = Runner::new(settings, 359).expect("valid settings");
            let run = run_to_completion(runner, &clock, &mut sut, |t| clock.set(t));
            result.variants[v].runs[0] = ScenarioRun::new(run);
        }
        result
    }

    fn file(dir: &Path, name: &str) -> PathBuf {
        dir.join(format!("{name}.json"))
    }

    fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        println!("{what}\t{:.2}\t{:.0}", t.elapsed().as_secs_f64(), peak_mb());
        out
    }

    /// One step in this process: `generate`, `read-report` or `compare`.
    fn step(which: &str, queries: u64, dir: &Path) {
        match which {
            "generate" => {
                let a = synthetic("Machine A", queries, 1.0);
                let json = timed("write", || {
                    let json = to_json(&a);
                    std::fs::write(file(dir, "a"), &json).expect("writes");
                    json
                });
                println!("bytes\t{}\t0", json.len());
                drop((a, json));
                let b = synthetic("Machine B", queries, 1.1);
                std::fs::write(file(dir, "b"), to_json(&b)).expect("writes");
            }
            "read-report" => {
                let result = timed("read", || {
                    let bytes = std::fs::read(file(dir, "a")).expect("reads");
                    parse_result(&bytes).expect("a valid result")
                });
                timed("report", || {
                    std::hint::black_box(inferbench::report::render_markdown(&result).len())
                });
            }
            "compare" => {
                timed("compare", || {
                    let mut set = ImportSet::new();
                    for name in ["a", "b"] {
                        let text = std::fs::read_to_string(file(dir, name)).expect("reads");
                        set.add(name, &text).expect("a valid result");
                    }
                    let c = MachineComparison::of(&set, 0, &CompareConfig::default())
                        .expect("a baseline");
                    std::hint::black_box(c.groups.len())
                });
            }
            other => panic!("unknown step {other}"),
        }
    }

    /// Runs `which` in a child process and returns its lines (`what seconds peak_mb`).
    fn child(which: &str, queries: u64, dir: &Path) -> Vec<(String, f64, f64)> {
        let out = Command::new(std::env::current_exe().expect("the example's path"))
            .args([
                "--step",
                which,
                &queries.to_string(),
                dir.to_str().expect("UTF-8 path"),
            ])
            .output()
            .expect("the example runs itself");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((
                    f.next()?.to_string(),
                    f.next()?.parse().ok()?,
                    f.next()?.parse().ok()?,
                ))
            })
            .collect()
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.first().map(String::as_str) == Some("--step") {
            step(
                &args[1],
                args[2].parse().expect("a count"),
                Path::new(&args[3]),
            );
            return;
        }
        let sizes: Vec<u64> = if args.is_empty() {
            vec![1_000_000, 10_000_000]
        } else {
            args.iter()
                .map(|a| a.parse().expect("a query count"))
                .collect()
        };
        println!("| Queries | File | Write | Read | Report | Read + report peak | Compare two files | Compare peak |");
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for n in sizes {
            let dir =
                std::env::temp_dir().join(format!("inferbench-scale-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("a temporary directory");
            let mut lines = child("generate", n, &dir);
            lines.extend(child("read-report", n, &dir));
            lines.extend(child("compare", n, &dir));
            let get = |what: &str| {
                lines
                    .iter()
                    .find(|l| l.0 == what)
                    .cloned()
                    .unwrap_or_default()
            };
            let (_, bytes, _) = get("bytes");
            let (_, write_s, _) = get("write");
            let (_, read_s, _) = get("read");
            let (_, report_s, report_mb) = get("report");
            let (_, compare_s, compare_mb) = get("compare");
            println!(
                "| {n} | {:.0} MB | {write_s:.1} s | {read_s:.1} s | {report_s:.1} s | {report_mb:.0} MB | {compare_s:.1} s | {compare_mb:.0} MB |",
                bytes / 1e6
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
