//! What the Compare machines section says of each loaded file's checks ([`FileCheck`]): the
//! same verdict as `inferbench verify` ([`crate::verify`]), without retraining a model that
//! takes long to train in a page (only `tiny` is retrained), and saying which checks ran.

use serde::{Deserialize, Serialize};

use crate::results::BenchResult;
use crate::verify::{verify_result, Retrain, Verification};

/// A loaded file's checks, as the page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileCheck {
    /// Whether no check that ran failed.
    pub passed: bool,
    /// What its stored derived values got wrong, when they do not match its query records
    /// (every number shown is then recomputed from the records).
    pub altered: Option<String>,
    /// The verdict in one line: "Checks out: ..." or "Does not check out: ...".
    pub verdict: String,
    /// Which checks ran: "checked: derived values, timer; not checked: model".
    pub checks_ran: String,
}

impl FileCheck {
    /// The checks of `result`, whose stored values got `altered` wrong (as the reader said;
    /// `None` when they match).
    pub fn of(result: &BenchResult, altered: Option<&str>) -> Self {
        Self::from_verification(&verify_result(result, altered, Retrain::OnlyTiny), altered)
    }

    /// The page's wording of a verification.
    pub fn from_verification(v: &Verification, altered: Option<&str>) -> Self {
        let verdict = v.verdict();
        let verdict = match verdict.strip_prefix("OK: ") {
            Some(rest) => format!("Checks out: {rest}"),
            None => match verdict.strip_prefix("FAILED: ") {
                Some(rest) => format!("Does not check out: {rest}"),
                None => verdict,
            },
        };
        FileCheck {
            passed: v.passed(),
            altered: altered.map(str::to_string),
            verdict,
            checks_ran: v.checks_ran(),
        }
    }
}
