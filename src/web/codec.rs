//! The page-worker message codec: JSON in a JS string.
//!
//! yew-agent's default codec is bincode, which cannot decode the internally tagged serde
//! enums of the result types (`#[serde(tag = "...")]` needs a self-describing format).
//! serde_json handles them, and keeps `u64` seeds exact (they exceed 2^53).
//!
//! The decoder also receives the worker's own transfer messages (typed arrays posted
//! outside the agent, [`super::transfer`]): it keeps them in the transfer inbox and answers
//! the agent with its "worker loaded" message, which the agent ignores once loaded.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use yew_agent::Codec;

/// Encodes messages as JSON strings; registered on both sides of the bridge.
#[derive(Debug)]
pub struct JsonCodec;

impl Codec for JsonCodec {
    /// # Panics
    ///
    /// If the message does not serialise: every message type here serialises (no map has
    /// non-string keys; floats are finite by construction).
    fn encode<I>(input: I) -> JsValue
    where
        I: Serialize,
    {
        let text =
            crate::results::json::to_compact(&input).expect("worker messages always serialise");
        JsValue::from_str(&text)
    }

    /// # Panics
    ///
    /// If the message is not a JSON string of the expected type: page and worker come from
    /// one build, so this means a bug (yew-agent's own codec panics likewise).
    fn decode<O>(input: JsValue) -> O
    where
        O: for<'de> serde::Deserialize<'de>,
    {
        if super::transfer::receive(&input) {
            // gloo-worker's `FromWorker::WorkerLoaded`: after the first, a no-op.
            return serde_json::from_str("\"WorkerLoaded\"")
                .expect("the agent's envelope has a WorkerLoaded message (gloo-worker 0.5)");
        }
        let text = input
            .as_string()
            .expect("worker messages are JSON strings (JsonCodec on both sides)");
        decode_text(&text).unwrap_or_else(|e| panic!("a worker message does not decode: {e}"))
    }
}

/// Decodes a message's JSON text.
///
/// # Errors
///
/// The parser's message.
pub fn decode_text<O: DeserializeOwned>(text: &str) -> Result<O, serde_json::Error> {
    serde_json::from_str(text)
}
