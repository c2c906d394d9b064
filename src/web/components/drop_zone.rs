//! A file picker inside a drop zone, as the Compare machines and "Your model" sections use it:
//! [`use_file_drop`] gives the `<input type="file">`'s change handler and the zone's drag and
//! drop handlers, each passing the files to one callback.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::web::files::files_of;

/// The handlers of a file picker and its drop zone.
pub struct FileDrop {
    /// Whether files are being dragged over the zone (for its `dragging` class).
    pub dragging: bool,
    /// The input's `onchange`.
    pub on_pick: Callback<Event>,
    /// The zone's `ondragover` and `ondragenter`.
    pub on_dragover: Callback<DragEvent>,
    /// The zone's `ondragleave`.
    pub on_dragleave: Callback<DragEvent>,
    /// The zone's `ondrop`.
    pub on_drop: Callback<DragEvent>,
}

/// The handlers that pass the picked or dropped files to `on_files`.
#[hook]
pub fn use_file_drop(on_files: Callback<Vec<web_sys::File>>) -> FileDrop {
    let dragging = use_state(|| false);
    let on_pick = {
        let on_files = on_files.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let files = files_of(input.files());
            // Picking the same file again must fire `change` again.
            input.set_value("");
            on_files.emit(files);
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            on_files.emit(files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    FileDrop {
        dragging: *dragging,
        on_pick,
        on_dragover,
        on_dragleave,
        on_drop,
    }
}
