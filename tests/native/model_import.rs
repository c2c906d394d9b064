//! Importing your own model: the fixtures `scripts/gen_byom_fixtures.py` made with NumPy and
//! PyPI's `safetensors` reproduce Python's logits (to 1e-5) and the accuracy Python printed;
//! every bad-file class is refused with a sentence naming the tensor.

use inferbench::model::dataset::embedded_digits;
use inferbench::model::import::{import_safetensors, ImportError, ImportedModel, WeightLayout};
use inferbench::model::split::{split_dataset, DEFAULT_SPLIT_SEED};
use inferbench::model::variant::{accuracy, build};
use inferbench::model::{IoShape, Variant};
use safetensors::SafeTensors;

use super::byom_support::{fixture, import_fixture, raw_file, Tensor};

/// Python's expected logits (`[359, 10]`) and its correct count, for the F32 or F16 weights.
fn expected(which: &str) -> (Vec<f32>, usize, usize) {
    let bytes = fixture("expected.safetensors");
    let file = SafeTensors::deserialize(&bytes).expect("the expected file reads");
    let logits: Vec<f32> = file
        .tensor(&format!("logits_{which}"))
        .expect("logits are there")
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let (_, header) = SafeTensors::read_metadata(&bytes).expect("reads");
    let meta = header.metadata().as_ref().expect("has metadata");
    let key = if which == "f16" {
        "correct_f16"
    } else {
        "correct"
    };
    let correct = meta[key].parse().expect("a count");
    let total = meta["total"].parse().expect("a count");
    (logits, correct, total)
}

fn test_split() -> inferbench::model::Dataset {
    let data = embedded_digits().expect("parses");
    split_dataset(&data, 0.2, DEFAULT_SPLIT_SEED)
        .expect("splits")
        .test
}

/// Max |ours - Python's| over every test logit of `variant`.
fn max_logit_error(model: &ImportedModel, variant: Variant, python: &[f32]) -> f32 {
    let test = test_split();
    let mut classifier = build(variant, &model.model);
    let mut logits = vec![0.0; python.len()];
    classifier.logits_batch(test.inputs(), &mut logits);
    logits
        .iter()
        .zip(python)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max)
}

#[test]
fn numpy_and_pytorch_layout_files_reproduce_python_logits_and_accuracy() {
    let (python, correct, total) = expected("f32");
    let test = test_split();
    assert_eq!(test.len(), total, "Python evaluated InferBench's test rows");
    let numpy = import_fixture("numpy-mlp.safetensors");
    let torch_like = import_fixture("sequential-mlp.safetensors");
    assert_eq!(numpy.info.naming, "WN, bN");
    assert_eq!(numpy.info.weight_layout, WeightLayout::InOut);
    assert_eq!(torch_like.info.naming, "N.weight, N.bias");
    assert_eq!(torch_like.info.weight_layout, WeightLayout::OutIn);
    assert_eq!(torch_like.info.dtypes, vec!["F32"]);
    // The same weights, stored transposed or not, are the same model.
    assert_eq!(numpy.model, torch_like.model);
    assert_eq!(numpy.info.fingerprint, torch_like.model.fingerprint());
    assert_eq!(torch_like.model.shape(), IoShape::DIGITS);
    assert_eq!(torch_like.info.description.layer_sizes, vec![64, 32, 10]);
    assert_eq!(
        torch_like.info.description.parameters,
        64 * 32 + 32 + 32 * 10 + 10
    );
    for variant in [Variant::F32Naive, Variant::F32Fast] {
        let err = max_logit_error(&torch_like, variant, &python);
        assert!(
            err <= 1e-5,
            "{variant}: logits differ from Python's by {err}"
        );
        let mut c = build(variant, &torch_like.model);
        let acc = accuracy(c.as_mut(), &test);
        assert_eq!(
            (acc * total as f64).round() as usize,
            correct,
            "{variant}: Python printed {correct} of {total}"
        );
    }
    // int8 is built from the same weights and keeps the accuracy.
    let mut c = build(Variant::Int8, &torch_like.model);
    let acc = accuracy(c.as_mut(), &test);
    assert!(acc > 0.9, "int8: {acc}");
    // pruned removes whole panel rows without fine-tuning: a two-layer model loses half of
    // its pixel rows and much of its accuracy (the report shows it), exactly as its dense
    // equivalent does.
    let mut c = build(Variant::Pruned, &torch_like.model);
    let dense = inferbench::model::pruned::magnitude_prune(
        &torch_like.model,
        inferbench::model::pruned::PruningSparsity::default(),
    );
    let mut naive = build(Variant::F32Naive, &dense);
    assert_eq!(
        accuracy(c.as_mut(), &test),
        accuracy(naive.as_mut(), &test),
        "pruned is its dense equivalent"
    );
}

#[test]
fn f16_weights_widen_exactly() {
    let (python, correct, total) = expected("f16");
    let half = import_fixture("sequential-mlp-f16.safetensors");
    assert_eq!(half.info.dtypes, vec!["F16"]);
    let err = max_logit_error(&half, Variant::F32Naive, &python);
    assert!(err <= 1e-5, "logits differ from Python's by {err}");
    let mut c = build(Variant::F32Naive, &half.model);
    let acc = accuracy(c.as_mut(), &test_split());
    assert_eq!((acc * total as f64).round() as usize, correct);
    assert_ne!(
        half.info.fingerprint,
        import_fixture("sequential-mlp.safetensors")
            .info
            .fingerprint,
        "rounded weights are other weights"
    );
}

#[test]
fn a_model_of_another_shape_runs_on_every_variant() {
    let other = import_fixture("other-shape.safetensors");
    let shape = other.model.shape();
    assert_eq!(
        shape,
        IoShape {
            inputs: 20,
            classes: 3
        }
    );
    // A direct computation of the same network, for 3 samples (several kernel rows).
    let inputs: Vec<f32> = (0..3 * 20).map(|i| (i as f32 * 0.37).sin()).collect();
    let layers = other.model.layers();
    let expected: Vec<Vec<f32>> = inputs
        .chunks(20)
        .map(|row| {
            let mut x = row.to_vec();
            for (l, layer) in layers.iter().enumerate() {
                x = (0..layer.out_features())
                    .map(|o| {
                        let w = layer.weight_row(o).expect("row");
                        let z =
                            layer.biases()[o] + w.iter().zip(&x).map(|(a, b)| a * b).sum::<f32>();
                        if l + 1 < layers.len() {
                            z.max(0.0)
                        } else {
                            z
                        }
                    })
                    .collect();
            }
            x
        })
        .collect();
    let scale = expected
        .iter()
        .flatten()
        .fold(0.0f32, |m, v| m.max(v.abs()))
        .max(1e-3);
    // f32 within rounding; int8 within its quantisation error; pruned keeps the largest
    // weights only, so it is checked for shape and finiteness (its accuracy cost is the
    // report's business).
    for (variant, tolerance) in [
        (Variant::F32Naive, Some(1e-5)),
        (Variant::F32Fast, Some(1e-4)),
        (Variant::Int8, Some(0.1)),
        (Variant::Pruned, None),
    ] {
        let mut classifier = build(variant, &other.model);
        let mut logits = vec![f32::NAN; 3 * 3];
        classifier.logits_batch(&inputs, &mut logits);
        assert!(
            logits.iter().all(|v| v.is_finite()),
            "{variant}: {logits:?}"
        );
        if let Some(tolerance) = tolerance {
            for (want, got) in expected.iter().zip(logits.chunks(3)) {
                for (a, b) in want.iter().zip(got) {
                    assert!(
                        (a - b).abs() <= tolerance * scale,
                        "{variant}: {a} vs {b} (scale {scale})"
                    );
                }
            }
        }
        let mut predictions = [9u8; 3];
        classifier.predict_batch(&inputs, &mut predictions);
        assert!(predictions.iter().all(|&p| p < 3), "{variant}");
        // One sample alone gives its logits in the batch (up to the kernels' summation order).
        let mut one = vec![f32::NAN; 3];
        classifier.logits_batch(&inputs[20..40], &mut one);
        for (a, b) in one.iter().zip(&logits[3..6]) {
            assert!((a - b).abs() <= 1e-5 * scale, "{variant}: {a} vs {b}");
        }
    }
}

/// The message importing fixture `bad/<name>` gives.
fn refusal(name: &str) -> String {
    let bytes = fixture(&format!("bad/{name}"));
    import_safetensors(&bytes, name)
        .err()
        .unwrap_or_else(|| panic!("{name} imports"))
        .to_string()
}

#[test]
fn each_bad_fixture_is_refused_with_a_sentence_naming_the_tensor() {
    let cases = [
        ("batchnorm.safetensors", "tensor '1.num_batches_tracked' is not a dense layer's weight or bias (it looks like a BatchNorm layer's statistics, which InferBench does not import)"),
        ("conv.safetensors", "tensor '0.weight' has shape [4, 1, 3, 3]: a dense layer's weight is 2-D; this looks like a convolution's kernel"),
        ("chain.safetensors", "tensor '2.weight' takes 16 inputs but the layer before it ('0.weight') gives 32 outputs"),
        ("nan.safetensors", "tensor '0.weight' holds NaN at [3, 17]"),
        ("inf-f16.safetensors", "tensor '0.bias' holds inf at [4]"),
        ("int8.safetensors", "tensor '0.weight' is 'I8': InferBench reads float weights (F32, F16, BF16 or F64)"),
        ("too-deep.safetensors", "the file has 65 dense layers: InferBench imports at most 64"),
        ("too-wide.safetensors", "tensor '0.weight' has shape [40000, 1]: every layer needs 1 to 32768 inputs and outputs"),
        ("transposed.safetensors", "tensor '0.weight' has shape [64, 10] (read as [out, in], PyTorch's nn.Linear layout) but its bias '0.bias' has 10 values: the weight looks read as [in, out], the x @ W layout; save its transpose, or add the metadata weight_layout = in_out"),
        ("tanh.safetensors", "the file's metadata activation = 'tanh' cannot be used: InferBench's variants apply ReLU between layers"),
        ("not-safetensors.safetensors", "the file is not a valid safetensors file"),
        ("truncated.safetensors", "the file is not a valid safetensors file (its tensors do not cover the data exactly: the file is truncated or padded)"),
        ("hostile-name.safetensors", "tensor '<img src=x onerror=alert(1)>\\u{1b}[31m' is not a dense layer's weight or bias"),
    ];
    for (name, expected) in cases {
        let message = refusal(name);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            !message.contains('\u{1b}'),
            "{name}: raw escape in {message:?}"
        );
    }
}

fn f32_tensor(name: &str, shape: &[usize], value: f32) -> Tensor {
    let n: usize = shape.iter().product();
    Tensor::new(
        name,
        "F32",
        shape,
        (0..n).flat_map(|_| value.to_le_bytes()).collect(),
    )
}

fn import_raw(tensors: &[Tensor], metadata: &[(&str, &str)]) -> Result<ImportedModel, ImportError> {
    import_safetensors(&raw_file(tensors, metadata), "made.safetensors")
}

#[test]
fn other_bad_files_are_refused_with_their_reason() {
    let layer = |n: usize, out: usize, inp: usize| {
        vec![
            f32_tensor(&format!("{n}.weight"), &[out, inp], 0.1),
            f32_tensor(&format!("{n}.bias"), &[out], 0.0),
        ]
    };
    let message = |r: Result<ImportedModel, ImportError>| r.expect_err("refused").to_string();
    assert_eq!(
        message(import_safetensors(&[], "x")),
        "the model file is empty: pick a .safetensors file"
    );
    let over = vec![0u8; 64 * 1024 * 1024 + 1];
    assert!(message(import_safetensors(&over, "x"))
        .starts_with("the model file has 67108865 bytes, over the 64 MiB limit"));
    assert!(message(import_raw(&[], &[])).contains("holds no tensor"));
    let mut mixed = layer(0, 8, 64);
    mixed.extend([
        f32_tensor("W2", &[10, 8], 0.1),
        f32_tensor("b2", &[10], 0.0),
    ]);
    assert!(message(import_raw(&mixed, &[]))
        .contains("tensors '0.bias' and 'W2' are named in two different ways"));
    let mut duplicate = layer(1, 8, 64);
    duplicate.push(f32_tensor("01.weight", &[8, 64], 0.1));
    assert!(message(import_raw(&duplicate, &[]))
        .contains("tensors '01.weight' and '1.weight' name the same layer"));
    assert!(
        message(import_raw(&[f32_tensor("0.bias", &[10], 0.0)], &[]))
            .contains("tensor '0.bias' is a bias without its layer's weight")
    );
    assert!(message(import_raw(
        &[f32_tensor("hidden.weight", &[10, 64], 0.0)],
        &[]
    ))
    .contains("tensor 'hidden.weight' has no layer number"));
    let short_bias = [
        f32_tensor("0.weight", &[10, 64], 0.1),
        f32_tensor("0.bias", &[7], 0.0),
    ];
    assert!(message(import_raw(&short_bias, &[]))
        .contains("but its bias '0.bias' has 7 values: a layer's bias has one value per output"));
    let many_classes = layer(0, 257, 4);
    assert!(message(import_raw(&many_classes, &[])).contains(
        "the last layer ('0.weight') gives 257 outputs: InferBench predicts at most 256 classes"
    ));
    let zero = [f32_tensor("0.weight", &[0, 64], 0.1)];
    assert!(message(import_raw(&zero, &[])).contains("has shape [0, 64]"));
    // 2 layers of 2900 x 2900 in F16: 16.8 million parameters in a 33.6 MB file.
    let big = |n: usize| {
        Tensor::new(
            &format!("{n}.weight"),
            "F16",
            &[2900, 2900],
            vec![0; 2 * 2900 * 2900],
        )
    };
    assert!(message(import_raw(&[big(0), big(1)], &[]))
        .contains("the model has 16825800 parameters: InferBench imports at most 16777216"));
    let f64_huge = Tensor::new("0.weight", "F64", &[1, 1], 1e300f64.to_le_bytes().to_vec());
    assert!(message(import_raw(&[f64_huge], &[]))
        .contains("holds 1e300 (beyond float32's range) at [0, 0]"));
    let ok = layer(0, 10, 64);
    for (key, value, expected) in [
        (
            "weight_layout",
            "columns",
            "weight_layout = 'columns' cannot be used: use out_in",
        ),
        (
            "input_size",
            "63",
            "input_size = '63' cannot be used: the first layer ('0.weight') takes 64 inputs",
        ),
        (
            "num_classes",
            "ten",
            "num_classes = 'ten' cannot be used: give a whole number",
        ),
        (
            "num_classes",
            "9",
            "num_classes = '9' cannot be used: the last layer ('0.weight') gives 10 outputs",
        ),
    ] {
        let m = message(import_raw(&ok, &[(key, value)]));
        assert!(m.contains(expected), "{key}: {m}");
    }
}

#[test]
fn metadata_and_namings_that_are_accepted() {
    let tensors = [
        f32_tensor("fc1.weight", &[8, 64], 0.1),
        f32_tensor("fc2.weight", &[10, 8], 0.2),
        f32_tensor("fc2.bias", &[10], 0.5),
    ];
    let model = import_raw(
        &tensors,
        &[
            ("format", "pt"),
            ("activation", "ReLU"),
            ("input_size", "64"),
            ("num_classes", "10"),
        ],
    )
    .expect("imports");
    assert_eq!(model.info.naming, "fcN.weight, fcN.bias");
    assert_eq!(model.info.layers_without_bias, vec![0]);
    assert!(model.model.layers()[0].biases().iter().all(|&b| b == 0.0));
    assert_eq!(model.info.file_name, "made.safetensors");
    let bf16 = Tensor::new(
        "layers.0.weight",
        "BF16",
        &[10, 64],
        [0x80u8, 0x3f].repeat(640),
    );
    let model = import_raw(&[bf16], &[]).expect("imports");
    assert!(model.model.layers()[0].weights().iter().all(|&w| w == 1.0));
    assert_eq!(model.info.dtypes, vec!["BF16"]);
    assert_eq!(
        inferbench::model::import::clean_file_name("C:\\Users\\a\\my\u{7}model.safetensors"),
        "mymodel.safetensors"
    );
}

#[test]
fn the_test_rows_file_for_python_is_the_split() {
    let text = std::fs::read_to_string(format!(
        "{}/data/digits-test-rows.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("data/digits-test-rows.txt");
    let rows: Vec<usize> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.parse().expect("a row index"))
        .collect();
    let data = embedded_digits().expect("parses");
    let split = split_dataset(&data, 0.2, DEFAULT_SPLIT_SEED).expect("splits");
    assert_eq!(
        rows, split.indices.test,
        "run `cargo run --example digits_split`"
    );
}

#[test]
fn the_readme_snippets_are_the_scripts_in_the_repository() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    for script in ["byom_pytorch.py", "byom_numpy.py"] {
        let code = std::fs::read_to_string(format!("{root}/scripts/{script}")).expect("script");
        assert!(
            readme.contains(&format!("```python\n{code}```")),
            "README's snippet differs from scripts/{script}"
        );
    }
    let torch = std::fs::read_to_string(format!("{root}/scripts/byom_pytorch.py")).unwrap();
    assert_eq!(
        torch.lines().count(),
        10,
        "the PyTorch snippet is ten lines"
    );
}
