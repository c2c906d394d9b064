//! Charts, drawn with plotters on any backend.
//!
//! Every chart is a function generic over [`plotters::prelude::DrawingBackend`]: the web shell
//! hands it a canvas, the native tests an SVG string. Chart functions take plain data (never
//! a run or a result file), so they are pure functions of their input and know nothing of
//! the browser.

pub mod bins;
pub mod cdf;
pub mod columns;
pub mod estimates;
pub mod histogram;
pub mod numbers;
pub mod pareto;
pub mod qps;
pub mod theme;
pub mod ticks;
pub mod timeline;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use theme::ChartStyle;

/// Any of InferBench's charts with its data: what the page's chart component draws.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    let rest = titled(area, title, style)?;
    let (w, h) = rest.dim_in_pixel();
    let font = style.font(13.0).color(&theme::MUTED);
    let lines = wrap(&rest, message, &font, w.saturating_sub(2 * style.upx(12.0)))?;
    let line_h = style.px(13.0 * LINE_HEIGHT);
    let top = h as i32 / 2 - line_h * lines.len() as i32 / 2;
    centred_lines(&rest, &lines, &font, top, line_h)?;
    area.present()
}

/// Draws `lines` centred across `area`, the first with its top at `top`, one every `line_h`
/// bitmap pixels; returns where the last one ends.
fn centred_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    font: &TextStyle,
    top: i32,
    line_h: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let centre = area.dim_in_pixel().0 as i32 / 2;
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (centre, top + line_h * i as i32),
            font.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(top + line_h * lines.len() as i32)
}

/// Line height as a multiple of the font size, for wrapped text.
const LINE_HEIGHT: f64 = 1.3;

/// `text` broken into lines at spaces so that each fits `max_width` bitmap pixels in `font`,
/// as the backend measures it (a word longer than the width stays on a line of its own).
pub(crate) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle,
    max_width: u32,
) -> Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || area.estimate_text_size(&candidate, font)?.0 <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// The first of `texts` (longest first) that fits `max_width` bitmap pixels in `font`, else
/// the last: an axis description or a legend entry with a shorter form for narrow charts.
pub(crate) fn fitting<'t, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    texts: &[&'t str],
    font: &TextStyle,
    max_width: u32,
) -> Result<&'t str, DrawingAreaErrorKind<DB::ErrorType>> {
    for t in texts {
        if area.estimate_text_size(t, font)?.0 <= max_width {
            return Ok(t);
        }
    }
    Ok(texts.last().copied().unwrap_or(""))
}

/// Draws `title` at the top of `area`, centred and broken into as many lines as its width
/// needs (in a smaller font when a single word would not fit), and returns the area below
/// it, where the chart goes.
pub(crate) fn titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    style: &ChartStyle,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let room = w.saturating_sub(2 * style.upx(10.0));
    let mut size = 15.0;
    let (font, lines) = loop {
        let font = style.font(size).color(&theme::TEXT);
        let lines = wrap(area, title, &font, room)?;
        let widest = lines
            .iter()
            .map(|l| area.estimate_text_size(l, &font).map(|s| s.0))
            .try_fold(0, |m, x| x.map(|x| m.max(x)))?;
        if widest <= room || size <= 9.0 {
            break (font, lines);
        }
        size -= 1.0;
    };
    let used = centred_lines(
        area,
        &lines,
        &font,
        style.px(6.0),
        style.px(size * LINE_HEIGHT),
    )?;
    Ok(area.split_vertically(used).1)
}

/// A chart builder with the theme's margin and label areas (`y_label_css` CSS pixels for
/// the y labels), on the area below the chart's title ([`titled`]).
pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    style: &ChartStyle,
    y_label_css: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(style.upx(12.0))
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
