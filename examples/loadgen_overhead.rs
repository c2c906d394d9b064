//! The load generator's own cost per query, natively: null-SUT SingleStream runs (see
//! `inferbench::loadgen::overhead`), repeated, with the median and the range.
//!
//! Run with `cargo run --release --example loadgen_overhead [queries] [repetitions]`
//! (default 1,000,000 queries, 7 repetitions). A benchmark for humans, not a test: the
//! numbers depend on the machine and its load. The page measures the same in its worker
//! before every run (the report's methodology gives the figure).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    native::main()
}

/// The example is native only (it reads the system clock); the page measures in its worker.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use inferbench::loadgen::clock::{measure_resolution, StdClock};
    use inferbench::loadgen::overhead::measure_overhead;

    fn median(values: &mut [f64]) -> f64 {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    }

    pub fn main() -> Result<(), Box<dyn std::error::Error>> {
        let mut args = std::env::args().skip(1);
        let queries: u64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
        let repetitions: usize = args.next().map_or(Ok(7), |a| a.parse())?;
        let clock = StdClock::new();
        let timer = measure_resolution(&clock, 100_000);
        println!(
            "timer resolution {:?} ms; {repetitions} runs of {queries} null SingleStream queries",
            timer.resolution_ms
        );
        let (mut per_query, mut latency, mut overhead) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..repetitions {
            let m = measure_overhead(&clock, queries);
            println!(
                "run {}: {:.1} ns between issues, {:.1} ns mean latency, {:.1} ns overhead \
                 (QPS w/ loadgen overhead {:.0}, w/o {:.0})",
                i + 1,
                m.per_query_ns,
                m.mean_latency_ns,
                m.overhead_ns,
                m.qps_with_overhead.unwrap_or(f64::NAN),
                m.qps_without_overhead.unwrap_or(f64::NAN)
            );
            per_query.push(m.per_query_ns);
            latency.push(m.mean_latency_ns);
            overhead.push(m.overhead_ns);
        }
        let range = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{lo:.1}-{hi:.1}")
        };
        let (p, l, o) = (range(&per_query), range(&latency), range(&overhead));
        println!(
            "median: {:.1} ns between issues (range {p}), {:.1} ns mean latency (range {l}), \
             {:.1} ns overhead (range {o})",
            median(&mut per_query),
            median(&mut latency),
            median(&mut overhead)
        );
        Ok(())
    }
}
