//! The latency histogram of one scenario, with its percentile markers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::bins::{histogram_bins, Binned, Clip};
use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// What the latency histogram shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistogramData {
    /// The chart's title, e.g. "SingleStream latency (f32-naive)".
    pub title: String,
    /// Every recorded latency, in milliseconds.
    pub latencies_ms: Vec<f64>,
    /// Vertical markers, e.g. ("p50", 0.21), ("p90", 0.25), in milliseconds.
    pub markers: Vec<(String, f64)>,
    /// The timer's resolution in milliseconds: no bin is narrower than one tick.
    pub resolution_ms: Option<f64>,
}

/// The largest number of bars.
const MAX_BINS: usize = 60;
/// The shown range ends at this quantile at the latest; the rest is counted in the caption.
const CLIP_QUANTILE: f64 = 0.995;
/// ... and at this one at the earliest, so that some of the tail shows.
const MIN_CLIP_QUANTILE: f64 = 0.99;

/// Draws the histogram of `data.latencies_ms` (Freedman-Diaconis bins) with its markers. The
/// far tail is counted in the caption, not drawn: what lies beyond the 99.5th percentile, or
/// beyond the 99th when Tukey's far-out fence (Q3 + 3 IQR) comes sooner; a marked percentile
/// always stays in view.
pub fn latency_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &HistogramData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let binned = shown_bins(data);
    let (Some(first), Some(last)) = (binned.bins.first(), binned.bins.last()) else {
        return draw_message(area, &data.title, "No latencies recorded", style);
    };
    draw_bins(area, data, &binned, (first.start, last.end), style)
}

/// The bins the histogram of `data` draws, with the far tail counted apart (see
/// [`latency_histogram`]).
pub fn shown_bins(data: &HistogramData) -> Binned {
    histogram_bins(
        &data.latencies_ms,
        MAX_BINS,
        data.resolution_ms.unwrap_or(0.0),
        Some(Clip {
            quantile: CLIP_QUANTILE,
            min_quantile: MIN_CLIP_QUANTILE,
            keep: data
                .markers
                .iter()
                .map(|(_, v)| *v)
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max),
        }),
    )
}

fn draw_bins<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &HistogramData,
    binned: &Binned,
    (start, end): (f64, f64),
    style: &ChartStyle,
) -> DrawResult<DB> {
    area.fill(&theme::BACKGROUND)?;
    let (x0, x1) = padded_range(start, end, 0.02);
    let y_max = binned
        .bins
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1);
    let caption = if binned.above > 0 {
        format!(
            "{} ({} slowest beyond {:.3} ms not drawn)",
            data.title, binned.above, end
        )
    } else {
        data.title.clone()
    };
    let plot = super::titled(area, &caption, style)?;
    let mut chart = super::builder(&plot, style, 58.0)
        .build_cartesian_2d(x0..x1, 0u32..(y_max + y_max / 8 + 1))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("Latency (ms)")
        .y_desc("Queries")
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .x_label_formatter(&|v| crate::format::axis(*v))
        .draw()?;
    let fill = theme::series_color(0).mix(0.75).filled();
    chart.draw_series(
        binned
            .bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| Rectangle::new([(b.start, 0), (b.end, b.count)], fill)),
    )?;
    for (i, (label, value_ms)) in data.markers.iter().enumerate() {
        if !value_ms.is_finite() || *value_ms < x0 || *value_ms > x1 {
            continue;
        }
        let color = theme::series_color(i + 1);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(*value_ms, 0), (*value_ms, y_max)],
                color.stroke_width(style.stroke(2.0)),
            )))?
            .label(format!("{label} = {value_ms:.3} ms"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    if !data.markers.is_empty() {
        super::legend(&mut chart, SeriesLabelPosition::UpperRight, style)?;
    }
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn draws_bars_axes_and_markers() {
        let data = HistogramData {
            title: "SingleStream latency".into(),
            latencies_ms: (0..500).map(|i| 0.2 + f64::from(i % 50) * 0.002).collect(),
            markers: vec![("p50".into(), 0.25), ("p90".into(), 0.29)],
            resolution_ms: Some(0.005),
        };
        let svg = render_svg(|a| latency_histogram(a, &data, &ChartStyle::default()));
        assert!(svg.contains("SingleStream latency"));
        assert!(svg.contains("Latency (ms)"));
        assert!(svg.contains("Queries"));
        assert!(svg.contains("p90 = 0.290 ms"));
        assert!(svg.matches("<rect").count() >= 10, "bars drawn");
    }

    #[test]
    fn empty_data_says_so() {
        let data = HistogramData {
            title: "Server latency".into(),
            latencies_ms: vec![],
            markers: vec![],
            resolution_ms: None,
        };
        let svg = render_svg(|a| latency_histogram(a, &data, &ChartStyle::default()));
        assert!(svg.contains("No latencies recorded"));
    }
}
