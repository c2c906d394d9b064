//! The inference kernels behind `f32-fast`, `int8` and `pruned`, and which instruction set
//! this build runs them with.
//!
//! The kernels themselves are the workspace crate `inferbench-kernels` (`crates/kernels`):
//! `lanes` (four f32 lanes per instruction set, the one generic interface the f32 kernels are
//! written against), `dense` (packed f32 weights, the one-sample and batch kernels of
//! `f32-fast`), `quant` (int8) and `sparse` (`pruned`), with the baseline's loop and
//! training's matrix product beside them. A crate of their own, so that the worker's
//! profile (`wasm-worker` in `Cargo.toml`) compiles them at opt-level 3 and the rest of the
//! worker for size. This module re-exports them and says which instruction set they use.
//!
//! The WebAssembly build comes in two modules: SIMD128 (every current browser) and, with the
//! crate feature `relaxed-simd`, relaxed SIMD (fused multiply-add and the integer dot
//! products; Chrome 114+). The page loads the relaxed module where the browser validates a
//! probe module using those instructions, else the SIMD128 one; [`KERNEL_PATH`] says which
//! one is running, and result files record it.

pub(crate) use inferbench_kernels::{dense, quant, sparse};

use serde::{Deserialize, Serialize};

/// The instruction set the kernels of a build use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KernelPath {
    /// Plain Rust, vectorised by the compiler for the target's baseline (native builds).
    Portable,
    /// WebAssembly SIMD128: f32x4 multiply then add, i16 dot products.
    WasmSimd128,
    /// WebAssembly relaxed SIMD: fused multiply-add and i8 dot products where the CPU has them.
    WasmRelaxedSimd,
}

impl KernelPath {
    /// The stable name: `portable`, `wasm-simd128` or `wasm-relaxed-simd`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            Self::WasmSimd128 => "wasm-simd128",
            Self::WasmRelaxedSimd => "wasm-relaxed-simd",
        }
    }

    /// One sentence saying what the kernels use, for reports and the page.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Portable => {
                "plain Rust vectorised by the compiler for the target's baseline instruction set"
            }
            Self::WasmSimd128 => {
                "WebAssembly SIMD128: f32 multiply then add, i16 dot products for int8"
            }
            Self::WasmRelaxedSimd => {
                "WebAssembly relaxed SIMD: fused multiply-add where the CPU has it, i8 dot \
                 products for int8 (the browser supports it, so the page loaded this module)"
            }
        }
    }
}

impl std::fmt::Display for KernelPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kernels of this build.
pub const KERNEL_PATH: KernelPath = if cfg!(all(target_arch = "wasm32", feature = "relaxed-simd")) {
    KernelPath::WasmRelaxedSimd
} else if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
    KernelPath::WasmSimd128
} else {
    KernelPath::Portable
};
