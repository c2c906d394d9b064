//! The benchmark worker ([`BenchWorker`]): a yew-agent reactor that owns the model, the load
//! generator and the saved results (IndexedDB). It trains and runs a plan against its own
//! `performance.now()`, streams progress, hears Cancel and PageHidden between steps, saves
//! each result, hands results to the page as a small shell and transferred typed arrays
//! ([`super::transfer`]), analyses them (verdict and report), prepares downloads and
//! compares machines for the page, so that the page never computes for long. Requests that
//! arrive during a run wait for it to end.
//!
//! Protocol: [`crate::view::protocol`]. Messages cross as JSON ([`JsonCodec`]).

use std::collections::VecDeque;

use futures::{FutureExt, SinkExt, StreamExt};
use wasm_bindgen::JsCast;
use yew_agent::reactor::{reactor, ReactorScope};
use yew_agent::Registrable;

use crate::bench::{BenchProgress, BenchSession};
use crate::encoding::base64_decode;
use crate::loadgen::clock::{measure_resolution, TimerResolution};
use crate::loadgen::overhead::{measure_overhead, OVERHEAD_QUERIES};
use crate::model::import::{import_safetensors, ImportedModel};
use crate::report::mlperf_log::summary_of;
use crate::report::{analyse, ReportOptions};
use crate::results::io::to_json;
use crate::results::BenchResult;
use crate::stats::CompareConfig;
use crate::view::compare::compare_sources;
use crate::view::files::{report_file_name, result_file_name};
use crate::view::protocol::{CompareSource, DownloadKind, WorkerEvent, WorkerRequest};
use crate::view::report::{report_preview, summary_downloads};
use crate::view::storage::StorageError;
use crate::view::variants::variant_table;
use crate::view::verdict::verdict_panel_of;
use crate::web::clock::{cross_origin_isolated, PerformanceClock};
use crate::web::codec::JsonCodec;
use crate::web::drive::{drive, Control, DriveSettings};
use crate::web::env::{browser_environment, now_utc};
use crate::web::idb;
use crate::web::pool::{serve_helper, WorkerPool, HELPER_NAME};
use crate::web::storage::SavedResults;
use crate::web::transfer::post_bytes;
use crate::web::yield_now::yield_now;

/// How many back-to-back `performance.now()` reads measure the worker's timer.
pub const RESOLUTION_READS: u32 = 200_000;

mod saved;

use saved::{open_saved, save, send_index, show, show_saved};

type Scope = ReactorScope<WorkerRequest, WorkerEvent>;

/// Sends `event` to the page. The reactor's sink only queues it: it is posted when the
/// worker next yields to its event loop.
async fn send(scope: &mut Scope, event: WorkerEvent) {
    // The sink never fails while the bridge is open; a closed bridge has no one to tell.
    let _ = scope.send(event).await;
}

/// The result the page shows, kept here for its analysis and downloads.
struct Current {
    result: BenchResult,
    /// Its report, once rendered.
    report: Option<String>,
}

/// What the worker keeps between requests.
struct Worker {
    /// The saved results, once opened (or why they cannot be).
    storage: Option<Result<SavedResults, StorageError>>,
    current: Option<Current>,
}

impl Worker {
    async fn storage(&mut self) -> Result<&SavedResults, StorageError> {
        if self.storage.is_none() {
            self.storage = Some(SavedResults::open().await);
        }
        match self.storage.as_ref().expect("opened above") {
            Ok(s) => Ok(s),
            Err(e) => Err(e.clone()),
        }
    }
}

/// The worker: answers each request in turn (see [`WorkerRequest`]).
#[reactor(BenchWorker)]
pub async fn bench_worker(mut scope: ReactorScope<WorkerRequest, WorkerEvent>) {
    let mut deferred = VecDeque::new();
    let mut worker = Worker {
        storage: None,
        current: None,
    };
    // The model file read last ("your model"), for the next plan that names it.
    let mut imported: Option<ImportedModel> = None;
    loop {
        let request = match deferred.pop_front() {
            Some(r) => r,
            None => match scope.next().await {
                Some(r) => r,
                None => return,
            },
        };
        match request {
            WorkerRequest::Start(plan) => {
                if let Some(result) = run(&mut scope, *plan, imported.as_ref(), &mut deferred).await
                {
                    let key = save(&mut scope, &mut worker, &result).await;
                    show(&mut scope, &mut worker, result, key).await;
                }
            }
            WorkerRequest::LoadModel {
                id,
                file_name,
                base64,
            } => {
                let outcome = base64_decode(&base64)
                    .map_err(|e| format!("the file's bytes arrived garbled ({e})"))
                    .and_then(|bytes| {
                        import_safetensors(&bytes, &file_name).map_err(|e| e.to_string())
                    });
                let answer = match outcome {
                    Ok(model) => {
                        let info = Box::new(model.info.clone());
                        imported = Some(model);
                        Ok(info)
                    }
                    Err(message) => Err(message),
                };
                send(
                    &mut scope,
                    WorkerEvent::ModelLoaded {
                        id,
                        outcome: answer,
                    },
                )
                .await;
            }
            WorkerRequest::OpenSaved { legacy } => {
                open_saved(&mut scope, &mut worker, legacy).await
            }
            WorkerRequest::ShowSaved(key) => show_saved(&mut scope, &mut worker, &key).await,
            WorkerRequest::ClearSaved => {
                let outcome = match worker.storage().await {
                    Ok(s) => s.clear().await,
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(index) => send_index(&mut scope, index).await,
                    Err(e) => send(&mut scope, WorkerEvent::StorageNotice(e.to_string())).await,
                }
            }
            WorkerRequest::Analyse { id } => analyse_current(&mut scope, &mut worker, id).await,
            WorkerRequest::Download { id, what } => {
                download(&mut scope, &mut worker, id, what).await
            }
            WorkerRequest::Compare {
                id,
                files,
                baseline,
                threshold,
            } => {
                // A newer comparison already waiting makes this one moot.
                drain_ready(&mut scope, &mut deferred);
                if !deferred
                    .iter()
                    .any(|r| matches!(r, WorkerRequest::Compare { .. }))
                {
                    let mut sources = Vec::with_capacity(files.len());
                    for (name, source) in files {
                        let text = match source {
                            CompareSource::Text(t) => Ok(t),
                            CompareSource::Saved(key) => match worker.storage().await {
                                Ok(s) => s.load(&key).await.map_err(|e| e.to_string()),
                                Err(e) => Err(e.to_string()),
                            },
                        };
                        sources.push((name, text));
                    }
                    let view =
                        compare_sources(&sources, baseline, threshold, &CompareConfig::default());
                    send(
                        &mut scope,
                        WorkerEvent::Compared {
                            id,
                            view: Box::new(view),
                        },
                    )
                    .await;
                }
            }
            // Nothing is running.
            WorkerRequest::Cancel | WorkerRequest::PageHidden => {}
        }
    }
}

/// Moves every request already received into `deferred`, in order.
fn drain_ready(scope: &mut Scope, deferred: &mut VecDeque<WorkerRequest>) {
    while let Some(Some(r)) = scope.next().now_or_never() {
        deferred.push_back(r);
    }
}

/// Registers the worker (the worker binary's `main`); a panic is written to the console. A
/// worker started as an Offline helper ([`HELPER_NAME`]) serves as one instead.
pub fn register() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.name() == HELPER_NAME {
        serve_helper();
    } else {
        BenchWorker::registrar().encoding::<JsonCodec>().register();
    }
}

/// The Offline helpers for `plan`: one per logical core (or as the plan says) besides this
/// worker, started from this worker's own script (see [`WorkerPool`]).
fn offline_pool(plan: &crate::plan::BenchPlan) -> WorkerPool {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let cores = scope.navigator().hardware_concurrency().max(1.0) as u32;
    let offline = plan
        .scenarios
        .iter()
        .any(|s| s.scenario() == crate::loadgen::settings::Scenario::Offline);
    // A synthetic system under test runs Offline on the session's executor alone (the
    // helpers build variants from a model; see `BenchSession::offline_executors`): no
    // helper is started for it.
    let workers = if offline && plan.synthetic_sut.is_none() {
        plan.offline_workers.unwrap_or(cores)
    } else {
        1
    };
    let script = scope.location().href();
    WorkerPool::new(workers.saturating_sub(1), &script)
}

/// The worker's side of [`Control`]: messages from the page, progress to it.
struct WorkerControl<'a> {
    scope: &'a mut Scope,
    deferred: &'a mut VecDeque<WorkerRequest>,
    cancelled: bool,
}

impl Control for WorkerControl<'_> {
    fn poll(&mut self, session: &mut BenchSession) -> bool {
        while let Some(next) = self.scope.next().now_or_never() {
            match next {
                Some(WorkerRequest::Cancel) | None => {
                    session.cancel();
                    self.cancelled = true;
                }
                Some(WorkerRequest::PageHidden) => session.visibility_changed(),
                // Everything else waits for the run to end.
                Some(r) => self.deferred.push_back(r),
            }
            if futures::stream::FusedStream::is_terminated(&*self.scope) {
                break;
            }
        }
        self.cancelled
    }

    fn progress(&mut self, progress: BenchProgress) {
        // The sink is an unbounded channel: sending completes at once.
        let _ = self
            .scope
            .send(WorkerEvent::Progress(progress))
            .now_or_never();
    }
}

/// The session the worker runs for `plan` (on `imported` when the plan names its file): the
/// timer's resolution measured on `clock` ([`RESOLUTION_READS`] reads), then the clock check
/// after training and a batch cross-check after each timer-limited run.
///
/// # Errors
///
/// The plan's error, or a model that is not the plan's.
pub fn prepare(
    plan: crate::plan::BenchPlan,
    imported: Option<&ImportedModel>,
    clock: &PerformanceClock,
) -> Result<(BenchSession, TimerResolution), crate::bench::BenchError> {
    let timer = measure_resolution(clock, RESOLUTION_READS);
    let session = match (&plan.model_file, imported) {
        (Some(_), Some(m)) => BenchSession::with_model(plan, m.model.clone()),
        _ => BenchSession::new(plan),
    }?;
    Ok((
        session.with_timer_resolution(timer).with_clock_check(),
        timer,
    ))
}

/// Trains and runs `plan` (or runs `imported` when the plan names its file); returns its
/// result (`None` if it could not start or go on).
async fn run(
    scope: &mut Scope,
    plan: crate::plan::BenchPlan,
    imported: Option<&ImportedModel>,
    deferred: &mut VecDeque<WorkerRequest>,
) -> Option<BenchResult> {
    let Some(clock) = PerformanceClock::new() else {
        send(
            scope,
            WorkerEvent::Failed("this browser's worker has no performance.now() clock".into()),
        )
        .await;
        return None;
    };
    let isolated = cross_origin_isolated();
    // The load generator's own cost per query here (about 0.1 s of null queries).
    let overhead = measure_overhead(&clock, OVERHEAD_QUERIES);
    let pool = offline_pool(&plan);
    let (mut session, timer) = match prepare(plan, imported, &clock) {
        Ok((s, timer)) => (
            s.with_loadgen_overhead(overhead)
                .with_offline_pool(Box::new(pool)),
            timer,
        ),
        Err(e) => {
            send(scope, WorkerEvent::Failed(e.to_string())).await;
            return None;
        }
    };
    send(
        scope,
        WorkerEvent::Started {
            timer,
            isolated,
            tasks: session.tasks().to_vec(),
        },
    )
    .await;
    yield_now().await;
    let mut control = WorkerControl {
        scope,
        deferred,
        cancelled: false,
    };
    let outcome = drive(&mut session, &clock, &mut control, DriveSettings::default()).await;
    if let Err(e) = outcome {
        send(scope, WorkerEvent::Failed(e.to_string())).await;
        return None;
    }
    send(scope, WorkerEvent::Finished).await;
    Some(session.finish(browser_environment(timer, isolated), now_utc()))
}

/// Computes the verdict panel and the report of the result shown, sending each when ready.
async fn analyse_current(scope: &mut Scope, worker: &mut Worker, id: u64) {
    let Some(current) = worker.current.as_mut() else {
        send(
            scope,
            WorkerEvent::AnalysisFailed {
                id,
                message: "no result is shown".into(),
            },
        )
        .await;
        return;
    };
    let options = ReportOptions::default();
    let analysed = analyse(&current.result, &options);
    let panel = verdict_panel_of(&analysed);
    let variants = variant_table(&current.result, Some(&panel)).map(Box::new);
    send(
        scope,
        WorkerEvent::Verdict {
            id,
            panel: Box::new(panel),
            variants,
        },
    )
    .await;
    // Let the verdict go out before the report is rendered.
    yield_now().await;
    let markdown = analysed.markdown();
    let preview = report_preview(&markdown);
    current.report = Some(markdown);
    send(scope, WorkerEvent::Report { id, preview }).await;
}

/// Prepares `what` of the result shown and posts its bytes.
async fn download(scope: &mut Scope, worker: &mut Worker, id: u64, what: DownloadKind) {
    let Some(current) = worker.current.as_mut() else {
        send(
            scope,
            WorkerEvent::StorageNotice("No result is shown to download.".into()),
        )
        .await;
        return;
    };
    let (name, mime, text) = match what {
        DownloadKind::Report => {
            let markdown = match current.report.take() {
                Some(m) => m,
                None => analyse(&current.result, &ReportOptions::default()).markdown(),
            };
            let out = (
                report_file_name(&current.result),
                "text/markdown;charset=utf-8",
                markdown.clone(),
            );
            current.report = Some(markdown);
            out
        }
        DownloadKind::Result => (
            result_file_name(&current.result),
            "application/json",
            to_json(&current.result),
        ),
        DownloadKind::MlperfSummary {
            variant_index,
            run_index,
        } => {
            let log = summary_downloads(&current.result)
                .into_iter()
                .find(|d| d.run.variant_index == variant_index && d.run.run_index == run_index)
                .and_then(|d| summary_of(&current.result, &d.run).map(|text| (d.file_name, text)));
            let Some((name, text)) = log else {
                send(
                    scope,
                    WorkerEvent::StorageNotice(
                        "The result shown has no such performance run to write a log of.".into(),
                    ),
                )
                .await;
                return;
            };
            (name, "text/plain;charset=utf-8", text)
        }
    };
    match post_bytes(text.as_bytes()) {
        Ok(transfer) => {
            send(
                scope,
                WorkerEvent::File {
                    id,
                    name,
                    mime: mime.to_string(),
                    transfer,
                },
            )
            .await;
        }
        Err(e) => {
            send(
                scope,
                WorkerEvent::StorageNotice(format!(
                    "The download of {name} could not be prepared: {}",
                    idb::message(&e)
                )),
            )
            .await;
        }
    }
}
