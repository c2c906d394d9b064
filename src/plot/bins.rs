//! Histogram binning (Freedman-Diaconis), as a pure function tested on its own.

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

/// Bins `values` with the Freedman-Diaconis rule, width = 2 IQR / n^(1/3) (the square-root
/// rule when the IQR is zero), never narrower than `min_width` (pass the timer's resolution:
/// narrower bins would show the tick's comb, not the distribution) and into at most
/// `max_bins` bins. With `clip_quantile = Some(q)` the shown range ends at the `q` quantile
/// and the values above it are counted in [`Binned::above`]. Non-finite values are ignored.
pub fn histogram_bins(
    values: &[f64],
    max_bins: usize,
    min_width: f64,
    clip_quantile: Option<f64>,
) -> Binned {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 || max_bins == 0 {
        return Binned {
            bins: Vec::new(),
            above: 0,
        };
    }
    let lo = sorted[0];
    let hi = match clip_quantile {
        // Nearest rank below (no interpolation towards the far tail).
        Some(q) if (0.0..1.0).contains(&q) => sorted[((n - 1) as f64 * q).floor() as usize].max(lo),
        _ => sorted[n - 1],
    };
    let q1 = quantile(&sorted, 0.25);
    let q3 = quantile(&sorted, 0.75);
    let span = hi - lo;
    let mut width = if q3 > q1 {
        2.0 * (q3 - q1) / (n as f64).cbrt()
    } else {
        span / (n as f64).sqrt().ceil()
    };
    if min_width.is_finite() && min_width > 0.0 {
        width = width.max(min_width);
    }
    let mut count = if span <= 0.0 || width <= 0.0 {
        1
    } else {
        ((span / width).ceil() as usize).clamp(1, max_bins)
    };
    // Equal bins over the span (as numpy's "fd" does), widened to whole ticks if needed.
    if span > 0.0 && min_width.is_finite() && min_width > 0.0 && span / (count as f64) < min_width {
        count = ((span / min_width).floor() as usize).max(1);
    }
    let width = if span <= 0.0 {
        if min_width.is_finite() && min_width > 0.0 {
            min_width
        } else {
            lo.abs().max(1e-9) * 0.1
        }
    } else {
        span / count as f64
    };
    let start = if span <= 0.0 { lo - width / 2.0 } else { lo };
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

/// Linear-interpolation quantile of sorted values (numpy's default), for binning only.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    if i + 1 < sorted.len() {
        sorted[i] + (sorted[i + 1] - sorted[i]) * frac
    } else {
        sorted[i]
    }
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
        let b = histogram_bins(&values, 40, 0.0, Some(0.999));
        assert_eq!(b.above, 1);
        let end = b.bins.last().unwrap().end;
        assert!((1.998..2.1).contains(&end), "{end}");
        assert_eq!(b.bins.iter().map(|b| b.count).sum::<u32>(), 999);
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
    fn constant_and_empty_inputs() {
        let b = histogram_bins(&[2.0; 10], 10, 0.0, None);
        assert_eq!(b.bins.len(), 1);
        assert_eq!(b.bins[0].count, 10);
        assert!(b.bins[0].start < 2.0 && b.bins[0].end > 2.0);
        assert!(histogram_bins(&[], 10, 0.0, None).bins.is_empty());
        assert!(histogram_bins(&[f64::NAN], 10, 0.0, None).bins.is_empty());
    }
}
