//! Everything the Results section shows of a result, computed by the worker from the result
//! so that the page never decodes one ([`ResultPage`]).
//!
//! A result's JSON decoder (serde's derived code for every result type, with serde_json)
//! was about a third of the page's code; this view is strings, flags and chart data. It
//! crosses as JSON without its charts' long columns (every latency of a run, in its CDF and
//! its histogram), which follow as typed arrays: [`ResultPage::take_columns`] takes them
//! out in the worker and [`ResultPage::fill_columns`] puts them back on the page, in the
//! same order.

use serde::{Deserialize, Serialize};

use super::ab::{ab_panel, AbPanel};
use super::cards::{result_cards, ResultCards};
use super::charts::{comparison_charts, scenario_charts, ChartView, ScenarioCharts};
use super::energy::{energy_view, EnergyView};
use super::environment::{environment_rows, EnvironmentRow};
use super::files::{report_file_name, result_file_name};
use super::model::model_label;
use super::report::{summary_downloads, SummaryDownload};
use super::timing::{clock_check_line, timer_view, timing_notes, TimerView, TimingNote};
use super::variants::{variant_table, VariantTable};
use crate::results::{BenchResult, RunStatus};

/// What the Results section shows of one result (all but its verdict and report, which the
/// worker sends when it has analysed the result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultPage {
    /// The machine label.
    pub machine_label: String,
    /// The line under the title: "2026-12-02 10:00:00 UTC · default model · completed".
    pub subtitle: String,
    /// The summary cards, per variant and per scenario.
    pub cards: ResultCards,
    /// Each scenario's charts, in the plan's order.
    pub scenario_charts: Vec<ScenarioCharts>,
    /// The timing notes of the runs near the timer's tick.
    pub timing_notes: Vec<TimingNote>,
    /// The worker's timer and isolation, as measured for the result.
    pub timer: TimerView,
    /// The clock check in one paragraph.
    pub clock_check: String,
    /// The clock check's dither verdict (`Dithered`, `NotDithered`...), when it was made.
    pub clock_dither: Option<String>,
    /// The environment table.
    pub environment: Vec<EnvironmentRow>,
    /// The charts across scenarios (Offline throughput, Pareto, latency against QPS).
    pub comparisons: Vec<ChartView>,
    /// The variant comparison before the verdict (the worker sends it again with the
    /// verdict's speedup intervals).
    pub variants: Option<VariantTable>,
    /// The A/B panel, when the plan had an A/B run.
    pub ab: Option<AbPanel>,
    /// The energy estimate, when a power draw was given.
    pub energy: Option<EnergyView>,
    /// The report's file name.
    pub report_file: String,
    /// The result file's name.
    pub result_file: String,
    /// One MLPerf summary log download per performance run.
    pub summary_downloads: Vec<SummaryDownload>,
}

impl ResultPage {
    /// The page of `result` (sorts every run's values for its charts: the worker's work).
    pub fn of(result: &BenchResult) -> Self {
        let env = &result.environment;
        let date = result.created_utc.as_deref().map_or_else(
            || "undated".to_string(),
            |t| t.replace('T', " ").replace('Z', " UTC"),
        );
        let status = match result.status {
            RunStatus::Completed => "completed",
            RunStatus::Cancelled => "cancelled",
        };
        Self {
            machine_label: result.machine_label.clone(),
            subtitle: format!("{date} · {} · {status}", model_label(result)),
            cards: result_cards(result),
            scenario_charts: scenario_charts(result),
            timing_notes: timing_notes(result),
            timer: timer_view(env.timer.as_ref(), env.cross_origin_isolated),
            clock_check: clock_check_line(env.clock_check.as_ref()),
            clock_dither: env.clock_check.map(|c| format!("{:?}", c.dither)),
            environment: environment_rows(result),
            comparisons: comparison_charts(result),
            variants: variant_table(result, None),
            ab: ab_panel(result),
            energy: energy_view(result),
            report_file: report_file_name(result),
            result_file: result_file_name(result),
            summary_downloads: summary_downloads(result),
        }
    }

    fn charts_mut(&mut self) -> impl Iterator<Item = &mut ChartView> {
        self.scenario_charts
            .iter_mut()
            .flat_map(|s| s.charts.iter_mut())
            .chain(self.comparisons.iter_mut())
            .chain(self.ab.iter_mut().filter_map(|a| a.chart.as_mut()))
    }

    /// Takes every chart's long columns out (leaving them empty), in a fixed order: what
    /// crosses to the page as typed arrays.
    pub fn take_columns(&mut self) -> Vec<Vec<f64>> {
        let mut columns = Vec::new();
        for c in self.charts_mut() {
            c.chart.take_columns(&mut columns);
        }
        columns
    }

    /// Puts back the columns [`Self::take_columns`] took, in its order.
    ///
    /// # Errors
    ///
    /// Fewer or more columns than the charts take, or a chart's columns of different
    /// lengths (a message from something other than InferBench's worker).
    pub fn fill_columns(&mut self, columns: Vec<Vec<f64>>) -> Result<(), String> {
        let given = columns.len();
        let mut it = columns.into_iter();
        for c in self.charts_mut() {
            c.chart
                .fill_columns(&mut it)
                .map_err(|e| format!("chart {}: {e}", c.id))?;
        }
        if it.next().is_some() {
            return Err(format!("{given} chart columns came, the charts take fewer"));
        }
        Ok(())
    }
}
