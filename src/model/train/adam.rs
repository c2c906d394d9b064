//! Adam (Kingma and Ba, 2015): each layer's moment estimates and the bias-corrected update,
//! `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`, no weight decay.

pub(super) const BETA1: f32 = 0.9;
pub(super) const BETA2: f32 = 0.999;
pub(super) const EPSILON: f32 = 1e-8;

/// Adam's moment estimates for one layer.
#[derive(Debug, Clone)]
pub(super) struct AdamState {
    pub(super) m_weights: Vec<f32>,
    pub(super) v_weights: Vec<f32>,
    pub(super) m_biases: Vec<f32>,
    pub(super) v_biases: Vec<f32>,
}

/// `w -= lr * m_hat / (sqrt(v_hat) + eps)` with `m_hat = m / c1`, `v_hat = v / c2`.
pub(super) fn adam_update(
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
