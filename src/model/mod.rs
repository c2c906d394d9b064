//! The system under test: the digits data set and a plain-Rust multilayer perceptron.
