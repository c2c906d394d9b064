//! What the page shows, computed from core types: pure, with no browser type, tested
//! natively (`tests/native/view_*.rs`). The web shell (`src/web/`) only renders these values
//! and forwards events.
//!
//! | Module | Holds |
//! |---|---|
//! | [`form`] | the setup form, its edits and its validation into a [`BenchPlan`](crate::plan::BenchPlan) |
//! | [`conf`] | the form's user.conf files (what each line did) and synthetic system under test |
//! | [`machine`] | the default machine label, from what the browser tells |
//! | [`model`] | the model in a few words, and an imported model file's description in Setup |
//! | [`progress`] | the progress panel during a run |
//! | [`summary`] | the summary that opens the results: headlines, verdicts, the overview chart |
//! | [`cards`] | summary cards: headline metric with CI, VALID/INVALID and why |
//! | [`timing`] | timer resolution, isolation, and warnings for latencies near the tick |
//! | [`verdict`] | each variant against the baseline, Holm-adjusted |
//! | [`variants`] | the variant comparison table: speedup, compression, accuracy delta, efficiency, Pareto |
//! | [`ab`] | the A/B panel: verdict, queries and summary per arm, CDF |
//! | [`compare`] | comparing machines: threshold, file outcomes, the worker's comparison view |
//! | [`compare_state`] | the Compare machines section's files, baseline, threshold and request |
//! | [`file_check`] | each compared file's checks: altered values, retrained model, timer grid |
//! | [`charts`] | the data of every chart and how to read it |
//! | [`environment`] | the environment table, including what a browser cannot tell |
//! | [`report`] | the report preview (without the embedded JSON) |
//! | [`files`] | download file names, the UTC timestamp |
//! | [`storage`] | the compact stored form of a result and the saved-results index |
//! | [`protocol`] | the messages between the page and its worker |
//! | [`result_page`] | everything the Results section shows of a result, computed by the worker |
//! | [`state`] | the page's state and how each event changes it |
//! | [`units`] | numbers with their units |

pub mod ab;
pub mod cards;
pub mod charts;
pub mod compare;
pub mod compare_state;
pub mod conf;
pub mod energy;
pub mod environment;
pub mod file_check;
pub mod files;
pub mod form;
pub mod machine;
pub mod model;
pub mod progress;
pub mod protocol;
pub mod report;
pub mod result_page;
pub mod state;
pub mod storage;
pub mod summary;
pub mod timing;
pub mod units;
pub mod variants;
pub mod verdict;
