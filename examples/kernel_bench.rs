//! Native timings of the variants' kernels, per shape: one sample per call (median and mean
//! latency) and batches (samples per second), on the seeded weights of `Mlp::initialised` —
//! the native half of the kernel benchmark (the browser half is `bench/kernels/`).
//!
//! Run with `cargo run --release --example kernel_bench [--ms N] [--batch N] [SHAPE ...]`,
//! shapes like `64-512-512-10` (default: 64-512-512-10 and 64-1024-1024-10). A benchmark for
//! humans, not a test: the numbers depend on the machine and its load, so the variants run in
//! interleaved rounds and the table gives the median of the rounds.

use std::time::{Duration, Instant};

use inferbench::model::kernels::KERNEL_PATH;
use inferbench::model::variant::build;
use inferbench::model::{Mlp, Variant};

const ROWS: usize = 1024;
const ROUNDS: usize = 3;

/// Seeded inputs in `[0, 1)` (xorshift32), like scaled digit pixels.
fn seeded_inputs(rows: usize, width: usize) -> Vec<f32> {
    let mut s: u32 = 0x9e37_79b9;
    (0..rows * width)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / 16_777_216.0
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Timing {
    p50_us: f64,
    mean_us: f64,
    per_second: f64,
}

/// Calls `run(first)` with `batch` rows per call for at least `min`.
fn time(min: Duration, batch: usize, mut run: impl FnMut(usize)) -> Timing {
    let warm = if batch == 1 { 200 } else { 5 };
    for i in 0..warm {
        run((i * batch) % (ROWS - batch));
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < min || times.len() < 10 {
        let t = Instant::now();
        run((times.len() * batch) % (ROWS - batch));
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let calls = times.len();
    Timing {
        p50_us: median(times),
        mean_us: elapsed * 1e6 / calls as f64,
        per_second: (calls * batch) as f64 / elapsed,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut ms, mut batch, mut shapes) = (1000u64, 128usize, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--ms" => ms = args.next().ok_or("--ms needs a value")?.parse()?,
            "--batch" => batch = args.next().ok_or("--batch needs a value")?.parse()?,
            shape => shapes.push(
                shape
                    .split('-')
                    .map(str::parse)
                    .collect::<Result<Vec<usize>, _>>()?,
            ),
        }
    }
    if shapes.is_empty() {
        shapes = vec![vec![64, 512, 512, 10], vec![64, 1024, 1024, 10]];
    }
    let min = Duration::from_millis(ms);
    println!("kernels: {KERNEL_PATH}; batch {batch}; {ROUNDS} rounds of at least {ms} ms");
    for sizes in shapes {
        let model = Mlp::initialised(&sizes, 7)?;
        let width = sizes[0];
        let inputs = seeded_inputs(ROWS, width);
        let mut variants: Vec<_> = Variant::ALL.iter().map(|&v| build(v, &model)).collect();
        let mut predictions = vec![0u8; batch.max(1)];
        let mut rounds: Vec<Vec<(Timing, Timing)>> =
            (0..variants.len()).map(|_| Vec::new()).collect();
        for _ in 0..ROUNDS {
            for (v, classifier) in variants.iter_mut().enumerate() {
                let mut timed = |n: usize| {
                    time(min, n, |first| {
                        let rows = &inputs[first * width..(first + n) * width];
                        classifier.predict_batch(rows, &mut predictions[..n]);
                    })
                };
                let (single, batched) = (timed(1), timed(batch));
                rounds[v].push((single, batched));
            }
        }
        println!(
            "\n### {}\n",
            sizes
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("-")
        );
        println!(
            "| variant | bytes | single p50 (us) | single mean (us) | batch-{batch} (samples/s) |"
        );
        println!("|---|---:|---:|---:|---:|");
        for (v, classifier) in variants.iter().enumerate() {
            let r = &rounds[v];
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.0} |",
                classifier.variant(),
                classifier.size_bytes(),
                median(r.iter().map(|t| t.0.p50_us).collect()),
                median(r.iter().map(|t| t.0.mean_us).collect()),
                median(r.iter().map(|t| t.1.per_second).collect()),
            );
        }
    }
    Ok(())
}
