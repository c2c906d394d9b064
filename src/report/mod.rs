//! Reports: a result rendered as Markdown, every sentence derived from the data.
//!
//! [`render_markdown`] writes, in order (SPEC section 5):
//!
//! 1. the title (machine label, date from `created_utc`, status) and the **executive
//!    summary**: headline metric per scenario and variant with its interval, VALID/INVALID
//!    counts, the verdict of each variant against the baseline, accuracy;
//! 2. the **environment**, every field, with what is unknown said plainly;
//! 3. the **methodology**: model (or the synthetic system that replaced it), settings per
//!    scenario with the LoadGen configuration files applied, seeds, warm-up, the load
//!    generator's measured overhead, the percentile estimator, the tests, and where
//!    InferBench departs from LoadGen;
//! 4. **results per scenario**: a table per variant with intervals, the scenario metric, and
//!    VALID/INVALID with each reason's explanation and recommendation; accuracy;
//!    Server runs get their queueing theory (M/D/1, M/G/1) next to the measured mean;
//! 5. **statistical validation**: interval widths, outliers, drift, sample sizes;
//! 6. **timer honesty**: how the tick bounds each percentile;
//! 7. **comparisons** and the **Pareto** table (or why there are none);
//! 8. the **peak-QPS search** and the **A/B run**, when they ran;
//! 9. **recommendations** computed from the data;
//! 10. the full result as a fenced JSON block after [`REPORT_JSON_MARKER`](crate::results::io::REPORT_JSON_MARKER), so that
//!     [`read_result`](crate::results::io::read_result) imports a report.
//!
//! The output depends on the result only (no clock, no randomness beyond seeded
//! bootstraps): the same result always gives the same report. User text (the machine label,
//! the user agent) is escaped ([`text::escape_inline`]), so it cannot break a table or
//! inject HTML. A cancelled or partial result renders too, saying what is missing.
//!
//! Statistics are recomputed from the recorded latencies
//! ([`analysis_sample_ms`](crate::results::analysis_sample_ms)); the summaries stored in the
//! file are not trusted. LoadGen's own outputs (metrics, early stopping, validity) are taken
//! from the run as the load generator computed them, which for a file read back means as the
//! reader rebuilt them from its records ([`crate::results::derive`]).

pub(crate) mod analysis;
pub mod mlperf_log;
mod sections;
pub(crate) mod table;
pub mod text;
pub mod verdict_text;

pub(crate) use sections::embedded::html_safe_json;

use crate::results::BenchResult;
use crate::stats::CompareConfig;

/// The settings behind the report's comparisons and thresholds. Every threshold is stated
/// in the report where it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Comparison settings: α (also used for the drift test and the power estimate),
    /// confidence level of every interval, noise threshold, bootstrap resamples and seed.
    pub compare: CompareConfig,
    /// The relative difference of means the power estimate targets (0.05 = 5%).
    pub power_relative_difference: f64,
    /// The power of that estimate (0.8 = 80%).
    pub power: f64,
    /// A headline interval wider than this fraction of its estimate earns a "run longer"
    /// recommendation (0.10 = 10%).
    pub wide_ci_relative_width: f64,
    /// The accuracy a recommended variant may lose against the baseline, as a fraction
    /// (0.01 = one percentage point).
    pub accuracy_tolerance: f64,
}

impl Default for ReportOptions {
    /// [`CompareConfig::default`] (α = 0.05, 95% intervals, 1% noise threshold, 10,000
    /// bootstrap resamples), a 5% difference at 80% power, 10% interval width, one point of
    /// accuracy.
    fn default() -> Self {
        Self {
            compare: CompareConfig::default(),
            power_relative_difference: 0.05,
            power: 0.8,
            wide_ci_relative_width: 0.10,
            accuracy_tolerance: 0.01,
        }
    }
}

/// The Markdown report of `result`, with the default [`ReportOptions`].
pub fn render_markdown(result: &BenchResult) -> String {
    render_markdown_with(result, &ReportOptions::default())
}

/// The Markdown report of `result` with `options`. Options that the statistics reject (say
/// α = 0) make the comparisons fail with their error stated in the report; nothing panics.
pub fn render_markdown_with(result: &BenchResult, options: &ReportOptions) -> String {
    analyse(result, options).markdown()
}

/// A result analysed once (every run's sample sorted and summarised, the comparison
/// families with Holm's correction, drift, the Pareto frontier): what the report is written
/// from, and what the page's verdict panel
/// ([`verdict_panel_of`](crate::view::verdict::verdict_panel_of)) reads, so that the
/// worker analyses a result once for both.
pub struct Analysed<'a>(analysis::Analysis<'a>);

/// Analyses `result` with `options` (see [`Analysed`]).
///
/// - Time: one sort per run (`O(n log n)`, about a second for ten million queries natively),
///   the rest `O(n)`; the bootstrap is bounded (see [`crate::stats::bootstrap`]).
pub fn analyse<'a>(result: &'a BenchResult, options: &'a ReportOptions) -> Analysed<'a> {
    Analysed(analysis::Analysis::of(result, options))
}

impl Analysed<'_> {
    /// The Markdown report.
    pub fn markdown(&self) -> String {
        let analysis = &self.0;
        let mut out = String::new();
        sections::summary::render(analysis, &mut out);
        sections::environment::render(analysis, &mut out);
        sections::methodology::render(analysis, &mut out);
        sections::scenarios::render(analysis, &mut out);
        sections::queueing::render(analysis, &mut out);
        sections::validation::render(analysis, &mut out);
        sections::timer::render(analysis, &mut out);
        sections::comparisons::render(analysis, &mut out);
        sections::energy::render(analysis, &mut out);
        sections::peak::render(analysis, &mut out);
        sections::ab::render(analysis, &mut out);
        sections::recommendations::render(analysis, &mut out);
        sections::embedded::render(analysis.result, &mut out);
        out
    }

    /// The analysis itself, for the crate's views.
    pub(crate) fn analysis(&self) -> &analysis::Analysis<'_> {
        &self.0
    }
}
