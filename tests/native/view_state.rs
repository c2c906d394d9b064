//! The page's state transitions, the progress panel, and the worker messages.

use std::rc::Rc;

use inferbench::bench::BenchProgress;

use inferbench::loadgen::clock::TimerResolution;
use inferbench::loadgen::runner::{Phase, Progress, ProgressUnit};
use inferbench::loadgen::settings::{Scenario, TestMode};
use inferbench::model::{TrainProgress, Variant};
use inferbench::plan::TaskKind;
use inferbench::view::form::FormEdit;
use inferbench::view::progress::ProgressView;
use inferbench::view::protocol::{CompareSource, DownloadKind, WorkerEvent, WorkerRequest};
use inferbench::view::report::ReportPreview;
use inferbench::view::result_page::ResultPage;
use inferbench::view::state::{Action, AppState, NoticeLevel, Pending, RunState};
use inferbench::view::storage::{SavedEntry, SavedIndex};
use inferbench::view::variants::variant_table;
use inferbench::view::verdict::VerdictPanel;

use super::view_support;

fn timer() -> TimerResolution {
    TimerResolution {
        resolution_ms: Some(0.005),
        reads: 200_000,
        distinct_values: 41_000,
    }
}

fn progress() -> BenchProgress {
    BenchProgress {
        task: TaskKind::Scenario {
            variant: Variant::F32Fast,
            scenario: Scenario::Server,
        },
        task_index: 4,
        task_count: 11,
        run: Some(Progress {
            scenario: Scenario::Server,
            mode: TestMode::Performance,
            phase: Phase::Measure,
            done: 4210,
            total: 13_160,
            unit: ProgressUnit::Queries,
            elapsed_ms: 900.0,
            eta_ms: Some(1_260.0),
        }),
        training: None,
        check: None,
        elapsed_ms: 12_400.0,
        fraction_done: 0.4,
    }
}

#[test]
fn progress_reads_like_a_sentence() {
    let v = ProgressView::of(&progress());
    assert_eq!(v.task, "f32-fast: Server");
    assert_eq!(v.task_position, "task 5 of 11");
    assert_eq!(v.detail, "4,210 of 13,160 queries measured");
    assert_eq!(v.elapsed, "12.4 s");
    assert_eq!(v.task_eta.as_deref(), Some("1.3 s"));
    assert_eq!(v.overall_eta.as_deref(), Some("18.6 s"));
    assert_eq!(v.percent, 40.0);

    let training = BenchProgress {
        task: TaskKind::Training,
        task_index: 0,
        run: None,
        training: Some(TrainProgress {
            epoch: 3,
            epochs: 10,
            batch: 8,
            batches_per_epoch: 45,
            steps_done: 98,
            total_steps: 450,
            loss: 0.21043,
            train_accuracy: 0.9,
        }),
        elapsed_ms: 100.0,
        fraction_done: 0.01,
        ..progress()
    };
    let v = ProgressView::of(&training);
    assert_eq!(v.detail, "epoch 3 of 10, batch 8 of 45, loss 0.2104");
    assert_eq!(v.overall_eta, None, "too early to extrapolate");
    let long = BenchProgress {
        elapsed_ms: 185_000.0,
        ..progress()
    };
    assert_eq!(ProgressView::of(&long).elapsed, "3 min 05 s");
}

#[test]
fn a_run_goes_from_idle_to_running_to_idle() {
    let mut s = AppState::new();
    assert_eq!(s.run, RunState::Idle);
    s.apply(Action::RunRequested);
    assert_eq!(s.run, RunState::Starting);
    s.apply(Action::Edit(FormEdit::Label(
        "changed during the run".into(),
    )));
    assert_eq!(s.form.label, "", "the form is read-only during a run");
    s.apply(Action::Worker(WorkerEvent::Started {
        timer: timer(),
        isolated: true,
        tasks: vec![TaskKind::Training; 11],
    }));
    let RunState::Running(r) = &s.run else {
        panic!("{:?}", s.run)
    };
    assert_eq!(r.task_count, 11);
    assert_eq!(r.timer.resolution, "5.000 µs");
    s.apply(Action::Worker(WorkerEvent::Progress(progress())));
    s.apply(Action::PageHidden);
    s.apply(Action::CancelRequested);
    let RunState::Running(r) = &s.run else {
        panic!("{:?}", s.run)
    };
    assert!(r.cancelling);
    assert_eq!(r.hidden, 1);
    assert_eq!(r.progress.as_ref().unwrap().task, "f32-fast: Server");
    s.apply(Action::Worker(WorkerEvent::Finished));
    assert_eq!(s.run, RunState::Idle);
    s.apply(Action::RunRequested);
    s.apply(Action::Worker(WorkerEvent::Failed(
        "training failed".into(),
    )));
    assert_eq!(s.run, RunState::Failed("training failed".into()));
}

#[test]
fn analyses_of_a_result_no_longer_shown_are_ignored() {
    let result = view_support::result();
    let page = Rc::new(ResultPage::of(&result));
    let mut s = AppState::new();
    let show = |s: &mut AppState| {
        s.apply(Action::Show {
            page: page.clone(),
            key: Some("k".into()),
        })
    };
    show(&mut s);
    let first = s.shown.as_ref().unwrap().analysis_id;
    show(&mut s);
    let second = s.shown.as_ref().unwrap().analysis_id;
    assert_ne!(first, second);
    let panel = VerdictPanel {
        baseline: Some(Variant::F32Naive),
        rows: Vec::new(),
        problems: Vec::new(),
        method: String::new(),
        note: None,
    };
    // Until the verdict, the variant table is the page's (no speedup intervals); the
    // verdict's replaces it.
    let before = page.variants.clone().expect("two variants");
    assert_eq!(s.shown.as_ref().unwrap().variants.as_deref(), Some(&before));
    let mut with_verdict = variant_table(&result, Some(&panel)).unwrap();
    with_verdict.notes.push("from the verdict".into());
    s.apply(Action::Worker(WorkerEvent::Verdict {
        id: first,
        panel: Box::new(panel.clone()),
        variants: Some(Box::new(with_verdict.clone())),
    }));
    assert_eq!(s.shown.as_ref().unwrap().verdict, Pending::Waiting);
    assert_eq!(s.shown.as_ref().unwrap().variants.as_deref(), Some(&before));
    s.apply(Action::Worker(WorkerEvent::Verdict {
        id: second,
        panel: Box::new(panel),
        variants: Some(Box::new(with_verdict.clone())),
    }));
    assert!(matches!(
        s.shown.as_ref().unwrap().verdict,
        Pending::Ready(_)
    ));
    assert_eq!(
        s.shown.as_ref().unwrap().variants.as_deref(),
        Some(&with_verdict)
    );
    s.apply(Action::Worker(WorkerEvent::AnalysisFailed {
        id: second,
        message: "bad".into(),
    }));
    let shown = s.shown.as_ref().unwrap();
    assert!(
        matches!(shown.verdict, Pending::Ready(_)),
        "a ready verdict stays"
    );
    assert_eq!(shown.report, Pending::Failed("bad".into()));
    // Clearing the saved results unlinks the result shown from storage.
    let mut index = SavedIndex::default();
    index.add(SavedEntry::of(&result, "k", 10));
    s.apply(Action::Saved(index));
    assert_eq!(s.shown.as_ref().unwrap().key.as_deref(), Some("k"));
    s.apply(Action::Saved(SavedIndex::default()));
    assert_eq!(s.shown.as_ref().unwrap().key, None);
}

#[test]
fn notices_are_shown_until_dismissed() {
    let mut s = AppState::new();
    s.apply(Action::Notify(
        NoticeLevel::Warning,
        "storage is full".into(),
    ));
    s.apply(Action::Notify(NoticeLevel::Info, "saved".into()));
    assert_eq!(s.notices.len(), 2);
    let id = s.notices[0].id;
    s.apply(Action::Dismiss(id));
    assert_eq!(s.notices.len(), 1);
    assert_eq!(s.notices[0].text, "saved");
}

#[test]
fn worker_messages_cross_as_json() {
    let plan = view_support::plan(vec![Variant::F32Naive]);
    let requests = vec![
        WorkerRequest::Start(Box::new(plan)),
        WorkerRequest::Cancel,
        WorkerRequest::PageHidden,
        WorkerRequest::Analyse { id: 7 },
        WorkerRequest::OpenSaved {
            legacy: vec![("inferbench.result.1".into(), "{}".into())],
        },
        WorkerRequest::ShowSaved("k".into()),
        WorkerRequest::ClearSaved,
        WorkerRequest::Download {
            id: 8,
            what: DownloadKind::Result,
        },
        WorkerRequest::Compare {
            id: 9,
            files: vec![
                ("a.json".into(), CompareSource::Text("{}".into())),
                ("b.json".into(), CompareSource::Saved("k".into())),
            ],
            baseline: Some(1),
            threshold: 0.05,
        },
    ];
    for r in requests {
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<WorkerRequest>(&text).unwrap(), r);
    }
    let events = vec![
        WorkerEvent::Started {
            timer: timer(),
            isolated: false,
            tasks: vec![
                TaskKind::Training,
                TaskKind::Scenario {
                    variant: Variant::Int8,
                    scenario: Scenario::Offline,
                },
            ],
        },
        WorkerEvent::Progress(progress()),
        WorkerEvent::Finished,
        WorkerEvent::Report {
            id: 1,
            preview: ReportPreview {
                text: "# r".into(),
                omitted_chars: Some(12),
            },
        },
        WorkerEvent::Show {
            page: Box::new({
                let mut page = ResultPage::of(&view_support::result());
                page.take_columns();
                page
            }),
            transfer: 4,
            key: None,
        },
        WorkerEvent::File {
            id: 8,
            name: "r.json".into(),
            mime: "application/json".into(),
            transfer: 5,
        },
        WorkerEvent::LegacyMoved(vec!["k".into()]),
        WorkerEvent::StorageNotice("full".into()),
    ];
    for e in events {
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<WorkerEvent>(&text).unwrap(), e);
    }
}
