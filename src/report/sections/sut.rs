//! The methodology's LoadGen parts: the system under test when a synthetic one replaced the
//! model, the load generator's measured overhead per query, and the LoadGen configuration
//! files (`mlperf.conf`, `user.conf`) with what each line set.

use crate::format::{count, fine_duration_ms};
use crate::loadgen::user_conf::{apply, ConfFile, Effect};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{escape_inline, plural};

/// "### System under test" for a synthetic system; `false` when the model ran (the caller
/// then describes the model).
pub(crate) fn render_synthetic(a: &Analysis<'_>, out: &mut String) -> bool {
    let Some(sut) = a.result.plan.synthetic_sut else {
        return false;
    };
    out.push_str("### System under test\n\n");
    out.push_str(&format!(
        "`{sut}`: {}. No model was trained or run, and accuracy mode was skipped (a synthetic \
         system has no predictions to score); the runs are filed under the variant slot {} of \
         the result. A synthetic system measures the load generator and the scenarios \
         themselves: its own overhead (null), and queueing theory (Server).\n\n",
        sut.describe(),
        a.result
            .variants
            .first()
            .map_or_else(|| "(none)".to_string(), |v| format!("`{}`", v.variant))
    ));
    true
}

/// "### Load-generator overhead": the null-system measurement the driver made before the
/// run, against the run's shortest median latency.
/// Nothing when the result does not record it (results written before it was measured).
pub(crate) fn render_overhead(a: &Analysis<'_>, out: &mut String) {
    let Some(o) = a.result.loadgen_overhead else {
        return;
    };
    out.push_str("### Load-generator overhead\n\n");
    let ns = |x: f64| fine_duration_ms(x / 1e6);
    out.push_str(&format!(
        "Before the run, {} SingleStream queries to the null system (which returns at once) \
         measured the load generator's own cost on this machine: {} between two issues, of \
         which {} from issue to completion (the call and the clock readings around it), so {} \
         of overhead per query between one query's completion and the next one's issue \
         (LoadGen's \"QPS w/ loadgen overhead\" {} against \"w/o\" {}).",
        count(o.queries),
        ns(o.per_query_ns),
        ns(o.mean_latency_ns),
        ns(o.overhead_ns),
        o.qps_with_overhead
            .map_or_else(|| "n/a".to_string(), |q| crate::format::sig_grouped(q, 4)),
        o.qps_without_overhead
            .map_or_else(|| "n/a".to_string(), |q| crate::format::sig_grouped(q, 4)),
    ));
    let shortest = a
        .runs
        .iter()
        .filter_map(|r| r.run.latency.map(|l| (r, l.p50_ms)))
        .filter(|(_, p50)| *p50 > 0.0)
        .min_by(|x, y| x.1.total_cmp(&y.1));
    match shortest {
        Some((r, p50)) => out.push_str(&format!(
            " Against the shortest median latency here ({}, {}), the whole cost per query is \
             {}.\n\n",
            super::run_name(r),
            fine_duration_ms(p50),
            crate::report::text::relative_percent(o.per_query_ns / 1e6, p50)
        )),
        None => out.push_str("\n\n"),
    }
}

/// "### LoadGen configuration files", when the plan applied any: each line that set
/// something, and how many lines were for other models or scenarios.
pub(crate) fn render_user_conf(a: &Analysis<'_>, out: &mut String) {
    let plan = &a.result.plan;
    if plan.user_conf.is_empty() {
        return;
    }
    out.push_str("### LoadGen configuration files\n\n");
    let files: Result<Vec<ConfFile>, _> =
        plan.user_conf.iter().map(ConfFile::from_source).collect();
    let mut scenarios = plan.scenarios.clone();
    let applied = files.and_then(|f| apply(&f, plan.model.as_str(), &mut scenarios));
    let names: Vec<String> = plan
        .user_conf
        .iter()
        .map(|s| format!("`{}`", escape_inline(&s.name)))
        .collect();
    out.push_str(&format!(
        "The settings above are the effective ones after {} (LoadGen's `MODEL.SCENARIO.KEY = \
         VALUE` lines, later files overriding earlier ones, the most specific line winning; \
         `MODEL` is `*` or the model preset, `{}`).",
        names.join(" then "),
        plan.model
    ));
    let lines = match applied {
        Ok(applied) => applied.lines,
        Err(e) => {
            out.push_str(&format!(
                " The files recorded in the result no longer read as they did: {}.\n\n",
                escape_inline(&e.to_string())
            ));
            return;
        }
    };
    let other = lines
        .iter()
        .filter(|l| matches!(l.effect, Effect::OtherModel | Effect::ScenarioNotRun))
        .count();
    out.push_str(&format!(
        " {} for other models or for scenarios that did not run.\n\n",
        plural(other as u64, "line was", "lines were")
    ));
    let mut t = Table::new(&[
        ("File", Align::Left),
        ("Line", Align::Right),
        ("Setting", Align::Left),
        ("What it did", Align::Left),
    ]);
    for l in lines
        .iter()
        .filter(|l| !matches!(l.effect, Effect::OtherModel | Effect::ScenarioNotRun))
    {
        t.row(vec![
            escape_inline(&l.file),
            l.line.line.to_string(),
            escape_inline(&l.line.text),
            escape_inline(&l.describe()),
        ]);
    }
    if !t.is_empty() {
        out.push_str(&t.render());
    }
    if let Some(n) = plan.performance_sample_count {
        out.push_str(&format!(
            "performance_sample_count_override: the performance runs drew from the first {} \
             samples of the test split (LoadGen draws such a subset with qsl_rng_seed).\n\n",
            count(n)
        ));
    }
}
