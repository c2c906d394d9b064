//! The messages between the page and its worker.
//!
//! The worker owns the model and the load generator: the page sends it a plan and gets
//! progress, then the finished result in its stored form ([`super::storage::pack`]: the
//! result file's compact JSON, sent as one string that the page stores as it is and decodes
//! once). The page then asks the
//! worker to analyse the result it shows (the verdict's bootstrap and the report take
//! seconds), so the page itself never computes for long; it also compares the machines of
//! the files loaded in the "Compare machines" section.
//!
//! Messages cross as JSON (the web shell's codec): the result types use internally tagged
//! serde enums, which a binary codec cannot decode.

use serde::{Deserialize, Serialize};

use super::compare::CompareView;
use super::verdict::VerdictPanel;
use crate::bench::{BenchPlan, BenchProgress, TaskKind};
use crate::loadgen::clock::TimerResolution;

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Run this plan (train, then every task); ignored while a run is going on. A plan that
    /// names a model file runs the model the worker read last ([`WorkerRequest::LoadModel`])
    /// when its fingerprint is the plan's.
    Start(Box<BenchPlan>),
    /// Read a model file ("your model"): the worker imports it, keeps the model for the next
    /// Start and answers [`WorkerEvent::ModelLoaded`].
    LoadModel {
        /// Chosen by the page, returned with the answer.
        id: u64,
        /// The file's name.
        file_name: String,
        /// Its bytes, in standard base64 ([`super::base64`]).
        base64: String,
    },
    /// Stop the run at the next step, keeping what was measured (the run is INVALID).
    Cancel,
    /// The page was hidden during the run (the run becomes INVALID: browsers throttle
    /// hidden pages).
    PageHidden,
    /// Compute the verdict and the report of a result.
    Analyse {
        /// Chosen by the page, returned with the answers.
        id: u64,
        /// The result in its stored form.
        packed: String,
    },
    /// Compare the machines of these files (the "Compare machines" section); waits for a
    /// run to finish, and a later Compare waiting behind it replaces it.
    Compare {
        /// Chosen by the page, returned with the answer.
        id: u64,
        /// Each file's name and text (a result `.json` or a report `.md`).
        files: Vec<(String, String)>,
        /// Index in `files` of the baseline machine's file (the first that loads if this
        /// one does not, or if `None`).
        baseline: Option<usize>,
        /// The regression threshold, a fraction (`0.01` is 1%).
        threshold: f64,
    },
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerEvent {
    /// The run started: what the worker measured of its own timer, and the tasks.
    Started {
        /// The resolution of the worker's `performance.now()`.
        timer: TimerResolution,
        /// The worker's `crossOriginIsolated`.
        isolated: bool,
        /// The tasks of the run, in order.
        tasks: Vec<TaskKind>,
    },
    /// Where the run stands.
    Progress(BenchProgress),
    /// The run ended (completed or cancelled): the result in its stored form.
    Finished {
        /// [`super::storage::pack`] of the result.
        packed: String,
    },
    /// The run could not start or go on.
    Failed(String),
    /// The verdict panel of the result analysed under `id`.
    Verdict {
        /// The request's id.
        id: u64,
        /// The panel.
        panel: Box<VerdictPanel>,
    },
    /// The Markdown report of the result analysed under `id`.
    Report {
        /// The request's id.
        id: u64,
        /// The report.
        markdown: String,
    },
    /// The answer to [`WorkerRequest::Compare`] `id`: each file's outcome and the comparison.
    Compared {
        /// The request's id.
        id: u64,
        /// What the panel shows.
        view: Box<CompareView>,
    },
    /// The answer to [`WorkerRequest::LoadModel`] `id`: the model's description, or why the
    /// file was refused (one sentence naming the tensor).
    ModelLoaded {
        /// The request's id.
        id: u64,
        /// What was read.
        outcome: Result<Box<crate::model::import::ModelFileInfo>, String>,
    },
    /// The result sent for analysis under `id` could not be read.
    AnalysisFailed {
        /// The request's id.
        id: u64,
        /// Why.
        message: String,
    },
}
