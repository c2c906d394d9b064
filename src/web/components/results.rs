//! The Results section. First the summary, readable in five seconds: per scenario each
//! variant's headline with its interval and VALID/INVALID, the verdict sentences, the overview
//! chart (speedups) and the downloads. Below, folded until opened: timing, the variants, per
//! scenario the cards and charts (drawn only once opened), the A/B run, the variant
//! comparison, the energy estimate, the comparison charts and the environment.

use std::rc::Rc;

use yew::prelude::*;

use super::downloads::Downloads;
use super::result_sections::{ab_section, energy_section, figure, variants_section, verdict_class};
use super::run::timer_facts;
use super::same::{same, Same};
use crate::loadgen::settings::Scenario;
use crate::view::cards::ScenarioCard;
use crate::view::charts::{ChartView, ScenarioCharts};
use crate::view::protocol::DownloadKind;
use crate::view::report::ReportPreview;
use crate::view::result_page::ResultPage;
use crate::view::state::Pending;
use crate::view::summary::{summary_view, SummaryView};
use crate::view::timing::timing_notes_summary;
use crate::view::variants::VariantTable;
use crate::view::verdict::VerdictPanel;

/// Properties of [`ResultsPanel`] (the page and the variant table compared by identity, see
/// [`Same`]).
#[derive(Properties, Clone)]
pub struct ResultsProps {
    /// What the worker computed of the result shown.
    pub page: Rc<ResultPage>,
    /// The variant comparison, with the verdict's intervals once the worker sent them.
    pub variants: Option<Rc<VariantTable>>,
    /// Its verdict panel, when the worker has computed it.
    pub verdict: Pending<Rc<VerdictPanel>>,
    /// Whether the result is saved in the browser.
    pub saved: bool,
    /// Its report's preview, when the worker has rendered it (downloaded from the summary).
    pub report: Pending<Rc<ReportPreview>>,
    /// Called with what to download (the worker prepares the file).
    pub on_download: Callback<DownloadKind>,
}

impl PartialEq for ResultsProps {
    fn eq(&self, other: &Self) -> bool {
        same(&self.page, &other.page)
            && self.variants.as_ref().map(Rc::as_ptr) == other.variants.as_ref().map(Rc::as_ptr)
            && self.verdict == other.verdict
            && self.saved == other.saved
            && self.report == other.report
            && self.on_download == other.on_download
    }
}

fn card(c: &ScenarioCard) -> Html {
    let status = if c.valid { "VALID" } else { "INVALID" };
    html! {
        <article class={classes!("card", if c.valid { "valid" } else { "invalid" })}
            data-valid={c.valid.to_string()} id={format!("card-{}-{}", c.scenario.to_string().to_ascii_lowercase(), c.variant)}>
            <header>
                <h4>{ c.variant.as_str() }</h4>
                <span class={classes!("badge", if c.valid { "ok" } else { "bad" })}>{ status }</span>
            </header>
            { c.timer_limited.as_ref().map_or_else(|| html!{}, |m| html!{
                <p class="timer-limited" title="Its latencies are under 20 timer ticks: each percentile is known only to the bound shown (see Timing)">{ m.clone() }</p>
            }) }
            <p class="headline-label">{ c.headline.label.clone() }</p>
            <p class="headline">{ c.headline.value.clone() }</p>
            { c.headline.ci.as_ref().map_or_else(|| html!{}, |ci| html!{ <p class="ci">{ ci }</p> }) }
            <p class="extent muted">{ c.extent.clone() }</p>
            <dl class="details">
                { for c.details.iter().map(|d| html!{
                    <>
                        <dt>{ d.label.clone() }</dt>
                        <dd>{ d.value.clone() }
                            { d.ci.as_ref().map_or_else(|| html!{}, |ci| html!{ <span class="ci">{ ci.clone() }</span> }) }
                        </dd>
                    </>
                }) }
            </dl>
            <p class="checks">
                { for c.checks.iter().map(|k| html!{
                    <span class={classes!("check", if k.passed { "ok" } else { "bad" })}>
                        { format!("{} {}", if k.passed { "✓" } else { "✗" }, k.name) }</span>
                }) }
            </p>
            { if c.reasons.is_empty() { html!{} } else { html!{
                <ul class="reasons">
                    { for c.reasons.iter().map(|r| html!{
                        <li><span>{ r.explanation.clone() }</span>{ " " }<em>{ r.recommendation.clone() }</em></li>
                    }) }
                </ul>
            } } }
        </article>
    }
}

/// The summary block: per scenario the headlines and verdicts, the overview chart, the
/// downloads.
fn summary_section(summary: &SummaryView, downloads: Html) -> Html {
    let verdict_status = match &summary.verdict {
        Pending::Waiting => html! {
            <p id="verdict-pending" class="muted">{ "Computing the verdict in the worker \
                (Welch's test and a 10,000-resample bootstrap per comparison)…" }</p>
        },
        Pending::Failed(message) => html! {
            <p class="error" role="alert">{ format!("The verdict could not be computed: {message}") }</p>
        },
        Pending::Ready(notes) => html! {
            <>
                { notes.note.as_ref().map_or_else(|| html!{}, |n| html!{ <p id="verdict-note">{ n }</p> }) }
                { for notes.problems.iter().map(|p| html!{ <p class="warning">{ p.clone() }</p> }) }
            </>
        },
    };
    let method = match &summary.verdict {
        Pending::Ready(notes) => html! {
            <details class="method muted"><summary>{ "How the verdicts are reached" }</summary>
                <p>{ notes.method.clone() }</p></details>
        },
        _ => html! {},
    };
    let blocks = summary.scenarios.iter().map(|s| {
        html! {
            <article class="summary-scenario" data-scenario={s.scenario.to_string()}>
                <h4>{ s.scenario.to_string() }<span class="muted">{ format!(" · {}", s.metric) }</span></h4>
                <ul class="summary-lines">
                    { for s.lines.iter().map(|l| html!{
                        <li class="summary-line" data-variant={l.variant.to_string()} data-valid={l.valid.to_string()}>
                            <span class="summary-variant">{ l.variant.as_str() }</span>
                            <span class="summary-value">{ l.value.clone() }</span>
                            <span class={classes!("badge", if l.valid { "ok" } else { "bad" })}>
                                { if l.valid { "VALID" } else { "INVALID" } }</span>
                            { l.ci.as_ref().map_or_else(|| html!{}, |ci| html!{ <span class="ci">{ ci.clone() }</span> }) }
                            { l.reason.as_ref().map_or_else(|| html!{}, |r| html!{ <span class="reason">{ r.clone() }</span> }) }
                            { l.timer_limited.as_ref().map_or_else(|| html!{}, |m| html!{ <span class="timer-limited">{ m.clone() }</span> }) }
                        </li>
                    }) }
                </ul>
                { for s.verdicts.iter().map(|v| html!{
                    <p class={classes!("verdict-row", verdict_class(v.kind))}
                        data-scenario={s.scenario.to_string()} data-candidate={v.candidate.to_string()}>
                        <span class="verdict-sentence">{ v.sentence.clone() }</span>
                        <span class="muted">{ format!(" · {}", v.samples) }</span>
                        { for v.caveats.iter().map(|c| html!{ <span class="caveat">{ c.clone() }</span> }) }
                    </p>
                }) }
            </article>
        }
    });
    html! {
        <div id="summary" class="summary">
            <div class="summary-head">
                <h3 id="summary-title">{ "Summary" }
                    <span class="muted">{ format!(" · {} of {} runs VALID", summary.valid_runs.0, summary.valid_runs.1) }</span></h3>
                { downloads }
            </div>
            { verdict_status }
            <div class="summary-grid">{ for blocks }</div>
            { summary.overview.as_ref().map_or_else(|| html!{}, |c| html!{ <div class="charts overview">{ figure(c) }</div> }) }
            { method }
        </div>
    }
}

/// Properties of [`ScenarioDetails`]: its charts are the page's `index`-th scenario's (the
/// page, whose charts hold every sample, compared by identity).
#[derive(Properties, Clone)]
struct ScenarioDetailsProps {
    scenario: Scenario,
    cards: Rc<Vec<ScenarioCard>>,
    page: Rc<ResultPage>,
    index: usize,
}

impl PartialEq for ScenarioDetailsProps {
    fn eq(&self, other: &Self) -> bool {
        self.scenario == other.scenario
            && self.cards == other.cards
            && same(&self.page, &other.page)
            && self.index == other.index
    }
}

/// One scenario's cards and charts, folded; its charts are put on the page (and drawn) only
/// once it is opened, so a results page costs nothing it does not show.
#[function_component(ScenarioDetails)]
fn scenario_details(props: &ScenarioDetailsProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            open.set(
                e.target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            );
        })
    };
    let valid = props.cards.iter().filter(|c| c.valid).count();
    let charts: &ScenarioCharts = &props.page.scenario_charts[props.index];
    html! {
        <details class="scenario-block" id={format!("results-{}", props.scenario.to_string().to_ascii_lowercase())}
            {ontoggle}>
            <summary><h3>{ format!("{}: cards and charts", props.scenario) }
                <span class="muted">{ format!(" · {valid} of {} VALID · {} charts", props.cards.len(), charts.charts.len()) }</span></h3></summary>
            <div class="cards">{ for props.cards.iter().map(card) }</div>
            { if *open { html!{ <div class="charts">{ for charts.charts.iter().map(figure) }</div> } } else { html!{} } }
        </details>
    }
}

/// The Results section.
#[function_component(ResultsPanel)]
pub fn results_panel(props: &ResultsProps) -> Html {
    let page = props.page.clone();
    let cards = &page.cards;
    let summary = use_memo((Same(page.clone()), props.verdict.clone()), |(p, v)| {
        summary_view(&p.0.cards, v)
    });
    let notes = &page.timing_notes;
    let pareto = page.comparisons.iter().find(|c| c.id == "chart-pareto");
    let other_charts: Vec<&ChartView> = page
        .comparisons
        .iter()
        .filter(|c| props.variants.is_none() || c.id != "chart-pareto")
        .collect();
    let timer = &page.timer;
    let scenario_blocks = page.scenario_charts.iter().enumerate().map(|(index, sc)| {
        let cards_of = cards
            .scenarios
            .iter()
            .find(|(s, _)| *s == sc.scenario)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        html! {
            <ScenarioDetails key={sc.scenario.to_string()} scenario={sc.scenario}
                cards={Rc::new(cards_of)} page={page.clone()} {index} />
        }
    });
    let downloads = html! {
        <Downloads page={page.clone()} report={props.report.clone()} on_download={props.on_download.clone()} />
    };
    html! {
        <section id="results" aria-labelledby="results-title">
            <h2 id="results-title">{ format!("Results: {}", page.machine_label) }</h2>
            <p class="muted">
                { page.subtitle.clone() }
                { if props.saved { " · saved in this browser" } else { " · not saved in this browser" } }
            </p>
            { cards.status_note.as_ref().map_or_else(|| html!{}, |n| html!{ <p id="status-note" class="warning">{ n.clone() }</p> }) }
            { summary_section(&summary, downloads) }
            { page.ab.as_ref().map_or_else(|| html!{}, ab_section) }
            <details class="subsection timing" id="timing" open={notes.iter().any(|n| n.invalid)}>
                <summary><h3>{ "Timing" }<span class="muted">{ format!(" · {} timer, {}{}",
                    timer.resolution, if timer.isolated == Some(true) { "isolated" } else { "not isolated" },
                    timing_notes_summary(notes)) }</span></h3></summary>
                { timer_facts(timer, "result-", "worker") }
                <p id="clock-check" data-dither={page.clock_dither.clone()}>
                    { page.clock_check.clone() }</p>
                { for notes.iter().map(|n| html!{
                    <div class={classes!("timing-note", if n.invalid { "timing-warning" } else { "timer-limited" })} role="note"
                        id={format!("timing-{}-{}", n.scenario.to_string().to_ascii_lowercase(), n.variant)}>
                        <p><strong>{ format!("{} {}: ", n.variant, n.scenario) }</strong>{ n.status.clone() }</p>
                        <p>{ "Each percentile is known to within 2 ticks: " }
                            { for n.bounds.iter().map(|b| html!{
                                <span class="bound">{ format!("{} {} {}", b.name, b.value, b.uncertainty) }</span>
                            }) }
                        </p>
                        { n.cross_check.as_ref().map_or_else(|| html!{}, |c| html!{
                            <p class="cross-check">{ c.clone() }</p>
                        }) }
                        { n.suggestion.as_ref().map_or_else(|| html!{}, |s| html!{ <p><em>{ s.clone() }</em></p> }) }
                    </div>
                }) }
            </details>
            <details class="subsection" id="variants">
                <summary><h3>{ "Variants: accuracy and size" }</h3></summary>
                <div class="cards">
                    { for cards.variants.iter().map(|v| html!{
                        <article class="card variant" id={format!("variant-card-{}", v.variant)}>
                            <header>
                                <h4>{ v.variant.as_str() }</h4>
                                { if v.baseline { html!{ <span class="badge">{ "baseline" }</span> } } else { html!{} } }
                            </header>
                            <p class="muted">{ v.summary.clone() }</p>
                            <dl class="details">
                                <dt>{ "top-1 accuracy" }</dt><dd>{ v.accuracy.clone() }</dd>
                                <dt>{ "model size" }</dt><dd>{ v.size.clone() }</dd>
                            </dl>
                        </article>
                    }) }
                </div>
            </details>
            { for scenario_blocks }
            { props.variants.as_ref().map_or_else(|| html!{}, |t| variants_section(t, pareto)) }
            { page.energy.as_ref().map_or_else(|| html!{}, energy_section) }
            { if other_charts.is_empty() { html!{} } else { html!{
                <details class="subsection" id="comparison-charts">
                    <summary><h3>{ "Comparisons" }</h3></summary>
                    <div class="charts">{ for other_charts.iter().map(|c| figure(c)) }</div>
                </details>
            } } }
            <details class="subsection" id="environment">
                <summary><h3>{ "Environment" }</h3></summary>
                <dl class="facts">
                    { for page.environment.iter().map(|r| html!{ <><dt>{ r.name.clone() }</dt><dd>{ r.value.clone() }</dd></> }) }
                </dl>
            </details>
        </section>
    }
}
