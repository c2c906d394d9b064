//! Adam (Kingma and Ba, 2015): each layer's moment estimates and the bias-corrected update,
//! `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`, no weight decay. Training
//! (`inferbench::model::train`) runs it on every parameter at every step, so it is compiled
//! here, with the kernels.

/// The first moment's decay.
pub const BETA1: f32 = 0.9;
/// The second moment's decay.
pub const BETA2: f32 = 0.999;
/// Added to the second moment's root.
pub const EPSILON: f32 = 1e-8;

/// Adam's moment estimates for one layer.
#[derive(Debug, Clone)]
pub struct AdamState {
    /// First moments of the weights.
    pub m_weights: Vec<f32>,
    /// Second moments of the weights.
    pub v_weights: Vec<f32>,
    /// First moments of the biases.
    pub m_biases: Vec<f32>,
    /// Second moments of the biases.
    pub v_biases: Vec<f32>,
}

/// `w -= lr * m_hat / (sqrt(v_hat) + eps)` with `m_hat = m / c1`, `v_hat = v / c2`.
pub fn adam_update(
    params: &mut [f32],
    grads: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    lr: f32,
    c1: f32,
    c2: f32,
) {
    for (((w, &g), m), v) in params
        .iter_mut()
        .zip(grads)
        .zip(m.iter_mut())
        .zip(v.iter_mut())
    {
        *m = BETA1 * *m + (1.0 - BETA1) * g;
        *v = BETA2 * *v + (1.0 - BETA2) * g * g;
        *w -= lr * (*m / c1) / ((*v / c2).sqrt() + EPSILON);
    }
}
