//! Latency CDFs: one or several distributions overlaid (scenarios, variants or machines).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::{linear_ticks, log_ticks, TickedAxis};
use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};
use crate::stats::sample::finite_sorted;

/// One distribution of the CDF chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CdfSeries {
    /// The legend's label, e.g. "f32-fast" or "Alice's laptop".
    pub label: String,
    /// Latencies in milliseconds, in any order.
    pub latencies_ms: Vec<f64>,
}

/// What the CDF chart shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
/// The x axis turns logarithmic when, on a linear one, the slowest series' 90th percentile
/// would sit in less than this fraction of the axis (a far tail squashing the body).
const LOG_AXIS_BODY_FRACTION: f64 = 0.25;
/// Where a linear axis that a far tail would squash ends (when a log axis is ruled out).
const SQUASHED_CLIP_QUANTILE: f64 = 0.999;
/// About this many labelled ticks on a linear x axis.
const LINEAR_TICKS: usize = 8;

/// The x axis of a CDF chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XScale {
    /// Latency, linearly.
    Linear,
    /// The logarithm of latency: the body and a tail ten or a hundred times slower both show.
    Log,
}

/// The x axis for curves spanning `min..max` whose slowest 90th percentile is `body`: linear,
/// unless that would squeeze the bodies into the first quarter of the axis (and latencies are
/// positive, as a log axis needs).
pub fn x_scale(min: f64, body: f64, max: f64) -> XScale {
    if min > 0.0 && body_squashed(min, body, max) {
        XScale::Log
    } else {
        XScale::Linear
    }
}

/// Whether, on a linear axis from `min` to `max`, `body` would sit in less than
/// [`LOG_AXIS_BODY_FRACTION`] of it.
fn body_squashed(min: f64, body: f64, max: f64) -> bool {
    max > min && (body - min) / (max - min) < LOG_AXIS_BODY_FRACTION
}

/// The empirical CDF of `latencies_ms` as (latency, fraction of queries at or below it),
/// thinned to at most `max_points` points; non-finite values are dropped.
pub fn cdf_points(latencies_ms: &[f64], max_points: usize) -> Vec<(f64, f64)> {
    let sorted = finite_sorted(latencies_ms);
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
    let body = curves
        .iter()
        .map(|(_, p)| p.iter().find(|(_, f)| *f >= 0.9).map_or(p[0].0, |q| q.0))
        .fold(f64::NEG_INFINITY, f64::max);
    let slowest = curves
        .iter()
        .map(|(_, p)| p[p.len() - 1].0)
        .fold(f64::NEG_INFINITY, f64::max);
    let scale = x_scale(min, body, slowest);
    // A squashed linear axis (zero latencies from a coarse timer rule out a log one) ends
    // at the largest of the series' 99.9th percentiles instead: the far tail runs off it.
    let squashed = scale == XScale::Linear && body_squashed(min, body, slowest);
    let end = if squashed {
        curves
            .iter()
            .map(|(_, p)| {
                p.iter()
                    .find(|(_, f)| *f >= SQUASHED_CLIP_QUANTILE)
                    .map_or(p[p.len() - 1].0, |q| q.0)
            })
            .fold(f64::NEG_INFINITY, f64::max)
    } else {
        slowest
    };
    // The latency bound is shown when it is not far beyond the slowest latency.
    let max = data
        .bound_ms
        .filter(|b| b.is_finite() && *b > end)
        .map_or(end, |b| b.min(end * 3.0));
    // The chart is drawn in axis units: latency, or its base-10 logarithm.
    let to_axis = move |x: f64| match scale {
        XScale::Linear => x,
        XScale::Log => x.log10(),
    };
    let (x0, x1) = padded_range(to_axis(min), to_axis(max), 0.03);
    let (bold, light) = match scale {
        XScale::Linear => (
            linear_ticks(x0, x1, LINEAR_TICKS),
            linear_ticks(x0, x1, LINEAR_TICKS * 5),
        ),
        XScale::Log => {
            let (bold, light) = log_ticks(10f64.powf(x0), 10f64.powf(x1));
            (
                bold.into_iter().map(f64::log10).collect(),
                light.into_iter().map(f64::log10).collect(),
            )
        }
    };
    area.fill(&theme::BACKGROUND)?;
    let plot = super::titled(area, &data.title, style)?;
    let mut chart = super::builder(&plot, style, 58.0)
        .build_cartesian_2d(TickedAxis::new(x0..x1, bold, light), 0f64..1.02)?;
    chart
        .configure_mesh()
        .x_desc(match scale {
            XScale::Linear => "Latency (ms)",
            XScale::Log => "Latency (ms, logarithmic scale)",
        })
        .y_desc("Fraction of queries ≤ latency")
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .x_label_formatter(&|u| {
            crate::format::axis(match scale {
                XScale::Linear => *u,
                XScale::Log => 10f64.powf(*u),
            })
        })
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (i, (label, points)) in curves.iter().enumerate() {
        let color = theme::series_color(i);
        // A step function: each point holds until the next latency.
        let mut path = Vec::with_capacity(points.len() * 2 + 1);
        path.push((to_axis(points[0].0), 0.0));
        let mut previous = 0.0;
        for &(x, f) in points {
            path.push((to_axis(x), previous));
            path.push((to_axis(x), f));
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
        .filter(|b| b.is_finite() && *b > 0.0 && (x0..=x1).contains(&to_axis(*b)))
    {
        super::reference_line(
            &mut chart,
            (to_axis(bound), 0.0),
            (to_axis(bound), 1.0),
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
    fn a_far_tail_turns_the_axis_logarithmic() {
        // Body 0.15-0.24 ms, tail to 12 ms: p90 would sit at 0.7% of a linear axis.
        assert_eq!(x_scale(0.15, 0.235, 12.0), XScale::Log);
        assert_eq!(x_scale(0.15, 0.235, 0.41), XScale::Linear);
        // A log axis needs positive latencies (a 100 us timer records zeros).
        assert_eq!(x_scale(0.0, 0.1, 12.0), XScale::Linear);
        assert_eq!(x_scale(0.2, 0.2, 0.2), XScale::Linear);

        let mut latencies_ms: Vec<f64> = (0..1000)
            .map(|i| 0.15 + f64::from(i % 90) * 0.001)
            .collect();
        latencies_ms.extend([3.0, 12.0]);
        let data = CdfData {
            title: "SingleStream".into(),
            series: vec![CdfSeries {
                label: "f32-naive".into(),
                latencies_ms,
            }],
            bound_ms: None,
        };
        let svg = render_svg(|a| latency_cdf(a, &data, &ChartStyle::default()));
        assert!(svg.contains("Latency (ms, logarithmic scale)"));
        // Each <text> element holds its text on a line of its own.
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.lines().nth(1))
            .collect();
        let x_ticks = ["0.2", "0.5", "1", "2", "5", "10"];
        assert!(
            texts.windows(x_ticks.len()).any(|w| w == x_ticks),
            "x ticks in {texts:?}"
        );
    }

    #[test]
    fn a_squashed_axis_with_zero_latencies_stays_linear_and_clips_the_far_tail() {
        // A 100 us timer: half the latencies read 0. A 50 ms outlier would squash the rest.
        let mut latencies_ms = vec![0.0; 500];
        latencies_ms.extend(vec![0.1; 490]);
        latencies_ms.extend(vec![0.2; 9]);
        latencies_ms.push(50.0);
        let data = CdfData {
            title: "Coarse".into(),
            series: vec![CdfSeries {
                label: "f32-fast".into(),
                latencies_ms,
            }],
            bound_ms: None,
        };
        let svg = render_svg(|a| latency_cdf(a, &data, &ChartStyle::default()));
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.lines().nth(1))
            .collect();
        assert!(texts.contains(&"Latency (ms)"), "{texts:?}");
        // The axis ends at the 99.9th percentile (0.2 ms), not at the 50 ms outlier.
        let x_ticks = ["0", "0.05", "0.1", "0.15", "0.2"];
        assert!(
            texts.windows(x_ticks.len()).any(|w| w == x_ticks),
            "x ticks in {texts:?}"
        );
        assert!(
            !texts.contains(&"50") && !texts.contains(&"10"),
            "{texts:?}"
        );
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
