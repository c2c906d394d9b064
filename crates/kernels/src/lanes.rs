//! Four f32 lanes and the few operations the f32 kernels need, for each instruction set.
//!
//! The kernels in [`super::dense`] and [`super::sparse`] are written once, generic over
//! [`F32Lanes`], and instantiated with the type of the build ([`Lanes`]):
//!
//! | type       | build                                   | `mul_add`                       |
//! |------------|-----------------------------------------|---------------------------------|
//! | `Portable` | anything but wasm32 + simd128 (native)  | multiply, then add (LLVM vectorises the `[f32; 4]`) |
//! | `Simd128`  | wasm32 with `+simd128`                  | `f32x4.mul` then `f32x4.add`    |
//! | `Relaxed`  | wasm32 with the `relaxed-simd` feature  | `f32x4.relaxed_madd` (fused where the CPU has FMA) |
//!
//! A relaxed multiply-add may or may not round once (the browser chooses by CPU), so results
//! differ from the separately rounded ones in the last bits; the kernels' tests allow for that.

/// Four f32 lanes (one 128-bit vector).
pub trait F32Lanes: Copy {
    /// All four lanes `x`.
    fn splat(x: f32) -> Self;
    /// Lanes from four consecutive floats.
    fn load(x: &[f32; 4]) -> Self;
    /// Writes the lanes into four consecutive floats.
    fn store(self, out: &mut [f32; 4]);
    /// `self + a * b`, lane by lane.
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// `max(self, 0)`, lane by lane (ReLU).
    fn relu(self) -> Self;
}

/// Loads eight consecutive floats as two vectors.
#[inline(always)]
pub fn load8<L: F32Lanes>(x: &[f32; 8]) -> [L; 2] {
    let (low, high) = x.split_at(4);
    [
        L::load(low.try_into().expect("4 of 8")),
        L::load(high.try_into().expect("4 of 8")),
    ]
}

/// Stores two vectors into eight consecutive floats, with ReLU if `relu`.
#[inline(always)]
pub fn store8<L: F32Lanes>(v: [L; 2], relu: bool, out: &mut [f32; 8]) {
    let (low, high) = out.split_at_mut(4);
    let [v0, v1] = if relu { [v[0].relu(), v[1].relu()] } else { v };
    v0.store(low.try_into().expect("4 of 8"));
    v1.store(high.try_into().expect("4 of 8"));
}

/// Plain Rust lanes: what native builds use (LLVM turns them into SSE2 / NEON vectors).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
pub struct Portable([f32; 4]);

impl F32Lanes for Portable {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        Self([x; 4])
    }
    #[inline(always)]
    fn load(x: &[f32; 4]) -> Self {
        Self(*x)
    }
    #[inline(always)]
    fn store(self, out: &mut [f32; 4]) {
        *out = self.0;
    }
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        Self(core::array::from_fn(|i| self.0[i] + a.0[i] * b.0[i]))
    }
    #[inline(always)]
    fn relu(self) -> Self {
        Self(self.0.map(|x| x.max(0.0)))
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::{
        f32x4, f32x4_add, f32x4_extract_lane, f32x4_max, f32x4_mul, f32x4_splat, v128,
    };

    use super::F32Lanes;

    /// `v128` f32 lanes with separate multiply and add (every browser with SIMD128).
    #[derive(Debug, Clone, Copy)]
    #[cfg_attr(feature = "relaxed-simd", allow(dead_code))]
    pub struct Simd128(pub v128);

    #[inline(always)]
    pub fn load(x: &[f32; 4]) -> v128 {
        f32x4(x[0], x[1], x[2], x[3])
    }

    #[inline(always)]
    pub fn store(v: v128, out: &mut [f32; 4]) {
        *out = [
            f32x4_extract_lane::<0>(v),
            f32x4_extract_lane::<1>(v),
            f32x4_extract_lane::<2>(v),
            f32x4_extract_lane::<3>(v),
        ];
    }

    #[inline(always)]
    pub fn relu(v: v128) -> v128 {
        f32x4_max(v, f32x4_splat(0.0))
    }

    impl F32Lanes for Simd128 {
        #[inline(always)]
        fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        #[inline(always)]
        fn load(x: &[f32; 4]) -> Self {
            Self(load(x))
        }
        #[inline(always)]
        fn store(self, out: &mut [f32; 4]) {
            store(self.0, out);
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            Self(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }
        #[inline(always)]
        fn relu(self) -> Self {
            Self(relu(self.0))
        }
    }
}

#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
mod relaxed {
    use core::arch::wasm32::{f32x4_relaxed_madd, f32x4_splat, v128};

    use super::wasm::{load, relu, store};
    use super::F32Lanes;

    /// `v128` f32 lanes with the relaxed-SIMD multiply-add.
    #[derive(Debug, Clone, Copy)]
    pub struct Relaxed(v128);

    impl F32Lanes for Relaxed {
        #[inline(always)]
        fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        #[inline(always)]
        fn load(x: &[f32; 4]) -> Self {
            Self(load(x))
        }
        #[inline(always)]
        fn store(self, out: &mut [f32; 4]) {
            store(self.0, out);
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            Self(f32x4_relaxed_madd(a.0, b.0, self.0))
        }
        #[inline(always)]
        fn relu(self) -> Self {
            Self(relu(self.0))
        }
    }
}

/// The lanes of this build (see the module docs).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type Lanes = Portable;
/// The lanes of this build (see the module docs).
#[cfg(all(
    target_arch = "wasm32",
    target_feature = "simd128",
    not(feature = "relaxed-simd")
))]
pub type Lanes = wasm::Simd128;
/// The lanes of this build (see the module docs).
#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
pub type Lanes = relaxed::Relaxed;
