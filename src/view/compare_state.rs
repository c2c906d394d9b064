//! The state of the "Compare machines" section ([`CompareState`]): the files added (picked,
//! dropped, or taken from the saved results), the baseline and threshold chosen, the
//! request in the worker and its last answer. Pure transitions ([`CompareState::apply`],
//! [`CompareState::answered`]), tested natively; the web shell reads the files and sends
//! [`CompareState::request`] to the worker whenever [`CompareState::request_id`] changes.

use std::rc::Rc;

use super::compare::{parse_threshold, CompareView, FileOutcome, DEFAULT_THRESHOLD_PERCENT};
use super::file_check::FileCheck;
use super::protocol::{CompareSource, WorkerRequest};

/// A file's content as the page got it.
#[derive(Debug, Clone, PartialEq)]
pub enum FileContent {
    /// Its text (sent to the worker).
    Text(Rc<String>),
    /// A result saved in this browser, by key (the worker reads it from storage).
    Saved(String),
    /// Not read, with why (too large, or the browser could not read it).
    Unread(String),
}

/// A file of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareFile {
    /// Its id in the page (stable while it is listed).
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its content.
    pub content: FileContent,
    /// What the worker made of it last (`None` while it is being checked).
    pub outcome: Option<FileOutcome>,
}

impl CompareFile {
    /// The file's state in one word for the list: loaded, refused, or checking.
    pub fn status(&self) -> FileStatus<'_> {
        match (&self.content, &self.outcome) {
            (FileContent::Unread(message), _) => FileStatus::Refused(message),
            (_, Some(FileOutcome::Refused { message })) => FileStatus::Refused(message),
            (
                _,
                Some(FileOutcome::Loaded {
                    machine,
                    detail,
                    check,
                }),
            ) => FileStatus::Loaded {
                machine,
                detail,
                check,
            },
            (_, None) => FileStatus::Checking,
        }
    }
}

/// What the list says of a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FileStatus<'a> {
    /// Loaded: the machine it holds and what the result holds.
    Loaded {
        /// The machine's name.
        machine: &'a str,
        /// Date, preset, variants, scenarios.
        detail: &'a str,
        /// Its checks.
        check: &'a FileCheck,
    },
    /// Not loaded, with why.
    Refused(&'a str),
    /// Sent to the worker, no answer yet.
    Checking,
}

/// A change to the section.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareEdit {
    /// Files were added (name, content), in this order.
    Add(Vec<(String, FileContent)>),
    /// The file with this id was removed.
    Remove(u64),
    /// Every file was removed.
    Clear,
    /// The machine of the file with this id is the baseline.
    Baseline(u64),
    /// The threshold was typed (percent).
    Threshold(String),
}

/// The section's state.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    /// The files, in the order added.
    pub files: Vec<CompareFile>,
    /// The file whose machine is the baseline (`None`: the first that loads).
    pub baseline: Option<u64>,
    /// The threshold as typed, in percent.
    pub threshold: String,
    /// The id of the latest request (what the shell sends when it changes); `None` before
    /// any.
    pub request_id: Option<u64>,
    /// Whether the latest request is still unanswered.
    pub waiting: bool,
    /// The latest answer (kept while a newer one is computed).
    pub view: Option<Rc<CompareView>>,
    /// Ids of the files sent with the latest request, in its order.
    sent: Vec<u64>,
    /// Ids of the files of the request `view` answers, in its order.
    view_files: Vec<u64>,
}

impl Default for CompareState {
    fn default() -> Self {
        CompareState {
            files: Vec::new(),
            baseline: None,
            threshold: DEFAULT_THRESHOLD_PERCENT.to_string(),
            request_id: None,
            waiting: false,
            view: None,
            sent: Vec::new(),
            view_files: Vec::new(),
        }
    }
}

impl CompareState {
    /// The threshold's message, when what is typed is not a valid threshold.
    pub fn threshold_error(&self) -> Option<String> {
        parse_threshold(&self.threshold).err()
    }

    /// Applies `edit`; ids for new files and requests come from `next_id`.
    pub fn apply(&mut self, edit: CompareEdit, next_id: &mut dyn FnMut() -> u64) {
        match edit {
            CompareEdit::Add(files) => {
                if files.is_empty() {
                    return;
                }
                for (name, content) in files {
                    self.files.push(CompareFile {
                        id: next_id(),
                        name,
                        content,
                        outcome: None,
                    });
                }
            }
            CompareEdit::Remove(id) => {
                let before = self.files.len();
                self.files.retain(|f| f.id != id);
                if self.files.len() == before {
                    return;
                }
                if self.baseline == Some(id) {
                    self.baseline = None;
                }
            }
            CompareEdit::Clear => {
                *self = CompareState {
                    threshold: std::mem::take(&mut self.threshold),
                    ..CompareState::default()
                };
                return;
            }
            CompareEdit::Baseline(id) => {
                if self.baseline == Some(id) || !self.files.iter().any(|f| f.id == id) {
                    return;
                }
                self.baseline = Some(id);
            }
            CompareEdit::Threshold(text) => {
                if self.threshold == text {
                    return;
                }
                self.threshold = text;
            }
        }
        self.renew(next_id);
    }

    /// Asks for a new comparison when there is something to send and the threshold is
    /// valid; with nothing to send, forgets the last answer.
    fn renew(&mut self, next_id: &mut dyn FnMut() -> u64) {
        let texts: Vec<u64> = self
            .files
            .iter()
            .filter(|f| !matches!(f.content, FileContent::Unread(_)))
            .map(|f| f.id)
            .collect();
        if texts.is_empty() {
            self.view = None;
            self.view_files.clear();
            self.sent.clear();
            self.waiting = false;
            self.request_id = None;
            return;
        }
        if self.threshold_error().is_some() {
            return;
        }
        self.sent = texts;
        self.request_id = Some(next_id());
        self.waiting = true;
    }

    /// The request to send for [`Self::request_id`], if there is one.
    pub fn request(&self) -> Option<WorkerRequest> {
        let id = self.request_id?;
        let threshold = parse_threshold(&self.threshold).ok()?;
        let files = self
            .sent
            .iter()
            .filter_map(|sid| self.files.iter().find(|f| f.id == *sid))
            .filter_map(|f| match &f.content {
                FileContent::Text(t) => Some((f.name.clone(), CompareSource::Text((**t).clone()))),
                FileContent::Saved(key) => {
                    Some((f.name.clone(), CompareSource::Saved(key.clone())))
                }
                FileContent::Unread(_) => None,
            })
            .collect();
        Some(WorkerRequest::Compare {
            id,
            files,
            baseline: self
                .baseline
                .and_then(|b| self.sent.iter().position(|s| *s == b)),
            threshold,
        })
    }

    /// The worker's answer to request `id` (ignored unless it answers the latest request).
    pub fn answered(&mut self, id: u64, view: CompareView) {
        if self.request_id != Some(id) {
            return;
        }
        for (file_id, outcome) in self.sent.iter().zip(&view.files) {
            if let Some(f) = self.files.iter_mut().find(|f| f.id == *file_id) {
                f.outcome = Some(outcome.clone());
            }
        }
        self.view_files = self.sent.clone();
        self.view = Some(Rc::new(view));
        self.waiting = false;
    }

    /// The machines the baseline can be chosen from: (file id, machine name), from the last
    /// answer, leaving out files removed since.
    pub fn machine_choices(&self) -> Vec<(u64, String)> {
        let Some(view) = &self.view else {
            return Vec::new();
        };
        view.machines
            .iter()
            .filter_map(|m| {
                let id = *self.view_files.get(m.file)?;
                self.files
                    .iter()
                    .any(|f| f.id == id)
                    .then(|| (id, m.name.clone()))
            })
            .collect()
    }

    /// The file id of the baseline machine of the last answer.
    pub fn answered_baseline(&self) -> Option<u64> {
        let view = self.view.as_ref()?;
        self.view_files.get(view.baseline_file?).copied()
    }
}
