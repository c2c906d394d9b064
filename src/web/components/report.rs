//! The Report section: the Markdown report as plain text (escaped by Yew, never injected as
//! HTML) and the downloads of the report (.md) and the result (.json).

use std::rc::Rc;

use yew::prelude::*;

use crate::report::mlperf_log::summary_of;
use crate::results::BenchResult;
use crate::view::files::{report_file_name, result_file_name};
use crate::view::report::{report_preview, summary_downloads};
use crate::view::state::Pending;

/// Properties of [`ReportPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct ReportProps {
    /// The result.
    pub result: Rc<BenchResult>,
    /// Its report, when the worker has rendered it.
    pub report: Pending<Rc<String>>,
    /// Called with (file name, MIME type, text) to download.
    pub on_download: Callback<(String, &'static str, Rc<String>)>,
}

/// The Report section.
#[function_component(ReportPanel)]
pub fn report_panel(props: &ReportProps) -> Html {
    let preview = use_memo(props.report.clone(), |r| match r {
        Pending::Ready(md) => Some(report_preview(md)),
        _ => None,
    });
    let md_name = report_file_name(&props.result);
    let json_name = result_file_name(&props.result);
    let download_md = {
        let cb = props.on_download.clone();
        let report = props.report.clone();
        let name = md_name.clone();
        Callback::from(move |_| {
            if let Pending::Ready(md) = &report {
                cb.emit((name.clone(), "text/markdown;charset=utf-8", md.clone()));
            }
        })
    };
    let download_json = {
        let cb = props.on_download.clone();
        let result = props.result.clone();
        let name = json_name.clone();
        Callback::from(move |_| {
            let json = crate::results::io::to_json(&result);
            cb.emit((name.clone(), "application/json", Rc::new(json)));
        })
    };
    let ready = matches!(props.report, Pending::Ready(_));
    let summaries = summary_downloads(&props.result).into_iter().map(|d| {
        let cb = props.on_download.clone();
        let result = props.result.clone();
        let name = d.file_name.clone();
        // Written when asked for: a long run's sort costs a moment.
        let onclick = Callback::from(move |_| {
            if let Some(text) = summary_of(&result, &d.run) {
                cb.emit((name.clone(), "text/plain;charset=utf-8", Rc::new(text)));
            }
        });
        html! {
            <button class="download-summary" title={d.file_name.clone()} {onclick}>{ d.label.clone() }</button>
        }
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
            <h2 id="report-title">{ "Report" }</h2>
            <div class="buttons">
                <button id="download-report" disabled={!ready} onclick={download_md}
                    title={md_name.clone()}>{ format!("Download report ({md_name})") }</button>
                <button id="download-json" onclick={download_json}
                    title={json_name.clone()}>{ format!("Download result ({json_name})") }</button>
            </div>
            <div class="buttons" id="mlperf-summaries">
                <span class="muted">{ "MLPerf LoadGen summary logs (mlperf_log_summary.txt): " }</span>
                { for summaries }
            </div>
            { body }
        </section>
    }
}
