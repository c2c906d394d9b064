//! The Results section's folded parts that draw one view each: a chart's figure, the A/B
//! run, the variant comparison and the energy estimate.

use std::rc::Rc;

use yew::prelude::*;

use crate::stats::VerdictKind;
use crate::view::ab::AbPanel;
use crate::view::charts::ChartView;
use crate::view::energy::EnergyView;
use crate::view::variants::VariantTable;
use crate::web::chart::ChartFigure;

/// A chart with its reading guide and its numbers ([`ChartFigure`]).
pub(super) fn figure(view: &ChartView) -> Html {
    html! { <ChartFigure view={Rc::new(view.clone())} /> }
}

/// The A/B panel.
pub(super) fn ab_section(panel: &AbPanel) -> Html {
    html! {
        <div id="ab-panel" class="subsection">
            <h3>{ format!("A/B run: {}", panel.title) }</h3>
            <p id="ab-verdict" class={classes!("verdict-row", panel.kind.map(verdict_class))}>
                <span class="verdict-sentence">{ panel.verdict.clone() }</span></p>
            <p class="muted" id="ab-description">{ panel.description.clone() }</p>
            { if panel.arms.is_empty() { html!{} } else { html!{
                <div class="table-scroll">
                    <table class="ab-table">
                        <thead><tr>
                            <th scope="col">{ "Arm" }</th><th scope="col">{ "Queries" }</th>
                            <th scope="col">{ "Mean" }</th><th scope="col">{ "95% CI of the mean" }</th>
                            <th scope="col">{ "p50" }</th><th scope="col">{ "p90" }</th><th scope="col">{ "p99" }</th>
                        </tr></thead>
                        <tbody>
                            { for panel.arms.iter().map(|a| html!{
                                <tr class="ab-arm">
                                    <th scope="row">{ a.arm.clone() }</th>
                                    <td class="num">{ a.queries.clone() }</td>
                                    <td class="num">{ a.mean.clone() }</td>
                                    <td class="num">{ a.mean_ci.clone() }</td>
                                    <td class="num">{ a.p50.clone() }</td>
                                    <td class="num">{ a.p90.clone() }</td>
                                    <td class="num">{ a.p99.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            } } }
            { panel.chart.as_ref().map_or_else(|| html!{}, |c| html!{ <div class="charts">{ figure(c) }</div> }) }
        </div>
    }
}

/// The variant comparison table, with the Pareto chart next to it.
pub(super) fn variants_section(table: &VariantTable, pareto: Option<&ChartView>) -> Html {
    html! {
        <details id="variant-comparison" class="subsection">
            <summary><h3>{ format!("Variant comparison (against {})", table.baseline) }</h3></summary>
            <div class="table-scroll">
                <table class="variant-table">
                    <thead><tr>
                        <th scope="col">{ "Variant" }</th>
                        <th scope="col">{ "Speedup (SingleStream mean)" }</th>
                        <th scope="col">{ "Compression" }</th>
                        <th scope="col">{ "Accuracy delta" }</th>
                        <th scope="col">{ "Efficiency score" }</th>
                        <th scope="col">{ "Top-1, p90" }</th>
                        <th scope="col">{ "Pareto (accuracy vs p90)" }</th>
                    </tr></thead>
                    <tbody>
                        { for table.rows.iter().map(|r| html!{
                            <tr class="variant-row" data-variant={r.variant.to_string()}>
                                <th scope="row">{ r.variant.as_str() }</th>
                                <td class="num">{ r.speedup.clone() }
                                    { r.speedup_ci.as_ref().map_or_else(|| html!{}, |ci| html!{ <span class="ci">{ ci.clone() }</span> }) }</td>
                                <td class="num">{ r.compression.clone() }</td>
                                <td class="num">{ r.accuracy_delta.clone() }</td>
                                <td class="num">{ r.efficiency.clone() }</td>
                                <td class="num">{ r.position.clone() }</td>
                                <td class="pareto-status">{ r.pareto.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="method muted">{ table.method.clone() }</p>
            { for table.notes.iter().map(|n| html!{ <p class="warning">{ n.clone() }</p> }) }
            { pareto.map_or_else(|| html!{}, |c| html!{ <div class="charts">{ figure(c) }</div> }) }
        </details>
    }
}

/// The energy estimate: assumed watts times each variant's measured time per sample.
pub(super) fn energy_section(view: &EnergyView) -> Html {
    html! {
        <details id="energy-estimate" class="subsection">
            <summary><h3>{ "Energy per sample (an estimate, not a measurement)" }</h3></summary>
            <div class="table-scroll">
                <table class="variant-table">
                    <thead><tr>
                        <th scope="col">{ "Variant" }</th>
                        <th scope="col">{ "Measured time per sample" }</th>
                        <th scope="col">{ "From" }</th>
                        <th scope="col">{ "Estimated energy per sample" }</th>
                    </tr></thead>
                    <tbody>
                        { for view.rows.iter().map(|r| html!{
                            <tr>
                                <th scope="row">{ r.variant.clone() }</th>
                                <td class="num">{ r.time_per_sample.clone() }</td>
                                <td>{ r.basis.clone() }</td>
                                <td class="num">{ r.energy_per_sample.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="method muted">{ view.method.clone() }</p>
        </details>
    }
}

/// The CSS class of a verdict row.
pub(super) fn verdict_class(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Faster => "faster",
        VerdictKind::Slower => "slower",
        VerdictKind::WithinNoise => "noise",
        VerdictKind::NoSignificantDifference => "none",
    }
}
