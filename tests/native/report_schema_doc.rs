//! `docs/result-schema.md` documents every key a result file holds, and every value of the
//! enumerated fields: checked against the fixture results (which cover every scenario, the
//! peak search, INVALID reasons, a coarse timer and a cancel).

use std::collections::BTreeSet;

use serde_json::Value;

use super::report_support::fixtures_dir;

/// Fields whose string values are enumerations to be listed in the document.
const ENUM_FIELDS: [&str; 11] = [
    "kind",
    "reason",
    "scenario",
    "stop_reason",
    "outcome",
    "status",
    "runtime",
    "preset",
    "mode",
    "basis",
    "variant",
];

fn collect(value: &Value, keys: &mut BTreeSet<String>, values: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                keys.insert(k.clone());
                if let (true, Value::String(s)) = (ENUM_FIELDS.contains(&k.as_str()), v) {
                    values.insert(s.clone());
                }
                collect(v, keys, values);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect(x, keys, values)),
        _ => {}
    }
}

#[test]
fn every_key_and_enumerated_value_is_documented() {
    let doc = std::fs::read_to_string(format!(
        "{}/docs/result-schema.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("docs/result-schema.md exists");
    let (mut keys, mut values) = (BTreeSet::new(), BTreeSet::new());
    let mut files = 0;
    for entry in std::fs::read_dir(fixtures_dir()).expect("the fixture directory") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a fixture");
        let json: Value = serde_json::from_str(&text).expect("JSON");
        collect(&json, &mut keys, &mut values);
        files += 1;
    }
    assert!(
        files >= 4 && keys.len() > 150,
        "{files} files, {} keys",
        keys.len()
    );
    let missing_keys: Vec<&String> = keys
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing_keys.is_empty(),
        "undocumented keys: {missing_keys:?}"
    );
    let missing_values: Vec<&String> = values
        .iter()
        .filter(|v| !doc.contains(&format!("`\"{v}\"`")))
        .collect();
    assert!(
        missing_values.is_empty(),
        "undocumented values: {missing_values:?}"
    );
}
