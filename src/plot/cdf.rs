//! Latency CDFs: one or several distributions overlaid (scenarios, variants or machines).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One distribution of the CDF chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfSeries {
    /// The legend's label, e.g. "f32-fast" or "Alice's laptop".
    pub label: String,
    /// Latencies in milliseconds, in any order.
    pub latencies_ms: Vec<f64>,
}

/// What the CDF chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfData {
    /// The chart's title.
    pub title: String,
    /// The distributions to overlay.
    pub series: Vec<CdfSeries>,
    /// A vertical reference line, e.g. the Server latency bound, in milliseconds.
    pub bound_ms: Option<f64>,
}

/// Points drawn per series at most (evenly spaced ranks, the extremes always kept).
const MAX_POINTS: usize = 800;
/// The x axis ends at the largest of the series' quantiles at this level.
const CLIP_QUANTILE: f64 = 0.999;

/// The empirical CDF of `latencies_ms` as (latency, fraction of queries at or below it),
/// thinned to at most `max_points` points; non-finite values are dropped.
pub fn cdf_points(latencies_ms: &[f64], max_points: usize) -> Vec<(f64, f64)> {
    let mut sorted: Vec<f64> = latencies_ms
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 || max_points == 0 {
        return Vec::new();
    }
    let step = n.div_ceil(max_points.max(2)).max(1);
    let mut points: Vec<(f64, f64)> = (0..n)
        .step_by(step)
        .map(|i| (sorted[i], (i + 1) as f64 / n as f64))
        .collect();
    if points.last().map(|p| p.1) != Some(1.0) {
        points.push((sorted[n - 1], 1.0));
    }
    points
}

/// Draws the overlaid CDFs (y: fraction of queries with latency at or below x).
pub fn latency_cdf<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &CdfData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let curves: Vec<(String, Vec<(f64, f64)>)> = data
        .series
        .iter()
        .map(|s| (s.label.clone(), cdf_points(&s.latencies_ms, MAX_POINTS)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if curves.is_empty() {
        return draw_message(area, &data.title, "No latencies recorded", style);
    }
    let min = curves
        .iter()
        .map(|(_, p)| p[0].0)
        .fold(f64::INFINITY, f64::min);
    let clip = curves
        .iter()
        .map(|(_, p)| {
            p.iter()
                .find(|(_, f)| *f >= CLIP_QUANTILE)
                .map_or(p[p.len() - 1].0, |q| q.0)
        })
        .fold(f64::NEG_INFINITY, f64::max);
    let max = data
        .bound_ms
        .filter(|b| b.is_finite() && *b > clip)
        .map_or(clip, |b| b.min(clip * 3.0));
    let (x0, x1) = padded_range(min, max, 0.03);
    area.fill(&theme::BACKGROUND)?;
    let mut chart =
        super::builder(area, &data.title, style, 58.0).build_cartesian_2d(x0..x1, 0f64..1.02)?;
    chart
        .configure_mesh()
        .x_desc("Latency (ms)")
        .y_desc("Fraction of queries ≤ latency")
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .x_label_formatter(&|v| crate::format::axis(*v))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (i, (label, points)) in curves.iter().enumerate() {
        let color = theme::series_color(i);
        // A step function: each point holds until the next latency.
        let mut path = Vec::with_capacity(points.len() * 2 + 1);
        path.push((points[0].0, 0.0));
        let mut previous = 0.0;
        for &(x, f) in points {
            path.push((x, previous));
            path.push((x, f));
            previous = f;
        }
        path.retain(|(x, _)| *x <= x1);
        chart
            .draw_series(std::iter::once(PathElement::new(
                path,
                color.stroke_width(style.stroke(2.0)),
            )))?
            .label(label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    if let Some(bound) = data
        .bound_ms
        .filter(|b| b.is_finite() && *b >= x0 && *b <= x1)
    {
        super::reference_line(
            &mut chart,
            (bound, 0.0),
            (bound, 1.0),
            format!("latency bound {bound} ms"),
            style,
        )?;
    }
    super::legend(&mut chart, SeriesLabelPosition::LowerRight, style)?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn cdf_points_are_the_empirical_cdf() {
        let p = cdf_points(&[3.0, 1.0, 2.0, f64::NAN], 100);
        assert_eq!(p, vec![(1.0, 1.0 / 3.0), (2.0, 2.0 / 3.0), (3.0, 1.0)]);
    }

    #[test]
    fn cdf_points_are_thinned_but_keep_the_extremes() {
        let values: Vec<f64> = (0..10_000).map(f64::from).collect();
        let p = cdf_points(&values, 100);
        assert!(p.len() <= 101);
        assert_eq!(p[0], (0.0, 1e-4));
        assert_eq!(*p.last().unwrap(), (9999.0, 1.0));
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1));
    }

    #[test]
    fn overlays_every_series_with_a_legend() {
        let data = CdfData {
            title: "Latency CDF".into(),
            series: vec![
                CdfSeries {
                    label: "machine A".into(),
                    latencies_ms: (1..200).map(f64::from).collect(),
                },
                CdfSeries {
                    label: "machine B".into(),
                    latencies_ms: (1..200).map(|i| f64::from(i) * 1.5).collect(),
                },
            ],
            bound_ms: Some(250.0),
        };
        let svg = render_svg(|a| latency_cdf(a, &data, &ChartStyle::default()));
        for text in [
            "Latency CDF",
            "machine A",
            "machine B",
            "latency bound 250 ms",
            "Latency (ms)",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
