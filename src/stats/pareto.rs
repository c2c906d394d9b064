//! The Pareto frontier of accuracy (higher is better) against p90 latency (lower is
//! better).
//!
//! Point `j` **dominates** point `i` when `j` is at least as accurate *and* at least as
//! fast, and strictly better in at least one of the two. A point is on the frontier when no
//! point dominates it.
//!
//! **Ties.** Two points with exactly equal accuracy and latency do not dominate each other:
//! both stay on the frontier (or are both dominated by a third point). Equality is exact
//! floating-point equality; accuracies measured on the same test split are multiples of
//! `1 / test_size`, so genuine ties compare equal.

use serde::{Deserialize, Serialize};

use super::error::StatsError;

/// One model variant's position in the accuracy / latency plane.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    /// Test accuracy as a fraction in `[0, 1]` (higher is better).
    pub accuracy: f64,
    /// p90 latency in milliseconds (lower is better).
    pub p90_latency_ms: f64,
}

/// Where one point stands relative to the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParetoStatus {
    /// Whether no other point dominates this one.
    pub on_frontier: bool,
    /// Indices (into the input) of every point that dominates this one, ascending; empty
    /// exactly when `on_frontier`.
    pub dominated_by: Vec<usize>,
}

/// Classifies every point, in input order.
///
/// - Time: `O(n²)`, for the handful of variants a report holds.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for an accuracy outside `[0, 1]` or a latency that is
/// not finite and `>= 0`.
pub fn pareto_frontier(points: &[ParetoPoint]) -> Result<Vec<ParetoStatus>, StatsError> {
    for p in points {
        if !(0.0..=1.0).contains(&p.accuracy) {
            return Err(StatsError::InvalidParameter {
                name: "accuracy",
                value: p.accuracy,
                expected: "a fraction between 0 and 1",
            });
        }
        if !(p.p90_latency_ms >= 0.0 && p.p90_latency_ms.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name: "p90_latency_ms",
                value: p.p90_latency_ms,
                expected: "finite and >= 0",
            });
        }
    }
    Ok(points
        .iter()
        .map(|p| {
            let dominated_by: Vec<usize> = points
                .iter()
                .enumerate()
                .filter(|(_, q)| dominates(q, p))
                .map(|(j, _)| j)
                .collect();
            ParetoStatus {
                on_frontier: dominated_by.is_empty(),
                dominated_by,
            }
        })
        .collect())
}

/// Whether `q` dominates `p`.
pub fn dominates(q: &ParetoPoint, p: &ParetoPoint) -> bool {
    let no_worse = q.accuracy >= p.accuracy && q.p90_latency_ms <= p.p90_latency_ms;
    let better = q.accuracy > p.accuracy || q.p90_latency_ms < p.p90_latency_ms;
    no_worse && better
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(accuracy: f64, p90_latency_ms: f64) -> ParetoPoint {
        ParetoPoint {
            accuracy,
            p90_latency_ms,
        }
    }

    #[test]
    fn marks_dominated_points_and_their_dominators() {
        let points = [
            pt(0.97, 4.0), // 0: most accurate, slow
            pt(0.96, 2.0), // 1: balanced
            pt(0.90, 1.0), // 2: fastest
            pt(0.95, 3.0), // 3: dominated by 1 only (0 is slower, 2 less accurate)
            pt(0.90, 2.5), // 4: dominated by 1, and by 2 (equal accuracy, faster)
        ];
        let s = pareto_frontier(&points).unwrap();
        let dominated: Vec<Vec<usize>> = s.iter().map(|x| x.dominated_by.clone()).collect();
        assert_eq!(dominated, vec![vec![], vec![], vec![], vec![1], vec![1, 2]]);
        assert_eq!(
            s.iter().map(|x| x.on_frontier).collect::<Vec<_>>(),
            vec![true, true, true, false, false]
        );
    }

    #[test]
    fn exact_ties_do_not_dominate_each_other() {
        let s = pareto_frontier(&[pt(0.9, 1.0), pt(0.9, 1.0), pt(0.9, 2.0)]).unwrap();
        assert!(s[0].on_frontier && s[1].on_frontier);
        assert_eq!(s[2].dominated_by, vec![0, 1]);
    }

    #[test]
    fn rejects_bad_points() {
        assert!(pareto_frontier(&[pt(1.5, 1.0)]).is_err());
        assert!(pareto_frontier(&[pt(0.5, f64::NAN)]).is_err());
        assert_eq!(pareto_frontier(&[]), Ok(vec![]));
    }
}
