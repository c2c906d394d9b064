//! Prints the rows of `data/digits.csv` in InferBench's test split (the default split seed,
//! stratified 80/20), one 0-based row index per line: the file `data/digits-test-rows.txt`
//! that the Python scripts use to evaluate on the same samples InferBench measures accuracy
//! on. `cargo run --example digits_split > data/digits-test-rows.txt` writes it; a native
//! test checks that it matches.

use inferbench::model::dataset::embedded_digits;
use inferbench::model::split::{stratified_split, DEFAULT_SPLIT_SEED};
use inferbench::plan::limits::TEST_FRACTION;

fn main() {
    let data = embedded_digits().expect("the embedded digits parse");
    let split = stratified_split(data.labels(), TEST_FRACTION, DEFAULT_SPLIT_SEED)
        .expect("the default split is valid");
    println!(
        "# Rows of data/digits.csv (0-based, no header) in InferBench's test split: split seed \
         {DEFAULT_SPLIT_SEED}, stratified, test fraction {TEST_FRACTION}. Written by `cargo run \
         --example digits_split`."
    );
    for row in split.test {
        println!("{row}");
    }
}
