//! The Server peak-QPS search, when the plan asked for it: how it ended, the peak, and every
//! probe.

use crate::format::{count, sig};
use crate::loadgen::peak::{PeakOutcome, PeakResult, ProbeKind};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{ms, plural};
use crate::stats::error::percentile_label;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    if r.plan.peak_search.is_none() && r.variants.iter().all(|v| v.peak.is_none()) {
        return;
    }
    out.push_str("## Peak-QPS search (Server)\n\n");
    out.push_str(
        "LoadGen's procedure: start at the Server run's target QPS, double until a rate misses \
         the latency bound, then bisect; each probe is a full Server run with the same seeds, \
         and passes on the bound alone.\n\n",
    );
    for v in &r.variants {
        match &v.peak {
            Some(p) => render_search(&r.plan.sut_name(v.variant), p, a.tick_ms, out),
            None => out.push_str(&format!(
                "{}: the search did not run.\n\n",
                r.plan.sut_name(v.variant)
            )),
        }
    }
}

fn render_search(variant: &str, p: &PeakResult, tick: Option<f64>, out: &mut String) {
    let probe_pct = p.probes.first().map_or_else(
        || "target-percentile".to_string(),
        |x| percentile_label(x.percentile),
    );
    let bound = p.probes.first().map(|x| x.latency_bound_ms);
    let peak = p.peak_target_qps.map(|q| crate::format::sig_grouped(q, 6));
    let failing = p
        .lowest_failing_qps
        .map(|q| crate::format::sig_grouped(q, 6));
    let bound_text = bound.map_or_else(String::new, |b| format!(" {} ms", sig(b, 4)));
    let outcome =
        match p.outcome {
            PeakOutcome::Found => {
                format!(
            "the highest offered rate whose {probe_pct} latency stayed within the{bound_text} \
             bound is **{} QPS**; {} QPS missed it ({} decimal{} of precision)",
            peak.clone().unwrap_or_else(|| "n/a".into()),
            failing.clone().unwrap_or_else(|| "n/a".into()),
            p.search.decimals_of_precision,
            if p.search.decimals_of_precision == 1 { "" } else { "s" }
        )
            }
            PeakOutcome::LowerBoundFails => format!(
                "the starting rate already misses the{bound_text} bound ({} QPS), so there is no \
             peak: lower the Server target_qps and search again",
                failing.clone().unwrap_or_else(|| "n/a".into())
            ),
            PeakOutcome::QpsLimitReached => format!(
            "every probe met the bound up to the QPS limit; the peak is the last passing rate, \
             {} QPS",
            peak.clone().unwrap_or_else(|| "n/a".into())
        ),
            PeakOutcome::ProbeLimitReached => format!(
                "the search stopped at its limit of {}; the best passing rate so far is {} QPS",
                plural(u64::from(p.search.max_probes), "probe", "probes"),
                peak.clone().unwrap_or_else(|| "none".into())
            ),
            PeakOutcome::Cancelled => format!(
                "the search was cancelled; the best passing rate so far is {} QPS",
                peak.clone().unwrap_or_else(|| "none".into())
            ),
        };
    out.push_str(&format!("{variant}: {outcome}.\n\n"));
    let mut t = Table::new(&[
        ("#", Align::Right),
        ("Stage", Align::Left),
        ("Offered (QPS)", Align::Right),
        (&format!("{probe_pct} (ms)"), Align::Right),
        ("Within bound", Align::Left),
        ("Whole run", Align::Left),
        ("Completed (samples/s)", Align::Right),
        ("Queries", Align::Right),
    ]);
    for (i, x) in p.probes.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            match x.kind {
                ProbeKind::LowerBound => "start",
                ProbeKind::Widen => "widen",
                ProbeKind::Bisect => "bisect",
            }
            .to_string(),
            crate::format::sig_grouped(x.target_qps, 6),
            x.percentile_latency_ms
                .map_or_else(|| "n/a".into(), |v| ms(v, tick)),
            if x.latency_bound_met { "yes" } else { "no" }.to_string(),
            if x.valid { "VALID" } else { "INVALID" }.to_string(),
            x.completed_samples_per_second
                .map_or_else(|| "n/a".into(), |v| crate::format::sig_grouped(v, 4)),
            count(x.query_count),
        ]);
    }
    if !t.is_empty() {
        out.push_str(&t.render());
    }
    if let Some(run) = &p.peak_run {
        if run.is_valid() {
            out.push_str("The full run at the peak is VALID.\n\n");
        } else {
            let reasons: Vec<String> = run
                .validity
                .reasons
                .iter()
                .map(|r| format!("{} {}", super::explanation(r), r.recommendation()))
                .collect();
            out.push_str(&format!(
                "The full run at the peak meets the bound but is INVALID: {}\n\n",
                reasons.join(" ")
            ));
        }
    }
}
