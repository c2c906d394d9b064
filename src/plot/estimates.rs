//! Point estimates with confidence-interval error bars: Offline throughput per variant or
//! machine, speedups against a baseline.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ticks::TickedAxis;
use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One estimate with its confidence interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EstimatesData {
    /// The chart's title.
    pub title: String,
    /// The value axis's description, with its unit, e.g. "Samples per second".
    pub y_desc: String,
    /// The estimates, one per category, drawn top to bottom.
    pub estimates: Vec<Estimate>,
    /// A reference line across the rows, e.g. 1.0 for "as fast as the baseline".
    pub reference: Option<(String, f64)>,
    /// Whether the value axis starts at zero (throughput) or fits the data (speedups).
    pub from_zero: bool,
}

/// Draws each estimate as a point with its CI whiskers, one row per category (labels on the
/// left, where a long label or a dozen of them still fit a phone's width), values along the
/// x axis.
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
    let (x0, x1) = if data.from_zero {
        (0.0, padded_range(0.0, max, 0.1).1)
    } else {
        padded_range(min, max, 0.15)
    };
    let n = shown.len();
    area.fill(&theme::BACKGROUND)?;
    let plot = super::titled(area, &data.title, style)?;
    let label_font = style.font(12.0);
    let widest = shown
        .iter()
        .map(|e| plot.estimate_text_size(&e.label, &label_font).map(|s| s.0))
        .try_fold(0, |m, w| w.map(|w| m.max(w)))?;
    let (w, _) = plot.dim_in_pixel();
    let label_area = (widest + style.upx(12.0)).min(w * 2 / 5);
    // Row i (from the top) sits at y = n - 1 - i.
    let row_y = |i: usize| (n - 1 - i) as f64;
    let labels: Vec<String> = shown.iter().map(|e| e.label.clone()).collect();
    let label_of = |y: &f64| {
        let r = y.round();
        if (y - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < n {
            labels[n - 1 - r as usize].clone()
        } else {
            String::new()
        }
    };
    let desc_font = style.font(13.0);
    let desc_room = w.saturating_sub(label_area + 2 * style.upx(12.0));
    let x_desc = super::fitting(
        &plot,
        &[data.y_desc.as_str(), short_desc(&data.y_desc)],
        &desc_font,
        desc_room,
    )?;
    // A value label is centred on its tick, and one may sit at the axis' right end: leave
    // room for half of the widest (no tick label is wider than the end value's).
    let end_label = plot
        .estimate_text_size(&crate::format::axis(x1), &label_font)?
        .0;
    let mut chart = ChartBuilder::on(&plot)
        .margin(style.upx(12.0))
        .margin_right(style.upx(12.0).max(end_label / 2 + style.upx(2.0)))
        .x_label_area_size(style.upx(42.0))
        .y_label_area_size(label_area)
        .build_cartesian_2d(
            x0..x1,
            // One tick beside each estimate, none between them.
            TickedAxis::new(
                -0.5f64..(n as f64 - 0.5),
                (0..n).map(|i| i as f64).collect(),
                Vec::new(),
            ),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_label_formatter(&label_of)
        .x_desc(x_desc)
        .x_labels(x_label_count(w))
        .x_label_formatter(&|v| crate::format::axis(*v))
        .label_style(label_font.clone())
        .axis_desc_style(desc_font)
        .draw()?;
    if let Some((label, value)) = &data.reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(*value, -0.5), (*value, n as f64 - 0.5)],
            theme::REFERENCE.stroke_width(style.stroke(1.0)),
        )))?;
        // Labelled on the line itself (a legend box could hide a point), on the side with
        // more room.
        let right_half = *value > (x0 + x1) / 2.0;
        let anchor = if right_half { HPos::Right } else { HPos::Left };
        let gap = (x1 - x0) * 0.01 * if right_half { -1.0 } else { 1.0 };
        chart.draw_series(std::iter::once(Text::new(
            label.clone(),
            (*value + gap, n as f64 - 0.5),
            style
                .font(11.0)
                .color(&theme::REFERENCE)
                .pos(Pos::new(anchor, VPos::Top)),
        )))?;
    }
    let whisker = 0.15;
    for (i, e) in shown.iter().enumerate() {
        let y = row_y(i);
        let color = theme::series_color(i);
        let stroke = color.stroke_width(style.stroke(2.0));
        if let (Some(lo), Some(hi)) = (e.lower, e.upper) {
            if lo.is_finite() && hi.is_finite() {
                chart.draw_series([
                    PathElement::new(vec![(lo, y), (hi, y)], stroke),
                    PathElement::new(vec![(lo, y - whisker), (lo, y + whisker)], stroke),
                    PathElement::new(vec![(hi, y - whisker), (hi, y + whisker)], stroke),
                ])?;
            }
        }
        chart.draw_series(std::iter::once(Circle::new(
            (e.value, y),
            style.px(4.5),
            color.filled(),
        )))?;
    }
    area.present()
}

/// An axis description without its parenthesis ("Speedup (baseline / variant, x)" becomes
/// "Speedup"), for narrow charts.
fn short_desc(desc: &str) -> &str {
    desc.split(" (").next().unwrap_or(desc)
}

/// How many value labels an axis `width` bitmap pixels wide can hold (about one per 90 CSS
/// pixels, at least 2).
pub(crate) fn x_label_count(width: u32) -> usize {
    (width as usize / 90).clamp(2, 10)
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
