//! Charts, drawn with plotters on any backend.
//!
//! Every chart is a function generic over [`plotters::prelude::DrawingBackend`]: the web shell
//! hands it a canvas, the native tests an SVG string. Chart functions take plain data (never
//! a run or a result file), so they are pure functions of their input and know nothing of
//! the browser.

pub mod bins;
pub mod cdf;
pub mod estimates;
pub mod histogram;
pub mod pareto;
pub mod qps;
pub mod theme;
pub mod ticks;
pub mod timeline;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use theme::ChartStyle;

/// Any of InferBench's charts with its data: what the page's chart component draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// [`histogram::latency_histogram`].
    Histogram(histogram::HistogramData),
    /// [`cdf::latency_cdf`].
    Cdf(cdf::CdfData),
    /// [`timeline::latency_timeline`].
    Timeline(timeline::TimelineData),
    /// [`estimates::estimates_chart`].
    Estimates(estimates::EstimatesData),
    /// [`pareto::pareto_chart`].
    Pareto(pareto::ParetoData),
    /// [`qps::latency_vs_qps`].
    Qps(qps::QpsData),
}

impl Chart {
    /// Draws the chart on `area`.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> DrawResult<DB> {
        match self {
            Chart::Histogram(d) => histogram::latency_histogram(area, d, style),
            Chart::Cdf(d) => cdf::latency_cdf(area, d, style),
            Chart::Timeline(d) => timeline::latency_timeline(area, d, style),
            Chart::Estimates(d) => estimates::estimates_chart(area, d, style),
            Chart::Pareto(d) => pareto::pareto_chart(area, d, style),
            Chart::Qps(d) => qps::latency_vs_qps(area, d, style),
        }
    }

    /// The chart's title (also the canvas's accessible label).
    pub fn title(&self) -> &str {
        match self {
            Chart::Histogram(d) => &d.title,
            Chart::Cdf(d) => &d.title,
            Chart::Timeline(d) => &d.title,
            Chart::Estimates(d) => &d.title,
            Chart::Pareto(d) => &d.title,
            Chart::Qps(d) => &d.title,
        }
    }
}

/// What a chart function returns: nothing, or the backend's drawing error.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Fills `area` with the background and writes `message` in its middle: what a chart shows
/// when it has no data (never an empty frame that looks like a measurement).
pub fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    message: &str,
    style: &ChartStyle,
) -> DrawResult<DB> {
    area.fill(&theme::BACKGROUND)?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        title.to_string(),
        (style.px(10.0), style.px(8.0)),
        style.font(15.0).color(&theme::TEXT),
    ))?;
    area.draw(&Text::new(
        message.to_string(),
        (
            w as i32 / 2 - (message.len() as i32 * style.px(3.4)),
            h as i32 / 2,
        ),
        style.font(13.0).color(&theme::MUTED),
    ))?;
    area.present()
}

/// A chart builder with the theme's caption, margin and label areas (`y_label_css` CSS
/// pixels for the y labels).
pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    style: &ChartStyle,
    y_label_css: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.caption(title, style.font(15.0))
        .margin(style.upx(12.0))
        .x_label_area_size(style.upx(42.0))
        .y_label_area_size(style.upx(y_label_css));
    b
}

/// Draws the legend of the labelled series at `position`, in the theme's box.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
    style: &ChartStyle,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(style.font(12.0))
        .background_style(theme::BACKGROUND.mix(0.85))
        .border_style(theme::MUTED)
        .draw()
}

/// Draws a reference line from `from` to `to` (a latency bound) with its legend entry.
pub(crate) fn reference_line<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    from: (f64, f64),
    to: (f64, f64),
    label: String,
    style: &ChartStyle,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![from, to],
            theme::REFERENCE.stroke_width(style.stroke(1.5)),
        )))?
        .label(label)
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 16, y)], theme::REFERENCE.stroke_width(2))
        });
    Ok(())
}

/// A padded range `[lo, hi]` for an axis showing values from `min` to `max`, never empty.
pub(crate) fn padded_range(min: f64, max: f64, pad_fraction: f64) -> (f64, f64) {
    if !min.is_finite() || !max.is_finite() {
        return (0.0, 1.0);
    }
    let span = max - min;
    if span <= f64::EPSILON * max.abs().max(1.0) {
        let half = if max.abs() > 0.0 {
            max.abs() * 0.05
        } else {
            0.5
        };
        return (min - half, max + half);
    }
    (min - span * pad_fraction, max + span * pad_fraction)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Renders charts into SVG strings for the tests.
    use super::*;

    /// Renders with `draw` on an 800x500 SVG and returns the SVG text.
    pub fn render_svg<F>(draw: F) -> String
    where
        F: for<'a, 'b> FnOnce(&'a DrawingArea<SVGBackend<'b>, Shift>) -> DrawResult<SVGBackend<'b>>,
    {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
            draw(&root).expect("the chart draws");
        }
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_range_is_never_empty() {
        assert_eq!(padded_range(1.0, 3.0, 0.5), (0.0, 4.0));
        let (lo, hi) = padded_range(2.0, 2.0, 0.1);
        assert!(lo < 2.0 && hi > 2.0);
        assert_eq!(padded_range(0.0, 0.0, 0.1), (-0.5, 0.5));
        assert_eq!(padded_range(f64::NAN, 1.0, 0.1), (0.0, 1.0));
    }

    #[test]
    fn message_chart_says_why_it_is_empty() {
        let svg = test_support::render_svg(|area| {
            draw_message(
                area,
                "Latency",
                "No queries recorded",
                &ChartStyle::default(),
            )
        });
        assert!(svg.contains("No queries recorded"));
        assert!(svg.contains("Latency"));
    }
}
