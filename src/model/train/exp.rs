//! `e^x` from IEEE-exact operations only ([`portable_exp`]), so that training gives the same
//! weights on every platform.

/// `e^x` in f32 from IEEE-exact operations only, so it gives the same bits on every platform
/// (within 1 ulp of the true value: checked on a grid of step 0.01 over `[-87, 88]`).
///
/// Cody-Waite range reduction `x = k ln 2 + r` with `|r| <= ln 2 / 2`, the minimax polynomial
/// of Cephes' `expf` for `e^r`, then scaling by `2^k` through the exponent bits. Returns 0 below
/// -87 (where `e^x` is no longer a normal f32) and infinity above 88.
pub(super) fn portable_exp(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    if x.is_nan() {
        return x;
    }
    if x > 88.0 {
        return f32::INFINITY;
    }
    if x < -87.0 {
        return 0.0;
    }
    let k = (x * LOG2_E + 0.5).floor();
    let r = x - k * LN2_HI - k * LN2_LO;
    let r2 = r * r;
    let p = (((((1.987_569_2e-4 * r + 1.398_2e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5)
        * r2
        + r
        + 1.0;
    // k is in -126..=127 for x in [-87, 88], so 2^k is a normal f32.
    let two_to_k = f32::from_bits(((k as i32 + 127) as u32) << 23);
    p * two_to_k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_exp_is_within_one_ulp_of_the_true_value() {
        let mut worst_ulp = 0.0f64;
        for i in 0..=17_500 {
            let x = -87.0 + i as f32 * 0.01;
            let exact = f64::from(x).exp();
            let got = f64::from(portable_exp(x));
            // The spacing of f32 values around `exact`: 2^floor(log2(exact)) * EPSILON.
            let ulp = f64::from(f32::EPSILON) * 2f64.powi(exact.log2().floor() as i32);
            worst_ulp = worst_ulp.max((got - exact).abs() / ulp);
        }
        assert!(worst_ulp <= 1.0, "worst error {worst_ulp} ulp");
        assert_eq!(portable_exp(0.0), 1.0);
        assert_eq!(portable_exp(-100.0), 0.0);
        assert_eq!(portable_exp(100.0), f32::INFINITY);
        assert!(portable_exp(f32::NAN).is_nan());
    }
}
