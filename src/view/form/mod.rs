//! The setup form: what the user typed ([`SetupForm`]), how each edit changes it
//! ([`FormEdit`]), and its validation into a runnable [`BenchPlan`](crate::plan::BenchPlan) or a message next to
//! each field that is wrong ([`FormCheck`]).
//!
//! Fields hold text as typed; parsing and the core's own validation ([`BenchPlan::validate`](crate::plan::BenchPlan::validate),
//! [`TestSettings::validate`](crate::loadgen::TestSettings::validate)) turn it into a plan. Every core message names the setting by
//! its MLPerf name (`min_duration_ms`), which the form shows next to each label.
//!
//! A message is shown next to a field only once the user has edited it
//! ([`SetupForm::shown_error`]): a page that has just loaded shows no error. While the plan
//! is invalid, the line next to Run says what stops it ([`SetupForm::run_hint`]), so a
//! disabled Run always has its reason in sight.
//!
//! | module | what it holds |
//! |---|---|
//! | [`fields`] | the parameters and fields ([`Param`], [`Field`]) |
//! | [`state`] | what the user filled in ([`SetupForm`], [`ModelFileState`], [`AbForm`]) |
//! | [`edit`] | one edit ([`FormEdit`]) and how it changes the form |
//! | [`check`] | validation into a plan or messages ([`FormCheck`]), the line next to Run |
//! | `parse` | the fields' text into numbers and seeds |
//! | [`summary`] | the plan's tasks and least time ([`plan_summary`]) |

pub mod check;
pub mod edit;
pub mod fields;
mod parse;
pub mod state;
pub mod summary;

pub use check::FormCheck;
pub use edit::FormEdit;
pub use fields::{Field, Param};
pub use state::{AbForm, ModelFileState, SetupForm};
pub use summary::plan_summary;
