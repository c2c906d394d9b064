//! The downloads of a result, next to its summary: the Markdown report and the result file
//! (.json, the JSON the report embeds), named after the label and the date, once the worker
//! has rendered the report.

use std::rc::Rc;

use yew::prelude::*;

use crate::results::io::embedded_json;
use crate::results::BenchResult;
use crate::view::files::{report_file_name, result_file_name};
use crate::view::state::Pending;

/// Properties of [`Downloads`].
#[derive(Properties, Clone, PartialEq)]
pub struct DownloadsProps {
    /// The result.
    pub result: Rc<BenchResult>,
    /// Its report, when the worker has rendered it.
    pub report: Pending<Rc<String>>,
    /// Called with (file name, MIME type, text) to download.
    pub on_download: Callback<(String, &'static str, Rc<String>)>,
}

/// The two download buttons.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
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
    let json = match &props.report {
        Pending::Ready(md) => embedded_json(md).map(|j| Rc::new(j.to_string())),
        _ => None,
    };
    let json_ready = json.is_some();
    let download_json = {
        let cb = props.on_download.clone();
        let name = json_name.clone();
        Callback::from(move |_| {
            if let Some(json) = &json {
                cb.emit((name.clone(), "application/json", json.clone()));
            }
        })
    };
    let ready = matches!(props.report, Pending::Ready(_));
    html! {
        <div class="buttons downloads">
            <button id="download-report" disabled={!ready} onclick={download_md} title={md_name.clone()}>
                { if ready { "Download the report (.md)" } else { "Report: rendering…" } }</button>
            <button id="download-json" disabled={!json_ready} onclick={download_json} title={json_name.clone()}>
                { "Download the result (.json)" }</button>
        </div>
    }
}
