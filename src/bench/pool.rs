//! Helpers that serve an Offline query beside the session's own system under test
//! ([`OfflinePool`]), and what they need to serve it ([`OfflineJob`]).
//!
//! The core only says what a pool does; the shells implement it: `cli::pool` with threads,
//! `web::pool` with Web Workers that share a batch counter in a `SharedArrayBuffer`. See
//! `loadgen::offline` for how the batches of one query are shared.

use std::time::Duration;

use super::sut::ClassifierSut;
use crate::loadgen::offline::{BatchTiming, OfflineQuery, OfflineStop};
use crate::model::variant::build_with;
use crate::model::{Mlp, Variant, VariantOptions};

/// Everything a helper needs to serve one Offline query: the query, the model and the variant
/// to build from it (each helper builds its own copy), the samples, and how many warm-up
/// batches to run before the query starts.
#[derive(Debug, Clone)]
pub struct OfflineJob {
    /// The query.
    pub query: OfflineQuery,
    /// The trained model.
    pub model: Mlp,
    /// The variant served.
    pub variant: Variant,
    /// How the variant is built.
    pub options: VariantOptions,
    /// The performance sample set the batches index into (row-major, `width` values per
    /// sample): the test split's inputs, or an imported model's synthetic rows.
    pub rows: Vec<f32>,
    /// Values per sample in `rows` (the model's input width).
    pub width: usize,
    /// Warm-up batches each helper runs before it reports ready (from the warm-up stream,
    /// not recorded): a fresh copy's first calls are slow (page faults, a browser's first
    /// compilation tier).
    pub warmup_batches: u32,
}

impl OfflineJob {
    /// A fresh system under test for this job: the variant built from the model.
    pub fn sut(&self) -> ClassifierSut {
        ClassifierSut::with_rows(
            build_with(self.variant, &self.model, &self.options),
            self.width,
            self.rows.clone(),
        )
    }
}

/// Helpers serving the batches of an Offline query beside the session's own executor.
///
/// The session calls [`OfflinePool::prepare`] once per Offline run, polls
/// [`OfflinePool::ready`], calls [`OfflinePool::start`], claims batches for its own executor
/// with [`OfflinePool::claim`] from the counter the helpers share, and polls
/// [`OfflinePool::collect`] until every helper has reported. Polling never blocks: a browser
/// pool's helpers answer through the event loop, which runs while the driver yields.
pub trait OfflinePool {
    /// Helpers besides the session's own executor.
    fn helpers(&self) -> u32;

    /// Hands `job` to every helper, which builds its copy of the variant, warms it up, and
    /// waits for [`OfflinePool::start`].
    fn prepare(&mut self, job: &OfflineJob);

    /// Whether every helper is prepared and waiting.
    fn ready(&mut self) -> bool;

    /// Starts the helpers: `origin` is the session clock's reading at which the query is
    /// issued (t = 0 of every batch timing).
    fn start(&mut self, origin: Duration);

    /// The next unclaimed batch, or `None` when every batch is claimed or the pool stopped.
    fn claim(&mut self) -> Option<u64>;

    /// Batches claimed so far, by everyone.
    fn claimed(&self) -> u64;

    /// Tells the helpers to stop claiming batches (a cancel).
    fn stop(&mut self);

    /// Each helper's batches and why it stopped, once all have finished; `None` before.
    fn collect(&mut self) -> Option<Vec<(Vec<BatchTiming>, OfflineStop)>>;
}

/// Runs `batches` warm-up batches of `job`'s batch size on `sut`, from the load generator's
/// warm-up stream (not recorded); returns the first one's latency, as `clock` measured it.
pub fn warm_up<C, S>(job: &OfflineQuery, clock: &C, sut: &mut S, batches: u32) -> Option<Duration>
where
    C: crate::loadgen::clock::Clock + ?Sized,
    S: crate::loadgen::sut::SystemUnderTest + ?Sized,
{
    let n = job.batch_size() as usize;
    let mut stream = crate::loadgen::schedule::SampleStream::new(
        job.settings().seeds.sample_index,
        crate::loadgen::schedule::WARMUP_STREAM,
        job.sample_count(),
    );
    let (mut samples, mut predictions) = (vec![0; n], vec![0u8; n]);
    let mut first = None;
    for _ in 0..batches {
        stream.fill(&mut samples);
        let issued = clock.now();
        sut.process(&samples, &mut predictions);
        first.get_or_insert(clock.now().saturating_sub(issued));
    }
    first
}
