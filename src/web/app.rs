//! The root component.

use yew::prelude::*;

use crate::loadgen::clock::{measure_resolution, TimerResolution};
use crate::web::clock::{cross_origin_isolated, PerformanceClock};

/// How many back-to-back `performance.now()` reads measure the timer's resolution.
const RESOLUTION_READS: u32 = 200_000;

/// The timer facts the page shows and records.
#[derive(Debug, Clone, PartialEq)]
pub struct TimerFacts {
    /// The measured resolution, if the clock could be read at all.
    pub resolution: Option<TimerResolution>,
    /// `self.crossOriginIsolated`.
    pub isolated: bool,
}

/// Measures the page's timer once.
pub fn timer_facts() -> TimerFacts {
    TimerFacts {
        resolution: PerformanceClock::new().map(|c| measure_resolution(&c, RESOLUTION_READS)),
        isolated: cross_origin_isolated(),
    }
}

/// The application.
#[function_component(App)]
pub fn app() -> Html {
    let facts = use_memo((), |_| timer_facts());
    let resolution = match facts.resolution.and_then(|r| r.resolution_ms) {
        Some(ms) => {
            html! { <span id="timer-resolution" data-ms={ms.to_string()}>{ format!("{:.3} µs", ms * 1e3) }</span> }
        }
        None => {
            html! { <span id="timer-resolution">{ "not measurable (the clock never moved)" }</span> }
        }
    };
    html! {
        <main>
            <h1>{ "InferBench" }</h1>
            <p class="tagline">{ "An MLPerf-style inference benchmark of a real neural network, in your browser." }</p>
            <section class="timer">
                <h2>{ "Timer" }</h2>
                <dl>
                    <dt>{ "performance.now() resolution (measured)" }</dt>
                    <dd>{ resolution }</dd>
                    <dt>{ "Cross-origin isolated" }</dt>
                    <dd id="isolation" data-isolated={facts.isolated.to_string()}>{ if facts.isolated { "yes" } else { "no: the timer is coarsened" } }</dd>
                </dl>
            </section>
        </main>
    }
}
