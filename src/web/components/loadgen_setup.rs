//! The Setup section's LoadGen fieldset: the system under test (the model, or a synthetic
//! one typed as `null`, `fixed:1ms`, `lognormal:50us,0.3`) and the user.conf files (a file
//! picker; the table below says what each line set, or why the files were refused).

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::loadgen::user_conf::ConfSource;
use crate::view::compare_state::FileContent;
use crate::view::form::{Field, FormCheck, FormEdit, SetupForm};
use crate::web::files::{files_of, read_files};

/// Properties of [`LoadgenFieldset`].
#[derive(Properties, Clone, PartialEq)]
pub struct LoadgenProps {
    /// The form as filled in.
    pub form: Rc<SetupForm>,
    /// Its validation.
    pub check: Rc<FormCheck>,
    /// Whether the form is read-only (a run is going on).
    pub disabled: bool,
    /// Called with each edit.
    pub on_edit: Callback<FormEdit>,
}

/// The fieldset.
#[function_component(LoadgenFieldset)]
pub fn loadgen_fieldset(props: &LoadgenProps) -> Html {
    let LoadgenProps {
        form,
        check,
        disabled,
        on_edit,
    } = props.clone();
    let unread = use_state(|| None::<String>);
    let sut_input = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit(FormEdit::Sut(input.value()));
        })
    };
    let pick = {
        let on_edit = on_edit.clone();
        let unread = unread.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = files_of(input.files());
            input.set_value("");
            if files.is_empty() {
                return;
            }
            let on_edit = on_edit.clone();
            let unread = unread.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut sources = Vec::new();
                let mut problems = Vec::new();
                for (name, content) in read_files(files).await {
                    match content {
                        FileContent::Text(text) => sources.push(ConfSource {
                            name,
                            text: text.to_string(),
                        }),
                        FileContent::Unread(why) => problems.push(format!("{name}: {why}")),
                        // Files picked from disk are read as text, never a saved result.
                        FileContent::Saved(_) => {
                            problems.push(format!("{name}: not a file read from disk"))
                        }
                    }
                }
                unread.set((!problems.is_empty()).then(|| problems.join("; ")));
                if problems.is_empty() {
                    on_edit.emit(FormEdit::UserConf(sources));
                }
            });
        })
    };
    let clear = {
        let on_edit = on_edit.clone();
        let unread = unread.clone();
        Callback::from(move |_| {
            unread.set(None);
            on_edit.emit(FormEdit::UserConf(Vec::new()));
        })
    };
    let error = |field: Field| match form.shown_error(&check, field) {
        Some(message) => html! {
            <p class="field-error" id={format!("{}-error", field.id())} role="alert">{ message }</p>
        },
        None => html! {},
    };
    let names: Vec<String> = form.user_conf.iter().map(|s| s.name.clone()).collect();
    let rows = check.user_conf.iter().map(|r| {
        html! {
            <tr class={if r.applied { "conf-applied" } else { "conf-ignored" }}>
                <td>{ format!("{} {}", r.file, r.line) }</td>
                <td><code>{ r.text.clone() }</code></td>
                <td>{ r.effect.clone() }</td>
            </tr>
        }
    });
    html! {
        <fieldset id="field-loadgen" class="field wide">
            <legend>{ "LoadGen: system under test and user.conf" }</legend>
            <div class="inline-field">
                <label for="field-sut">{ "System under test " }</label>
                <input id="field-sut" type="text" placeholder="empty: the model"
                    title="null, fixed:50us, or lognormal:MEAN,SIGMA (e.g. lognormal:50us,0.3): a \
                           synthetic system that spins on the clock in place of the model"
                    value={form.sut.clone()} {disabled} oninput={sut_input}
                    aria-invalid={form.shown_error(&check, Field::Sut).is_some().to_string()}
                    aria-describedby="field-sut-error" />
                <p class="field-note">{ "A synthetic system (null, fixed:1ms, lognormal:50us,0.3) \
                    replaces the model: no training, no accuracy mode, one variant slot." }</p>
                { error(Field::Sut) }
            </div>
            <div class="inline-field">
                <label for="field-user-conf">{ "user.conf " }</label>
                <input id="field-user-conf" type="file" accept=".conf,.txt,text/plain" multiple=true
                    {disabled} onchange={pick} aria-describedby="field-user-conf-error" />
                { if names.is_empty() { html!{} } else { html!{
                    <>
                        <span class="muted">{ format!(" applied in order: {}", names.join(", ")) }</span>
                        <button id="clear-user-conf" {disabled} onclick={clear}>{ "Remove" }</button>
                    </>
                } } }
                <p class="field-note">{ "LoadGen's MODEL.SCENARIO.KEY = VALUE lines (MODEL: * or the \
                    model preset), applied on top of the table below; later files override earlier ones." }</p>
                { (*unread).clone().map_or_else(|| html!{}, |m| html!{
                    <p class="field-error" role="alert">{ format!("Not read: {m}") }</p>
                }) }
                { error(Field::UserConf) }
            </div>
            { if check.user_conf.is_empty() { html!{} } else { html!{
                <div class="table-scroll">
                    <table id="user-conf-lines" class="conf-lines">
                        <thead><tr><th scope="col">{ "Line" }</th><th scope="col">{ "Text" }</th>
                            <th scope="col">{ "What it did" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            } } }
        </fieldset>
    }
}
