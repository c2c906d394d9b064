//! The Report section: the Markdown report as plain text (escaped by Yew, never injected as
//! HTML) and the downloads of the report (.md) and the result (.json).

use std::rc::Rc;

use yew::prelude::*;

use crate::results::BenchResult;
use crate::view::files::{report_file_name, result_file_name};
use crate::view::protocol::DownloadKind;
use crate::view::report::ReportPreview;
use crate::view::state::Pending;

/// Properties of [`ReportPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct ReportProps {
    /// The result.
    pub result: Rc<BenchResult>,
    /// Its report's preview, when the worker has rendered it.
    pub report: Pending<Rc<ReportPreview>>,
    /// Called with what to download (the worker prepares the file).
    pub on_download: Callback<DownloadKind>,
}

/// The Report section.
#[function_component(ReportPanel)]
pub fn report_panel(props: &ReportProps) -> Html {
    let preview = match &props.report {
        Pending::Ready(p) => Some(p.clone()),
        _ => None,
    };
    let md_name = report_file_name(&props.result);
    let json_name = result_file_name(&props.result);
    let download_md = {
        let cb = props.on_download.clone();
        Callback::from(move |_| cb.emit(DownloadKind::Report))
    };
    let download_json = {
        let cb = props.on_download.clone();
        Callback::from(move |_| cb.emit(DownloadKind::Result))
    };
    let ready = matches!(props.report, Pending::Ready(_));
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
            <h2 id="report-title">{ "Report" }</h2>
            <div class="buttons">
                <button id="download-report" disabled={!ready} onclick={download_md}
                    title={md_name.clone()}>{ format!("Download report ({md_name})") }</button>
                <button id="download-json" onclick={download_json}
                    title={json_name.clone()}>{ format!("Download result ({json_name})") }</button>
            </div>
            { body }
        </section>
    }
}
