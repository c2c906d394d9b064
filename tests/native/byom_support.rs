//! Model files for the import tests: the fixtures of `scripts/gen_byom_fixtures.py`, and
//! safetensors files written by hand (header JSON and data), to make the files a library
//! refuses to write.

use inferbench::model::import::{import_safetensors, ImportedModel};

/// The bytes of `tests/fixtures/byom/<name>`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/byom/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture `name`, imported.
pub fn import_fixture(name: &str) -> ImportedModel {
    import_safetensors(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One tensor of a hand-made file.
pub struct Tensor {
    name: String,
    dtype: &'static str,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl Tensor {
    /// A tensor named `name` of `dtype` and `shape`, with these bytes.
    pub fn new(name: &str, dtype: &'static str, shape: &[usize], data: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            dtype,
            shape: shape.to_vec(),
            data,
        }
    }
}

/// A safetensors file of `tensors` (in order) and `metadata`.
pub fn raw_file(tensors: &[Tensor], metadata: &[(&str, &str)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut offset = 0;
    for t in tensors {
        header.insert(
            t.name.clone(),
            serde_json::json!({
                "dtype": t.dtype,
                "shape": t.shape,
                "data_offsets": [offset, offset + t.data.len()],
            }),
        );
        offset += t.data.len();
    }
    if !metadata.is_empty() {
        let meta: serde_json::Map<String, serde_json::Value> = metadata
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        header.insert("__metadata__".into(), meta.into());
    }
    let text = serde_json::to_vec(&header).expect("serialises");
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text);
    for t in tensors {
        out.extend(&t.data);
    }
    out
}
