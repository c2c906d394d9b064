//! Every chart's text fits its canvas: each chart type, with long titles and crowded data,
//! is drawn on a backend that records where each text lands (its anchor, size and rotation,
//! measured with the backend's own text metrics, as the page's canvas measures its own), at
//! the widths the page gives its charts from a 360 px phone to a 1920 px screen, at one and
//! two bitmap pixels per CSS pixel. No text may leave the canvas.
//!
//! The browser test (`tests/e2e/app.test.mjs`) checks the same on the real canvas with the
//! browser's fonts.

use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

use inferbench::plot::cdf::{CdfData, CdfSeries};
use inferbench::plot::estimates::{Estimate, EstimatesData};
use inferbench::plot::histogram::HistogramData;
use inferbench::plot::pareto::{ParetoData, ParetoPoint};
use inferbench::plot::qps::{QpsData, QpsProbe};
use inferbench::plot::timeline::{TimelineData, TimelinePoint};
use inferbench::plot::{Chart, ChartStyle};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

/// A text as drawn: its string and the box it covers, in bitmap pixels.
#[derive(Debug, Clone)]
struct Placed {
    text: String,
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

/// A backend that draws nothing but records every text's box (in a list the test keeps).
struct TextRecorder {
    size: (u32, u32),
    texts: Rc<RefCell<Vec<Placed>>>,
}

impl TextRecorder {
    fn new(size: (u32, u32)) -> (Self, Rc<RefCell<Vec<Placed>>>) {
        let texts = Rc::new(RefCell::new(Vec::new()));
        (
            TextRecorder {
                size,
                texts: texts.clone(),
            },
            texts,
        )
    }
}

/// The extent of `text` in `style`: the font's own layout box, as plotters measures it.
fn extent<S: BackendTextStyle>(text: &str, style: &S) -> (i32, i32) {
    let ((x0, y0), (x1, y1)) = style.layout_box(text).unwrap_or(((0, 0), (0, 0)));
    (x1 - x0, y1 - y0)
}

impl DrawingBackend for TextRecorder {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _point: BackendCoord,
        _color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        _from: BackendCoord,
        _to: BackendCoord,
        _style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        _upper_left: BackendCoord,
        _bottom_right: BackendCoord,
        _style: &S,
        _fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _path: I,
        _style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        _center: BackendCoord,
        _radius: u32,
        _style: &S,
        _fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _vert: I,
        _style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    /// The box of the text as a canvas draws it: aligned on its anchor, then rotated about
    /// the anchor point.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if text.trim().is_empty() || style.color().alpha == 0.0 {
            return Ok(());
        }
        let (w, h) = extent(text, style);
        let anchor = style.anchor();
        let u0 = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -w / 2,
            HPos::Right => -w,
        };
        let v0 = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let rotate = |(u, v): (i32, i32)| match style.transform() {
            FontTransform::None => (u, v),
            FontTransform::Rotate90 => (-v, u),
            FontTransform::Rotate180 => (-u, -v),
            FontTransform::Rotate270 => (v, -u),
        };
        let corners = [(u0, v0), (u0 + w, v0), (u0, v0 + h), (u0 + w, v0 + h)].map(rotate);
        self.texts.borrow_mut().push(Placed {
            text: text.to_string(),
            x0: x + corners.iter().map(|c| c.0).min().unwrap_or(0),
            y0: y + corners.iter().map(|c| c.1).min().unwrap_or(0),
            x1: x + corners.iter().map(|c| c.0).max().unwrap_or(0),
            y1: y + corners.iter().map(|c| c.1).max().unwrap_or(0),
        });
        Ok(())
    }
}

/// Draws `chart` on a `width` x `height` CSS-pixel canvas at `scale` bitmap pixels per CSS
/// pixel and returns what left the canvas.
fn overflow(chart: &Chart, width: u32, height: u32, scale: f64) -> Vec<String> {
    let style = ChartStyle::with_scale(scale);
    let size = (
        (f64::from(width) * scale) as u32,
        (f64::from(height) * scale) as u32,
    );
    let (recorder, texts) = TextRecorder::new(size);
    chart
        .draw(&recorder.into_drawing_area(), &style)
        .expect("the chart draws");
    let texts = texts.borrow();
    assert!(!texts.is_empty(), "{} drew no text", chart.title());
    let (w, h) = (size.0 as i32, size.1 as i32);
    texts
        .iter()
        .filter(|t| t.x0 < 0 || t.y0 < 0 || t.x1 > w || t.y1 > h)
        .map(|t| {
            format!(
                "{width}x{height} @{scale}: {:?} at x {}..{}, y {}..{} (canvas {w}x{h})",
                t.text, t.x0, t.x1, t.y0, t.y1
            )
        })
        .collect()
}

/// Latencies with a body and a long tail (a log-scale CDF, a clipped histogram).
fn tailed(center_ms: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let u = (i as f64 + 0.5) / n as f64;
            if u > 0.995 {
                center_ms * 40.0 * u
            } else {
                center_ms * (0.8 + 0.4 * u)
            }
        })
        .collect()
}

/// One chart of each kind, with the longest titles and labels the page makes.
fn charts() -> Vec<Chart> {
    let variants = ["f32-naive", "f32-fast", "int8", "pruned"];
    let scenarios = ["SS", "MS", "Srv", "Off"];
    vec![
        Chart::Histogram(HistogramData {
            title: "f32-naive MultiStream: query latency".into(),
            latencies_ms: tailed(1.234, 5_000),
            markers: vec![("p50".into(), 1.47), ("p99".into(), 1.71)],
            resolution_ms: Some(0.005),
        }),
        Chart::Cdf(CdfData {
            title: "SingleStream: query latency CDF".into(),
            series: variants
                .iter()
                .enumerate()
                .map(|(i, v)| CdfSeries {
                    label: (*v).to_string(),
                    latencies_ms: tailed(0.15 * (i + 1) as f64, 3_000),
                })
                .collect(),
            bound_ms: None,
        }),
        Chart::Cdf(CdfData {
            title: "Server: query latency CDF".into(),
            series: variants
                .iter()
                .map(|v| CdfSeries {
                    label: (*v).to_string(),
                    latencies_ms: (0..2_000).map(|i| 0.2 + f64::from(i % 97) * 0.01).collect(),
                })
                .collect(),
            bound_ms: Some(10.0),
        }),
        Chart::Timeline(TimelineData {
            title: "f32-naive Server: latency over the run".into(),
            points: (0..4_000)
                .map(|i| TimelinePoint {
                    at_s: f64::from(i) * 0.005,
                    latency_ms: 0.3 + f64::from(i % 50) * 0.2,
                    service_ms: Some(0.25),
                })
                .collect(),
            bound_ms: Some(10.0),
        }),
        Chart::Estimates(EstimatesData {
            title: "Speedup against f32-naive".into(),
            y_desc: "Speedup (baseline / variant, x)".into(),
            estimates: variants[1..]
                .iter()
                .flat_map(|v| {
                    scenarios.iter().map(move |s| Estimate {
                        label: format!("{v} {s}"),
                        value: 3.5,
                        lower: Some(3.2),
                        upper: Some(3.9),
                    })
                })
                .collect(),
            reference: Some(("as fast as f32-naive".into(), 1.0)),
            from_zero: false,
        }),
        Chart::Estimates(EstimatesData {
            title: "Offline throughput (from batch service times)".into(),
            y_desc: "Samples per second".into(),
            estimates: variants
                .iter()
                .map(|v| Estimate {
                    label: (*v).to_string(),
                    value: 123_456.0,
                    lower: Some(120_000.0),
                    upper: Some(127_000.0),
                })
                .collect(),
            reference: None,
            from_zero: true,
        }),
        // A tick label (100,000) at the axis' right end: an idle machine's Offline f32-fast.
        Chart::Estimates(EstimatesData {
            title: "Offline throughput (from batch service times)".into(),
            y_desc: "Samples per second".into(),
            estimates: [(8_508.0, 8_700.0), (89_669.0, 92_000.0)]
                .iter()
                .zip(variants)
                .map(|(&(value, upper), v)| Estimate {
                    label: (*v).to_string(),
                    value,
                    lower: Some(value * 0.97),
                    upper: Some(upper),
                })
                .collect(),
            reference: None,
            from_zero: true,
        }),
        Chart::Pareto(ParetoData {
            title: "Accuracy against SingleStream p90 latency".into(),
            points: variants
                .iter()
                .enumerate()
                .map(|(i, v)| ParetoPoint {
                    label: (*v).to_string(),
                    latency_ms: 0.05 + 0.05 * i as f64,
                    accuracy: 0.97 + 0.005 * i as f64,
                    dominated: i % 2 == 1,
                })
                .collect(),
        }),
        Chart::Qps(QpsData {
            title: "f32-naive Server: latency against offered load".into(),
            probes: (1..=8)
                .map(|i| QpsProbe {
                    target_qps: 1_000.0 * f64::from(i),
                    percentile_latency_ms: 0.5 * f64::from(i),
                    valid: i < 6,
                })
                .collect(),
            bound_ms: 10.0,
            percentile_label: "p99".into(),
        }),
    ]
}

/// Chart widths in CSS pixels: about 300 on a 360 px phone, up to the 1,200 of a chart alone
/// on a wide screen, and the widths between (a two-column grid at 768 to 1920 px).
const WIDTHS: [u32; 9] = [260, 305, 360, 450, 584, 683, 768, 960, 1_210];

#[test]
fn no_chart_text_leaves_its_canvas() {
    let mut problems = Vec::new();
    for chart in charts() {
        for width in WIDTHS {
            for scale in [1.0, 2.0] {
                problems.extend(overflow(&chart, width, 300, scale));
            }
        }
        problems.extend(overflow(&chart, 305, 280, 1.0));
    }
    assert!(
        problems.is_empty(),
        "{} texts outside their canvas:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_recorder_sees_text_that_leaves_the_canvas() {
    // A check that cannot fail proves nothing: a centred title far wider than its canvas,
    // drawn as plotters' own caption is, is caught.
    let (recorder, texts) = TextRecorder::new((200, 100));
    recorder
        .into_drawing_area()
        .titled(
            "A title much longer than the two hundred pixels of this canvas",
            ("sans-serif", 15),
        )
        .unwrap();
    let t = &texts.borrow()[0];
    assert!(t.x0 < 0 && t.x1 > 200, "{t:?}");
}
