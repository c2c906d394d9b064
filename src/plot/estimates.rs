//! Point estimates with confidence-interval error bars: Offline throughput per variant or
//! machine, speedups against a baseline.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ticks::TickedAxis;
use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One estimate with its confidence interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The category's label, e.g. "int8".
    pub label: String,
    /// The point estimate.
    pub value: f64,
    /// The interval's lower end, when there is one.
    pub lower: Option<f64>,
    /// The interval's upper end, when there is one.
    pub upper: Option<f64>,
}

/// What the chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimatesData {
    /// The chart's title.
    pub title: String,
    /// The y axis's description, with its unit, e.g. "Samples per second".
    pub y_desc: String,
    /// The estimates, one per category, drawn left to right.
    pub estimates: Vec<Estimate>,
    /// A horizontal reference line, e.g. 1.0 for "as fast as the baseline".
    pub reference: Option<(String, f64)>,
    /// Whether the y axis starts at zero (throughput) or fits the data (speedups).
    pub from_zero: bool,
}

/// Draws each estimate as a bar-free point with its CI whiskers.
pub fn estimates_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &EstimatesData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let shown: Vec<&Estimate> = data
        .estimates
        .iter()
        .filter(|e| e.value.is_finite())
        .collect();
    if shown.is_empty() {
        return draw_message(area, &data.title, "Nothing to compare yet", style);
    }
    let values = shown
        .iter()
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .filter(|v| v.is_finite())
        .chain(data.reference.iter().map(|r| r.1));
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (y0, y1) = if data.from_zero {
        (0.0, padded_range(0.0, max, 0.1).1)
    } else {
        padded_range(min, max, 0.15)
    };
    let n = shown.len();
    area.fill(&theme::BACKGROUND)?;
    let labels: Vec<String> = shown.iter().map(|e| e.label.clone()).collect();
    let mut chart = super::builder(area, &data.title, style, 64.0).build_cartesian_2d(
        // One tick under each estimate, none between them.
        TickedAxis::new(
            -0.5f64..(n as f64 - 0.5),
            (0..n).map(|i| i as f64).collect(),
            Vec::new(),
        ),
        y0..y1,
    )?;
    let label_of = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&label_of)
        .y_desc(data.y_desc.as_str())
        .y_label_formatter(&|v| crate::format::axis(*v))
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .draw()?;
    if let Some((label, value)) = &data.reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(-0.5, *value), (n as f64 - 0.5, *value)],
            theme::REFERENCE.stroke_width(style.stroke(1.0)),
        )))?;
        // Labelled on the line itself (a legend box could hide a point).
        chart.draw_series(std::iter::once(Text::new(
            label.clone(),
            (-0.45, *value),
            style
                .font(11.0)
                .color(&theme::REFERENCE)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )))?;
    }
    let whisker = 0.12;
    for (i, e) in shown.iter().enumerate() {
        let x = i as f64;
        let color = theme::series_color(i);
        let stroke = color.stroke_width(style.stroke(2.0));
        if let (Some(lo), Some(hi)) = (e.lower, e.upper) {
            if lo.is_finite() && hi.is_finite() {
                chart.draw_series([
                    PathElement::new(vec![(x, lo), (x, hi)], stroke),
                    PathElement::new(vec![(x - whisker, lo), (x + whisker, lo)], stroke),
                    PathElement::new(vec![(x - whisker, hi), (x + whisker, hi)], stroke),
                ])?;
            }
        }
        chart.draw_series(std::iter::once(Circle::new(
            (x, e.value),
            style.px(4.5),
            color.filled(),
        )))?;
    }
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn draws_labels_points_and_whiskers() {
        let data = EstimatesData {
            title: "Speedup against f32-naive".into(),
            y_desc: "Speedup (x)".into(),
            estimates: vec![
                Estimate {
                    label: "f32-fast".into(),
                    value: 3.1,
                    lower: Some(2.9),
                    upper: Some(3.3),
                },
                Estimate {
                    label: "int8".into(),
                    value: 1.4,
                    lower: Some(1.3),
                    upper: Some(1.6),
                },
            ],
            reference: Some(("as fast as f32-naive".into(), 1.0)),
            from_zero: false,
        };
        let svg = render_svg(|a| estimates_chart(a, &data, &ChartStyle::default()));
        for text in [
            "Speedup against f32-naive",
            "f32-fast",
            "int8",
            "Speedup (x)",
            "as fast as f32-naive",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
