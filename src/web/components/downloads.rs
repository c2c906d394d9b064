//! The downloads of a result, next to its summary: the Markdown report and the result file
//! (.json), named after the label and the date. The worker, which holds the result and its
//! report, prepares each file and hands its bytes over (the page writes no JSON).

use std::rc::Rc;

use yew::prelude::*;

use crate::results::BenchResult;
use crate::view::files::{report_file_name, result_file_name};
use crate::view::protocol::DownloadKind;
use crate::view::report::ReportPreview;
use crate::view::state::Pending;

/// Properties of [`Downloads`].
#[derive(Properties, Clone, PartialEq)]
pub struct DownloadsProps {
    /// The result.
    pub result: Rc<BenchResult>,
    /// Its report's preview, when the worker has rendered the report.
    pub report: Pending<Rc<ReportPreview>>,
    /// Called with what to download (the worker prepares the file).
    pub on_download: Callback<DownloadKind>,
}

/// The two download buttons.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
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
    html! {
        <div class="buttons downloads">
            <button id="download-report" disabled={!ready} onclick={download_md} title={md_name.clone()}>
                { if ready { "Download the report (.md)" } else { "Report: rendering…" } }</button>
            <button id="download-json" disabled={!ready} onclick={download_json} title={json_name.clone()}>
                { "Download the result (.json)" }</button>
        </div>
    }
}
