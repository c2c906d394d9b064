//! `inferbench run --model-file`: a good file is benchmarked with Python's accuracy and its
//! fingerprint recorded; each bad file exits with status 2 and its one-line message.

use super::cli_support::{assert_bad_input, inferbench, Scratch};
use inferbench::results::io::read_result;

const DIR: &str = "tests/fixtures/byom";

#[test]
fn each_bad_model_file_exits_2_with_its_message() {
    for (name, expected) in [
        ("batchnorm", "tensor '1.num_batches_tracked' is not a dense layer's weight or bias"),
        ("conv", "tensor '0.weight' has shape [4, 1, 3, 3]: a dense layer's weight is 2-D; this looks like a convolution's kernel"),
        ("chain", "tensor '2.weight' takes 16 inputs but the layer before it ('0.weight') gives 32 outputs"),
        ("nan", "tensor '0.weight' holds NaN at [3, 17]"),
        ("inf-f16", "tensor '0.bias' holds inf at [4]"),
        ("int8", "tensor '0.weight' is 'I8'"),
        ("too-deep", "the file has 65 dense layers"),
        ("too-wide", "tensor '0.weight' has shape [40000, 1]"),
        ("transposed", "tensor '0.weight' has shape [64, 10]"),
        ("tanh", "the file's metadata activation = 'tanh' cannot be used"),
        ("not-safetensors", "the file is not a valid safetensors file"),
        ("truncated", "the file is not a valid safetensors file (its tensors do not cover the data exactly"),
        ("hostile-name", "tensor '<img src=x onerror=alert(1)>\\u{1b}[31m'"),
    ] {
        let path = format!("{DIR}/bad/{name}.safetensors");
        let out = inferbench(&["run", "--model-file", &path]);
        assert_bad_input(&out, &format!("{path}: {expected}"));
        assert!(!out.stderr.contains('\u{1b}'), "{name}: raw escape on stderr");
    }
}

#[test]
fn files_that_cannot_be_used_are_refused_before_reading() {
    let s = Scratch::new("model-file");
    let empty = s.file("empty.safetensors", "");
    assert_bad_input(
        &inferbench(&["run", "--model-file", &empty]),
        "the model file is empty",
    );
    // A sparse file one byte over the limit: refused on its size, never read.
    let big = s.path().join("big.safetensors");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    let big = big.to_str().unwrap();
    assert_bad_input(
        &inferbench(&["run", "--model-file", big]),
        "the model file has 67108865 bytes, over the 64 MiB limit",
    );
    let dir = s.path().to_str().unwrap();
    assert_bad_input(
        &inferbench(&["run", "--model-file", dir]),
        "is a directory, not a model file",
    );
    let good = format!("{DIR}/sequential-mlp.safetensors");
    assert_bad_input(
        &inferbench(&["run", "--model-file", &good, "--model", "tiny"]),
        "--model and --model-file both name the model",
    );
}

#[test]
fn a_good_model_file_is_benchmarked_with_pythons_accuracy() {
    let s = Scratch::new("model-file-run");
    let out_path = s.path().join("r.json");
    let out_path = out_path.to_str().unwrap();
    let file = format!("{DIR}/sequential-mlp.safetensors");
    let out = inferbench(&[
        "run",
        "--model-file",
        &file,
        "--variant",
        "f32-naive",
        "--scenario",
        "single-stream",
        "--label",
        "ci",
        "--out",
        out_path,
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out
        .stderr
        .contains("model sequential-mlp.safetensors (64-32-10, fingerprint "));
    assert!(out.stdout.contains("98.33% (353 of 359)"), "{}", out.stdout);
    let result = read_result(&std::fs::read_to_string(out_path).unwrap()).unwrap();
    let info = result.plan.model_file.expect("the file is recorded");
    assert_eq!(info.file_name, "sequential-mlp.safetensors");
    assert_eq!(result.model.fingerprint, Some(info.fingerprint));
}
