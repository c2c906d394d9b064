//! The downloads of a result, next to its summary: the Markdown report and the result file
//! (.json), named after the label and the date, and each performance run's MLPerf LoadGen
//! summary log. The worker, which holds the result and its report, prepares each file and
//! hands its bytes over (the page writes no JSON and sorts no latencies).

use std::rc::Rc;

use yew::prelude::*;

use crate::view::protocol::DownloadKind;
use crate::view::report::ReportPreview;
use crate::view::result_page::ResultPage;
use crate::view::state::Pending;

/// Properties of [`Downloads`] (the result's page compared by identity, see
/// [`super::same::Same`]).
#[derive(Properties, Clone)]
pub struct DownloadsProps {
    /// The result's page (its file names and runs).
    pub page: Rc<ResultPage>,
    /// Its report's preview, when the worker has rendered the report.
    pub report: Pending<Rc<ReportPreview>>,
    /// Called with what to download (the worker prepares the file).
    pub on_download: Callback<DownloadKind>,
}

impl PartialEq for DownloadsProps {
    fn eq(&self, other: &Self) -> bool {
        super::same::same(&self.page, &other.page)
            && self.report == other.report
            && self.on_download == other.on_download
    }
}

/// The download buttons: the report, the result, and one summary log per performance run.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let md_name = props.page.report_file.clone();
    let json_name = props.page.result_file.clone();
    let download_md = {
        let cb = props.on_download.clone();
        Callback::from(move |_| cb.emit(DownloadKind::Report))
    };
    let download_json = {
        let cb = props.on_download.clone();
        Callback::from(move |_| cb.emit(DownloadKind::Result))
    };
    let ready = matches!(props.report, Pending::Ready(_));
    let summaries = props.page.summary_downloads.iter().map(|d| {
        let cb = props.on_download.clone();
        let what = DownloadKind::MlperfSummary {
            variant_index: d.run.variant_index,
            run_index: d.run.run_index,
        };
        // Written by the worker when asked for: a long run's sort costs a moment.
        let onclick = Callback::from(move |_| cb.emit(what));
        html! {
            <button class="download-summary" title={d.file_name.clone()} {onclick}>{ d.label.clone() }</button>
        }
    });
    html! {
        <>
            <div class="buttons downloads">
                <button id="download-report" disabled={!ready} onclick={download_md} title={md_name.clone()}>
                    { if ready { "Download the report (.md)" } else { "Report: rendering…" } }</button>
                <button id="download-json" disabled={!ready} onclick={download_json} title={json_name.clone()}>
                    { "Download the result (.json)" }</button>
            </div>
            <div class="buttons" id="mlperf-summaries">
                <span class="muted">{ "MLPerf LoadGen summary logs (mlperf_log_summary.txt): " }</span>
                { for summaries }
            </div>
        </>
    }
}
