//! A canvas that draws one [`Chart`] with plotters, sized for the screen and redrawn when
//! its size changes ([`ChartCanvas`]), and the figure around it ([`ChartFigure`]): the
//! reading guide and the chart's numbers as a table, its text alternative.

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::yield_now::yield_now;
use crate::plot::{Chart, ChartStyle};
use crate::view::charts::ChartView;

/// Properties of [`ChartFigure`].
#[derive(Properties, Clone, PartialEq)]
pub struct ChartFigureProps {
    /// The chart, its id and its reading guide.
    pub view: Rc<ChartView>,
}

/// A chart in a `<figure>`: the canvas (labelled with the title and described by the
/// numbers), how to read it, and its numbers in a folded table.
#[function_component(ChartFigure)]
pub fn chart_figure(props: &ChartFigureProps) -> Html {
    let view = &props.view;
    let chart = use_memo(view.clone(), |v| Rc::new(v.chart.clone()));
    let numbers = use_memo(view.clone(), |v| v.chart.numbers());
    let numbers_id = format!("{}-numbers", view.id);
    html! {
        <figure class="chart-figure" id={view.id.clone()}>
            <ChartCanvas chart={(*chart).clone()} height={300} described_by={numbers_id.clone()} />
            <figcaption>{ view.how_to_read.clone() }</figcaption>
            <details class="chart-numbers">
                <summary>{ "The numbers" }</summary>
                <div id={numbers_id}>
                    <p>{ numbers.summary.clone() }</p>
                    <div class="table-scroll">
                        <table>
                            <thead><tr>{ for numbers.columns.iter().map(|c| html!{ <th scope="col">{ c.clone() }</th> }) }</tr></thead>
                            <tbody>
                                { for numbers.rows.iter().map(|r| html!{
                                    <tr>{ for r.iter().map(|c| html!{ <td>{ c.clone() }</td> }) }</tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                </div>
            </details>
        </figure>
    }
}

/// Properties of [`ChartCanvas`].
#[derive(Properties, Clone, PartialEq)]
pub struct ChartCanvasProps {
    /// The chart and its data.
    pub chart: Rc<Chart>,
    /// The canvas's height in CSS pixels (its width follows its container).
    #[prop_or(320)]
    pub height: u32,
    /// The id of the element holding the chart's numbers (its text alternative), if any.
    #[prop_or_default]
    pub described_by: Option<String>,
}

/// Draws the chart into a canvas whose bitmap is `devicePixelRatio` times its CSS size, so
/// it is sharp on HiDPI screens; a `ResizeObserver` draws it when it is laid out and redraws
/// it when the layout changes (a window resize).
///
/// Each drawing runs in a task of its own (after a [`yield_now`]): a results page has about
/// twenty charts, and drawing them all in one task would block the page for that long.
/// The canvas gets `data-drawn="true"` once drawn.
#[function_component(ChartCanvas)]
pub fn chart_canvas(props: &ChartCanvasProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.chart.clone(), move |chart| {
            let chart = chart.clone();
            let mut observer = None;
            if let Some(element) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                let target = element.clone();
                let chart_ = chart.clone();
                let callback = Closure::<dyn FnMut()>::new(move || {
                    let (target, chart) = (target.clone(), chart_.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        yield_now().await;
                        draw(&target, &chart);
                    });
                });
                match web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                    // Observing reports the current size at once: that draws the chart.
                    Ok(o) => {
                        o.observe(&element);
                        observer = Some((o, callback));
                    }
                    Err(_) => draw(&element, &chart),
                }
            }
            move || {
                if let Some((o, _callback)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    html! {
        <canvas ref={canvas} class="chart" role="img" aria-label={props.chart.title().to_string()}
            aria-describedby={props.described_by.clone()}
            style={format!("width: 100%; height: {}px;", props.height)} />
    }
}

/// Sizes the bitmap to the canvas's CSS box times `devicePixelRatio`, then draws.
fn draw(canvas: &web_sys::HtmlCanvasElement, chart: &Chart) {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let style = ChartStyle::with_scale(ratio);
    let width = (f64::from(canvas.client_width()) * style.scale).round() as u32;
    let height = (f64::from(canvas.client_height()) * style.scale).round() as u32;
    if width == 0 || height == 0 {
        return; // not laid out (hidden): the observer draws it once it is shown
    }
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    match chart.draw(&root, &style) {
        Ok(()) => {
            let _ = canvas.set_attribute("data-drawn", "true");
        }
        Err(e) => web_sys::console::error_1(
            &format!("chart '{}' could not be drawn: {e}", chart.title()).into(),
        ),
    }
}
