//! The InferBench side of the kernel benchmark page (`bench/kernels/`): the four variants'
//! kernels behind a small wasm-bindgen API, so that a page can time them next to tfjs-wasm
//! and onnxruntime-web on the same weights and inputs.
//!
//! Built for wasm32 by `bench/kernels/run.mjs` (once with SIMD128, once with the
//! `relaxed-simd` feature); natively this example is an empty library.

#[cfg(target_arch = "wasm32")]
mod web {
    use inferbench::model::dataset::embedded_digits;
    use inferbench::model::kernels::KERNEL_PATH;
    use inferbench::model::train::{TrainConfig, Trainer};
    use inferbench::model::variant::build;
    use inferbench::model::ModelPreset;
    use inferbench::model::{Classifier, Mlp, Variant};
    use wasm_bindgen::prelude::*;

    fn sizes(layer_sizes: &[u32]) -> Vec<usize> {
        layer_sizes.iter().map(|&s| s as usize).collect()
    }

    /// Trains the default preset's network on the embedded digits for `steps` mini-batch
    /// steps of its training configuration (what the worker does before a run; the page
    /// times the call) and returns the last step's loss.
    #[wasm_bindgen]
    pub fn train_steps(steps: u32) -> Result<f64, JsError> {
        let preset = ModelPreset::Default;
        let data = embedded_digits()?;
        let mut trainer = Trainer::new(
            preset.layer_sizes(),
            &data,
            &TrainConfig::for_preset(preset),
        )?;
        let mut loss = f64::NAN;
        for _ in 0..steps {
            match trainer.step()? {
                Some(progress) => loss = progress.loss,
                None => break,
            }
        }
        Ok(loss)
    }

    /// The kernels of this module: `wasm-simd128` or `wasm-relaxed-simd`.
    #[wasm_bindgen]
    pub fn kernel_path() -> String {
        KERNEL_PATH.to_string()
    }

    /// The seeded He-uniform parameters of a network (`Mlp::initialised`), layer by layer:
    /// the `[out][in]` weights, then the biases.
    #[wasm_bindgen]
    pub fn model_parameters(layer_sizes: &[u32], seed: u64) -> Result<Vec<f32>, JsError> {
        let model = Mlp::initialised(&sizes(layer_sizes), seed)?;
        Ok(model
            .layers()
            .iter()
            .flat_map(|l| l.weights().iter().chain(l.biases()).copied())
            .collect())
    }

    /// One variant of the seeded network, with the inputs it classifies.
    #[wasm_bindgen]
    pub struct Engine {
        classifier: Box<dyn Classifier>,
        inputs: Vec<f32>,
        width: usize,
        predictions: Vec<u8>,
    }

    #[wasm_bindgen]
    impl Engine {
        /// Builds `variant` of the network `Mlp::initialised(layer_sizes, seed)`; `inputs` are
        /// the rows it will classify.
        #[wasm_bindgen(constructor)]
        pub fn new(
            variant: &str,
            layer_sizes: &[u32],
            seed: u64,
            inputs: &[f32],
        ) -> Result<Engine, JsError> {
            let variant: Variant = variant.parse()?;
            let model = Mlp::initialised(&sizes(layer_sizes), seed)?;
            Ok(Self {
                classifier: build(variant, &model),
                inputs: inputs.to_vec(),
                width: layer_sizes[0] as usize,
                predictions: vec![0; 4096],
            })
        }

        /// Classifies rows `first..first + count` in one call.
        pub fn run(&mut self, first: u32, count: u32) {
            let (first, count) = (first as usize, count as usize);
            let rows = &self.inputs[first * self.width..(first + count) * self.width];
            self.classifier
                .predict_batch(rows, &mut self.predictions[..count]);
        }

        /// The logits of rows `first..first + count`.
        pub fn logits(&mut self, first: u32, count: u32) -> Vec<f32> {
            let (first, count) = (first as usize, count as usize);
            let rows = &self.inputs[first * self.width..(first + count) * self.width];
            let mut logits = vec![0.0; count * 10];
            self.classifier.logits_batch(rows, &mut logits);
            logits
        }

        /// The variant's stored bytes.
        pub fn size_bytes(&self) -> u32 {
            self.classifier.size_bytes() as u32
        }
    }
}
