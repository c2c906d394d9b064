//! InferBench's compute: the inference kernels (the dense f32 layer of `f32-fast`, the int8
//! layer and the block-sparse layer of `pruned`, written once over lanes of each instruction
//! set), the baseline's loop and training's matrix product and update.
//!
//! They are a crate of their own so that a profile can compile them at opt-level 3 while the
//! rest of the worker is built for size (the root `Cargo.toml`'s `wasm-worker` profile): a
//! register-blocked kernel needs its loops unrolled to keep its accumulators in registers.
//! The entry points (each layer's `forward`) are not generic, so they are compiled here, at
//! this crate's opt-level, whatever crate calls them.
//!
//! - `lanes`: four f32 lanes per instruction set (portable, SIMD128, relaxed SIMD);
//! - `qlanes`: the integer lanes of the int8 kernels;
//! - `dense`: packed f32 weights, the one-sample and the batch kernels of `f32-fast`;
//! - `quant`: int8 weights and activations, and their kernels;
//! - `sparse`: the kept rows of `pruned`'s layers, and their kernels;
//! - `naive`: the baseline's plain loop (`f32-naive`), at the same opt-level;
//! - `gemm`: the blocked matrix product behind training (and its packing), `adam` its
//!   optimiser's update.

pub mod adam;
pub mod dense;
pub mod gemm;
mod lanes;
pub mod naive;
mod qlanes;
pub mod quant;
pub mod sparse;
