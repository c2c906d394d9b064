//! The four MLPerf scenarios, as plain data: [`Scenario`] is named by the settings, the
//! errors, the results and the report, and depends on nothing of theirs.

use serde::{Deserialize, Serialize};

/// The four MLPerf scenarios (`loadgen/test_settings.h`, `TestScenario`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scenario {
    /// One sample per query; the next query is issued when the previous one completes.
    SingleStream,
    /// `samples_per_query` samples per query, issued back to back.
    MultiStream,
    /// One sample per query, arriving by a Poisson process at a target rate.
    Server,
    /// All samples issued at once at t = 0.
    Offline,
}

impl Scenario {
    /// All four, in MLPerf's usual order.
    pub const ALL: [Scenario; 4] = [
        Scenario::SingleStream,
        Scenario::MultiStream,
        Scenario::Server,
        Scenario::Offline,
    ];
}

impl std::fmt::Display for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scenario::SingleStream => "SingleStream",
            Scenario::MultiStream => "MultiStream",
            Scenario::Server => "Server",
            Scenario::Offline => "Offline",
        })
    }
}
