//! The load generator: MLPerf LoadGen's scenarios, driven step by step against a [`clock::Clock`].

pub mod clock;
