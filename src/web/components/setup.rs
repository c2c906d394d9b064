//! The Setup section, in the order a first run needs: the presets, the machine label (a
//! default from the browser, editable), model, variants and scenarios, then Run with what the
//! plan will do; "Advanced" folds the seed, power draw, options, the per-scenario LoadGen
//! table and the A/B run. A field shows its message once edited; Run is disabled while
//! anything is invalid, and the line next to it says what.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::model_file::ModelFilePanel;
use crate::format::count;
use crate::loadgen::settings::Scenario;
use crate::model::{ModelPreset, Variant};
use crate::plan::PlanPreset;
use crate::view::form::{AbForm, Field, FormCheck, FormEdit, ModelFileState, Param, SetupForm};
use crate::web::components::loadgen_setup::LoadgenFieldset;

/// Properties of [`SetupPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct SetupProps {
    /// The form as filled in.
    pub form: Rc<SetupForm>,
    /// Its validation.
    pub check: Rc<FormCheck>,
    /// Whether a run is going on (the form is then read-only).
    pub running: bool,
    /// Called with each edit.
    pub on_edit: Callback<FormEdit>,
    /// Called when Run is pressed (only enabled with a valid plan).
    pub on_run: Callback<()>,
    /// Called with the model files picked or dropped in "Your model".
    pub on_model_files: Callback<Vec<web_sys::File>>,
}

/// The message next to `field`, once the user has edited it.
fn error_of(form: &SetupForm, check: &FormCheck, field: Field) -> Html {
    match form.shown_error(check, field) {
        Some(message) => html! {
            <p class="field-error" id={format!("{}-error", field.id())} role="alert">{ message }</p>
        },
        None => html! {},
    }
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// `navigator.hardwareConcurrency`, when the browser tells.
fn logical_cores() -> Option<u32> {
    let cores = web_sys::window()?.navigator().hardware_concurrency();
    (cores >= 1.0).then_some(cores as u32)
}

/// The placeholder of the Offline workers field: what an empty field means here.
fn offline_workers_hint() -> String {
    match logical_cores() {
        Some(n) => format!("empty: one per logical core ({n})"),
        None => "empty: one per logical core".to_string(),
    }
}

/// The Setup section.
#[function_component(SetupPanel)]
pub fn setup_panel(props: &SetupProps) -> Html {
    let SetupProps {
        form,
        check,
        running,
        on_edit,
        on_run,
        on_model_files,
    } = props.clone();
    let disabled = running;
    let edit = |make: fn(String) -> FormEdit| {
        let on_edit = on_edit.clone();
        Callback::from(move |e: InputEvent| on_edit.emit(make(input_value(&e))))
    };
    let invalid = |field: Field| form.shown_error(&check, field).is_some().to_string();
    let error_of = |field: Field| error_of(&form, &check, field);

    let presets = [
        (
            PlanPreset::Quick,
            "Quick",
            "a few seconds per scenario: a first look",
        ),
        (
            PlanPreset::Mlperf,
            "MLPerf rules",
            "LoadGen's official 10 minutes per scenario",
        ),
        (
            PlanPreset::Custom,
            "Custom",
            "your own LoadGen settings, under Advanced",
        ),
    ]
    .map(|(preset, name, note)| {
        let on_edit = on_edit.clone();
        let onchange = Callback::from(move |_: Event| on_edit.emit(FormEdit::Preset(preset)));
        html! {
            <label class="preset">
                <input type="radio" name="preset" id={format!("preset-{}", preset.as_str())}
                    value={preset.as_str()} checked={form.preset == preset} {disabled} {onchange} />
                <span class="choice-name">{ name }</span>
                <span class="choice-note">{ note }</span>
            </label>
        }
    });
    let on_advanced = {
        let on_edit = on_edit.clone();
        let open = form.advanced_open;
        Callback::from(move |e: Event| {
            let now = e
                .target_unchecked_into::<web_sys::HtmlDetailsElement>()
                .open();
            if now != open {
                on_edit.emit(FormEdit::Advanced(now));
            }
        })
    };
    let model = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            if let Ok(m) = select_value(&e).parse::<ModelPreset>() {
                on_edit.emit(FormEdit::Model(m));
            }
        })
    };
    let baseline = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = select_value(&e).parse::<Variant>() {
                on_edit.emit(FormEdit::Baseline(v));
            }
        })
    };
    // One of the form's labelled option checkboxes: checking it emits `make(checked)`.
    let option_box =
        |id: &'static str, on: bool, make: fn(bool) -> FormEdit, text: &'static str| {
            let on_edit = on_edit.clone();
            let onchange = Callback::from(move |e: Event| on_edit.emit(make(checked(&e))));
            html! {
                <label class="choice">
                    <input type="checkbox" {id} checked={on} {disabled} {onchange} />
                    <span>{ text }</span>
                </label>
            }
        };

    // One of Advanced's labelled text fields, with its message once edited.
    let text_field = |field: Field,
                      label: &'static str,
                      mode: &'static str,
                      placeholder: String,
                      title: Option<&'static str>,
                      value: &str,
                      make: fn(String) -> FormEdit| {
        let id = field.id();
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input id={id.clone()} type="text" inputmode={mode} {placeholder} {title}
                    value={value.to_string()} aria-invalid={invalid(field)}
                    aria-describedby={format!("{id}-error")} {disabled} oninput={edit(make)} />
                { error_of(field) }
            </div>
        }
    };

    let variant_boxes = Variant::ALL.iter().map(|&v| {
        let on_edit = on_edit.clone();
        let onchange = Callback::from(move |e: Event| on_edit.emit(FormEdit::Variant(v, checked(&e))));
        html! {
            <label class="choice" title={v.summary()}>
                <input type="checkbox" id={format!("variant-{v}")} checked={form.variants.contains(&v)}
                    {disabled} {onchange} />
                <span class="choice-name">{ v.as_str() }</span>
                <span class="choice-note">{ v.summary() }</span>
            </label>
        }
    });
    let scenario_boxes = Scenario::ALL.iter().map(|&s| {
        let on_edit = on_edit.clone();
        let onchange = Callback::from(move |e: Event| on_edit.emit(FormEdit::Scenario(s, checked(&e))));
        html! {
            <label class="choice">
                <input type="checkbox" id={format!("scenario-{}", s.to_string().to_ascii_lowercase())}
                    checked={form.scenarios.contains(&s)} {disabled} {onchange} />
                <span class="choice-name">{ s.to_string() }</span>
            </label>
        }
    });
    let param_rows = Param::ALL.iter().map(|&p| {
        let cells = Scenario::ALL.iter().map(|&s| {
            if !p.applies_to(s) {
                return html! { <td class="na" aria-label="not applicable">{ "–" }</td> };
            }
            let field = Field::Param(s, p);
            let on_edit = on_edit.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                on_edit.emit(FormEdit::Param(s, p, input_value(&e)))
            });
            let calibrated = p == Param::ExpectedQps && form.calibrate_offline;
            let off = disabled || !form.scenarios.contains(&s) || calibrated;
            html! {
                <td>
                    <input id={field.id()} class="param" inputmode="decimal" value={form.param(s, p).to_string()}
                        aria-invalid={invalid(field)} aria-describedby={format!("{}-error", field.id())}
                        aria-label={format!("{s} {}", p.label())} disabled={off} {oninput} />
                    { if calibrated { html!{ <p class="field-note">{ "measured before the run" }</p> } } else { html!{} } }
                    { error_of(field) }
                </td>
            }
        });
        html! {
            <tr>
                <th scope="row">{ p.label() }<br /><code>{ p.name() }</code></th>
                { for cells }
            </tr>
        }
    });
    let ab = &form.ab;
    let ab_off = disabled || !ab.enabled;
    let ab_variant = |pick: fn(Variant) -> FormEdit, current: Variant, id: &'static str| {
        let on_edit = on_edit.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Ok(v) = select_value(&e).parse::<Variant>() {
                on_edit.emit(pick(v));
            }
        });
        html! {
            <select {id} disabled={ab_off} {onchange}>
                { for Variant::ALL.iter().map(|&v| html!{
                    <option value={v.as_str()} selected={current == v}>{ v.as_str() }</option>
                }) }
            </select>
        }
    };
    let ab_scenario = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            let value = select_value(&e);
            if let Some(s) = AbForm::SCENARIOS.iter().find(|s| s.to_string() == value) {
                on_edit.emit(FormEdit::AbScenario(*s));
            }
        })
    };
    // Built only while Advanced is open (see below).
    let ab_fieldset = || {
        html! {
            <fieldset id="field-ab-test" class="field wide ab" aria-describedby="field-ab-test-error">
                <legend>{ "A/B run" }</legend>
                { option_box("option-ab", ab.enabled, FormEdit::AbEnabled,
                    "Interleave two variants query by query (a seeded traffic split), after the other tasks") }
                <div class="ab-fields">
                    <label class="inline" for="field-ab-a">{ "Variant A " }
                        { ab_variant(FormEdit::AbA, ab.a, "field-ab-a") }</label>
                    <label class="inline" for="field-ab-b">{ "Variant B " }
                        { ab_variant(FormEdit::AbB, ab.b, "field-ab-b") }</label>
                    <label class="inline" for="field-ab-scenario">{ "Scenario " }
                        <select id="field-ab-scenario" disabled={ab_off} onchange={ab_scenario}>
                            { for AbForm::SCENARIOS.iter().map(|&s| html!{
                                <option value={s.to_string()} selected={ab.scenario == s}>
                                    { if form.scenarios.contains(&s) { s.to_string() } else { format!("{s} (not ticked)") } }
                                </option>
                            }) }
                        </select>
                    </label>
                    <div class="inline-field">
                        <label for="field-ab-share">{ "Share of queries to B (%) " }</label>
                        <input id="field-ab-share" type="text" inputmode="decimal" class="short"
                            value={ab.share_percent.clone()} disabled={ab_off}
                            aria-invalid={invalid(Field::AbShare)} aria-describedby="field-ab-share-error"
                            oninput={edit(FormEdit::AbShare)} />
                        { error_of(Field::AbShare) }
                    </div>
                    <div class="inline-field">
                        <label for="field-ab-seed">{ "Assignment seed " }</label>
                        <input id="field-ab-seed" type="text" inputmode="numeric" class="short"
                            placeholder="empty: plan seed" value={ab.seed.clone()} disabled={ab_off}
                            aria-invalid={invalid(Field::AbSeed)} aria-describedby="field-ab-seed-error"
                            oninput={edit(FormEdit::AbSeed)} />
                        { error_of(Field::AbSeed) }
                    </div>
                </div>
                { error_of(Field::AbTest) }
            </fieldset>
        }
    };
    let run_disabled = running || check.plan.is_none();
    let onclick = {
        let on_run = on_run.clone();
        Callback::from(move |_| on_run.emit(()))
    };
    let model_options = ModelPreset::ALL.iter().map(|&m| {
        let d = m.description();
        html! {
            <option value={m.as_str()} selected={form.model == m}>
                { format!("{m}: {} ({} parameters)", d.layers_label(), count(d.parameters as u64)) }
            </option>
        }
    });
    let baseline_options = form.variants.iter().map(|&v| {
        html! { <option value={v.as_str()} selected={form.baseline == v}>{ v.as_str() }</option> }
    });

    html! {
        <section id="setup" aria-labelledby="setup-title">
            <h2 id="setup-title">{ "Setup" }</h2>
            <fieldset id="field-preset" class="presets">
                <legend>{ "Preset" }</legend>
                { for presets }
            </fieldset>
            <div class="setup-grid">
                <div class="field">
                    <label for="field-label">{ "Machine label" }</label>
                    <input id="field-label" type="text" placeholder="e.g. Alice's laptop" maxlength="80"
                        value={form.label.clone()} aria-invalid={invalid(Field::Label)}
                        aria-describedby="field-label-error field-label-note" {disabled}
                        oninput={edit(FormEdit::Label)} />
                    <p class="field-note" id="field-label-note">
                        { "From what the browser tells; edit it freely: it names your files" }</p>
                    { error_of(Field::Label) }
                </div>
                <div class="field">
                    <label for="field-model">{ "Model" }</label>
                    <select id="field-model" {disabled} onchange={model}>{ for model_options }</select>
                    { if matches!(form.model_file, ModelFileState::Loaded(_)) {
                        html!{ <p class="field-note">{ "not used: your model below is benchmarked" }</p> }
                    } else { html!{} } }
                    { error_of(Field::Model) }
                </div>
                <ModelFilePanel state={form.model_file.clone()} error={check.error(Field::ModelFile).map(str::to_string)}
                    {disabled} on_files={on_model_files}
                    on_clear={{ let on_edit = on_edit.clone(); Callback::from(move |()| on_edit.emit(FormEdit::ModelFileCleared)) }} />
                <fieldset id="field-variants" class="field wide" aria-describedby="field-variants-error">
                    <legend>{ "Variants (several at once)" }</legend>
                    { for variant_boxes }
                    { error_of(Field::Variants) }
                    <label class="inline" for="field-baseline">{ "Baseline of the comparisons: " }
                        <select id="field-baseline" {disabled} onchange={baseline}>{ for baseline_options }</select>
                    </label>
                </fieldset>
                <fieldset id="field-scenarios" class="field" aria-describedby="field-scenarios-error">
                    <legend>{ "Scenarios" }</legend>
                    { for scenario_boxes }
                    { error_of(Field::Scenarios) }
                </fieldset>
            </div>
            <div class="run-row">
                <button id="run" class="primary" disabled={run_disabled} {onclick}
                    aria-describedby="plan-summary">{ "Run" }</button>
                <p id="plan-summary" class="plan-summary" aria-live="polite">{ form.run_hint(&check) }</p>
            </div>
            <details id="advanced" class="advanced" open={form.advanced_open} ontoggle={on_advanced}>
                <summary>{ "Advanced: seed, power draw, options, A/B run, system under test and user.conf, LoadGen settings" }</summary>
                // Rendered only while open: the page's first render (and every render while
                // Advanced is folded) skips its 40-odd controls and the LoadGen table.
                if form.advanced_open { <>
                    <div class="setup-grid">
                        { text_field(Field::Seed, "Seed", "numeric", "empty: MLPerf's official seeds".into(),
                            None, &form.seed, FormEdit::Seed) }
                        { text_field(Field::Power, "Power draw (W)", "decimal", "optional: energy estimate".into(),
                            Some("The power the machine draws under load, in watts, for an energy estimate (never a measurement); empty for none"),
                            &form.power_watts, FormEdit::Power) }
                        { text_field(Field::OfflineWorkers, "Offline workers", "numeric", offline_workers_hint(),
                            Some("Web Workers that serve the Offline scenario's batches at once, each with its own copy of the model; empty for one per logical core"),
                            &form.offline_workers, FormEdit::OfflineWorkers) }
                        <fieldset id="field-options" class="field wide">
                            <legend>{ "Options" }</legend>
                            { option_box("option-accuracy", form.accuracy_mode, FormEdit::AccuracyMode,
                                "Accuracy mode (every test sample once)") }
                            { option_box("option-calibrate", form.calibrate_offline, FormEdit::CalibrateOffline,
                                "Size Offline by a 0.2 s throughput measurement") }
                            { option_box("field-peak-search", form.peak_search, FormEdit::PeakSearch,
                                "Search the peak Server QPS (many Server runs)") }
                            { error_of(Field::PeakSearch) }
                        </fieldset>
                        { ab_fieldset() }
                        <LoadgenFieldset form={form.clone()} check={check.clone()} {disabled}
                            on_edit={on_edit.clone()} />
                    </div>
                    <div class="params-box">
                        <h3 id="params-title">{ "Scenario settings (LoadGen's names)" }</h3>
                        <div class="table-scroll">
                            <table class="params" aria-labelledby="params-title">
                                <thead>
                                    <tr>
                                        <th scope="col">{ "Setting" }</th>
                                        { for Scenario::ALL.iter().map(|s| html!{ <th scope="col">{ s.to_string() }</th> }) }
                                    </tr>
                                </thead>
                                <tbody>{ for param_rows }</tbody>
                            </table>
                        </div>
                    </div>
                </> }
            </details>
        </section>
    }
}
