//! The loop of `f32-naive`, the baseline every other variant is measured against: for each
//! output `o`, `acc = b[o]`, then `acc += W[o][i] * x[i]` for `i = 0..in` (one accumulator,
//! so each addition waits for the previous one and nothing is vectorised), then ReLU on
//! hidden layers. It is here rather than beside its variant so that it is compiled at the
//! same opt-level as the kernels it is compared with.

/// `out[o] = relu?(b[o] + sum_i W[o][i] x[i])` for the `[out][in]` weights `weights`, with
/// `in = x.len()` and `out = biases.len()`.
///
/// # Panics
///
/// Panics if `weights` holds fewer than `in * out` floats or `out` fewer than `out` slots.
pub fn dense(weights: &[f32], biases: &[f32], x: &[f32], relu: bool, out: &mut [f32]) {
    let n_in = x.len();
    for (o, &bias) in biases.iter().enumerate() {
        let mut acc = bias;
        for i in 0..n_in {
            acc += weights[o * n_in + i] * x[i];
        }
        out[o] = if relu { acc.max(0.0) } else { acc };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_layer_by_hand() {
        // 2 inputs, 3 outputs.
        let w = [1.0, 2.0, -1.0, 0.5, 0.0, -3.0];
        let b = [0.5, 0.0, 1.0];
        let mut out = [f32::NAN; 3];
        dense(&w, &b, &[2.0, 4.0], false, &mut out);
        assert_eq!(out, [10.5, 0.0, -11.0]);
        dense(&w, &b, &[2.0, 4.0], true, &mut out);
        assert_eq!(out, [10.5, 0.0, 0.0]);
    }
}
