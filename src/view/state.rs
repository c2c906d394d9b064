//! The page's state ([`AppState`]) and how each event changes it ([`AppState::apply`]): pure
//! transitions, so the page's behaviour is tested natively. Side effects (messages to the
//! worker, storage, downloads) stay in the web shell, which turns their outcomes into
//! [`Action`]s.

use std::rc::Rc;

use super::compare_state::{CompareEdit, CompareState};
use super::form::{FormEdit, SetupForm};
use super::progress::ProgressView;
use super::protocol::WorkerEvent;
use super::report::ReportPreview;
use super::result_page::ResultPage;
use super::storage::{SavedIndex, StorageUsage};
use super::timing::{timer_view, TimerView};
use super::variants::VariantTable;
use super::verdict::VerdictPanel;
use crate::plan::PlanPreset;

/// Where the benchmark run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// No run.
    Idle,
    /// The plan was sent; the worker has not answered yet (it may still be loading).
    Starting,
    /// The worker is running the plan.
    Running(Box<Running>),
    /// The last run could not start or go on.
    Failed(String),
}

impl RunState {
    /// Whether a run is starting or going on.
    pub fn is_active(&self) -> bool {
        matches!(self, RunState::Starting | RunState::Running(_))
    }
}

/// A run in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    /// The worker's timer, as it measured it.
    pub timer: TimerView,
    /// Tasks in the run.
    pub task_count: usize,
    /// The last progress, if any yet.
    pub progress: Option<ProgressView>,
    /// Whether a cancel was asked for.
    pub cancelling: bool,
    /// How many times the page was hidden during the run.
    pub hidden: u32,
}

/// Something still being computed, done, or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending<T> {
    /// Asked for, not there yet.
    Waiting,
    /// Done.
    Ready(T),
    /// Failed, with why.
    Failed(String),
}

/// The result the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// Its key in the browser's storage, when it is saved there.
    pub key: Option<String>,
    /// What the Results section shows of it (computed by the worker).
    pub page: Rc<ResultPage>,
    /// The variant comparison: the page's, then the worker's with the verdict's intervals.
    pub variants: Option<Rc<VariantTable>>,
    /// The id under which its analysis was asked for.
    pub analysis_id: u64,
    /// The verdict panel, from the worker.
    pub verdict: Pending<Rc<VerdictPanel>>,
    /// The Markdown report's preview, from the worker (the download is prepared there too).
    pub report: Pending<Rc<ReportPreview>>,
}

/// How serious a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    /// For information.
    Info,
    /// Something did not work; the page goes on.
    Warning,
}

/// A message shown at the top of the page until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Its id (to dismiss it).
    pub id: u64,
    /// How serious.
    pub level: NoticeLevel,
    /// The message.
    pub text: String,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The setup form.
    pub form: SetupForm,
    /// The run.
    pub run: RunState,
    /// The result shown, if any.
    pub shown: Option<Shown>,
    /// The saved results.
    pub saved: SavedIndex,
    /// How much of the browser's storage the page uses, when the worker could tell.
    pub storage_usage: Option<StorageUsage>,
    /// Whether the browser granted persistent storage (`None` until it answered, or when
    /// it cannot tell).
    pub storage_persisted: Option<bool>,
    /// Notices, oldest first.
    pub notices: Vec<Notice>,
    /// The "Compare machines" section.
    pub compare: CompareState,
    next_id: u64,
}

/// An event that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The form was edited.
    Edit(FormEdit),
    /// Run was pressed (the shell sent the plan to the worker).
    RunRequested,
    /// Cancel was pressed (the shell told the worker).
    CancelRequested,
    /// The page was hidden during a run (the shell told the worker).
    PageHidden,
    /// A message from the worker.
    Worker(WorkerEvent),
    /// Show this result (just run, or restored), and ask the worker to analyse it.
    Show {
        /// What the Results section shows of it.
        page: Rc<ResultPage>,
        /// Its storage key, if saved.
        key: Option<String>,
    },
    /// The browser answered `navigator.storage.persist()`.
    Persisted(Option<bool>),
    /// The saved results changed (saved, cleared, read at start).
    Saved(SavedIndex),
    /// Tell the user something.
    Notify(NoticeLevel, String),
    /// The user dismissed a notice.
    Dismiss(u64),
    /// The "Compare machines" section changed (the shell then sends
    /// [`CompareState::request`] when its `request_id` changed).
    Compare(CompareEdit),
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// The state of a freshly loaded page: the quick preset, nothing run or saved, no label.
    pub fn new() -> Self {
        Self::with_machine_label("")
    }

    /// [`AppState::new`] with `label` as the form's machine label (the page passes a default
    /// built from what the browser tells, so Run works at once).
    pub fn with_machine_label(label: impl Into<String>) -> Self {
        AppState {
            form: SetupForm::with_label(PlanPreset::Quick, label),
            run: RunState::Idle,
            shown: None,
            saved: SavedIndex::default(),
            storage_usage: None,
            storage_persisted: None,
            notices: Vec::new(),
            compare: CompareState::default(),
            next_id: 1,
        }
    }

    fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Applies `action`.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Edit(e) => {
                if !self.run.is_active() {
                    self.form.apply(e);
                }
            }
            Action::RunRequested => {
                if !self.run.is_active() {
                    self.run = RunState::Starting;
                }
            }
            Action::CancelRequested => {
                if let RunState::Running(r) = &mut self.run {
                    r.cancelling = true;
                }
            }
            Action::PageHidden => {
                if let RunState::Running(r) = &mut self.run {
                    r.hidden += 1;
                }
            }
            Action::Worker(event) => self.on_worker(event),
            Action::Show { page, key } => {
                let analysis_id = self.next_id();
                self.shown = Some(Shown {
                    key,
                    variants: page.variants.clone().map(Rc::new),
                    page,
                    analysis_id,
                    verdict: Pending::Waiting,
                    report: Pending::Waiting,
                });
            }
            Action::Saved(index) => {
                if let Some(shown) = &mut self.shown {
                    if shown.key.as_ref().is_some_and(|k| index.get(k).is_none()) {
                        shown.key = None;
                    }
                }
                self.saved = index;
            }
            Action::Persisted(p) => self.storage_persisted = p,
            Action::Notify(level, text) => {
                let id = self.next_id();
                self.notices.push(Notice { id, level, text });
            }
            Action::Dismiss(id) => self.notices.retain(|n| n.id != id),
            Action::Compare(edit) => {
                let mut next = self.next_id;
                self.compare.apply(edit, &mut || {
                    let id = next;
                    next += 1;
                    id
                });
                self.next_id = next;
            }
        }
    }

    fn on_worker(&mut self, event: WorkerEvent) {
        match event {
            WorkerEvent::Started {
                timer,
                isolated,
                tasks,
            } => {
                if self.run == RunState::Starting {
                    self.run = RunState::Running(Box::new(Running {
                        timer: timer_view(Some(&timer), Some(isolated)),
                        task_count: tasks.len(),
                        progress: None,
                        cancelling: false,
                        hidden: 0,
                    }));
                }
            }
            WorkerEvent::Progress(p) => {
                if let RunState::Running(r) = &mut self.run {
                    r.progress = Some(ProgressView::of(&p));
                }
            }
            WorkerEvent::Finished => {
                if self.run.is_active() {
                    self.run = RunState::Idle;
                }
            }
            WorkerEvent::Saved { index, usage } => {
                self.storage_usage = usage;
                self.apply(Action::Saved(index));
            }
            WorkerEvent::StorageNotice(text) => {
                self.apply(Action::Notify(NoticeLevel::Warning, text))
            }
            // The shell turns these into a shown result and a download.
            WorkerEvent::Show { .. } | WorkerEvent::File { .. } | WorkerEvent::LegacyMoved(_) => {}
            WorkerEvent::Failed(message) => self.run = RunState::Failed(message),
            WorkerEvent::Verdict {
                id,
                panel,
                variants,
            } => {
                if let Some(s) = self.shown.as_mut().filter(|s| s.analysis_id == id) {
                    s.verdict = Pending::Ready(Rc::new(*panel));
                    s.variants = variants.map(|v| Rc::new(*v));
                }
            }
            WorkerEvent::Report { id, preview } => {
                if let Some(s) = self.shown.as_mut().filter(|s| s.analysis_id == id) {
                    s.report = Pending::Ready(Rc::new(preview));
                }
            }
            WorkerEvent::Compared { id, view } => self.compare.answered(id, *view),
            WorkerEvent::ModelLoaded { id, outcome } => {
                self.form.model_file_read(id, outcome.map(|info| *info));
            }
            WorkerEvent::AnalysisFailed { id, message } => {
                if let Some(s) = self.shown.as_mut().filter(|s| s.analysis_id == id) {
                    if s.verdict == Pending::Waiting {
                        s.verdict = Pending::Failed(message.clone());
                    }
                    if s.report == Pending::Waiting {
                        s.report = Pending::Failed(message);
                    }
                }
            }
        }
    }
}
