//! The Report section: the Markdown report as plain text (escaped by Yew, never injected as
//! HTML), folded until opened; its download sits next to the results' summary
//! ([`super::downloads`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::view::report::report_preview;
use crate::view::state::Pending;

/// Properties of [`ReportPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct ReportProps {
    /// Its report, when the worker has rendered it.
    pub report: Pending<Rc<String>>,
}

/// The Report section.
#[function_component(ReportPanel)]
pub fn report_panel(props: &ReportProps) -> Html {
    let preview = use_memo(props.report.clone(), |r| match r {
        Pending::Ready(md) => Some(report_preview(md)),
        _ => None,
    });
    let body = match (&props.report, preview.as_ref()) {
        (Pending::Failed(message), _) => html! {
            <p class="error" role="alert">{ format!("The report could not be rendered: {message}") }</p>
        },
        (_, Some(p)) => html! {
            <>
                <pre id="report-preview" class="report">{ p.text.clone() }</pre>
                { p.omitted_chars.map_or_else(|| html!{}, |n| html!{
                    <p class="muted">{ format!("The downloaded report also embeds the full result as JSON \
                        ({:.1} MB, not shown here), so it can be imported again.", n as f64 / 1e6) }</p>
                }) }
            </>
        },
        _ => {
            html! { <p id="report-pending" class="muted">{ "Rendering the report in the worker…" }</p> }
        }
    };
    html! {
        <section id="report" aria-labelledby="report-title">
            <details>
                <summary><h2 id="report-title">{ "Report" }
                    <span class="muted">{ " · the Markdown report as text (its download is in the summary)" }</span></h2></summary>
                { body }
            </details>
        </section>
    }
}
