//! Latency over the course of a run (the Server scenario's queueing made visible).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One query of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimelinePoint {
    /// When the query was scheduled to arrive, in seconds since the run started.
    pub at_s: f64,
    /// Its latency (scheduled arrival to completion), in milliseconds.
    pub latency_ms: f64,
    /// Its service time (start to completion), in milliseconds, when known.
    pub service_ms: Option<f64>,
}

/// What the timeline shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimelineData {
    /// The chart's title.
    pub title: String,
    /// The queries, in any order.
    pub points: Vec<TimelinePoint>,
    /// The latency bound, in milliseconds, drawn as a horizontal line.
    pub bound_ms: Option<f64>,
}

/// Points drawn at most per series (evenly thinned, in arrival order).
const MAX_POINTS: usize = 2000;

/// Draws latency (and service time) against arrival time.
pub fn latency_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TimelineData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let points: Vec<TimelinePoint> = data
        .points
        .iter()
        .copied()
        .filter(|p| p.at_s.is_finite() && p.latency_ms.is_finite())
        .collect();
    if points.is_empty() {
        return draw_message(area, &data.title, "No queries recorded", style);
    }
    let step = points.len().div_ceil(MAX_POINTS).max(1);
    let shown: Vec<TimelinePoint> = points.iter().copied().step_by(step).collect();
    let (t0, t1) = padded_range(
        points.iter().map(|p| p.at_s).fold(f64::INFINITY, f64::min),
        points
            .iter()
            .map(|p| p.at_s)
            .fold(f64::NEG_INFINITY, f64::max),
        0.02,
    );
    let top = points
        .iter()
        .map(|p| p.latency_ms)
        .fold(0.0, f64::max)
        .max(data.bound_ms.unwrap_or(0.0));
    area.fill(&theme::BACKGROUND)?;
    let plot = super::titled(area, &data.title, style)?;
    // The legend sits inside the plot: its long entries when they fit.
    let legend_room = plot
        .dim_in_pixel()
        .0
        .saturating_sub(style.upx(58.0 + 24.0 + 40.0));
    let legend_font = style.font(12.0);
    let latency_label = super::fitting(
        &plot,
        &["latency (queueing + service)", "latency"],
        &legend_font,
        legend_room,
    )?;
    let mut chart = super::builder(&plot, style, 58.0)
        .build_cartesian_2d(t0..t1, 0f64..(top * 1.08).max(1e-6))?;
    chart
        .configure_mesh()
        .x_desc("Scheduled arrival (s since start)")
        .y_desc("Milliseconds")
        .x_label_formatter(&|v| crate::format::axis(*v))
        .y_label_formatter(&|v| crate::format::axis(*v))
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .draw()?;
    let radius = style.px(1.6);
    let latency_color = theme::series_color(0);
    chart
        .draw_series(
            shown
                .iter()
                .map(|p| Circle::new((p.at_s, p.latency_ms), radius, latency_color.filled())),
        )?
        .label(latency_label)
        .legend(move |(x, y)| Circle::new((x + 8, y), 3, latency_color.filled()));
    if shown.iter().any(|p| p.service_ms.is_some()) {
        let service_color = theme::series_color(1);
        chart
            .draw_series(
                shown
                    .iter()
                    .filter_map(|p| p.service_ms.filter(|s| s.is_finite()).map(|s| (p.at_s, s)))
                    .map(|(t, s)| Circle::new((t, s), radius, service_color.filled())),
            )?
            .label("service time")
            .legend(move |(x, y)| Circle::new((x + 8, y), 3, service_color.filled()));
    }
    if let Some(bound) = data.bound_ms.filter(|b| b.is_finite()) {
        super::reference_line(
            &mut chart,
            (t0, bound),
            (t1, bound),
            format!("latency bound {bound} ms"),
            style,
        )?;
    }
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft, style)?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn draws_latency_service_and_bound() {
        let data = TimelineData {
            title: "Server latency over time".into(),
            points: (0..300)
                .map(|i| TimelinePoint {
                    at_s: f64::from(i) * 0.01,
                    latency_ms: 1.0 + f64::from(i % 7),
                    service_ms: Some(1.0),
                })
                .collect(),
            bound_ms: Some(10.0),
        };
        let svg = render_svg(|a| latency_timeline(a, &data, &ChartStyle::default()));
        assert!(svg.contains("Server latency over time"));
        assert!(svg.contains("service time"));
        assert!(svg.contains("latency bound 10 ms"));
        assert!(svg.matches("<circle").count() >= 600);
    }
}
