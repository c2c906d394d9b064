//! Histogram binning (Freedman-Diaconis), as a pure function tested on its own.

use crate::stats::sample::{finite_sorted, quantile_linear};

/// One histogram bar: values in `[start, end)` (the last bin also holds its `end`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// Lower edge.
    pub start: f64,
    /// Upper edge.
    pub end: f64,
    /// How many values fall in the bin.
    pub count: u32,
}

/// Values grouped into bins over a shown range.
#[derive(Debug, Clone, PartialEq)]
pub struct Binned {
    /// The bins, in order, of equal width, covering `[bins[0].start, bins.last().end]`.
    pub bins: Vec<Bin>,
    /// How many values lie above the shown range (the far tail, left out so that it does not
    /// squash the rest of the histogram into one bar).
    pub above: u32,
}

/// Where a histogram's shown range ends, so that a far tail does not squash the body of the
/// distribution into one bar: at the `quantile` quantile of the values, or sooner at Tukey's
/// far-out fence (Q3 + 3 IQR), but never before the `min_quantile` quantile (some tail stays
/// in view) nor before `keep` (a marked percentile). Quantiles are nearest rank below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clip {
    /// The shown range never ends beyond this quantile, in `[0, 1)`.
    pub quantile: f64,
    /// Nor before this one (at most `quantile`).
    pub min_quantile: f64,
    /// A value the shown range reaches even when it lies beyond the fence.
    pub keep: f64,
}

/// Bins `values` with the Freedman-Diaconis rule, width = 2 IQR / n^(1/3) (the square-root
/// rule when the IQR is zero), into at most `max_bins` bins. A positive `min_width` is the
/// timer's resolution: bins are then whole numbers of ticks wide and centred on the ticks
/// from the smallest value on (narrower or misaligned bins would show the tick's comb, not
/// the distribution). With a [`Clip`] the shown range ends where it says and the values above
/// it are counted in [`Binned::above`]. Non-finite values are ignored.
pub fn histogram_bins(
    values: &[f64],
    max_bins: usize,
    min_width: f64,
    clip: Option<Clip>,
) -> Binned {
    let sorted = finite_sorted(values);
    let n = sorted.len();
    if n == 0 || max_bins == 0 {
        return Binned {
            bins: Vec::new(),
            above: 0,
        };
    }
    let lo = sorted[0];
    // numpy's default (linear) quartiles; `sorted` is not empty here.
    let quartile = |q| quantile_linear(&sorted, q).unwrap_or(lo);
    let q1 = quartile(0.25);
    let q3 = quartile(0.75);
    let hi = match clip {
        Some(c) if (0.0..1.0).contains(&c.quantile) => {
            // Nearest rank below (no interpolation towards the far tail).
            let rank = |q: f64| sorted[((n - 1) as f64 * q.clamp(0.0, 1.0)).floor() as usize];
            let fence = q3 + 3.0 * (q3 - q1);
            let at_least = rank(c.min_quantile.min(c.quantile)).max(c.keep);
            rank(c.quantile).min(fence.max(at_least)).max(lo)
        }
        _ => sorted[n - 1],
    };
    let span = hi - lo;
    let fd_width = if q3 > q1 {
        2.0 * (q3 - q1) / (n as f64).cbrt()
    } else {
        span / (n as f64).sqrt().ceil()
    };
    let (start, width, count) = if min_width.is_finite() && min_width > 0.0 {
        // Latencies are whole numbers of ticks: bins of whole ticks, each tick's values in
        // the middle of a bin (never split between two, never a bin with no tick in it).
        let start = lo - min_width / 2.0;
        let reach = hi - start;
        let ticks = (fd_width / min_width)
            .ceil()
            .max((reach / min_width / max_bins as f64).ceil())
            .max(1.0);
        let width = ticks * min_width;
        let count = ((reach / width).ceil() as usize).clamp(1, max_bins);
        (start, width, count)
    } else if span <= 0.0 || fd_width <= 0.0 {
        let width = lo.abs().max(1e-9) * 0.1;
        (lo - width / 2.0, width, 1)
    } else {
        // Equal bins over the span, as numpy's "fd" does.
        let count = ((span / fd_width).ceil() as usize).clamp(1, max_bins);
        (lo, span / count as f64, count)
    };
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin {
            start: start + width * i as f64,
            end: start + width * (i + 1) as f64,
            count: 0,
        })
        .collect();
    let shown_end = bins[count - 1].end;
    let mut above = 0;
    for &v in &sorted {
        if v > shown_end.max(hi) {
            above += 1;
            continue;
        }
        let i = (((v - start) / width).floor().max(0.0) as usize).min(count - 1);
        bins[i].count += 1;
    }
    Binned { bins, above }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_counted_once() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i % 97) * 0.01 + 1.0).collect();
        let b = histogram_bins(&values, 50, 0.0, None);
        let total: u32 = b.bins.iter().map(|b| b.count).sum();
        assert_eq!(total + b.above, 1000);
        assert_eq!(b.above, 0);
        assert!(b.bins.len() <= 50);
        assert_eq!(b.bins[0].start, 1.0);
        assert!((b.bins.last().unwrap().end - 1.96).abs() < 1e-12);
    }

    #[test]
    fn freedman_diaconis_width() {
        // 0..=99: IQR = 74.25 - 24.75 = 49.5, n^(1/3) = 4.6416: width 21.33 -> 5 bins of 19.8.
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        let b = histogram_bins(&values, 100, 0.0, None);
        assert_eq!(b.bins.len(), 5);
        assert_eq!(
            b.bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![20, 20, 20, 20, 20]
        );
    }

    #[test]
    fn clip_counts_the_far_tail_separately() {
        let mut values: Vec<f64> = (0..999).map(|i| 1.0 + f64::from(i) * 0.001).collect();
        values.push(1000.0);
        // Rank floor(999 * 0.999) = 998 holds 1.998: only the outlier lies beyond.
        let clip = Clip {
            quantile: 0.999,
            min_quantile: 0.99,
            keep: 0.0,
        };
        let b = histogram_bins(&values, 40, 0.0, Some(clip));
        assert_eq!(b.above, 1);
        let end = b.bins.last().unwrap().end;
        assert!((1.998..2.1).contains(&end), "{end}");
        assert_eq!(b.bins.iter().map(|b| b.count).sum::<u32>(), 999);
    }

    #[test]
    fn clip_stops_at_the_far_out_fence_but_keeps_the_marked_percentile() {
        // 0.100..=0.199 and a 1% tail at 5..=9.5: Q1 = 0.12475, Q3 = 0.17425, so the fence
        // Q3 + 3 IQR is 0.32275, far below the 99.5th percentile (9.0) and above the 98th
        // (0.198).
        let mut values: Vec<f64> = (0..990).map(|i| 0.1 + f64::from(i / 10) * 0.001).collect();
        values.extend((0..10).map(|i| 5.0 + f64::from(i) * 0.5));
        let clip = Clip {
            quantile: 0.995,
            min_quantile: 0.98,
            keep: 0.0,
        };
        let b = histogram_bins(&values, 60, 0.0, Some(clip));
        assert_eq!(b.above, 10);
        let end = b.bins.last().unwrap().end;
        assert!((0.199..0.33).contains(&end), "{end}");
        // A marker at 6 ms stretches the range to it (values up to the 99.5th percentile).
        let b = histogram_bins(&values, 60, 0.0, Some(Clip { keep: 6.0, ..clip }));
        assert_eq!(b.above, 7, "6.5 ms and beyond");
        assert!(b.bins.last().unwrap().end >= 6.0);
        // With the 99th percentile (rank 989: 0.199) as the floor, the fence still rules.
        let b = histogram_bins(
            &values,
            60,
            0.0,
            Some(Clip {
                min_quantile: 0.99,
                ..clip
            }),
        );
        assert_eq!(b.above, 10);
        // A floor in the tail (the 99.3rd percentile, rank 992: 6.0) shows some of it.
        let b = histogram_bins(
            &values,
            60,
            0.0,
            Some(Clip {
                min_quantile: 0.993,
                ..clip
            }),
        );
        assert_eq!(b.above, 7);
    }

    #[test]
    fn bins_are_never_narrower_than_the_timer_tick() {
        let values: Vec<f64> = (0..1000).map(|i| 0.1 + f64::from(i % 10) * 0.005).collect();
        let b = histogram_bins(&values, 100, 0.01, None);
        for bin in &b.bins {
            assert!(bin.end - bin.start >= 0.01 - 1e-12);
        }
    }

    #[test]
    fn bins_of_quantised_values_are_centred_on_the_ticks() {
        // Latencies of 5 us ticks: 25, 30, ..., 60 us, most at 35 and 40.
        let mut values = vec![0.035; 300];
        values.extend(vec![0.040; 180]);
        values.extend([0.025, 0.030, 0.030, 0.045, 0.050, 0.055, 0.060]);
        let b = histogram_bins(&values, 60, 0.005, None);
        assert_eq!(b.bins.len(), 8, "one bin per tick value");
        assert!((b.bins[0].start - 0.0225).abs() < 1e-12);
        assert_eq!(
            b.bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![1, 2, 300, 180, 1, 1, 1, 1]
        );
        // Capped at max_bins: two ticks per bin.
        let b = histogram_bins(&values, 4, 0.005, None);
        assert_eq!(b.bins.len(), 4);
        assert!((b.bins[0].end - b.bins[0].start - 0.010).abs() < 1e-12);
        assert_eq!(b.bins.iter().map(|b| b.count).sum::<u32>(), 487);
    }

    #[test]
    fn constant_and_empty_inputs() {
        let b = histogram_bins(&[2.0; 10], 10, 0.0, None);
        assert_eq!(b.bins.len(), 1);
        assert_eq!(b.bins[0].count, 10);
        assert!(b.bins[0].start < 2.0 && b.bins[0].end > 2.0);
        assert!(histogram_bins(&[], 10, 0.0, None).bins.is_empty());
        assert!(histogram_bins(&[f64::NAN], 10, 0.0, None).bins.is_empty());
    }
}
