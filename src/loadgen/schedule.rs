//! Which samples go into which query, and when Server queries arrive: pure functions of the
//! settings and their seeds.
//!
//! Every generator is a `ChaCha8Rng` seeded from [`Seeds`](super::settings::Seeds), with one
//! ChaCha *stream* per use so that the uses never share numbers: the measured run, the warm-up
//! and the accuracy order each have their own. The same settings and seeds therefore give the
//! same sample order and the same arrival schedule on every platform (native and wasm32).
//!
//! How this follows LoadGen (`loadgen/loadgen.cc`, `GenerateQueries`):
//! - performance mode draws sample indices uniformly at random with replacement
//!   (`uniform_int_distribution(0, sample_count - 1)`); indices are drawn as `u32` so that
//!   32- and 64-bit targets agree;
//! - accuracy mode shuffles every index once (`std::shuffle`);
//! - Server inter-arrival times are exponential with rate `target_qps`
//!   (`std::exponential_distribution<>(qps)`; here `rand_distr::Exp`), truncated to whole
//!   nanoseconds per gap as LoadGen's `duration_cast<nanoseconds>` does; the first query is
//!   scheduled at t = 0;
//! - Server queries are generated up front "while the previous scheduled time is below the
//!   minimum duration or fewer than `min_query_count` queries exist", so the last scheduled
//!   arrival is at or after the minimum duration: the schedule alone meets the Server's
//!   minimum-duration rule (measured on the final *scheduled* time). The count is therefore
//!   random, about `target_qps * min_duration_s + 1`, and at least `min_query_count`.
//!   InferBench also stops generating at a non-zero `max_query_count` (LoadGen generates them
//!   and stops issuing there: the same queries are issued) and at [`MAX_QUERY_COUNT`].
//!
//! Where InferBench differs on purpose: SingleStream and MultiStream draw their samples lazily
//! from the seeded stream ([`SampleStream`]) instead of pre-generating twice the expected
//! number of queries, so they can never "run out of generated queries"; the i-th sample is the
//! same either way. MultiStream draws its N samples independently (LoadGen takes N contiguous
//! samples of a padded set) and Offline draws its samples at random like the others (LoadGen
//! repeats the loaded set in order), each batch from its own stream
//! ([`offline_batch_samples`]), so that one executor or several process the same samples.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

use super::settings::MAX_QUERY_COUNT;

/// ChaCha stream of the measured run's sample indices.
pub const PERFORMANCE_STREAM: u64 = 0;
/// ChaCha stream of the warm-up's sample indices (so the warm-up count never shifts the
/// measured run's order).
pub const WARMUP_STREAM: u64 = 1;
/// ChaCha stream of the accuracy-mode shuffle.
pub const ACCURACY_STREAM: u64 = 2;
/// The ChaCha stream of the Server arrival schedule (its own, so that equal `sample_index`
/// and `schedule` seeds still give independent sequences).
pub const SCHEDULE_STREAM: u64 = 3;
/// The first of the ChaCha streams of Offline batches: batch `b` of an Offline query draws its
/// samples from stream `OFFLINE_BATCH_STREAMS + b`, so that any batch's samples can be had
/// without drawing the batches before it (executors in parallel each draw their own).
pub const OFFLINE_BATCH_STREAMS: u64 = 1 << 32;

/// Fills `out` with the sample indices of Offline batch `batch` (see
/// [`OFFLINE_BATCH_STREAMS`]), drawn uniformly with replacement from `0..sample_count`.
///
/// # Panics
///
/// As [`SampleStream::new`].
pub fn offline_batch_samples(seed: u64, sample_count: usize, batch: u64, out: &mut [usize]) {
    SampleStream::new(seed, OFFLINE_BATCH_STREAMS + batch, sample_count).fill(out);
}

/// An endless, seeded stream of sample indices drawn uniformly with replacement from
/// `0..sample_count`.
#[derive(Debug, Clone)]
pub struct SampleStream {
    rng: ChaCha8Rng,
    sample_count: u32,
}

impl SampleStream {
    /// The stream for `seed` on ChaCha stream `stream` (see the `*_STREAM` constants).
    ///
    /// # Panics
    ///
    /// Panics if `sample_count` is 0 or above `u32::MAX` (validated settings never are).
    pub fn new(seed: u64, stream: u64, sample_count: usize) -> Self {
        assert!(
            sample_count > 0,
            "a sample stream needs at least one sample"
        );
        let sample_count = u32::try_from(sample_count).expect("sample count fits in u32");
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self { rng, sample_count }
    }

    /// The next sample index.
    pub fn next_index(&mut self) -> usize {
        self.rng.random_range(0..self.sample_count) as usize
    }

    /// Fills `out` with the next `out.len()` indices.
    pub fn fill(&mut self, out: &mut [usize]) {
        for slot in out {
            *slot = self.next_index();
        }
    }
}

/// The first `n` sample indices of the measured performance run for `seed`: uniformly at
/// random with replacement from `0..sample_count`.
///
/// # Panics
///
/// As [`SampleStream::new`].
pub fn performance_sample_indices(seed: u64, sample_count: usize, n: usize) -> Vec<usize> {
    let mut stream = SampleStream::new(seed, PERFORMANCE_STREAM, sample_count);
    (0..n).map(|_| stream.next_index()).collect()
}

/// Accuracy mode's order: every index of `0..sample_count` exactly once, shuffled with `seed`.
pub fn accuracy_order(seed: u64, sample_count: usize) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(ACCURACY_STREAM);
    let mut order: Vec<usize> = (0..sample_count).collect();
    order.shuffle(&mut rng);
    order
}

/// The Server's Poisson arrival schedule: scheduled times in nanoseconds since the run's start,
/// the first at 0, then exponential gaps of mean `1 / target_qps` seconds.
///
/// Queries are generated while the last scheduled time is below `min_duration_ms` or fewer
/// than `min_query_count` exist (LoadGen's rule, see the module docs); at least one; no more
/// than a non-zero `max_query_count`, nor [`MAX_QUERY_COUNT`].
///
/// # Panics
///
/// Panics if `target_qps` is not positive and finite (validated settings always are).
pub fn server_arrivals_ns(
    target_qps: f64,
    min_duration_ms: u64,
    min_query_count: u64,
    max_query_count: u64,
    seed: u64,
) -> Vec<u64> {
    let exp = Exp::new(target_qps).expect("target_qps is positive and finite");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(SCHEDULE_STREAM);
    let min_duration_ns = min_duration_ms.saturating_mul(1_000_000);
    let cap = if max_query_count == 0 {
        MAX_QUERY_COUNT
    } else {
        max_query_count.min(MAX_QUERY_COUNT)
    };
    let mut arrivals = Vec::new();
    let mut timestamp: u64 = 0;
    loop {
        arrivals.push(timestamp);
        let count = arrivals.len() as u64;
        let wanted = timestamp < min_duration_ns || count < min_query_count;
        if !wanted || count >= cap {
            break;
        }
        let gap_s: f64 = exp.sample(&mut rng);
        // Whole nanoseconds, truncated, as LoadGen's duration_cast<nanoseconds>.
        timestamp = timestamp.saturating_add((gap_s * 1e9) as u64);
    }
    arrivals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn performance_indices_are_in_range_and_reproducible() {
        let a = performance_sample_indices(7, 10, 1000);
        assert!(a.iter().all(|&i| i < 10));
        assert_eq!(a, performance_sample_indices(7, 10, 1000));
        assert_ne!(a, performance_sample_indices(8, 10, 1000));
        // With replacement: 1000 draws from 10 repeat indices; every index appears.
        for i in 0..10 {
            assert!(a.contains(&i));
        }
    }

    #[test]
    fn warmup_stream_differs_from_the_measured_stream() {
        let mut warm = SampleStream::new(7, WARMUP_STREAM, 1000);
        let w: Vec<usize> = (0..20).map(|_| warm.next_index()).collect();
        assert_ne!(w, performance_sample_indices(7, 1000, 20));
    }

    #[test]
    fn accuracy_order_is_a_permutation() {
        let order = accuracy_order(3, 100);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(order, (0..100).collect::<Vec<_>>());
        assert_eq!(order, accuracy_order(3, 100));
    }

    #[test]
    fn server_schedule_starts_at_zero_and_covers_the_minimum_duration() {
        let a = server_arrivals_ns(100.0, 2_000, 10, 0, 1);
        assert_eq!(a[0], 0);
        assert!(a.windows(2).all(|w| w[0] <= w[1]));
        // The last arrival is the first at or after 2 s; the one before is below it.
        assert!(*a.last().unwrap() >= 2_000_000_000);
        assert!(a[a.len() - 2] < 2_000_000_000);
        // About 100 qps * 2 s + 1 arrivals.
        assert!((150..=250).contains(&a.len()), "{}", a.len());
    }

    #[test]
    fn server_schedule_respects_counts() {
        assert_eq!(server_arrivals_ns(100.0, 0, 500, 0, 1).len(), 500);
        assert_eq!(server_arrivals_ns(100.0, 10_000, 0, 50, 1).len(), 50);
        assert_eq!(server_arrivals_ns(100.0, 0, 0, 0, 1), vec![0]);
    }
}
