//! The "Compare machines" section: a file picker and a drop zone for result files (.json)
//! and reports (.md), the list of files with each one's machine or its one-line error, the
//! baseline and the threshold, then what the worker found: a summary, the machines whose
//! workload differs with what differs, and per variant and scenario a table and two charts;
//! and the comparison report's download. It is also the regression check.
//!
//! Everything a file holds is shown as text (Yew escapes it), never as HTML.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::drop_zone::{use_file_drop, FileDrop};
use crate::compare::RegressionVerdict;
use crate::view::charts::ChartView;
use crate::view::compare::{CompareView, GroupView, RowView};
use crate::view::compare_state::{CompareEdit, CompareState, FileStatus};
use crate::view::file_check::FileCheck;
use crate::view::files::comparison_file_name;
use crate::web::chart::ChartFigure;
use crate::web::env::now_utc;
use crate::web::files::read_files;

/// Properties of [`ComparePanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct CompareProps {
    /// The section's state.
    pub state: CompareState,
    /// Whether the worker is running a benchmark (a comparison then waits).
    pub running: bool,
    /// Called with each change.
    pub on_edit: Callback<CompareEdit>,
    /// Called with (file name, MIME type, text) to download.
    pub on_download: Callback<(String, &'static str, Rc<String>)>,
}

fn figure(view: &ChartView) -> Html {
    html! { <ChartFigure view={Rc::new(view.clone())} /> }
}

/// Reads `files` and adds them, in order, once all are read.
fn add_files(files: Vec<web_sys::File>, on_edit: Callback<CompareEdit>) {
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let read = read_files(files).await;
        on_edit.emit(CompareEdit::Add(read));
    });
}

/// A loaded file's checks: whether it checks out, what differs, and which checks ran.
fn file_check(check: &FileCheck) -> Html {
    let (class, status) = match (check.passed, check.altered.is_some()) {
        (true, _) => ("file-check ok", "checks out"),
        (false, true) => ("file-check altered", "altered"),
        (false, false) => ("file-check failed", "does not check out"),
    };
    html! {
        <div class={class} data-check={status}>
            { if check.altered.is_some() { html!{
                <span class="badge bad">{ "ALTERED" }</span>
            } } else if !check.passed { html!{
                <span class="badge bad">{ "FAILS" }</span>
            } } else { html!{
                <span class="badge ok">{ "VERIFIED" }</span>
            } } }
            { " " }{ check.verdict.clone() }
            { check.altered.as_ref().map_or_else(|| html!{}, |_| html!{
                <span>{ " Every number shown for it is recomputed from its query records." }</span>
            }) }
            <span class="muted">{ format!(" ({})", check.checks_ran) }</span>
        </div>
    }
}

fn verdict_class(v: RegressionVerdict) -> &'static str {
    match v {
        RegressionVerdict::Improvement => "improvement",
        RegressionVerdict::Regression => "regression",
        RegressionVerdict::NoChange => "no-change",
    }
}

fn group_block(view: &CompareView, g: &GroupView, baseline: &str) -> Html {
    let threshold = crate::report::verdict_text::format_percent(view.threshold);
    let rows = g.rows.iter().map(|r| {
        let (speedup, speedup_ci, welch, mw, verdict) = match &r.status {
            RowView::Baseline => (
                html! { <td colspan="5" class="muted">{ "baseline" }</td> },
                html! {},
                html! {},
                html! {},
                html! {},
            ),
            RowView::Compared {
                speedup,
                speedup_ci,
                welch_p_holm,
                mann_whitney_p_holm,
                verdict,
                ..
            } => (
                html! { <td class="num">{ speedup.clone() }</td> },
                html! { <td class="num">{ speedup_ci.clone() }</td> },
                html! { <td class="num">{ welch_p_holm.clone() }</td> },
                html! { <td class="num">{ mann_whitney_p_holm.clone() }</td> },
                html! { <td><span class={classes!("verdict-badge", verdict_class(*verdict))}>
                { verdict.to_string() }</span></td> },
            ),
            RowView::NotCompared { reason } => (
                html! { <td colspan="5" class="not-compared">{ reason.clone() }</td> },
                html! {},
                html! {},
                html! {},
                html! {},
            ),
        };
        let verdict_attr = match &r.status {
            RowView::Compared { verdict, .. } => verdict.to_string(),
            RowView::Baseline => "baseline".into(),
            RowView::NotCompared { .. } => "not compared".into(),
        };
        html! {
            <tr class="compare-row" data-machine={r.machine.clone()} data-verdict={verdict_attr}
                data-altered={r.altered.to_string()}>
                <th scope="row">{ r.machine.clone() }
                    { if r.altered { html!{ <>{ " " }<span class="badge bad"
                        title="its stored values do not match its query records: recomputed values shown">
                        { "ALTERED" }</span></> } } else { html!{} } }</th>
                <td class="num">{ r.headline.clone() }</td>
                <td class="num">{ r.headline_ci.clone().unwrap_or_default() }</td>
                <td class="num">{ r.queries.clone() }</td>
                <td>{ match r.valid {
                    Some(true) => html!{ <span class="badge ok">{ "VALID" }</span> },
                    Some(false) => html!{ <span class="badge bad">{ "INVALID" }</span> },
                    None => html!{ "–" },
                } }</td>
                { speedup }{ speedup_ci }{ welch }{ mw }{ verdict }
            </tr>
        }
    });
    let sentences = g.rows.iter().filter_map(|r| match &r.status {
        RowView::Compared {
            sentence, verdict, ..
        } => Some(html! {
            <li class={classes!("compare-sentence", verdict_class(*verdict))}>
                <strong>{ verdict.to_string() }</strong>{ ": " }{ sentence.clone() }
            </li>
        }),
        _ => None,
    });
    let notes = g.rows.iter().flat_map(|r| {
        r.notes
            .iter()
            .map(move |n| html! { <li class="muted">{ format!("{}: {n} (compared anyway).", r.machine) }</li> })
    });
    html! {
        <div class="compare-group subsection" id={g.id.clone()}>
            <h3>{ g.title() }</h3>
            <div class="table-scroll">
                <table class="compare-table">
                    <thead><tr>
                        <th scope="col">{ "Machine" }</th>
                        <th scope="col">{ g.headline_label.clone() }</th>
                        <th scope="col">{ "95% CI" }</th>
                        <th scope="col">{ if g.scenario == crate::loadgen::settings::Scenario::Offline { "Batches" } else { "Queries" } }</th>
                        <th scope="col">{ "Result" }</th>
                        <th scope="col">{ format!("Speedup vs {baseline} (mean {})", g.measure) }</th>
                        <th scope="col">{ "95% CI" }</th>
                        <th scope="col">{ "Welch p (Holm)" }</th>
                        <th scope="col">{ "Mann-Whitney p (Holm)" }</th>
                        <th scope="col">{ format!("Verdict at {threshold}") }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <ul class="compare-sentences">{ for sentences }{ for notes }</ul>
            { if g.workload_differs.is_empty() { html!{} } else { html!{
                <div class="workload-differs">
                    <p><strong>{ "Not compared, workload differs from the baseline's:" }</strong></p>
                    <ul>
                        { for g.workload_differs.iter().map(|w| html!{
                            <li data-machine={w.machine.clone()}>{ w.machine.clone() }{ ": " }
                                { w.differences.join("; ") }</li>
                        }) }
                    </ul>
                </div>
            } } }
            <div class="charts">{ for g.charts(baseline).iter().map(figure) }</div>
        </div>
    }
}

/// The Compare machines section.
#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let state = &props.state;
    let FileDrop {
        dragging,
        on_pick,
        on_dragover,
        on_dragleave,
        on_drop,
    } = {
        let on_edit = props.on_edit.clone();
        use_file_drop(Callback::from(move |files| {
            add_files(files, on_edit.clone())
        }))
    };
    let on_clear = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_| on_edit.emit(CompareEdit::Clear))
    };
    let on_baseline = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(id) = value.parse::<u64>() {
                on_edit.emit(CompareEdit::Baseline(id));
            }
        })
    };
    let on_threshold = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            on_edit.emit(CompareEdit::Threshold(value));
        })
    };
    let file_items = state.files.iter().map(|f| {
        let on_edit = props.on_edit.clone();
        let id = f.id;
        let remove = Callback::from(move |_| on_edit.emit(CompareEdit::Remove(id)));
        let (class, body) = match f.status() {
            FileStatus::Loaded { machine, detail, check } => (
                "loaded",
                html! { <>
                    <span class="file-machine">{ machine.to_string() }</span>
                    <span class="muted">{ format!(" · {detail}") }</span>
                    { file_check(check) }
                </> },
            ),
            FileStatus::Refused(message) => (
                "refused",
                html! { <span class="file-error" role="alert">{ format!("Not loaded: {message}") }</span> },
            ),
            FileStatus::Checking => (
                "checking",
                html! { <span class="muted">{ "checking in the worker…" }</span> },
            ),
        };
        html! {
            <li class={classes!("compare-file", class)} data-status={class} data-file={f.name.clone()}>
                <span class="file-name">{ f.name.clone() }</span>{ " " }
                { body }
                <button class="link remove" onclick={remove}
                    aria-label={format!("remove {}", f.name)}>{ "Remove" }</button>
            </li>
        }
    });
    let choices = state.machine_choices();
    let chosen = state.baseline.or_else(|| state.answered_baseline());
    let threshold_error = state.threshold_error();
    let view = state.view.clone();
    let baseline_name = view
        .as_ref()
        .and_then(|v| v.baseline_file)
        .and_then(|b| {
            view.as_ref()?
                .machines
                .iter()
                .find(|m| m.file == b)
                .map(|m| m.name.clone())
        })
        .unwrap_or_default();
    let download = {
        let cb = props.on_download.clone();
        let report = view.as_ref().and_then(|v| v.report_markdown.clone());
        Callback::from(move |_| {
            if let Some(md) = &report {
                let name = comparison_file_name(now_utc().as_deref());
                cb.emit((name, "text/markdown;charset=utf-8", Rc::new(md.clone())));
            }
        })
    };
    let status = if state.waiting && props.running {
        html! { <p id="compare-waits" class="warning">{ "The comparison waits for the benchmark run \
        to finish: the worker runs one thing at a time, and a comparison during a run would \
        disturb its timing." }</p> }
    } else if state.waiting {
        html! { <p id="compare-pending" class="muted">{ "Comparing in the worker (Welch's and \
        Mann-Whitney's tests and a 10,000-resample bootstrap per machine and run)…" }</p> }
    } else {
        html! {}
    };
    let results = match &view {
        None => html! {},
        Some(v) => html! {
            <div id="compare-results" class={classes!(state.waiting.then_some("stale"))}>
                { v.note.as_ref().map_or_else(|| html!{}, |n| html!{ <p id="compare-note">{ n.clone() }</p> }) }
                { if v.summary.is_empty() { html!{} } else { html!{
                    <div id="compare-summary" class="subsection">
                        <h3>{ "Summary" }</h3>
                        { for v.summary.iter().map(|s| html!{ <p>{ s.clone() }</p> }) }
                    </div>
                } } }
                { if v.not_compared.is_empty() { html!{} } else { html!{
                    <div id="compare-not-compared" class="subsection workload-differs">
                        <h3>{ "Different workloads: what to align" }</h3>
                        <ul>
                            { for v.not_compared.iter().map(|w| html!{
                                <li data-machine={w.machine.clone()}>
                                    <strong>{ w.machine.clone() }</strong>
                                    <ul>{ for w.differences.iter().map(|d| html!{ <li class="difference">{ d.clone() }</li> }) }</ul>
                                </li>
                            }) }
                        </ul>
                    </div>
                } } }
                { if v.report_markdown.is_some() { html!{
                    <div class="buttons">
                        <button id="download-comparison" onclick={download}>
                            { "Download comparison report (.md)" }</button>
                    </div>
                } } else { html!{} } }
                { for v.groups.iter().map(|g| group_block(v, g, &baseline_name)) }
            </div>
        },
    };
    html! {
        <section id="compare" aria-labelledby="compare-title">
            <h2 id="compare-title">{ "Compare machines" }</h2>
            <p class="muted">{ "Load result files (.json) or reports (.md, which embed their result) \
                from several machines: each file is checked on its own, and a bad one is listed \
                with why while the others load. Every machine is compared with the baseline you \
                choose, on the runs whose workload matches. This is also the regression check: \
                load a saved baseline result and the current one, pick the baseline, and set a \
                threshold; a change is a REGRESSION or an IMPROVEMENT only when it is both \
                statistically significant and beyond the threshold." }</p>
            <div class="compare-inputs">
                <label id="compare-drop" for="compare-files"
                    class={classes!("dropzone", dragging.then_some("dragging"))}
                    ondragover={on_dragover.clone()} ondragenter={on_dragover} ondragleave={on_dragleave}
                    ondrop={on_drop}>
                    <span>{ "Choose files, or drop them here: results (.json) or reports (.md), \
                        up to 512 MiB each" }</span>
                    <input id="compare-files" type="file" multiple=true
                        accept=".json,.md,application/json,text/markdown" onchange={on_pick} />
                </label>
                <p class="muted">{ "Results saved in this browser can be added from Saved results below." }</p>
                { if state.files.is_empty() { html!{
                    <p id="compare-empty" class="muted">{ "No file added yet." }</p>
                } } else { html!{
                    <>
                        <ul id="compare-file-list">{ for file_items }</ul>
                        <button id="compare-clear" onclick={on_clear}>{ "Remove all files" }</button>
                    </>
                } } }
                <div class="compare-settings">
                    <div class="field">
                        <label for="compare-baseline">{ "Baseline machine" }</label>
                        <select id="compare-baseline" onchange={on_baseline} disabled={choices.is_empty()}>
                            { for choices.iter().map(|(id, name)| html!{
                                <option value={id.to_string()} selected={chosen == Some(*id)}>{ name.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="compare-threshold">{ "Threshold (%)" }</label>
                        <input id="compare-threshold" type="text" inputmode="decimal"
                            value={state.threshold.clone()} oninput={on_threshold}
                            aria-invalid={threshold_error.is_some().to_string()}
                            aria-describedby="compare-threshold-error" />
                        { threshold_error.map_or_else(|| html!{}, |m| html!{
                            <p class="field-error" id="compare-threshold-error" role="alert">{ m }</p>
                        }) }
                    </div>
                </div>
            </div>
            { status }
            { results }
        </section>
    }
}
