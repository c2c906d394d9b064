//! Statistics behind every number and verdict InferBench shows.

pub mod percentile;
