//! The benchmark worker ([`BenchWorker`]): a yew-agent reactor that owns the model and the
//! load generator. It trains and runs a plan against its own `performance.now()`, streams
//! progress, hears Cancel and PageHidden between steps, analyses results (verdict and
//! report) and compares machines for the page, so that the page never computes for long.
//! Requests that arrive during a run wait for it to end.
//!
//! Protocol: [`crate::view::protocol`]. Messages cross as JSON ([`JsonCodec`]).

use std::collections::VecDeque;

use futures::{FutureExt, SinkExt, StreamExt};
use wasm_bindgen::JsCast;
use yew_agent::reactor::{reactor, ReactorScope};
use yew_agent::Registrable;

use super::clock::{cross_origin_isolated, PerformanceClock};
use super::codec::JsonCodec;
use super::drive::{drive, Control, DriveSettings};
use super::env::{browser_environment, now_utc};
use super::pool::{serve_helper, WorkerPool, HELPER_NAME};
use super::yield_now::yield_now;
use crate::bench::{BenchProgress, BenchSession};
use crate::loadgen::clock::{measure_resolution, TimerResolution};
use crate::loadgen::overhead::{measure_overhead, OVERHEAD_QUERIES};
use crate::model::import::{import_safetensors, ImportedModel};
use crate::stats::CompareConfig;
use crate::view::base64::decode;
use crate::view::compare::compare_files;
use crate::view::protocol::{WorkerEvent, WorkerRequest};
use crate::view::storage::{pack, unpack};
use crate::view::verdict::verdict_panel;

/// How many back-to-back `performance.now()` reads measure the worker's timer.
pub const RESOLUTION_READS: u32 = 200_000;

type Scope = ReactorScope<WorkerRequest, WorkerEvent>;

/// Sends `event` to the page. The reactor's sink only queues it: it is posted when the
/// worker next yields to its event loop.
async fn send(scope: &mut Scope, event: WorkerEvent) {
    // The sink never fails while the bridge is open; a closed bridge has no one to tell.
    let _ = scope.send(event).await;
}

/// The worker: answers each request in turn (see [`WorkerRequest`]).
#[reactor(BenchWorker)]
pub async fn bench_worker(mut scope: ReactorScope<WorkerRequest, WorkerEvent>) {
    let mut deferred = VecDeque::new();
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
                run(&mut scope, *plan, imported.as_ref(), &mut deferred).await
            }
            WorkerRequest::LoadModel {
                id,
                file_name,
                base64,
            } => {
                let outcome = decode(&base64).and_then(|bytes| {
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
            WorkerRequest::Analyse { id, packed } => analyse(&mut scope, id, &packed).await,
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
                    let view =
                        compare_files(&files, baseline, threshold, &CompareConfig::default());
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
fn offline_pool(plan: &crate::bench::BenchPlan) -> WorkerPool {
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
                // The page does not start a run during a run; if it did, it would wait, as
                // analyses and comparisons do.
                Some(
                    r @ (WorkerRequest::Start(_)
                    | WorkerRequest::LoadModel { .. }
                    | WorkerRequest::Analyse { .. }
                    | WorkerRequest::Compare { .. }),
                ) => self.deferred.push_back(r),
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
    plan: crate::bench::BenchPlan,
    imported: Option<&ImportedModel>,
    clock: &PerformanceClock,
) -> Result<(BenchSession, TimerResolution), crate::bench::session::BenchError> {
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

/// Trains and runs `plan` (or runs `imported` when the plan names its file), then sends the
/// result in its stored form.
async fn run(
    scope: &mut Scope,
    plan: crate::bench::BenchPlan,
    imported: Option<&ImportedModel>,
    deferred: &mut VecDeque<WorkerRequest>,
) {
    let Some(clock) = PerformanceClock::new() else {
        send(
            scope,
            WorkerEvent::Failed("this browser's worker has no performance.now() clock".into()),
        )
        .await;
        return;
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
            return;
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
        return;
    }
    let result = session.finish(browser_environment(timer, isolated), now_utc());
    send(
        scope,
        WorkerEvent::Finished {
            packed: pack(&result),
        },
    )
    .await;
}

/// Computes the verdict panel and the report of a stored result, sending each when ready.
async fn analyse(scope: &mut Scope, id: u64, packed: &str) {
    let result = match unpack(packed) {
        Ok(r) => r,
        Err(e) => {
            send(
                scope,
                WorkerEvent::AnalysisFailed {
                    id,
                    message: e.to_string(),
                },
            )
            .await;
            return;
        }
    };
    let panel = verdict_panel(&result, &CompareConfig::default());
    send(
        scope,
        WorkerEvent::Verdict {
            id,
            panel: Box::new(panel),
        },
    )
    .await;
    // Let the verdict go out before the report is rendered.
    yield_now().await;
    let markdown = crate::report::render_markdown(&result);
    send(scope, WorkerEvent::Report { id, markdown }).await;
}
