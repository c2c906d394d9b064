//! Accuracy against p90 latency, with the Pareto frontier.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One variant (or machine) on the accuracy/latency plane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParetoPoint {
    /// The label, e.g. "int8".
    pub label: String,
    /// Its p90 latency in milliseconds (lower is better).
    pub latency_ms: f64,
    /// Its top-1 accuracy as a fraction (higher is better).
    pub accuracy: f64,
    /// Whether another point is at least as good on both axes and better on one.
    pub dominated: bool,
}

/// What the chart shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParetoData {
    /// The chart's title.
    pub title: String,
    /// The points; the frontier joins the non-dominated ones.
    pub points: Vec<ParetoPoint>,
}

/// Draws the points (frontier filled, dominated hollow) and the frontier line.
pub fn pareto_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ParetoData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let points: Vec<&ParetoPoint> = data
        .points
        .iter()
        .filter(|p| p.latency_ms.is_finite() && p.accuracy.is_finite())
        .collect();
    if points.is_empty() {
        return draw_message(area, &data.title, "No variants measured yet", style);
    }
    let (x0, x1) = padded_range(
        points
            .iter()
            .map(|p| p.latency_ms)
            .fold(f64::INFINITY, f64::min),
        points
            .iter()
            .map(|p| p.latency_ms)
            .fold(f64::NEG_INFINITY, f64::max),
        0.15,
    );
    let (y0, y1) = padded_range(
        points
            .iter()
            .map(|p| p.accuracy * 100.0)
            .fold(f64::INFINITY, f64::min),
        points
            .iter()
            .map(|p| p.accuracy * 100.0)
            .fold(f64::NEG_INFINITY, f64::max),
        0.25,
    );
    area.fill(&theme::BACKGROUND)?;
    let plot = super::titled(area, &data.title, style)?;
    let mut chart = super::builder(&plot, style, 58.0)
        .build_cartesian_2d(x0.max(0.0)..x1, y0..y1.min(100.5))?;
    chart
        .configure_mesh()
        .x_desc("p90 latency (ms, lower is better)")
        .y_desc("Top-1 accuracy (%)")
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .x_label_formatter(&|v| crate::format::axis(*v))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    let mut frontier: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| !p.dominated)
        .map(|p| (p.latency_ms, p.accuracy * 100.0))
        .collect();
    frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
    // A staircase: from each frontier point, accuracy holds until the next (slower, more
    // accurate) point.
    let mut stairs = Vec::new();
    for (i, &(x, y)) in frontier.iter().enumerate() {
        if i > 0 {
            stairs.push((x, frontier[i - 1].1));
        }
        stairs.push((x, y));
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            stairs,
            theme::series_color(2).stroke_width(style.stroke(2.0)),
        )))?
        .label("Pareto frontier")
        .legend(|(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 16, y)],
                theme::series_color(2).stroke_width(2),
            )
        });
    for (i, p) in points.iter().enumerate() {
        let color = theme::series_color(i);
        let at = (p.latency_ms, p.accuracy * 100.0);
        let marker = if p.dominated {
            Circle::new(at, style.px(5.0), color.stroke_width(style.stroke(2.0)))
        } else {
            Circle::new(at, style.px(5.0), color.filled())
        };
        chart.draw_series(std::iter::once(marker))?;
        let suffix = if p.dominated { " (dominated)" } else { "" };
        // Labels of points in the right half extend to the left, so none is clipped.
        let anchor = if p.latency_ms > (x0.max(0.0) + x1) / 2.0 {
            Pos::new(HPos::Right, VPos::Bottom)
        } else {
            Pos::new(HPos::Left, VPos::Bottom)
        };
        chart.draw_series(std::iter::once(Text::new(
            format!("{}{}", p.label, suffix),
            (p.latency_ms, p.accuracy * 100.0),
            style.font(12.0).color(&theme::TEXT).pos(anchor),
        )))?;
    }
    super::legend(&mut chart, SeriesLabelPosition::LowerRight, style)?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn marks_dominated_points() {
        let data = ParetoData {
            title: "Accuracy vs p90 latency".into(),
            points: vec![
                ParetoPoint {
                    label: "f32-naive".into(),
                    latency_ms: 0.3,
                    accuracy: 0.97,
                    dominated: true,
                },
                ParetoPoint {
                    label: "f32-fast".into(),
                    latency_ms: 0.1,
                    accuracy: 0.97,
                    dominated: false,
                },
                ParetoPoint {
                    label: "int8".into(),
                    latency_ms: 0.08,
                    accuracy: 0.96,
                    dominated: false,
                },
            ],
        };
        let svg = render_svg(|a| pareto_chart(a, &data, &ChartStyle::default()));
        assert!(svg.contains("f32-naive (dominated)"));
        assert!(svg.contains("Pareto frontier"));
        assert!(svg.contains("Top-1 accuracy (%)"));
        assert!(!svg.contains("f32-fast (dominated)"));
    }
}
