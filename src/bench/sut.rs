//! A model variant as the load generator's system under test.

use crate::loadgen::sut::SystemUnderTest;
use crate::model::{Classifier, Dataset, INPUT_FEATURES};

/// A [`Classifier`] answering queries about the samples of a data set (the test split).
///
/// For one sample the classifier reads the sample's row in place; for several, their rows
/// are first gathered into one contiguous buffer (a copy of 256 bytes per sample, inside the
/// timed region, as a real server would assemble a batch), then classified in one call.
pub struct ClassifierSut {
    classifier: Box<dyn Classifier>,
    data: Dataset,
    batch: Vec<f32>,
    name: String,
}

impl ClassifierSut {
    /// Serves `data`'s samples with `classifier`.
    pub fn new(classifier: Box<dyn Classifier>, data: Dataset) -> Self {
        let name = classifier.variant().to_string();
        Self {
            classifier,
            data,
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

    /// The data set served.
    pub fn data(&self) -> &Dataset {
        &self.data
    }
}

impl SystemUnderTest for ClassifierSut {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        if let [one] = samples {
            let row = self
                .data
                .input(*one)
                .expect("the load generator draws indices below the sample count");
            self.classifier.predict_batch(row, predictions);
            return;
        }
        self.batch.clear();
        self.batch.reserve(samples.len() * INPUT_FEATURES);
        for &s in samples {
            let row = self
                .data
                .input(s)
                .expect("the load generator draws indices below the sample count");
            self.batch.extend_from_slice(row);
        }
        self.classifier.predict_batch(&self.batch, predictions);
    }

    fn name(&self) -> &str {
        &self.name
    }
}
