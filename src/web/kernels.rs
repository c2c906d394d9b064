//! Which worker module the page starts: the relaxed-SIMD one where the browser supports
//! relaxed SIMD, else the SIMD128 one (see `crate::model::kernels`).
//!
//! Support is detected the way feature-detection libraries do it: the browser is asked to
//! validate a 37-byte module whose one function uses `f32x4.relaxed_madd`. A browser without
//! relaxed SIMD rejects it, and would reject the relaxed worker module as a whole.

/// A module with one function `(v128, v128, v128) -> v128` that returns
/// `f32x4.relaxed_madd` of its parameters.
pub const RELAXED_SIMD_PROBE: [u8; 37] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 x3) -> v128
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x0a, 0x0d, 0x01, 0x0b, 0x00, // code: one body of 11 bytes, no locals
    0x20, 0x00, 0x20, 0x01, 0x20, 0x02, // local.get 0, 1, 2
    0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
    0x0b, // end
];

/// Whether this browser validates [`RELAXED_SIMD_PROBE`].
pub fn relaxed_simd_supported() -> bool {
    validates(&RELAXED_SIMD_PROBE)
}

/// Whether `WebAssembly.validate` accepts `bytes`.
pub fn validates(bytes: &[u8]) -> bool {
    js_sys::WebAssembly::validate(&js_sys::Uint8Array::from(bytes).into()).unwrap_or(false)
}

/// The worker script for this browser: `worker-relaxed.js` or `worker.js`.
pub fn worker_script() -> &'static str {
    if relaxed_simd_supported() {
        "worker-relaxed.js"
    } else {
        "worker.js"
    }
}
