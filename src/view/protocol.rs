//! The messages between the page and its worker.
//!
//! The worker owns the model, the load generator and the saved results (IndexedDB): the
//! page sends it a plan and gets progress, then the result to show, which the worker has
//! already saved. A result never crosses: the worker sends what the Results section shows
//! of it ([`ResultPage`]), its charts' long columns as transferable typed arrays
//! ([`WorkerEvent::Show`] names the transfer), so that the page neither decodes a result
//! nor parses a long JSON text. The page then asks the worker to analyse the
//! result it shows (the verdict's bootstrap and the report), to prepare downloads, and to
//! compare the machines of the files loaded in "Compare machines", so the page itself never
//! computes for long.
//!
//! Messages cross as JSON (the web shell's codec): the result types use internally tagged
//! serde enums, which a binary codec cannot decode.

use serde::{Deserialize, Serialize};

use super::compare::CompareView;
use super::report::ReportPreview;
use super::result_page::ResultPage;
use super::storage::{SavedIndex, StorageUsage};
use super::variants::VariantTable;
use super::verdict::VerdictPanel;
use crate::bench::BenchProgress;
use crate::loadgen::clock::TimerResolution;
use crate::plan::{BenchPlan, TaskKind};

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
        /// Its bytes, in standard base64 ([`crate::encoding::base64_encode`]).
        base64: String,
    },
    /// Stop the run at the next step, keeping what was measured (the run is INVALID).
    Cancel,
    /// The page was hidden during the run (the run becomes INVALID: browsers throttle
    /// hidden pages).
    PageHidden,
    /// Open the saved results: move those of the page's `localStorage` (InferBench's
    /// earlier storage, read by the page) into IndexedDB, then send the index and show the
    /// newest.
    OpenSaved {
        /// `localStorage`'s saved results: (key, stored text), the index under its key.
        legacy: Vec<(String, String)>,
    },
    /// Show the saved result under this key.
    ShowSaved(String),
    /// Remove every saved result.
    ClearSaved,
    /// Compute the verdict and the report of the result shown last.
    Analyse {
        /// Chosen by the page, returned with the answers.
        id: u64,
    },
    /// Prepare a download of the result shown last.
    Download {
        /// Chosen by the page, returned with the file.
        id: u64,
        /// The report or the result file.
        what: DownloadKind,
    },
    /// Compare the machines of these files (the "Compare machines" section); waits for a
    /// run to finish, and a later Compare waiting behind it replaces it.
    Compare {
        /// Chosen by the page, returned with the answer.
        id: u64,
        /// Each file's name and content (a result `.json` or a report `.md`, or a saved
        /// result).
        files: Vec<(String, CompareSource)>,
        /// Index in `files` of the baseline machine's file (the first that loads if this
        /// one does not, or if `None`).
        baseline: Option<usize>,
        /// The regression threshold, a fraction (`0.01` is 1%).
        threshold: f64,
    },
}

/// A file to compare, as the page has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CompareSource {
    /// Its text (a picked or dropped file).
    Text(String),
    /// A result saved in this browser, by key (the worker reads it).
    Saved(String),
}

/// What to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DownloadKind {
    /// The Markdown report (`.md`), with the result embedded.
    Report,
    /// The result file (`.json`).
    Result,
    /// The MLPerf LoadGen summary log (`mlperf_log_summary.txt`) of one performance run
    /// ([`crate::view::report::summary_downloads`]).
    MlperfSummary {
        /// Index into the result's variants.
        variant_index: usize,
        /// Index into that variant's runs.
        run_index: usize,
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
    /// The run ended (completed or cancelled); its result follows as [`WorkerEvent::Show`].
    Finished,
    /// A result to show (the run's, or a saved one): its page, whose charts' long columns
    /// are the typed arrays of transfer `transfer` (posted just before this message).
    Show {
        /// What the Results section shows, without its charts' columns
        /// ([`ResultPage::take_columns`]).
        page: Box<ResultPage>,
        /// The transfer that holds the columns.
        transfer: u64,
        /// Its key in the saved results, when it is saved.
        key: Option<String>,
    },
    /// The saved results changed (opened, saved, cleared), with how much of the browser's
    /// storage the page uses.
    Saved {
        /// The index.
        index: SavedIndex,
        /// Usage and quota, when the browser tells.
        usage: Option<StorageUsage>,
    },
    /// These `localStorage` keys' results are in IndexedDB now: the page may remove them.
    LegacyMoved(Vec<String>),
    /// Something about the saved results the user should know (full storage, a result
    /// that could not be saved or read back, results moved from `localStorage`).
    StorageNotice(String),
    /// A download prepared for request `id`: its bytes are transfer `transfer`.
    File {
        /// The request's id.
        id: u64,
        /// The file name.
        name: String,
        /// Its MIME type.
        mime: String,
        /// The transfer that holds its bytes.
        transfer: u64,
    },
    /// The run could not start or go on.
    Failed(String),
    /// The verdict panel of the result analysed under `id`.
    Verdict {
        /// The request's id.
        id: u64,
        /// The panel.
        panel: Box<VerdictPanel>,
        /// The variant comparison with the verdict's speedup intervals.
        variants: Option<Box<VariantTable>>,
    },
    /// The Markdown report of the result analysed under `id`, as the page shows it: without
    /// the result JSON it embeds (which the downloaded report holds).
    Report {
        /// The request's id.
        id: u64,
        /// The report's preview.
        preview: ReportPreview,
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
