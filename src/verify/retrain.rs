//! The model retrained from a result's plan ([`retrain`]): the same data split, preset,
//! training configuration and seeds give the same parameters bit for bit, natively and in
//! WebAssembly (the training uses a portable `exp`), so a file's fingerprint, training loss,
//! variant sizes and accuracy counts can be reproduced.

use crate::model::dataset::embedded_digits;
use crate::model::split::split_dataset;
use crate::model::train::Trainer;
use crate::model::variant::{accuracy, build_with};
use crate::model::Variant;
use crate::plan::limits::TEST_FRACTION;
use crate::plan::BenchPlan;

/// What retraining a plan's model gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrained {
    /// The parameters' fingerprint.
    pub fingerprint: String,
    /// Rows of the training split.
    pub train_samples: usize,
    /// Rows of the test split.
    pub test_samples: usize,
    /// Steps done (the file's, when it was cut short).
    pub steps_done: usize,
    /// Steps planned.
    pub total_steps: usize,
    /// Mean cross-entropy of the last epoch, as the trainer reports it.
    pub final_loss: Option<f64>,
    /// Each planned variant built from the model: its size in bytes and how many test
    /// samples it classifies correctly.
    pub variants: Vec<RetrainedVariant>,
}

/// One variant of the retrained model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetrainedVariant {
    /// The variant.
    pub variant: Variant,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Test samples it classifies correctly.
    pub correct: u64,
}

/// Retrains `plan`'s model for `steps` mini-batch steps (all of them when `None`) and
/// builds its variants.
///
/// - Time: the training's (under a second for `tiny`, seconds for `default` natively).
///
/// # Errors
///
/// Why the model cannot be retrained (the data set or split cannot be built, the
/// configuration is refused, the loss diverged), as a sentence.
pub fn retrain(plan: &BenchPlan, steps: Option<usize>) -> Result<Retrained, String> {
    let data = embedded_digits().map_err(|e| e.to_string())?;
    let split = split_dataset(&data, TEST_FRACTION, plan.split_seed).map_err(|e| e.to_string())?;
    let mut trainer = Trainer::new(plan.model.layer_sizes(), &split.train, &plan.train)
        .map_err(|e| e.to_string())?;
    let total_steps = trainer.total_steps();
    let steps = steps.unwrap_or(total_steps).min(total_steps);
    let mut last = None;
    for _ in 0..steps {
        match trainer.step().map_err(|e| e.to_string())? {
            Some(p) => last = Some(p),
            None => break,
        }
    }
    let model = trainer.into_model();
    let test = split.test.len();
    let variants = plan
        .variants
        .iter()
        .map(|&variant| {
            let mut classifier = build_with(variant, &model, &plan.variant_options);
            let fraction = accuracy(classifier.as_mut(), &split.test);
            RetrainedVariant {
                variant,
                size_bytes: classifier.size_bytes() as u64,
                correct: (fraction * test as f64).round() as u64,
            }
        })
        .collect();
    Ok(Retrained {
        fingerprint: model.fingerprint(),
        train_samples: split.train.len(),
        test_samples: test,
        steps_done: last.map_or(0, |p| p.steps_done),
        total_steps,
        final_loss: last.map(|p| p.loss),
        variants,
    })
}
