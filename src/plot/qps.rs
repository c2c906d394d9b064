//! The Server scenario's latency against offered load: the probes of the peak-QPS search.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_message, padded_range, theme, ChartStyle, DrawResult};

/// One Server run of the search.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QpsProbe {
    /// The target (offered) queries per second.
    pub target_qps: f64,
    /// Its target-percentile latency (p99), in milliseconds.
    pub percentile_latency_ms: f64,
    /// Whether the run was VALID.
    pub valid: bool,
}

/// What the chart shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QpsData {
    /// The chart's title.
    pub title: String,
    /// The probes, in any order.
    pub probes: Vec<QpsProbe>,
    /// The latency bound, in milliseconds.
    pub bound_ms: f64,
    /// The label of the percentile, e.g. "p99".
    pub percentile_label: String,
}

/// Draws latency against target QPS (valid probes filled, invalid hollow) and the bound.
pub fn latency_vs_qps<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &QpsData,
    style: &ChartStyle,
) -> DrawResult<DB> {
    let mut probes: Vec<QpsProbe> = data
        .probes
        .iter()
        .copied()
        .filter(|p| p.target_qps.is_finite() && p.percentile_latency_ms.is_finite())
        .collect();
    if probes.is_empty() {
        return draw_message(area, &data.title, "No Server runs yet", style);
    }
    probes.sort_by(|a, b| a.target_qps.total_cmp(&b.target_qps));
    let (x0, x1) = padded_range(
        0.0,
        probes.iter().map(|p| p.target_qps).fold(0.0, f64::max),
        0.05,
    );
    let top = probes
        .iter()
        .map(|p| p.percentile_latency_ms)
        .fold(data.bound_ms, f64::max);
    area.fill(&theme::BACKGROUND)?;
    let plot = super::titled(area, &data.title, style)?;
    let mut chart =
        super::builder(&plot, style, 58.0).build_cartesian_2d(x0.max(0.0)..x1, 0f64..top * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("Target queries per second")
        .y_desc(format!("{} latency (ms)", data.percentile_label))
        .x_label_formatter(&|v| crate::format::axis(*v))
        .y_label_formatter(&|v| crate::format::axis(*v))
        .label_style(style.font(12.0))
        .axis_desc_style(style.font(13.0))
        .draw()?;
    let color = theme::series_color(0);
    chart.draw_series(std::iter::once(PathElement::new(
        probes
            .iter()
            .map(|p| (p.target_qps, p.percentile_latency_ms))
            .collect::<Vec<_>>(),
        color.stroke_width(style.stroke(1.5)),
    )))?;
    chart
        .draw_series(probes.iter().filter(|p| p.valid).map(|p| {
            Circle::new(
                (p.target_qps, p.percentile_latency_ms),
                style.px(4.5),
                color.filled(),
            )
        }))?
        .label("VALID run")
        .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
    chart
        .draw_series(probes.iter().filter(|p| !p.valid).map(|p| {
            Circle::new(
                (p.target_qps, p.percentile_latency_ms),
                style.px(4.5),
                color.stroke_width(style.stroke(2.0)),
            )
        }))?
        .label("INVALID run")
        .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.stroke_width(2)));
    super::reference_line(
        &mut chart,
        (x0.max(0.0), data.bound_ms),
        (x1, data.bound_ms),
        format!("latency bound {} ms", data.bound_ms),
        style,
    )?;
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft, style)?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_support::render_svg;

    #[test]
    fn draws_probes_and_bound() {
        let data = QpsData {
            title: "Server: p99 latency against load".into(),
            probes: vec![
                QpsProbe {
                    target_qps: 100.0,
                    percentile_latency_ms: 1.0,
                    valid: true,
                },
                QpsProbe {
                    target_qps: 400.0,
                    percentile_latency_ms: 3.0,
                    valid: true,
                },
                QpsProbe {
                    target_qps: 800.0,
                    percentile_latency_ms: 30.0,
                    valid: false,
                },
            ],
            bound_ms: 10.0,
            percentile_label: "p99".into(),
        };
        let svg = render_svg(|a| latency_vs_qps(a, &data, &ChartStyle::default()));
        for text in [
            "VALID run",
            "INVALID run",
            "latency bound 10 ms",
            "p99 latency (ms)",
            "Target queries per second",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
}
