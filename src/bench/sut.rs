//! A model variant as the load generator's system under test.

use crate::loadgen::sut::SystemUnderTest;
use crate::model::{Classifier, Dataset, INPUT_FEATURES};

/// A [`Classifier`] answering queries about the rows of a performance sample set (the digits
/// test split, or a model's synthetic inputs).
///
/// For one sample the classifier reads the sample's row in place; for several, their rows
/// are first gathered into one contiguous buffer (a copy of `4 x width` bytes per sample, 256
/// for the digits, inside the timed region, as a real server would assemble a batch), then
/// classified in one call.
pub struct ClassifierSut {
    classifier: Box<dyn Classifier>,
    rows: Vec<f32>,
    width: usize,
    batch: Vec<f32>,
    name: String,
}

impl ClassifierSut {
    /// Serves `data`'s samples (digits, 64 inputs each) with `classifier`.
    pub fn new(classifier: Box<dyn Classifier>, data: Dataset) -> Self {
        Self::with_rows(classifier, INPUT_FEATURES, data.inputs().to_vec())
    }

    /// Serves the samples of `rows` (row-major, `width` values each) with `classifier`.
    ///
    /// # Panics
    ///
    /// If `width` is 0 or `rows` is not a whole number of rows.
    pub fn with_rows(classifier: Box<dyn Classifier>, width: usize, rows: Vec<f32>) -> Self {
        assert!(
            width > 0 && rows.len().is_multiple_of(width),
            "rows must be whole rows of {width} values"
        );
        let name = classifier.variant().to_string();
        Self {
            classifier,
            rows,
            width,
            batch: Vec::new(),
            name,
        }
    }

    /// The variant served.
    pub fn variant(&self) -> crate::model::Variant {
        self.classifier.variant()
    }

    /// The classifier.
    pub fn classifier_mut(&mut self) -> &mut dyn Classifier {
        self.classifier.as_mut()
    }

    /// [`Classifier::size_bytes`] of the classifier.
    pub fn classifier_size_bytes(&self) -> usize {
        self.classifier.size_bytes()
    }

    /// The number of samples served.
    pub fn sample_count(&self) -> usize {
        self.rows.len() / self.width
    }

    fn row(&self, sample: usize) -> &[f32] {
        self.rows
            .get(sample * self.width..(sample + 1) * self.width)
            .expect("the load generator draws indices below the sample count")
    }
}

impl SystemUnderTest for ClassifierSut {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        if let [one] = samples {
            let start = *one * self.width;
            let row = self
                .rows
                .get(start..start + self.width)
                .expect("the load generator draws indices below the sample count");
            self.classifier.predict_batch(row, predictions);
            return;
        }
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        batch.reserve(samples.len() * self.width);
        for &s in samples {
            batch.extend_from_slice(self.row(s));
        }
        self.classifier.predict_batch(&batch, predictions);
        self.batch = batch;
    }

    fn name(&self) -> &str {
        &self.name
    }
}
