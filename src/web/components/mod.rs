//! The page's sections, each rendering values computed by [`crate::view`] and forwarding
//! events as callbacks.

pub mod compare;
pub mod downloads;
pub mod drop_zone;
pub mod loadgen_setup;
pub mod model_file;
pub mod report;
mod result_sections;
pub mod results;
pub mod run;
pub mod same;
pub mod saved;
pub mod setup;
