//! Reads the files a user picks or drops for a comparison: a file larger than
//! [`MAX_FILE_BYTES`] is refused on its size, before a byte is read; the others are read as
//! text (`Blob.text()`, UTF-8). Every file gets an outcome; reading never fails as a whole.

use wasm_bindgen_futures::JsFuture;

use crate::view::compare::{too_large_message, MAX_FILE_BYTES};
use crate::view::compare_state::FileContent;

/// The files of a `FileList` (from an `<input type="file">` or a drop), in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads each of `files` in order: (name, content).
pub async fn read_files(files: Vec<web_sys::File>) -> Vec<(String, FileContent)> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let name = file.name();
        let size = file.size();
        let content = if size.is_nan() || size > MAX_FILE_BYTES as f64 {
            FileContent::Unread(too_large_message(size as u64))
        } else {
            match JsFuture::from(file.text()).await {
                Ok(text) => match text.as_string() {
                    Some(t) => FileContent::Text(std::rc::Rc::new(t)),
                    None => FileContent::Unread("the browser gave no text for this file".into()),
                },
                Err(e) => FileContent::Unread(format!(
                    "the browser could not read the file ({})",
                    e.as_string()
                        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
                        .unwrap_or_else(|| "no reason given".into())
                )),
            }
        };
        out.push((name, content));
    }
    out
}

/// The bytes of `file` (a model file, already checked against its size limit).
///
/// # Errors
///
/// A sentence when the browser cannot read the file.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
        format!(
            "the browser could not read the file ({})",
            e.as_string().unwrap_or_else(|| "no reason given".into())
        )
    })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
