//! The integer dot products of the `int8` kernels, for each instruction set.
//!
//! The kernels in [`super::quant`] work on *quads*: 16 bytes of weights holding 4 outputs x 4
//! consecutive inputs (`[o0: i0 i1 i2 i3][o1: ...][o2: ...][o3: ...]`), against 4 consecutive
//! activations of one sample (4 bytes, broadcast to every output). [`QuantLanes::dot2`] adds
//! the products of two consecutive quads (8 inputs) to 4 per-output i32 sums.
//!
//! Weights are in `-63..=63` and activations in `0..=127` (7 bits each), so a product is at
//! most 8,001 in magnitude and the 8 products of an output at most 64,008: every path below
//! computes the exact integer sums, so the `int8` logits are the same in every build.
//!
//! | type       | build                  | per two quads and 4 outputs                          |
//! |------------|------------------------|------------------------------------------------------|
//! | `Portable` | native                 | plain i32 arithmetic (LLVM vectorises it)            |
//! | `Simd128`  | wasm32 + simd128       | i8 -> i16 widening, `i32x4.dot_i16x8_s` (4 per two quads) |
//! | `Relaxed`  | `relaxed-simd` feature | `i16x8.relaxed_dot_i8x16_i7x16_s` (16 products, pairs summed, in i16) per quad, the two quads added in i16 (at most 32,004: no overflow), then widened pairwise to i32 |

/// Four per-output i32 sums and the dot products that feed them.
pub trait QuantLanes: Copy {
    /// Zero sums.
    fn zero() -> Self;
    /// `self[o] += sum_t w0[4o + t] * x0[t] + w1[4o + t] * x1[t]` for the 4 outputs `o`.
    fn dot2(self, w0: &[i8; 16], w1: &[i8; 16], x0: &[u8; 4], x1: &[u8; 4]) -> Self;
    /// The 4 sums.
    fn sums(self) -> [i32; 4];
}

/// Plain Rust sums (native builds).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
pub struct Portable([i32; 4]);

impl QuantLanes for Portable {
    #[inline(always)]
    fn zero() -> Self {
        Self([0; 4])
    }
    #[inline(always)]
    fn dot2(self, w0: &[i8; 16], w1: &[i8; 16], x0: &[u8; 4], x1: &[u8; 4]) -> Self {
        let mut s = self.0;
        for (o, sum) in s.iter_mut().enumerate() {
            for t in 0..4 {
                *sum += i32::from(w0[4 * o + t]) * i32::from(x0[t])
                    + i32::from(w1[4 * o + t]) * i32::from(x1[t]);
            }
        }
        Self(s)
    }
    #[inline(always)]
    fn sums(self) -> [i32; 4] {
        self.0
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::{
        i16x8_extend_high_i8x16, i16x8_extend_low_i8x16, i16x8_extend_low_u8x16, i32x4, i32x4_add,
        i32x4_dot_i16x8, i32x4_extract_lane, i32x4_shuffle, i8x16, v128,
    };

    use super::QuantLanes;

    /// Sixteen weights as a vector.
    #[inline(always)]
    pub fn load_i8(w: &[i8; 16]) -> v128 {
        i8x16(
            w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13],
            w[14], w[15],
        )
    }

    /// Four activations broadcast to all four 32-bit lanes.
    #[inline(always)]
    pub fn splat4(x: &[u8; 4]) -> v128 {
        let word = i32::from_le_bytes(*x);
        i32x4(word, word, word, word)
    }

    #[inline(always)]
    pub fn lanes(v: v128) -> [i32; 4] {
        [
            i32x4_extract_lane::<0>(v),
            i32x4_extract_lane::<1>(v),
            i32x4_extract_lane::<2>(v),
            i32x4_extract_lane::<3>(v),
        ]
    }

    /// SIMD128 sums: each quad's weights widened to i16 (outputs 0-1 and 2-3), multiplied
    /// with the 4 activations (as i16, twice) by `i32x4.dot_i16x8_s`; the pair sums of the same
    /// output are added once at the end ([`QuantLanes::sums`]).
    #[derive(Debug, Clone, Copy)]
    #[cfg_attr(feature = "relaxed-simd", allow(dead_code))]
    pub struct Simd128 {
        /// `[o0 (i0 i1), o0 (i2 i3), o1 (i0 i1), o1 (i2 i3)]`.
        low: v128,
        /// The same for outputs 2 and 3.
        high: v128,
    }

    /// The 4 activations as i16, twice: a 32-bit broadcast, widened (2 instructions).
    #[inline(always)]
    fn widen4(x: &[u8; 4]) -> v128 {
        i16x8_extend_low_u8x16(splat4(x))
    }

    impl QuantLanes for Simd128 {
        #[inline(always)]
        fn zero() -> Self {
            let zero = i32x4(0, 0, 0, 0);
            Self {
                low: zero,
                high: zero,
            }
        }
        #[inline(always)]
        fn dot2(self, w0: &[i8; 16], w1: &[i8; 16], x0: &[u8; 4], x1: &[u8; 4]) -> Self {
            let (w0, w1) = (load_i8(w0), load_i8(w1));
            let (x0, x1) = (widen4(x0), widen4(x1));
            let low = i32x4_add(
                i32x4_dot_i16x8(i16x8_extend_low_i8x16(w0), x0),
                i32x4_dot_i16x8(i16x8_extend_low_i8x16(w1), x1),
            );
            let high = i32x4_add(
                i32x4_dot_i16x8(i16x8_extend_high_i8x16(w0), x0),
                i32x4_dot_i16x8(i16x8_extend_high_i8x16(w1), x1),
            );
            Self {
                low: i32x4_add(self.low, low),
                high: i32x4_add(self.high, high),
            }
        }
        #[inline(always)]
        fn sums(self) -> [i32; 4] {
            let even = i32x4_shuffle::<0, 2, 4, 6>(self.low, self.high);
            let odd = i32x4_shuffle::<1, 3, 5, 7>(self.low, self.high);
            lanes(i32x4_add(even, odd))
        }
    }
}

#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
mod relaxed {
    use core::arch::wasm32::{
        i16x8_add, i16x8_relaxed_dot_i8x16_i7x16, i32x4, i32x4_add, i32x4_extadd_pairwise_i16x8,
        v128,
    };

    use super::wasm::{lanes, load_i8, splat4};
    use super::QuantLanes;

    /// Relaxed-SIMD sums (see the module docs).
    #[derive(Debug, Clone, Copy)]
    pub struct Relaxed(v128);

    impl QuantLanes for Relaxed {
        #[inline(always)]
        fn zero() -> Self {
            Self(i32x4(0, 0, 0, 0))
        }
        #[inline(always)]
        fn dot2(self, w0: &[i8; 16], w1: &[i8; 16], x0: &[u8; 4], x1: &[u8; 4]) -> Self {
            let pairs = i16x8_add(
                i16x8_relaxed_dot_i8x16_i7x16(load_i8(w0), splat4(x0)),
                i16x8_relaxed_dot_i8x16_i7x16(load_i8(w1), splat4(x1)),
            );
            Self(i32x4_add(self.0, i32x4_extadd_pairwise_i16x8(pairs)))
        }
        #[inline(always)]
        fn sums(self) -> [i32; 4] {
            lanes(self.0)
        }
    }
}

/// The sums of this build (see the module docs).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type QLanes = Portable;
/// The sums of this build (see the module docs).
#[cfg(all(
    target_arch = "wasm32",
    target_feature = "simd128",
    not(feature = "relaxed-simd")
))]
pub type QLanes = wasm::Simd128;
/// The sums of this build (see the module docs).
#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
pub type QLanes = relaxed::Relaxed;
