//! Downloads a file: a text the page generated (a comparison report), or bytes the worker
//! prepared (a report, a result file), which go into the Blob without entering the page's
//! memory.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` for download as `file_name` with the MIME type `mime`
/// (e.g. `text/markdown;charset=utf-8`): a Blob, an object URL, a hidden `<a download>`
/// clicked once, then the URL revoked.
///
/// # Errors
///
/// Returns the browser's exception if the Blob, the URL or the link cannot be created.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    download_parts(
        file_name,
        mime,
        &js_sys::Array::of1(&JsValue::from_str(text)),
    )
}

/// Offers `bytes` (a typed array the worker transferred) for download as `file_name`.
///
/// # Errors
///
/// As [`download_text`].
pub fn download_bytes(
    file_name: &str,
    mime: &str,
    bytes: &js_sys::Uint8Array,
) -> Result<(), JsValue> {
    download_parts(file_name, mime, &js_sys::Array::of1(bytes))
}

fn download_parts(file_name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options)
        .or_else(|_| web_sys::Blob::new_with_str_sequence_and_options(parts, &options))?;
    let url = ObjectUrl::new(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document to attach the download link to"))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(url.as_str());
    link.set_download(file_name);
    link.set_hidden(true);
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("the page has no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    Ok(())
}

/// An object URL revoked when dropped (gloo's `ObjectUrl` shape).
struct ObjectUrl(String);

impl ObjectUrl {
    fn new(blob: &web_sys::Blob) -> Result<Self, JsValue> {
        web_sys::Url::create_object_url_with_blob(blob).map(Self)
    }

    fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        // Revoking after click() is safe: the download has already taken the Blob.
        let _ = web_sys::Url::revoke_object_url(&self.0);
    }
}
