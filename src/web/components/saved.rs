//! The Saved results section: the results kept in this browser, newest first; click one to
//! view it, add it to the machine comparison, or clear them all.

use yew::prelude::*;

use crate::view::storage::{SavedIndex, StorageUsage};

/// Properties of [`SavedPanel`].
#[derive(Properties, Clone, PartialEq)]
pub struct SavedProps {
    /// The saved results.
    pub saved: SavedIndex,
    /// The key of the result shown, if it is a saved one.
    pub shown: Option<String>,
    /// How much of the browser's storage the page uses, when known.
    pub usage: Option<StorageUsage>,
    /// Whether the browser granted persistent storage, when known.
    pub persisted: Option<bool>,
    /// Called with a key to view that result.
    pub on_view: Callback<String>,
    /// Called to remove every saved result.
    pub on_clear: Callback<()>,
    /// Called with a key to add that result to the "Compare machines" section.
    pub on_compare: Callback<String>,
}

/// The Saved results section.
#[function_component(SavedPanel)]
pub fn saved_panel(props: &SavedProps) -> Html {
    let on_clear = {
        let cb = props.on_clear.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let items = props.saved.entries.iter().map(|e| {
        let key = e.key.clone();
        let on_view = props.on_view.clone();
        let onclick = Callback::from(move |_| on_view.emit(key.clone()));
        let key = e.key.clone();
        let on_compare = props.on_compare.clone();
        let add = Callback::from(move |_| on_compare.emit(key.clone()));
        let current = props.shown.as_deref() == Some(e.key.as_str());
        html! {
            <li class={classes!("saved-entry", current.then_some("current"))}>
                <button class="link" {onclick} aria-current={current.then_some("true")}>
                    { e.machine_label.clone() }</button>
                <span class="muted">{ format!(" · {}", e.description()) }</span>
                { " " }
                <button class="link add-to-comparison" onclick={add}
                    title="Add this result to Compare machines">{ "add to comparison" }</button>
            </li>
        }
    });
    html! {
        <section id="saved" aria-labelledby="saved-title">
            <h2 id="saved-title">{ "Saved results" }</h2>
            { if props.saved.entries.is_empty() {
                html!{ <p class="muted" id="saved-empty">{ "No result is saved in this browser yet: \
                    completed runs are kept here, across reloads, until you clear them." }</p> }
            } else {
                html!{
                    <>
                        <ol id="saved-list">{ for items }</ol>
                        { props.usage.map_or_else(|| html!{}, |u| html!{
                            <p class="muted" id="storage-usage"
                                data-used={u.used_bytes.to_string()} data-quota={u.quota_bytes.to_string()}>
                                { u.description(props.persisted) }</p>
                        }) }
                        <button id="clear-saved" onclick={on_clear}>{ "Clear saved results" }</button>
                    </>
                }
            } }
        </section>
    }
}
