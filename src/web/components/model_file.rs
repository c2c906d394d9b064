//! "Your model" in Setup: a file picker and a drop zone for a `.safetensors` MLP, then the
//! model's description (from the worker, which read the file) before Run, or why the file
//! was refused. Everything from the file is rendered as text, never as HTML.

use yew::prelude::*;

use super::drop_zone::{use_file_drop, FileDrop};
use crate::view::form::ModelFileState;
use crate::view::model::ModelFileView;

/// Properties of [`ModelFilePanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct ModelFileProps {
    /// The file's state in the form.
    pub state: ModelFileState,
    /// The message next to the field (reading, or why refused).
    pub error: Option<String>,
    /// Whether a run is going on.
    pub disabled: bool,
    /// Called with the files picked or dropped.
    pub on_files: Callback<Vec<web_sys::File>>,
    /// Called to put the file away and benchmark the preset again.
    pub on_clear: Callback<()>,
}

/// The "Your model" fieldset.
#[function_component(ModelFilePanel)]
pub fn model_file_panel(props: &ModelFileProps) -> Html {
    let FileDrop {
        dragging,
        on_pick,
        on_dragover,
        on_dragleave,
        on_drop,
    } = {
        let on_files = props.on_files.clone();
        let disabled = props.disabled;
        use_file_drop(Callback::from(move |files| {
            if !disabled {
                on_files.emit(files);
            }
        }))
    };
    let clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_| on_clear.emit(()))
    };
    let clear_button = html! {
        <button id="model-file-clear" class="link" disabled={props.disabled} onclick={clear}>
            { "Use the preset instead" }</button>
    };
    let body = match &props.state {
        ModelFileState::None => html! {
            <p class="muted">{ "Benchmark your own MLP instead of the preset: a .safetensors file \
                saved from PyTorch (nn.Sequential) or NumPy, dense layers with ReLU between them, \
                up to 64 MiB (see the README)." }</p>
        },
        ModelFileState::Reading { .. } => html! {},
        ModelFileState::Loaded(info) => {
            let view = ModelFileView::of(info);
            html! {
                <div id="model-file-description">
                    <dl class="model-facts">
                        { for view.rows.iter().map(|(k, v)| html!{
                            <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></>
                        }) }
                    </dl>
                    <p id="model-file-inputs">{ view.inputs_note.clone() }</p>
                    { clear_button.clone() }
                </div>
            }
        }
        ModelFileState::Refused { .. } => clear_button.clone(),
    };
    let error = props.error.as_ref().map_or_else(
        || html! {},
        |m| html! { <p class="field-error" id="field-model-file-error" role="alert">{ m.clone() }</p> },
    );
    html! {
        <fieldset id="field-model-file" class="field wide" aria-describedby="field-model-file-error">
            <legend>{ "Your model (optional)" }</legend>
            <label id="model-file-drop" for="model-file-input"
                class={classes!("dropzone", dragging.then_some("dragging"))}
                ondragover={on_dragover.clone()} ondragenter={on_dragover} ondragleave={on_dragleave}
                ondrop={on_drop}>
                <span>{ "Choose a .safetensors file, or drop it here" }</span>
                <input id="model-file-input" type="file" accept=".safetensors"
                    disabled={props.disabled} onchange={on_pick} />
            </label>
            { error }
            { body }
        </fieldset>
    }
}
