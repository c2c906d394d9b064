//! Axis tick positions chosen by InferBench rather than plotters: "nice" 1-2-5 steps on a
//! linear axis and 1-2-5 multiples of the decades on a logarithmic one (plotters' own log
//! axis labels only the decades, too few for a latency axis spanning one or two).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

/// A linear f64 axis whose ticks (labelled) and grid lines (light) are given, not computed
/// by plotters. Values are drawn as given: pass logarithms for a logarithmic axis, and a
/// label formatter that undoes them.
pub struct TickedAxis {
    inner: RangedCoordf64,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl TickedAxis {
    /// The axis over `range` with labelled ticks at `bold` and light grid lines at `light`.
    pub fn new(range: Range<f64>, bold: Vec<f64>, light: Vec<f64>) -> Self {
        TickedAxis {
            inner: range.into(),
            bold,
            light,
        }
    }
}

impl Ranged for TickedAxis {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// Ticks at multiples of a 1, 2 or 5 times a power of ten step, inside `[lo, hi]`, about
/// `target` of them (never more than `2 * target`). Empty when the range is empty or not
/// finite.
pub fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || target == 0 {
        return Vec::new();
    }
    let rough = (hi - lo) / target as f64;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| round_sig(i as f64 * step)).collect()
}

/// Tick positions on a logarithmic axis over `[lo, hi]` (both positive): the labelled
/// ("bold") ticks, at 1, 2 and 5 times each power of ten (every integer multiple when that
/// gives fewer than four ticks, the powers of ten alone when it gives more than twelve), and
/// the light grid lines, at every integer multiple. Empty when the range is not positive.
pub fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    if !(lo.is_finite() && hi.is_finite()) || lo <= 0.0 || hi <= lo {
        return (Vec::new(), Vec::new());
    }
    let multiples = |mantissas: &[u32]| -> Vec<f64> {
        let first = lo.log10().floor() as i32;
        let last = hi.log10().ceil() as i32;
        (first..=last)
            .flat_map(|e| {
                mantissas
                    .iter()
                    .map(move |&m| round_sig(f64::from(m) * 10f64.powi(e)))
            })
            .filter(|v| *v >= lo && *v <= hi)
            .collect()
    };
    let every: Vec<u32> = (1..=9).collect();
    let light = multiples(&every);
    let mut bold = multiples(&[1, 2, 5]);
    if bold.len() < 4 {
        bold = light.clone();
    } else if bold.len() > 12 {
        bold = multiples(&[1]);
    }
    (bold, light)
}

/// `v` rounded to 12 significant digits: 3 x 10^-2 as 0.03, not 0.030000000000000002.
fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(11 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_use_one_two_five_steps() {
        assert_eq!(
            linear_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(
            linear_ticks(0.13, 0.42, 6),
            vec![0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
        );
        assert_eq!(linear_ticks(0.3, 0.3, 5), Vec::<f64>::new());
        assert_eq!(linear_ticks(f64::NAN, 1.0, 5), Vec::<f64>::new());
        let many = linear_ticks(-3.7, 1234.5, 8);
        assert!((4..=16).contains(&many.len()), "{many:?}");
        assert!(many.iter().all(|t| (-3.7..=1234.5).contains(t)));
    }

    #[test]
    fn log_ticks_label_one_two_five_within_the_range() {
        let (bold, light) = log_ticks(0.15, 12.0);
        assert_eq!(bold, vec![0.2, 0.5, 1.0, 2.0, 5.0, 10.0]);
        assert_eq!(light.first(), Some(&0.2));
        assert_eq!(light.last(), Some(&10.0));
        assert_eq!(light.len(), 8 + 9 + 1);
        assert!(light.contains(&0.3) && light.contains(&7.0));
    }

    #[test]
    fn narrow_log_ranges_label_every_multiple_and_wide_ones_the_decades() {
        let (bold, _) = log_ticks(0.031, 0.095);
        assert_eq!(bold, vec![0.04, 0.05, 0.06, 0.07, 0.08, 0.09]);
        let (bold, _) = log_ticks(1e-3, 1e3);
        assert_eq!(bold, vec![1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(0.0, 1.0), (Vec::new(), Vec::new()));
    }
}
