//! Every JSON text the crate writes, through one serde_json serializer type.
//!
//! serde's `Serialize` code is generic over the serializer: `serde_json::to_string`,
//! `to_string_pretty` and `to_writer` into a hasher are three serializer types, and each
//! instantiates the whole result type tree again (in the worker's wasm that was three copies of
//! every result type's serializer). Here every text is written by one serializer,
//! `serde_json::Serializer<&mut dyn Write>` with the compact formatter; the pretty text is made
//! from the compact one by [`PrettyWriter`], byte for byte what `to_string_pretty` writes
//! (a native test checks it on the result fixtures).

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` as compact JSON into `out`.
///
/// # Errors
///
/// The serializer's error (a map with non-string keys, or `out`'s).
pub fn write_compact<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> Result<(), serde_json::Error> {
    serde_json::to_writer(out, value)
}

/// `value` as compact JSON (what `serde_json::to_string` writes).
///
/// # Errors
///
/// The serializer's error (a map with non-string keys).
pub fn to_compact<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    write_compact(&mut out, value)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// `value` as pretty JSON, two spaces per level (what `serde_json::to_string_pretty` writes).
///
/// # Errors
///
/// The serializer's error (a map with non-string keys).
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut pretty = PrettyWriter::default();
    write_compact(&mut pretty, value)?;
    Ok(String::from_utf8(pretty.out).expect("serde_json writes UTF-8"))
}

/// Indents compact JSON as it is written: a line per array element and object member, `": "`
/// after keys, `[]` and `{}` for empty ones. Strings are copied unchanged.
#[derive(Debug, Default)]
pub struct PrettyWriter {
    out: Vec<u8>,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// An array or object was just opened: whether it is empty is known at the next byte.
    opened: bool,
}

impl PrettyWriter {
    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn byte(&mut self, b: u8) {
        if self.in_string {
            self.out.push(b);
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return;
        }
        match b {
            b']' | b'}' => {
                self.depth = self.depth.saturating_sub(1);
                if !std::mem::take(&mut self.opened) {
                    self.newline();
                }
                self.out.push(b);
            }
            b',' => {
                self.out.push(b',');
                self.newline();
            }
            b':' => self.out.extend_from_slice(b": "),
            _ => {
                // The first byte of a value (or of a key).
                if std::mem::take(&mut self.opened) {
                    self.newline();
                }
                self.out.push(b);
                match b {
                    b'[' | b'{' => {
                        self.depth += 1;
                        self.opened = true;
                    }
                    b'"' => self.in_string = true,
                    _ => {}
                }
            }
        }
    }
}

impl Write for PrettyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            self.byte(b);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIXTURES: [&str; 4] = [
        include_str!("../../tests/fixtures/results/cancelled.json"),
        include_str!("../../tests/fixtures/results/coarse-timer.json"),
        include_str!("../../tests/fixtures/results/peak-search.json"),
        include_str!("../../tests/fixtures/results/three-variants.json"),
    ];

    #[test]
    fn compact_and_pretty_are_serde_json_s() {
        let values = [
            json!({}),
            json!([]),
            json!({"a": [], "b": {}, "c": [[], [{}]], "d": null}),
            json!([
                "quote \" and \\ backslash",
                "\\",
                "\\\"",
                "tab\t, [brackets] {braces}: colon"
            ]),
            json!({"unicode é 😀": [1.5, -2e-7, 18446744073709551615u64, true, false]}),
            json!(7),
            json!("a string"),
        ];
        for v in &values {
            assert_eq!(to_compact(v).unwrap(), serde_json::to_string(v).unwrap());
            assert_eq!(
                to_pretty(v).unwrap(),
                serde_json::to_string_pretty(v).unwrap()
            );
        }
    }

    #[test]
    fn results_write_as_serde_json_writes_them() {
        for text in FIXTURES {
            let result = crate::results::io::read_result(text).expect("a fixture reads");
            assert_eq!(
                to_compact(&result).unwrap(),
                serde_json::to_string(&result).unwrap()
            );
            assert_eq!(
                to_pretty(&result).unwrap(),
                serde_json::to_string_pretty(&result).unwrap()
            );
        }
    }
}
