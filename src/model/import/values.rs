//! A tensor's bytes as `f32` values: the float dtypes InferBench reads and their exact
//! conversions.
//!
//! safetensors stores values little-endian, row-major. `F32` is read as it is; `F16`
//! (IEEE 754 binary16) and `BF16` (bfloat16) widen to `f32` exactly (every value of both is
//! an `f32`); `F64` rounds to the nearest `f32` (NumPy's default dtype is float64), and a
//! finite value beyond `f32`'s range becomes infinite, which the importer refuses like a NaN.

use safetensors::Dtype;

/// The dtypes InferBench reads, by their safetensors names.
pub const READABLE_DTYPES: [Dtype; 4] = [Dtype::F32, Dtype::F16, Dtype::BF16, Dtype::F64];

/// The `f32` value of an IEEE 754 binary16 bit pattern (exact: subnormals, infinities and
/// NaN included).
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits >> 15) << 31;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x3ff);
    let magnitude = match exponent {
        // Zero and subnormals: mantissa x 2^-24, exact in f32.
        0 => {
            let value = mantissa as f32 * 2f32.powi(-24);
            return if sign == 0 { value } else { -value };
        }
        // Infinity and NaN (the payload kept in the high mantissa bits).
        0x1f => (0xff << 23) | (mantissa << 13),
        // Normal: rebias the exponent from 15 to 127.
        _ => ((exponent + 127 - 15) << 23) | (mantissa << 13),
    };
    f32::from_bits(sign | magnitude)
}

/// The `f32` value of a bfloat16 bit pattern (the high half of an `f32`).
pub fn bf16_to_f32(bits: u16) -> f32 {
    f32::from_bits(u32::from(bits) << 16)
}

/// A tensor's values as `f32`, with the value as read (before any rounding) of the first
/// that is not a finite `f32`: `Err((flat index, value text))`.
///
/// # Panics
///
/// If `dtype` is not one of [`READABLE_DTYPES`], or `bytes` is not a whole number of
/// values (the safetensors reader checks both lengths).
pub fn to_f32(dtype: Dtype, bytes: &[u8]) -> Result<Vec<f32>, (usize, String)> {
    let values: Vec<(f32, Option<f64>)> = match dtype {
        Dtype::F32 => bytes
            .chunks_exact(4)
            .map(|b| (f32::from_le_bytes([b[0], b[1], b[2], b[3]]), None))
            .collect(),
        Dtype::F16 => bytes
            .chunks_exact(2)
            .map(|b| (f16_to_f32(u16::from_le_bytes([b[0], b[1]])), None))
            .collect(),
        Dtype::BF16 => bytes
            .chunks_exact(2)
            .map(|b| (bf16_to_f32(u16::from_le_bytes([b[0], b[1]])), None))
            .collect(),
        Dtype::F64 => bytes
            .chunks_exact(8)
            .map(|b| {
                let wide = f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                (wide as f32, Some(wide))
            })
            .collect(),
        other => panic!("{other:?} is not a dtype InferBench reads"),
    };
    if let Some((index, (_, wide))) = values.iter().enumerate().find(|(_, (v, _))| !v.is_finite()) {
        let (value, wide) = (values[index].0, *wide);
        let text = match wide {
            Some(w) if w.is_finite() => format!("{w:e} (beyond float32's range)"),
            _ => value.to_string(),
        };
        return Err((index, text));
    }
    Ok(values.into_iter().map(|(v, _)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f16_converts_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95); // nearest binary16 to 1/3
        assert_eq!(f16_to_f32(0x7bff), 65_504.0); // largest finite
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24)); // smallest subnormal
        assert_eq!(f16_to_f32(0x8001), -(2f32.powi(-24)));
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24)); // largest subnormal
        assert_eq!(f16_to_f32(0x0400), 2f32.powi(-14)); // smallest normal
        assert_eq!(f16_to_f32(0x0000).to_bits(), 0);
        assert_eq!(f16_to_f32(0x8000).to_bits(), 0x8000_0000); // -0
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert_eq!(f16_to_f32(0xfc00), f32::NEG_INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn bf16_is_the_high_half_of_f32() {
        assert_eq!(bf16_to_f32(0x3f80), 1.0);
        assert_eq!(bf16_to_f32(0xc0a0), -5.0);
        assert!(bf16_to_f32(0x7fc0).is_nan());
    }

    #[test]
    fn tensors_convert_and_name_the_first_non_finite_value() {
        let f32s: Vec<u8> = [1.5f32, -2.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(to_f32(Dtype::F32, &f32s), Ok(vec![1.5, -2.0]));
        let f64s: Vec<u8> = [0.1f64, 1e300]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            to_f32(Dtype::F64, &f64s),
            Err((1, "1e300 (beyond float32's range)".into()))
        );
        let f16s: Vec<u8> = [0x3c00u16, 0x7e00]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(to_f32(Dtype::F16, &f16s), Err((1, "NaN".into())));
        assert_eq!(
            to_f32(Dtype::F64, &0.1f64.to_le_bytes()),
            Ok(vec![0.1f64 as f32])
        );
    }
}
