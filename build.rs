//! Packs the digits data set for embedding: `data/digits.csv` (265 KB of text) becomes
//! `$OUT_DIR/digits.bin`, one byte per pixel for every row (`rows x 64`, values `0..=16`)
//! followed by one byte per label (117 KB; a host's gzip takes it to about 44 KB on the
//! wire). Only the code that trains and benchmarks the model embeds it (the worker and the
//! native tool, not the page). `model::dataset` reads it back, and a unit test checks it
//! against the CSV parser.

use std::env;
use std::fs;
use std::path::Path;

const CSV: &str = "data/digits.csv";
const PIXELS_PER_ROW: usize = 64;

fn main() {
    println!("cargo:rerun-if-changed={CSV}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = fs::read_to_string(CSV).unwrap_or_else(|e| panic!("cannot read {CSV}: {e}"));
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let fields: Vec<u8> = line
            .split(',')
            .map(|f| {
                f.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{CSV} line {}: {f:?} is not a byte", i + 1))
            })
            .collect();
        assert_eq!(
            fields.len(),
            PIXELS_PER_ROW + 1,
            "{CSV} line {}: expected 65 fields",
            i + 1
        );
        pixels.extend_from_slice(&fields[..PIXELS_PER_ROW]);
        labels.push(fields[PIXELS_PER_ROW]);
    }
    pixels.extend_from_slice(&labels);
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("digits.bin");
    fs::write(&out, pixels).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
