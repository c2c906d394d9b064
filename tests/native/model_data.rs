//! The embedded digits data and InferBench's default 80/20 stratified split of it.

use inferbench::model::dataset::embedded_digits;
use inferbench::model::split::{
    split_dataset, stratified_split, DEFAULT_SPLIT_SEED, DEFAULT_TEST_FRACTION,
};
use inferbench::model::NUM_CLASSES;

#[test]
fn default_split_is_stratified_disjoint_and_complete() {
    let data = embedded_digits().expect("embedded CSV parses");
    let split = split_dataset(&data, DEFAULT_TEST_FRACTION, DEFAULT_SPLIT_SEED).expect("valid");
    let counts = data.class_counts();
    let test_counts = split.test.class_counts();
    let train_counts = split.train.class_counts();
    for class in 0..NUM_CLASSES {
        let expected_test = (counts[class] as f64 * 0.2).round() as usize;
        assert_eq!(test_counts[class], expected_test, "class {class}");
        assert_eq!(train_counts[class], counts[class] - expected_test);
    }
    // 178..183 rows per class: 35 or 36 test rows each, 359 in all.
    assert_eq!(split.test.len(), 359);
    assert_eq!(split.train.len(), 1797 - 359);
    let mut all: Vec<usize> = split
        .indices
        .train
        .iter()
        .chain(&split.indices.test)
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..1797).collect::<Vec<_>>());
    // The copied rows are the indexed rows.
    let first_test = split.indices.test[0];
    assert_eq!(split.test.input(0), data.input(first_test));
    assert_eq!(split.test.labels()[0], data.labels()[first_test]);
}

#[test]
fn split_depends_only_on_the_seed() {
    let data = embedded_digits().expect("embedded CSV parses");
    let a = stratified_split(data.labels(), 0.2, 99).expect("valid");
    let b = stratified_split(data.labels(), 0.2, 99).expect("valid");
    let c = stratified_split(data.labels(), 0.2, 100).expect("valid");
    assert_eq!(a, b);
    assert_ne!(a.test, c.test);
    let shared = a
        .test
        .iter()
        .filter(|r| c.test.binary_search(r).is_ok())
        .count();
    assert!(
        shared < a.test.len() / 2,
        "another seed should pick mostly other rows ({shared} shared)"
    );
}
