//! The methodology's table of each scenario's LoadGen settings, under LoadGen's names, with
//! the Offline calibration when it sized `expected_qps`.

use crate::format::{count, sig};
use crate::loadgen::settings::{Scenario, ScenarioSettings, TestSettings};
use crate::plan::limits::{
    OFFLINE_CALIBRATION_MARGIN, OFFLINE_CALIBRATION_MS, OFFLINE_CALIBRATION_WARMUP_BATCHES,
};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::stats::error::percentile_label;

fn max_text(v: u64) -> String {
    if v == 0 {
        "none".to_string()
    } else {
        count(v)
    }
}

fn parameters(s: &TestSettings) -> String {
    match s.scenario {
        ScenarioSettings::SingleStream => "1 sample per query".to_string(),
        ScenarioSettings::MultiStream(m) => {
            format!("{} samples per query", m.samples_per_query)
        }
        ScenarioSettings::Server(x) => format!(
            "Poisson arrivals at {} QPS, latency bound {} ms",
            crate::format::sig_grouped(x.target_qps, 4),
            sig(x.latency_bound_ms, 4)
        ),
        ScenarioSettings::Offline(o) => format!(
            "batches of {}, expected {} samples/s",
            o.batch_size,
            crate::format::sig_grouped(o.expected_qps, 4)
        ),
    }
}

pub(super) fn render_settings(a: &Analysis<'_>, out: &mut String) {
    let plan = &a.result.plan;
    out.push_str("### Settings\n\n");
    out.push_str(&format!(
        "The plan started from the `{}` preset. A run continues until both its minimum \
         duration and its minimum query count are met, and stops early at a maximum \
         (LoadGen's stop rule).\n\n",
        plan.preset
    ));
    let mut t = Table::new(&[
        ("Scenario", Align::Left),
        ("Target percentile", Align::Right),
        ("Warm-up queries", Align::Right),
        ("Min duration (ms)", Align::Right),
        ("Max duration (ms)", Align::Right),
        ("Min queries", Align::Right),
        ("Max queries", Align::Right),
        ("Parameters", Align::Left),
    ]);
    for s in &plan.scenarios {
        t.row(vec![
            s.scenario().to_string(),
            if s.scenario() == Scenario::Offline {
                "not used".to_string()
            } else {
                percentile_label(s.target_percentile)
            },
            count(s.warmup_query_count),
            count(s.min_duration_ms),
            max_text(s.max_duration_ms),
            if s.scenario() == Scenario::Offline {
                format!("{} samples", count(s.min_query_count))
            } else {
                count(s.min_query_count)
            },
            if s.scenario() == Scenario::Offline {
                "not used".to_string()
            } else {
                max_text(s.max_query_count)
            },
            parameters(s),
        ]);
    }
    if t.is_empty() {
        out.push_str("The plan has no performance scenario.\n\n");
    } else {
        out.push_str(&t.render());
    }
    let offline: Vec<String> = a
        .runs_of(Scenario::Offline)
        .filter_map(|r| match r.run.settings.scenario {
            ScenarioSettings::Offline(o) => Some(format!(
                "{}: {} samples/s, a query of {} samples",
                r.label,
                crate::format::sig_grouped(o.expected_qps, 4),
                count(r.run.settings.offline_sample_count().unwrap_or(0))
            )),
            _ => None,
        })
        .collect();
    if !offline.is_empty() {
        if plan.calibrate_offline {
            out.push_str(&format!(
                "Offline calibration: before each Offline run, the variant's batch throughput \
                 was measured for {OFFLINE_CALIBRATION_MS} ms after {OFFLINE_CALIBRATION_WARMUP_BATCHES} \
                 warm-up batches (not recorded), and {OFFLINE_CALIBRATION_MARGIN} times it was \
                 used as its expected_qps, which sizes the single query to 1.1 x min duration x \
                 expected_qps samples (LoadGen's rule); the margin keeps the query long enough \
                 if the run is faster than the calibration. expected_qps used: {}.\n\n",
                offline.join("; ")
            ));
        } else {
            out.push_str(&format!(
                "Offline was not calibrated: expected_qps came from the settings. {}.\n\n",
                offline.join("; ")
            ));
        }
    }
    if plan.scenarios.iter().all(|s| s.warmup_query_count == 0) {
        out.push_str(
            "No scenario has a warm-up: the first measured query's latency is reported on its \
             own, and it is part of every statistic.\n\n",
        );
    } else {
        out.push_str(
            "Warm-up (beyond LoadGen, which has none): before measuring, each run issues the \
             warm-up queries of its settings, timed but not recorded; the very first query's \
             latency is reported on its own, as it includes one-off costs (cold caches, page \
             faults).\n\n",
        );
    }
    if plan.synthetic_sut.is_some() {
        out.push_str("Accuracy mode was skipped: the synthetic system makes no predictions.\n\n");
    } else if !plan.performance_samples().has_labels() {
        out.push_str(
            "Performance mode draws samples uniformly at random with replacement from the \
             synthetic inputs; accuracy mode did not run (they have no labels).\n\n",
        );
    } else if !plan.accuracy_mode {
        out.push_str("Accuracy mode was switched off.\n\n");
    } else {
        out.push_str(
            "Accuracy mode is run separately from performance mode, as in MLPerf: every test \
             sample once, top-1 against the labels. Performance mode draws samples uniformly \
             at random with replacement from the test split.\n\n",
        );
    }
}
