//! Seeded random numbers for the model: one `ChaCha8Rng` per purpose, and a portable shuffle.
//!
//! Each purpose (split, weight init, epoch order) draws from its own ChaCha8 stream of the
//! same seed, so changing how many numbers one purpose draws never shifts another. The
//! shuffle draws `u32` indices only, so it gives the same permutation on 32-bit `wasm32` and
//! on 64-bit native targets.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The ChaCha8 stream a random purpose draws from (same seed, independent streams).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// The stratified train/test split.
    Split = 1,
    /// Weight initialisation.
    Init = 2,
    /// The order of training samples in each epoch.
    EpochOrder = 3,
    /// Synthetic inputs for a model that does not take the digits.
    SyntheticInputs = 4,
}

/// A ChaCha8 generator for `seed`, on the stream reserved for `stream`.
pub(crate) fn seeded_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// Shuffles `items` in place (Fisher-Yates, Durstenfeld's form), drawing `u32` indices.
///
/// # Panics
///
/// Panics if `items` has more than `u32::MAX` elements (never the case for this data).
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    assert!(
        u32::try_from(items.len()).is_ok(),
        "shuffle draws u32 indices: at most u32::MAX items"
    );
    for i in (1..items.len()).rev() {
        // `i` fits in u32 by the assertion above.
        let j = rng.random_range(0..=i as u32) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_permutation_and_depends_on_the_seed() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        let mut c = a.clone();
        shuffle(&mut a, &mut seeded_rng(7, Stream::Split));
        shuffle(&mut b, &mut seeded_rng(7, Stream::Split));
        shuffle(&mut c, &mut seeded_rng(8, Stream::Split));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(a, sorted);
    }

    #[test]
    fn streams_of_one_seed_differ() {
        let x: u64 = seeded_rng(1, Stream::Init).random();
        let y: u64 = seeded_rng(1, Stream::EpochOrder).random();
        assert_ne!(x, y);
    }
}
