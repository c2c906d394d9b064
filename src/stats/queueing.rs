//! Queueing theory for the Server scenario: a single server with Poisson arrivals and FIFO
//! order, which is what InferBench's Server run is (its system under test takes one query at
//! a time).
//!
//! The Pollaczek-Khinchine formula gives the M/G/1 queue's mean time in the system (latency =
//! waiting + service) for arrivals at rate `λ` and service times `S`:
//!
//! ```text
//! ρ = λ E[S]   (utilisation, < 1 for a stable queue)
//! W = E[S] + λ E[S²] / (2 (1 - ρ))
//! ```
//!
//! For a deterministic server (M/D/1), `E[S²] = E[S]²`, so `W = S + ρ S / (2 (1 - ρ))`; at
//! `ρ = 0.5` that is 1.5 S, at `ρ = 0.8` 3 S. (Kleinrock, *Queueing Systems*, vol. 1, 1975,
//! section 5.6.)

/// The M/G/1 queue's mean latency (waiting plus service), in the unit of `mean_service`, for
/// arrivals at `rate` per that unit and a service time of mean `mean_service` and second
/// moment `service_second_moment` (the unit squared); `None` unless `0 <= ρ < 1`.
pub fn mg1_mean_latency(rate: f64, mean_service: f64, service_second_moment: f64) -> Option<f64> {
    let rho = rate * mean_service;
    if !(rho.is_finite() && (0.0..1.0).contains(&rho)) || service_second_moment < 0.0 {
        return None;
    }
    Some(mean_service + rate * service_second_moment / (2.0 * (1.0 - rho)))
}

/// The M/D/1 queue's mean latency for arrivals at `rate` and a fixed `service` time;
/// `None` unless `0 <= ρ < 1`.
pub fn md1_mean_latency(rate: f64, service: f64) -> Option<f64> {
    mg1_mean_latency(rate, service, service * service)
}

/// The mean waiting time before service (latency minus service) of the M/G/1 queue; `None`
/// unless `0 <= ρ < 1`.
pub fn mg1_mean_wait(rate: f64, mean_service: f64, service_second_moment: f64) -> Option<f64> {
    mg1_mean_latency(rate, mean_service, service_second_moment).map(|w| w - mean_service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md1_at_half_and_four_fifths_load() {
        // 1 ms service at 500 and 800 per second (0.5 and 0.8 per ms).
        assert!((md1_mean_latency(0.5, 1.0).unwrap() - 1.5).abs() < 1e-12);
        assert!((md1_mean_latency(0.8, 1.0).unwrap() - 3.0).abs() < 1e-12);
        assert_eq!(md1_mean_latency(1.0, 1.0), None);
        assert_eq!(md1_mean_latency(0.0, 1.0), Some(1.0));
    }

    #[test]
    fn mm1_is_the_exponential_case() {
        // Exponential service: E[S²] = 2 E[S]², and the M/M/1 latency is 1 / (μ - λ).
        let (lambda, s) = (0.7, 1.0);
        let w = mg1_mean_latency(lambda, s, 2.0 * s * s).unwrap();
        assert!((w - 1.0 / (1.0 / s - lambda)).abs() < 1e-12);
        assert!((mg1_mean_wait(lambda, s, 2.0).unwrap() - (w - s)).abs() < 1e-12);
    }
}
