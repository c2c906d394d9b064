//! The Run section: the timer the run measures with, and while it runs the current task,
//! how far it is, elapsed time, ETA, an overall progress bar and Cancel.

use yew::prelude::*;

use crate::view::state::RunState;
use crate::view::timing::TimerView;

/// Properties of [`RunPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct RunProps {
    /// The run's state.
    pub run: RunState,
    /// Called when Cancel is pressed.
    pub on_cancel: Callback<()>,
}

/// A timer's facts as a definition list; `id_prefix` distinguishes the page's from the
/// worker's.
pub fn timer_facts(t: &TimerView, id_prefix: &str, whose: &str) -> Html {
    let ms = t.resolution_ms.map(|m| m.to_string());
    html! {
        <>
            <dl class="facts">
                <dt>{ format!("performance.now() resolution ({whose}, measured)") }</dt>
                <dd><span id={format!("{id_prefix}timer-resolution")} data-ms={ms} title={t.method.clone()}>
                    { t.resolution.clone() }</span></dd>
                <dt>{ "Cross-origin isolated" }</dt>
                <dd id={format!("{id_prefix}isolation")}
                    data-isolated={t.isolated.map(|i| i.to_string())}>{ t.isolation.clone() }</dd>
            </dl>
            <ul class="notes">{ for t.notes.iter().map(|n| html!{ <li>{ n }</li> }) }</ul>
        </>
    }
}

/// The Run section.
#[function_component(RunPanel)]
pub fn run_panel(props: &RunProps) -> Html {
    let on_cancel = {
        let cb = props.on_cancel.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let body = match &props.run {
        RunState::Idle => html! {
            <p class="muted">{ "Press Run in Setup to train the model and run the scenarios in a \
                               background worker; the page stays usable meanwhile." }</p>
        },
        RunState::Starting => html! {
            <p id="run-status" class="muted">{ "Starting… The worker first finishes analysing the \
                result shown, if any. If nothing happens for a minute, its script could not be \
                loaded: the browser's console says why." }</p>
        },
        RunState::Failed(message) => html! {
            <p id="run-status" class="error" role="alert">{ format!("The run failed: {message}") }</p>
        },
        RunState::Running(r) => {
            let (task, position, detail, elapsed, eta, percent) = match &r.progress {
                Some(p) => (
                    p.task.clone(),
                    p.task_position.clone(),
                    p.detail.clone(),
                    p.elapsed.clone(),
                    match (&p.overall_eta, &p.task_eta) {
                        (Some(all), Some(task)) => format!("about {all} left (this task {task})"),
                        (Some(all), None) => format!("about {all} left"),
                        (None, Some(task)) => format!("this task: {task} left"),
                        (None, None) => "estimating…".to_string(),
                    },
                    p.percent,
                ),
                None => (
                    "starting".to_string(),
                    format!("{} tasks", r.task_count),
                    String::new(),
                    "0.0 s".to_string(),
                    "estimating…".to_string(),
                    0.0,
                ),
            };
            html! {
                <div id="progress" aria-live="polite">
                    <p class="task"><strong id="progress-task">{ task }</strong>
                        <span class="muted">{ format!(" · {position}") }</span></p>
                    <p id="progress-detail">{ detail }</p>
                    <progress id="progress-bar" max="100" value={format!("{percent:.1}")}
                        aria-label="share of the run done">{ format!("{percent:.0}%") }</progress>
                    <p class="muted">{ format!("{:.0}% · elapsed {elapsed} · {eta}", percent) }</p>
                    { if r.hidden > 0 {
                        html!{ <p class="warning">{ "The page was hidden during the run: the runs affected \
                                                     will be INVALID (browsers throttle hidden pages)." }</p> }
                    } else { html!{} } }
                    <button id="cancel" onclick={on_cancel} disabled={r.cancelling}>
                        { if r.cancelling { "Cancelling…" } else { "Cancel" } }</button>
                    <details class="timer-box">
                        <summary>{ "The worker's timer" }</summary>
                        { timer_facts(&r.timer, "worker-", "worker") }
                    </details>
                </div>
            }
        }
    };
    html! {
        <section id="run-panel" aria-labelledby="run-title">
            <h2 id="run-title">{ "Run" }</h2>
            { body }
        </section>
    }
}
