//! The root component: the page's state ([`crate::view::state`]), the bridge to the
//! benchmark worker, the browser's storage, downloads, and the page's sections (Setup, Run,
//! Results with the verdict, Report, Compare machines, Saved results).
//!
//! Side effects live here and only here: each outcome comes back as an [`Action`].

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_agent::reactor::{
    use_reactor_bridge, ReactorEvent, ReactorProvider, UseReactorBridgeHandle,
};

use crate::loadgen::clock::{measure_resolution, TimerResolution};
use crate::plan::limits::DIGITS_TEST_SAMPLES;
use crate::plan::BenchPlan;
use crate::view::compare_state::{CompareEdit, FileContent};
use crate::view::files::saved_file_name;
use crate::view::form::FormEdit;
use crate::view::machine::default_machine_label;
use crate::view::protocol::{DownloadKind, WorkerEvent, WorkerRequest};
use crate::view::state::{Action, AppState, NoticeLevel};
use crate::view::timing::timer_view;
use crate::web::clock::{cross_origin_isolated, PerformanceClock};
use crate::web::codec::JsonCodec;
use crate::web::components::compare::ComparePanel;
use crate::web::components::report::ReportPanel;
use crate::web::components::results::ResultsPanel;
use crate::web::components::run::{timer_facts, RunPanel};
use crate::web::components::saved::SavedPanel;
use crate::web::components::setup::SetupPanel;
use crate::web::download::download_text;
use crate::web::idb::persist;
use crate::web::kernels::worker_script;
use crate::web::storage::legacy_entries;
use crate::web::worker::{BenchWorker, RESOLUTION_READS};
use crate::web::yield_now::{after_paint, yield_now};

mod events;

use events::{load_model_file, notify, on_worker_event};

/// The timer facts the page shows and records.
#[derive(Debug, Clone, PartialEq)]
pub struct TimerFacts {
    /// The measured resolution, if the clock could be read at all.
    pub resolution: Option<TimerResolution>,
    /// `self.crossOriginIsolated`.
    pub isolated: bool,
}

/// How many bursts the page's [`RESOLUTION_READS`] reads of its clock are split into. One
/// burst of 200,000 reads took 60-110 ms of the main thread while the page loaded (the goal is
/// no task over 50 ms); twenty bursts of 10,000 take a few milliseconds each, with a yield to
/// the event loop between them.
const RESOLUTION_BURSTS: u32 = 20;

/// Measures the page's timer once: [`RESOLUTION_READS`] reads in [`RESOLUTION_BURSTS`]
/// bursts, yielding between them, merged ([`TimerResolution::merged`]).
pub async fn timer_facts_now() -> TimerFacts {
    let mut resolution = None;
    if let Some(clock) = PerformanceClock::new() {
        for _ in 0..RESOLUTION_BURSTS {
            let burst = measure_resolution(&clock, RESOLUTION_READS / RESOLUTION_BURSTS);
            resolution = Some(resolution.map_or(burst, |r: TimerResolution| r.merged(burst)));
            yield_now().await;
        }
    }
    TimerFacts {
        resolution,
        isolated: cross_origin_isolated(),
    }
}

/// The worker script's URL (the relaxed-SIMD module where the browser supports it, see
/// [`super::kernels`]), resolved against the document's base URL, so that the app works under
/// any sub-path (a relative `./worker.js` would resolve against the page's URL).
fn worker_url() -> AttrValue {
    let script = worker_script();
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten());
    base.and_then(|b| web_sys::Url::new_with_base(script, &b).ok())
        .map_or_else(
            || AttrValue::from(format!("./{script}")),
            |u| AttrValue::from(u.href()),
        )
}

/// The default machine label from the page's `navigator` (user agent, logical cores).
pub fn default_label_now() -> String {
    let navigator = web_sys::window().map(|w| w.navigator());
    let user_agent = navigator.as_ref().and_then(|n| n.user_agent().ok());
    let cores = navigator
        .as_ref()
        .map(|n| n.hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map(|n| n as u32);
    default_machine_label(user_agent.as_deref(), cores)
}

/// The application: the worker provider around the page.
#[function_component(App)]
pub fn app() -> Html {
    let path = use_memo((), |_| worker_url());
    html! {
        <ReactorProvider<BenchWorker, JsonCodec> path={(*path).clone()}>
            <Page />
        </ReactorProvider<BenchWorker, JsonCodec>>
    }
}

/// The state as a Yew reducer.
#[derive(Debug, Clone, PartialEq, Default)]
struct Store(AppState);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

type Dispatch = UseReducerDispatcher<Store>;
type Bridge = UseReactorBridgeHandle<BenchWorker>;

/// The page.
#[function_component(Page)]
fn page() -> Html {
    let store = use_reducer(|| Store(AppState::with_machine_label(default_label_now())));
    let dispatch = store.dispatcher();
    // Measured once the page has painted, in bursts (200,000 reads of the clock take a while).
    let page_timer = use_state(|| None);
    {
        let page_timer = page_timer.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                after_paint().await;
                let facts = timer_facts_now().await;
                page_timer.set(Some(timer_view(
                    facts.resolution.as_ref(),
                    Some(facts.isolated),
                )));
            });
            || ()
        });
    }
    let state = &store.0;

    let bridge: Bridge = {
        let dispatch = dispatch.clone();
        use_reactor_bridge::<BenchWorker, _>(move |event| match event {
            ReactorEvent::Output(e) => on_worker_event(e, &dispatch),
            ReactorEvent::Finished => dispatch.dispatch(Action::Worker(WorkerEvent::Failed(
                "the worker stopped".into(),
            ))),
        })
    };

    // At start: the worker opens the saved results (moving those of localStorage in),
    // lists them and shows the newest; the page asks the browser to keep its storage.
    {
        let dispatch = dispatch.clone();
        let bridge = bridge.clone();
        use_effect_with((), move |_| {
            bridge.send(WorkerRequest::OpenSaved {
                legacy: legacy_entries(),
            });
            wasm_bindgen_futures::spawn_local(async move {
                dispatch.dispatch(Action::Persisted(persist().await));
            });
            || ()
        });
    }

    // Each result shown is analysed (verdict, report) by the worker.
    {
        let bridge = bridge.clone();
        let shown = state.shown.as_ref().map(|s| s.analysis_id);
        use_effect_with(shown, move |_| {
            if let Some(id) = shown {
                bridge.send(WorkerRequest::Analyse { id });
            }
            || ()
        });
    }

    // Each change of the files, baseline or threshold is a new comparison for the worker.
    {
        let bridge = bridge.clone();
        let compare = state.compare.clone();
        use_effect_with(state.compare.request_id, move |_| {
            if let Some(request) = compare.request() {
                bridge.send(request);
            }
            || ()
        });
    }

    // A page hidden during a run makes the run INVALID: tell the worker.
    let active = use_mut_ref(|| false);
    *active.borrow_mut() = state.run.is_active();
    {
        let bridge = bridge.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let target = document.clone();
            let listener = Closure::<dyn FnMut()>::new(move || {
                let hidden = target
                    .as_ref()
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
                if hidden && *active.borrow() {
                    bridge.send(WorkerRequest::PageHidden);
                    dispatch.dispatch(Action::PageHidden);
                }
            });
            if let Some(d) = &document {
                let _ = d.add_event_listener_with_callback(
                    "visibilitychange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "visibilitychange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    let check = use_memo(state.form.clone(), |form| form.check(DIGITS_TEST_SAMPLES));
    let form = use_memo(state.form.clone(), |f| f.clone());

    let on_edit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: FormEdit| dispatch.dispatch(Action::Edit(e)))
    };
    let on_run = {
        let dispatch = dispatch.clone();
        let bridge = bridge.clone();
        let plan: Option<BenchPlan> = check.plan.clone();
        Callback::from(move |()| {
            if let Some(plan) = plan.clone() {
                bridge.send(WorkerRequest::Start(Box::new(plan)));
                dispatch.dispatch(Action::RunRequested);
            }
        })
    };
    let next_model_request = use_mut_ref(|| 0u64);
    let on_model_files = {
        let dispatch = dispatch.clone();
        let bridge = bridge.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            let id = {
                let mut next = next_model_request.borrow_mut();
                *next += 1;
                *next
            };
            load_model_file(files, id, &dispatch, &bridge);
        })
    };
    let on_cancel = {
        let dispatch = dispatch.clone();
        let bridge = bridge.clone();
        Callback::from(move |()| {
            bridge.send(WorkerRequest::Cancel);
            dispatch.dispatch(Action::CancelRequested);
        })
    };
    let on_view = {
        let bridge = bridge.clone();
        Callback::from(move |key: String| bridge.send(WorkerRequest::ShowSaved(key)))
    };
    let on_clear = {
        let bridge = bridge.clone();
        Callback::from(move |()| bridge.send(WorkerRequest::ClearSaved))
    };
    let on_compare_edit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: CompareEdit| dispatch.dispatch(Action::Compare(e)))
    };
    let on_add_saved = {
        let dispatch = dispatch.clone();
        let saved = state.saved.clone();
        Callback::from(move |key: String| {
            if let Some(entry) = saved.get(&key) {
                dispatch.dispatch(Action::Compare(CompareEdit::Add(vec![(
                    saved_file_name(&entry.machine_label, entry.created_utc.as_deref()),
                    FileContent::Saved(key),
                )])));
            }
        })
    };
    let on_download = {
        let bridge = bridge.clone();
        let id = state.shown.as_ref().map(|s| s.analysis_id);
        Callback::from(move |what: DownloadKind| {
            if let Some(id) = id {
                bridge.send(WorkerRequest::Download { id, what });
            }
        })
    };
    let on_download_text = {
        let dispatch = dispatch.clone();
        Callback::from(
            move |(name, mime, text): (String, &'static str, Rc<String>)| {
                if let Err(e) = download_text(&name, mime, &text) {
                    notify(
                        &dispatch,
                        format!(
                            "The download of {name} failed: {}",
                            e.as_string().unwrap_or_default()
                        ),
                    );
                }
            },
        )
    };

    let notices = state.notices.iter().map(|n| {
        let dispatch = dispatch.clone();
        let id = n.id;
        let onclick = Callback::from(move |_| dispatch.dispatch(Action::Dismiss(id)));
        html! {
            <div class={classes!("notice", match n.level { NoticeLevel::Info => "info", NoticeLevel::Warning => "warning" })}
                role="status">
                <span>{ n.text.clone() }</span>
                <button class="link" {onclick} aria-label="dismiss">{ "×" }</button>
            </div>
        }
    });

    let results = match &state.shown {
        Some(shown) => html! {
            <>
                <ResultsPanel page={shown.page.clone()} variants={shown.variants.clone()}
                    verdict={shown.verdict.clone()} saved={shown.key.is_some()}
                    report={shown.report.clone()} on_download={on_download} />
                <ReportPanel report={shown.report.clone()} />
            </>
        },
        None => html! {
            <section id="results" aria-labelledby="results-title">
                <h2 id="results-title">{ "Results" }</h2>
                <p class="muted">{ "No result yet: run the benchmark, or pick a saved result below." }</p>
            </section>
        },
    };

    html! {
        <main>
            <header class="top">
                <div>
                    <h1>{ "InferBench" }</h1>
                    <p class="tagline">{ "An MLPerf-style inference benchmark of a real neural network, \
                                          in your browser. Nothing leaves this page." }</p>
                </div>
                <div class="timer" id="page-timer">{ match page_timer.as_ref() {
                    Some(t) => timer_facts(t, "", "page"),
                    None => html! { <p class="muted" id="timer-pending">{ "Measuring the page's timer…" }</p> },
                } }</div>
            </header>
            <div id="notices" aria-live="polite">{ for notices }</div>
            <SetupPanel form={form} check={check.clone()} running={state.run.is_active()}
                on_edit={on_edit} on_run={on_run} on_model_files={on_model_files} />
            <RunPanel run={state.run.clone()} on_cancel={on_cancel} />
            { results }
            <ComparePanel state={state.compare.clone()} running={state.run.is_active()}
                on_edit={on_compare_edit} on_download={on_download_text} />
            <SavedPanel saved={state.saved.clone()} shown={state.shown.as_ref().and_then(|s| s.key.clone())}
                usage={state.storage_usage} persisted={state.storage_persisted}
                on_view={on_view} on_clear={on_clear} on_compare={on_add_saved} />
        </main>
    }
}
