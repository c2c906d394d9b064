//! What a bootstrap computes on each resample ([`Statistic`]) and what it gives back
//! ([`GroupReplicates`]): plain data shared by the resampling bootstrap
//! ([`super::bootstrap`]) and its large-sample method ([`super::bootstrap_large`]).

/// A statistic computed on each resample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Statistic {
    /// Arithmetic mean.
    Mean,
    /// Conventional median.
    Median,
    /// LoadGen percentile `sorted[floor(n p)]` at this fraction.
    LoadGen(f64),
}

/// The replicates of one statistic: one value per resample for each group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupReplicates {
    /// Replicates on the first group's resamples.
    pub first: Vec<f64>,
    /// Replicates on the second group's resamples.
    pub second: Vec<f64>,
}
