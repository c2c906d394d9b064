//! Browser tests in a page (wasm32 only): the `performance.now()` clock, a short run of each
//! scenario giving a VALID result, the page's components rendering a real result, the
//! machine comparison rendering its rows and a bad file's error, storage (IndexedDB, the move from localStorage) and downloads. Run with `wasm-pack test --headless --chrome -- --test web`.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use std::rc::Rc;
use std::time::Duration;

use browser_support::{short_plan, short_settings, RecordingControl};
use inferbench::bench::sut::ClassifierSut;
use inferbench::bench::BenchSession;
use inferbench::loadgen::clock::{measure_resolution, Clock};
use inferbench::loadgen::runner::Runner;
use inferbench::loadgen::settings::Scenario;
use inferbench::loadgen::validity::InvalidReason;
use inferbench::loadgen::{run_to_completion, spin_until};
use inferbench::model::dataset::embedded_digits;
use inferbench::model::split::{split_dataset, DEFAULT_SPLIT_SEED};
use inferbench::model::variant::build;
use inferbench::model::{Mlp, ModelPreset, Variant};
use inferbench::results::io::{read_checked, REPORT_JSON_MARKER};
use inferbench::results::BenchResult;
use inferbench::stats::CompareConfig;
use inferbench::verify::{verify, Outcome, Retrain};
use inferbench::view::compare::compare_sources;
use inferbench::view::compare_state::{CompareEdit, CompareState, FileContent};
use inferbench::view::form::{Field, FormEdit, SetupForm};
use inferbench::view::protocol::{CompareSource, WorkerRequest};
use inferbench::view::report::report_preview;
use inferbench::view::result_page::ResultPage;
use inferbench::view::state::Pending;
use inferbench::view::storage::{pack, unpack, SavedEntry, SavedIndex, INDEX_KEY};
use inferbench::view::variants::variant_table;
use inferbench::view::verdict::verdict_panel;
use inferbench::web::clock::{cross_origin_isolated, PerformanceClock};
use inferbench::web::components::compare::{ComparePanel, CompareProps};
use inferbench::web::components::downloads::{Downloads, DownloadsProps};
use inferbench::web::components::report::{ReportPanel, ReportProps};
use inferbench::web::components::results::{ResultsPanel, ResultsProps};
use inferbench::web::components::setup::{SetupPanel, SetupProps};
use inferbench::web::drive::{drive, DriveSettings};
use inferbench::web::env::browser_environment;
use inferbench::web::idb::{is_quota_error, message, usage};
use inferbench::web::storage::{legacy_entries, remove_legacy, SavedResults};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element appended to the page's body.
fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits (polling every 10 ms, at most `limit`) until `done` holds; returns whether it did.
async fn wait_for(limit: Duration, done: impl Fn() -> bool) -> bool {
    let step = Duration::from_millis(10);
    let mut waited = Duration::ZERO;
    while !done() {
        if waited >= limit {
            return false;
        }
        yew::platform::time::sleep(step).await;
        waited += step;
    }
    true
}

fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
fn performance_clock_reads_a_monotonic_time() {
    let clock = PerformanceClock::new().expect("a page has performance.now()");
    let a = clock.now();
    let b = clock.now();
    assert!(b >= a);
}

#[wasm_bindgen_test]
fn timer_resolution_is_measured_and_isolation_gives_fine_ticks() {
    let clock = PerformanceClock::new().expect("a page has performance.now()");
    let r = measure_resolution(&clock, 200_000);
    let ms = r
        .resolution_ms
        .expect("performance.now() moves over 200,000 reads");
    assert!(ms > 0.0 && ms <= 1.0, "resolution {ms} ms");
    // The test runner serves its page cross-origin isolated (COOP/COEP): Chromium then
    // ticks at 5 us, where an unisolated page would see 100 us.
    assert!(cross_origin_isolated());
    assert!(ms < 0.05, "isolated page but {ms} ms resolution");
}

#[wasm_bindgen_test]
fn each_scenario_runs_in_the_page_and_is_valid() {
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 200_000);
    let data = embedded_digits().unwrap();
    let split = split_dataset(&data, 0.2, DEFAULT_SPLIT_SEED).unwrap();
    // Untrained weights cost the same time as trained ones: f32-naive on the large model
    // takes ~0.6 ms a sample, over 100 ticks of the isolated timer (VALID on any machine up
    // to several times faster than this one).
    let model = Mlp::initialised(ModelPreset::Large.layer_sizes(), 7).unwrap();
    let mut sut = ClassifierSut::new(build(Variant::F32Naive, &model), split.test.clone());
    for scenario in Scenario::ALL {
        let runner = Runner::new(short_settings(scenario), split.test.len())
            .unwrap()
            .with_timer_resolution(timer);
        let run = run_to_completion(runner, &clock, &mut sut, |t| spin_until(&clock, t));
        if let Some(l) = run.latency {
            web_sys::console::log_1(
                &format!(
                    "{scenario}: {} queries, p50 {} ms, p90 {} ms, max {} ms",
                    run.query_count, l.p50_ms, l.p90_ms, l.max_ms
                )
                .into(),
            );
        }
        // A Server run on a machine busy with other work may miss its latency bound (the
        // speed of the machine, not a fault of the page); any other reason is a fault.
        let load_only = |r: &InvalidReason| {
            matches!(
                r,
                InvalidReason::LatencyBoundExceeded { .. }
                    | InvalidReason::EarlyStoppingNeedsMoreQueries { .. }
            )
        };
        assert!(
            run.is_valid()
                || (scenario == Scenario::Server && run.validity.reasons.iter().all(load_only)),
            "{scenario}: {:?}",
            run.validity
                .reasons
                .iter()
                .map(|r| r.explanation())
                .collect::<Vec<_>>()
        );
        assert!(run.metric.is_some());
    }
}

/// A real result of `variants` in `scenarios`, driven as the worker drives it.
async fn fixture_result(
    label: &str,
    variants: Vec<Variant>,
    scenarios: &[Scenario],
) -> BenchResult {
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 100_000);
    let plan = short_plan(label, variants, scenarios);
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer);
    drive(
        &mut session,
        &clock,
        &mut RecordingControl::default(),
        DriveSettings::default(),
    )
    .await
    .unwrap();
    session.finish(
        browser_environment(timer, cross_origin_isolated()),
        Some("2026-11-23T14:05:09Z".into()),
    )
}

/// `result`'s page as the page gets it from the worker: its JSON without the charts'
/// columns, decoded, and the columns put back.
fn crossed_page(result: &BenchResult) -> Rc<ResultPage> {
    let mut page = ResultPage::of(result);
    let columns = page.take_columns();
    let json = serde_json::to_string(&page).unwrap();
    let mut page: ResultPage = serde_json::from_str(&json).unwrap();
    page.fill_columns(columns).unwrap();
    Rc::new(page)
}

#[wasm_bindgen_test]
async fn results_report_and_setup_render_a_real_result() {
    let result = Rc::new(
        fixture_result(
            "Lab <b>3</b>",
            vec![Variant::F32Naive, Variant::Int8],
            &Scenario::ALL,
        )
        .await,
    );
    assert_eq!(result.variants.len(), 2);

    // Results: the summary and the cards; the scenarios' charts once their sections are
    // opened; then the verdict and the speedup chart once it is there.
    let root = mount_point();
    let page = crossed_page(&result);
    let props = ResultsProps {
        page: page.clone(),
        variants: page.variants.clone().map(Rc::new),
        verdict: Pending::Waiting,
        saved: false,
        report: Pending::Waiting,
        on_download: Callback::noop(),
    };
    yew::Renderer::<ResultsPanel>::with_root_and_props(root.clone(), props).render();
    assert!(
        wait_for(Duration::from_secs(5), || count(&root, ".card[data-valid]")
            == 8)
        .await
    );
    assert_eq!(count(&root, ".card.variant"), 2);
    assert_eq!(count(&root, "#verdict-pending"), 1);
    assert_eq!(count(&root, "#summary .summary-line[data-valid]"), 8);
    // Folded: no scenario's chart is on the page yet, and no chart is drawn.
    assert_eq!(count(&root, ".scenario-block canvas.chart"), 0);
    assert_eq!(
        count(&root, "canvas[data-drawn]"),
        0,
        "folded: nothing drawn yet"
    );
    // The JSON is offered once the report (which embeds it) is there.
    let json = root.query_selector("#download-json").unwrap().unwrap();
    assert!(json.has_attribute("disabled"));
    let blocks = root.query_selector_all("details").unwrap();
    for i in 0..blocks.length() {
        let details: web_sys::HtmlDetailsElement = blocks.item(i).unwrap().dyn_into().unwrap();
        details.set_open(true);
    }
    // 4 CDFs, 8 histograms, 2 Server timelines, Offline throughput, Pareto.
    assert!(
        wait_for(Duration::from_secs(5), || count(&root, "canvas.chart")
            == 16)
        .await,
        "charts on the page: {}",
        count(&root, "canvas.chart")
    );
    let charts = count(&root, "canvas.chart");
    // Each chart has its numbers as a table (its text alternative).
    let canvases = root.query_selector_all("canvas.chart").unwrap();
    for i in 0..canvases.length() {
        let c: web_sys::Element = canvases.item(i).unwrap().dyn_into().unwrap();
        let described = c.get_attribute("aria-describedby").expect("described");
        let numbers = root
            .query_selector(&format!("#{described} tbody tr"))
            .unwrap();
        assert!(numbers.is_some(), "{described} has rows");
    }
    assert!(
        wait_for(Duration::from_secs(10), || count(
            &root,
            "canvas[data-drawn]"
        ) == charts)
        .await,
        "every chart drawn"
    );
    let canvas: web_sys::HtmlCanvasElement = root
        .query_selector("#chart-cdf-server canvas")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let blank: web_sys::HtmlCanvasElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    blank.set_width(canvas.width());
    blank.set_height(canvas.height());
    assert!(canvas.width() > 0 && canvas.height() > 0);
    assert_ne!(
        canvas.to_data_url().unwrap(),
        blank.to_data_url().unwrap(),
        "the canvas has pixels"
    );
    // The label is text: Yew escapes it.
    let title = root.query_selector("#results-title").unwrap().unwrap();
    assert_eq!(title.text_content().unwrap(), "Results: Lab <b>3</b>");
    assert_eq!(title.query_selector("b").unwrap(), None);

    let config = CompareConfig {
        resamples: 500,
        ..CompareConfig::default()
    };
    let panel = verdict_panel(&result, &config);
    assert_eq!(panel.rows.len(), 4, "{:?}", panel.problems);
    let root = mount_point();
    let props = ResultsProps {
        page: page.clone(),
        variants: variant_table(&result, Some(&panel)).map(Rc::new),
        verdict: Pending::Ready(Rc::new(panel)),
        saved: true,
        report: Pending::Waiting,
        on_download: Callback::noop(),
    };
    yew::Renderer::<ResultsPanel>::with_root_and_props(root.clone(), props).render();
    assert!(wait_for(Duration::from_secs(5), || count(&root, ".verdict-row") == 4).await);
    let sentence = root
        .query_selector(".verdict-row .verdict-sentence")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        sentence.contains("int8") && sentence.contains("f32-naive"),
        "{sentence}"
    );
    assert_eq!(count(&root, "#chart-speedup canvas"), 1);

    // Report: the preview is text, without the embedded JSON.
    let markdown = format!(
        "# Report of <b>lab</b>\n\nText.\n\n{REPORT_JSON_MARKER}\n```json\n{{\"x\": 1}}\n```\n"
    );
    let root = mount_point();
    let props = ReportProps {
        report: Pending::Ready(Rc::new(report_preview(&markdown))),
    };
    yew::Renderer::<ReportPanel>::with_root_and_props(root.clone(), props).render();
    assert!(
        wait_for(Duration::from_secs(2), || count(&root, "#report-preview")
            == 1)
        .await
    );
    let pre = root.query_selector("#report-preview").unwrap().unwrap();
    assert_eq!(
        pre.text_content().unwrap(),
        "# Report of <b>lab</b>\n\nText."
    );
    assert_eq!(pre.query_selector("b").unwrap(), None);
    // The downloads, named after the label and the date, once the report is there.
    let root = mount_point();
    let props = DownloadsProps {
        page: page.clone(),
        report: Pending::Ready(Rc::new(report_preview(&markdown))),
        on_download: Callback::noop(),
    };
    yew::Renderer::<Downloads>::with_root_and_props(root.clone(), props).render();
    assert!(
        wait_for(Duration::from_secs(2), || count(&root, "#download-report")
            == 1)
        .await
    );
    let button = root.query_selector("#download-report").unwrap().unwrap();
    assert_eq!(
        button.get_attribute("title").as_deref(),
        Some("inferbench-lab-b-3-b-2026-11-23.md")
    );
    let json = root.query_selector("#download-json").unwrap().unwrap();
    assert!(
        !json.has_attribute("disabled"),
        "the worker prepares the JSON once the report is there"
    );
    // One MLPerf summary log per performance run, next to them.
    let summaries = inferbench::view::report::summary_downloads(&result);
    assert!(!summaries.is_empty());
    assert_eq!(count(&root, ".download-summary") as usize, summaries.len());
    let first = root.query_selector(".download-summary").unwrap().unwrap();
    assert!(first
        .get_attribute("title")
        .unwrap_or_default()
        .ends_with("-mlperf_log_summary.txt"));
}

/// Renders the Setup panel of `form` with `check` into a new mount point.
fn render_setup(form: &SetupForm, check: inferbench::view::form::FormCheck) -> web_sys::Element {
    let root = mount_point();
    let props = SetupProps {
        form: Rc::new(form.clone()),
        check: Rc::new(check),
        running: false,
        on_edit: Callback::noop(),
        on_run: Callback::noop(),
        on_model_files: Callback::noop(),
    };
    yew::Renderer::<SetupPanel>::with_root_and_props(root.clone(), props).render();
    root
}

#[wasm_bindgen_test]
async fn setup_shows_messages_next_to_fields_and_disables_run() {
    let mut form = SetupForm::new(inferbench::plan::PlanPreset::Quick);
    // The LoadGen table is rendered only while Advanced is open, as it is when it is edited.
    form.apply(FormEdit::Advanced(true));
    form.apply(FormEdit::Param(
        Scenario::Server,
        inferbench::view::form::Param::TargetQps,
        "fast".into(),
    ));
    let check = form.check(359);
    let root = render_setup(&form, check);
    assert!(wait_for(Duration::from_secs(2), || count(&root, "#run") == 1).await);
    let run = root.query_selector("#run").unwrap().unwrap();
    assert!(run.has_attribute("disabled"));
    // The edited field shows its message; the untouched label does not, but the line next
    // to Run names it.
    let qps = Field::Param(Scenario::Server, inferbench::view::form::Param::TargetQps);
    assert!(
        root.query_selector(&format!("#{}-error", qps.id()))
            .unwrap()
            .is_some(),
        "no message at the edited field"
    );
    assert!(root
        .query_selector(&format!("#{}-error", Field::Label.id()))
        .unwrap()
        .is_none());
    let hint = root
        .query_selector("#plan-summary")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(hint.starts_with("To run, fix Machine label: "), "{hint}");
    let input = root
        .query_selector("#field-server-target-qps")
        .unwrap()
        .unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));

    form.apply(FormEdit::Label("Lab 3".into()));
    form.apply(FormEdit::Param(
        Scenario::Server,
        inferbench::view::form::Param::TargetQps,
        "150".into(),
    ));
    let root = render_setup(&form, form.check(359));
    assert!(wait_for(Duration::from_secs(2), || count(&root, "#run") == 1).await);
    assert!(!root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .has_attribute("disabled"));
    assert_eq!(count(&root, ".field-error"), 0);
}

#[wasm_bindgen_test]
async fn setup_lists_what_each_user_conf_line_did_and_refused_lines() {
    use inferbench::loadgen::user_conf::ConfSource;
    let mut form = SetupForm::new(inferbench::plan::PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    // The system and user.conf pickers are rendered only while Advanced is open.
    form.apply(FormEdit::Advanced(true));
    form.apply(FormEdit::Sut("fixed:1ms".into()));
    form.apply(FormEdit::UserConf(vec![ConfSource {
        name: "user.conf".into(),
        text: "*.Server.target_qps = 500\nresnet50.*.min_duration = 1\n".into(),
    }]));
    let check = form.check(359);
    assert!(check.plan.is_some(), "{:?}", check.errors);
    let root = render_setup(&form, check);
    assert!(
        wait_for(Duration::from_secs(2), || count(
            &root,
            "#user-conf-lines tr"
        ) == 3)
        .await
    );
    let applied = root.query_selector(".conf-applied").unwrap().unwrap();
    assert!(applied.text_content().unwrap().contains("set for Server"));
    let ignored = root.query_selector(".conf-ignored").unwrap().unwrap();
    assert!(ignored.text_content().unwrap().contains("resnet50"));
    let summary = root.query_selector("#plan-summary").unwrap().unwrap();
    assert!(summary
        .text_content()
        .unwrap()
        .contains("synthetic system fixed:1ms"));

    // A refused line: its number and reason next to the picker, and no run.
    form.apply(FormEdit::UserConf(vec![ConfSource {
        name: "bad.conf".into(),
        text: "*.Server.target_qps=500\n".into(),
    }]));
    let root = render_setup(&form, form.check(359));
    assert!(
        wait_for(Duration::from_secs(2), || count(
            &root,
            "#field-user-conf-error"
        ) == 1)
        .await
    );
    let error = root
        .query_selector("#field-user-conf-error")
        .unwrap()
        .unwrap();
    assert!(error.text_content().unwrap().contains("bad.conf line 1"));
    assert!(root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn setup_describes_an_imported_model_and_shows_refusals_as_text() {
    use inferbench::model::import::import_safetensors;
    let imported = import_safetensors(
        include_bytes!("fixtures/byom/sequential-mlp.safetensors"),
        "sequential-mlp.safetensors",
    )
    .unwrap();
    let mut form = SetupForm::new(inferbench::plan::PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    form.apply(FormEdit::ModelFileReading {
        id: 1,
        file_name: "sequential-mlp.safetensors".into(),
    });
    let reading = form.check(359);
    assert!(reading.plan.is_none(), "Run waits for the description");
    form.model_file_read(1, Ok(imported.info.clone()));
    let check = form.check(359);
    let plan = check.plan.clone().expect("runnable");
    assert_eq!(plan.model_file.as_ref(), Some(&imported.info));
    let root = render_setup(&form, check);
    assert!(
        wait_for(Duration::from_secs(2), || count(
            &root,
            "#model-file-description"
        ) == 1)
        .await
    );
    let text = root
        .query_selector("#model-file-description")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    for fact in [
        "64-32-10",
        "2,410",
        "9,640",
        "4,736",
        imported.info.fingerprint.as_str(),
    ] {
        assert!(text.contains(fact), "{fact} missing from {text}");
    }
    assert!(!root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .has_attribute("disabled"));

    // A refused file: the message (with markup from the file) is text, not elements.
    let hostile = include_bytes!("fixtures/byom/bad/hostile-name.safetensors");
    let message = import_safetensors(hostile, "x").unwrap_err().to_string();
    form.apply(FormEdit::ModelFileRefused {
        file_name: "<b>x</b>.safetensors".into(),
        message,
    });
    let root = render_setup(&form, form.check(359));
    assert!(
        wait_for(Duration::from_secs(2), || count(
            &root,
            "#field-model-file-error"
        ) == 1)
        .await
    );
    let error = root
        .query_selector("#field-model-file-error")
        .unwrap()
        .unwrap();
    assert!(error
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    assert_eq!(error.query_selector("img").unwrap(), None);
    assert_eq!(error.query_selector("b").unwrap(), None);
    assert!(root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn the_compare_panel_renders_rows_and_a_bad_files_error_as_text() {
    let text = |t: &str| FileContent::Text(Rc::new(t.to_string()));
    let mut state = CompareState::default();
    let mut next = 0;
    state.apply(
        CompareEdit::Add(vec![
            (
                "alice-laptop.json".into(),
                text(include_str!("fixtures/compare/alice-laptop.json")),
            ),
            ("<b>broken</b>.json".into(), text("{\"schema\": <b>x</b>")),
            (
                "bob-desktop.json".into(),
                text(include_str!("fixtures/compare/bob-desktop.json")),
            ),
        ]),
        &mut || {
            next += 1;
            next
        },
    );
    let Some(WorkerRequest::Compare {
        id,
        files,
        baseline,
        threshold,
    }) = state.request()
    else {
        panic!("three files give a request");
    };
    let config = CompareConfig {
        resamples: 200,
        ..CompareConfig::default()
    };
    let sources: Vec<(String, Result<String, String>)> = files
        .into_iter()
        .map(|(name, source)| match source {
            CompareSource::Text(t) => (name, Ok(t)),
            CompareSource::Saved(key) => panic!("no saved result was added ({key})"),
        })
        .collect();
    state.answered(id, compare_sources(&sources, baseline, threshold, &config));
    let root = mount_point();
    let props = CompareProps {
        state,
        running: false,
        on_edit: Callback::noop(),
        on_download: Callback::noop(),
    };
    yew::Renderer::<ComparePanel>::with_root_and_props(root.clone(), props).render();
    // Two variants x three scenarios, two machines each.
    assert!(
        wait_for(Duration::from_secs(5), || count(&root, ".compare-row")
            == 12)
        .await
    );
    assert_eq!(count(&root, ".compare-file"), 3);
    assert_eq!(count(&root, ".compare-file.loaded"), 2);
    let bad = root
        .query_selector(".compare-file.refused")
        .unwrap()
        .expect("the broken file is listed");
    let bad_text = bad.text_content().unwrap();
    assert!(
        bad_text.starts_with("<b>broken</b>.json Not loaded: not a result file"),
        "{bad_text}"
    );
    assert_eq!(
        bad.query_selector("b").unwrap(),
        None,
        "names are text, never HTML"
    );
    assert_eq!(count(&root, ".verdict-badge.improvement"), 6);
    // Both fixtures, written natively, check out here: the tiny model retrained in
    // WebAssembly has their fingerprint and accuracy.
    assert_eq!(count(&root, ".file-check[data-check=\"checks out\"]"), 2);
    assert_eq!(count(&root, "#download-comparison"), 1);
    let row = root
        .query_selector(
            "#compare-f32-naive-singlestream .compare-row[data-machine=\"Bob's desktop\"]",
        )
        .unwrap()
        .expect("Bob's row");
    assert_eq!(
        row.get_attribute("data-verdict").as_deref(),
        Some("IMPROVEMENT")
    );
    // A speedup chart and a CDF per group, drawn.
    assert_eq!(count(&root, "canvas.chart"), 12);
    assert!(
        wait_for(Duration::from_secs(10), || count(
            &root,
            "canvas[data-drawn]"
        ) == 12)
        .await,
        "every chart drawn"
    );
}

#[wasm_bindgen_test]
async fn a_browser_result_checks_out_retrained_and_on_its_timer_grid() {
    let result = fixture_result(
        "verify test",
        vec![Variant::F32Naive],
        &[Scenario::SingleStream, Scenario::Offline],
    )
    .await;
    // Read back in the browser, every derived value rebuilds to what the run computed.
    let checked = read_checked(&pack(&result)).unwrap();
    assert!(checked.is_consistent(), "{:?}", checked.mismatches);
    assert_eq!(checked.result, result);
    let v = verify(&checked, Retrain::Always);
    assert!(v.passed(), "{}", v.verdict());
    // Chromium coarsens performance.now() (5 or 100 µs), so the grid is checked: every
    // service time the worker's clock read is a whole number of ticks.
    let timer = v.checks.iter().find(|c| c.name == "timer").unwrap();
    assert_eq!(timer.outcome, Outcome::Passed, "{}", timer.detail);
    let model = v.checks.iter().find(|c| c.name == "model").unwrap();
    assert_eq!(model.outcome, Outcome::Passed, "{}", model.detail);
}

#[wasm_bindgen_test]
async fn results_are_saved_restored_and_cleared_in_indexed_db() {
    let result = fixture_result("storage test", vec![Variant::Int8], &[Scenario::Server]).await;
    let packed = pack(&result);
    let storage = SavedResults::open()
        .await
        .expect("the test page has IndexedDB");
    storage.clear().await.unwrap();
    let (index, key) = storage.save(&result, &packed, None).await.unwrap();
    assert_eq!(index.entries.len(), 1);
    assert_eq!(storage.index().await.unwrap(), index);
    // A second connection (as after a reload) reads the same result back.
    let reopened = SavedResults::open().await.unwrap();
    let restored = unpack(&reopened.load(&key).await.unwrap()).unwrap();
    assert_eq!(restored, result);
    assert!(storage.clear().await.unwrap().entries.is_empty());
    assert!(storage.index().await.unwrap().entries.is_empty());
    assert!(storage.load(&key).await.is_err());
}

#[wasm_bindgen_test]
async fn local_storage_results_move_to_indexed_db() {
    let result = fixture_result("legacy test", vec![Variant::Int8], &[Scenario::Offline]).await;
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.clear().unwrap();
    // An earlier version's localStorage: one result and its index.
    let mut index = SavedIndex::default();
    let key = index.new_key(&result);
    let packed = pack(&result);
    index.add(SavedEntry::of(&result, &key, packed.len()));
    local.set_item(&key, &packed).unwrap();
    local.set_item(INDEX_KEY, &index.to_text()).unwrap();
    local.set_item("unrelated", "kept").unwrap();
    let legacy = legacy_entries();
    assert_eq!(legacy.len(), 2, "the result and its index, nothing else");

    let storage = SavedResults::open().await.unwrap();
    storage.clear().await.unwrap();
    let (moved, problems) = storage.migrate(&legacy).await;
    assert_eq!((moved, problems), (1, Vec::<String>::new()));
    let moved_index = storage.index().await.unwrap();
    assert_eq!(moved_index.entries.len(), 1);
    assert_eq!(
        moved_index.entries[0].key, key,
        "a moved result keeps its key"
    );
    assert_eq!(unpack(&storage.load(&key).await.unwrap()).unwrap(), result);

    let keys: Vec<String> = legacy.into_iter().map(|(k, _)| k).collect();
    remove_legacy(&keys).unwrap();
    assert!(legacy_entries().is_empty());
    assert_eq!(
        local.get_item("unrelated").unwrap().as_deref(),
        Some("kept")
    );
    local.clear().unwrap();
    storage.clear().await.unwrap();

    // A damaged entry is reported, not moved, and not lost from localStorage by the move.
    let (moved, problems) = storage
        .migrate(&[(key.clone(), "{\"schema\": 1".into())])
        .await;
    assert_eq!(moved, 0);
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[wasm_bindgen_test]
async fn a_quota_error_is_recognised_and_the_usage_is_read() {
    let quota =
        web_sys::DomException::new_with_message_and_name("no room", "QuotaExceededError").unwrap();
    assert!(is_quota_error(&quota.into()));
    let other =
        web_sys::DomException::new_with_message_and_name("no", "InvalidStateError").unwrap();
    assert!(!is_quota_error(&other.clone().into()));
    assert_eq!(message(&other.into()), "InvalidStateError: no");
    // Chromium answers navigator.storage.estimate() in a page.
    let usage = usage()
        .await
        .expect("the test page's browser tells its storage usage");
    assert!(
        usage.quota_bytes > 0.0 && usage.used_bytes >= 0.0,
        "{usage:?}"
    );
}

#[wasm_bindgen_test]
async fn app_renders_name_resolution_and_isolation() {
    let root = mount_point();
    yew::Renderer::<inferbench::web::app::App>::with_root(root.clone()).render();
    assert!(
        wait_for(Duration::from_secs(5), || count(&root, "#timer-resolution")
            == 1)
        .await
    );
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("InferBench"), "rendered: {text}");
    let ms: f64 = root
        .query_selector("#timer-resolution")
        .unwrap()
        .unwrap()
        .get_attribute("data-ms")
        .expect("a measured value")
        .parse()
        .unwrap();
    assert!(ms > 0.0);
    let isolation = root.query_selector("#isolation").unwrap().unwrap();
    assert_eq!(
        isolation.get_attribute("data-isolated").as_deref(),
        Some("true")
    );
    for section in ["#setup", "#run-panel", "#results", "#compare", "#saved"] {
        assert_eq!(count(&root, section), 1, "{section}");
    }
    // A default label from the browser: Run works at once, and no field shows an error.
    let label: web_sys::HtmlInputElement = root
        .query_selector("#field-label")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let agent = web_sys::window().unwrap().navigator().user_agent().unwrap();
    let browser = if agent.contains("Firefox") {
        "Firefox"
    } else {
        "Chrome"
    };
    assert!(
        label.value().contains(browser),
        "{} ({agent})",
        label.value()
    );
    assert!(!root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .has_attribute("disabled"));
    assert_eq!(count(&root, ".field-error"), 0);
}

#[wasm_bindgen_test]
fn a_download_is_offered_without_error() {
    inferbench::web::download::download_text("t.json", "application/json", "{}")
        .expect("the download link is created and clicked");
}
