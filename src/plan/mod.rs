//! The plain data every layer shares: what a benchmark is asked to do ([`BenchPlan`], its
//! presets, its limits and why it cannot run), the tasks it runs in order ([`tasks`]), and the
//! A/B run's settings and analysed result ([`ab`]).
//!
//! It sits below the session that runs a plan ([`crate::bench`]) and the result file that
//! stores it ([`crate::results`]), so that neither imports the other's folder: `bench` builds
//! a `results::BenchResult` from a `BenchPlan`, and `results`, `report`, `verify` and `view`
//! read plans and A/B results from here.

pub mod ab;
mod bench_plan;
mod error;
pub mod limits;
pub mod tasks;

pub use ab::{AbMeasure, AbResult, AbSettings, Arm};
pub use bench_plan::{BenchPlan, PlanPreset};
pub use error::PlanError;
pub use tasks::{task_list, TaskKind};
