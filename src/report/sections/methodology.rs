//! The methodology: model and training, settings per scenario, seeds, warm-up, the
//! percentile estimator (with an example from the data), the statistics used, and where
//! InferBench departs from LoadGen (only the departures that apply to what ran).

use crate::format::{count, percent, sig};
use crate::loadgen::early_stopping::{CONFIDENCE, TOLERANCE};
use crate::loadgen::settings::Scenario;
use crate::model::import::ModelFileInfo;
use crate::model::synthetic::PerformanceSamples;
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::report::text::{escape_inline, level, plural};
use crate::stats::percentile::loadgen_percentile_index;
use crate::stats::percentile_ci_min_samples;

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    out.push_str("## Methodology\n\n");
    if !super::sut::render_synthetic(a, out) {
        render_model(a, out);
    }
    super::settings::render_settings(a, out);
    super::sut::render_user_conf(a, out);
    render_seeds(a, out);
    super::sut::render_overhead(a, out);
    render_latency_definitions(a, out);
    render_statistics(a, out);
    render_differences(a, out);
}

/// The sentence about a model InferBench trained.
fn render_trained(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    let d = &r.model.description;
    let t = &r.model.training;
    out.push_str(&format!(
        "A multilayer perceptron, preset `{}`: layers {}, {} parameters ({} bytes as f32), {} \
         FLOPs per sample (2 per multiply-add). It was trained on {} of the digits with Adam \
         (learning rate {}, batches of {}, {} planned) from seed {}: {} of {} steps in {}",
        r.model.preset,
        d.layers_label(),
        count(d.parameters as u64),
        count(d.f32_bytes as u64),
        count(d.flops_per_sample),
        plural(t.train_samples as u64, "sample", "samples"),
        t.config.learning_rate,
        t.config.batch_size,
        plural(t.config.epochs as u64, "epoch", "epochs"),
        t.config.seed,
        count(t.steps_done as u64),
        count(t.total_steps as u64),
        crate::format::duration_ms(t.duration_ms),
    ));
    match (t.final_loss, t.final_train_accuracy) {
        (Some(loss), Some(acc)) => out.push_str(&format!(
            ", ending with a mean cross-entropy of {} and {} training accuracy in the last epoch",
            sig(loss, 3),
            percent(acc, 2)
        )),
        _ => out.push_str(", with no completed epoch to report a loss for"),
    }
    out.push_str(&format!(
        ". The test split ({} samples, stratified 80/20, split seed {}) is the performance \
         sample set.\n\n",
        t.test_samples, r.plan.split_seed
    ));
}

/// The sentences about an imported model.
fn render_imported(a: &Analysis<'_>, file: &ModelFileInfo, out: &mut String) {
    let r = a.result;
    let d = &r.model.description;
    let biasless = if file.layers_without_bias.is_empty() {
        String::new()
    } else {
        format!(
            " ({} saved without bias, given zero biases)",
            plural(file.layers_without_bias.len() as u64, "layer", "layers")
        )
    };
    out.push_str(&format!(
        "A multilayer perceptron imported from `{}` ({} bytes, safetensors; tensors named {}, \
         {} values, weights {}{biasless}), not trained here: layers {}, {} parameters ({} bytes \
         as f32), {} FLOPs per sample (2 per multiply-add), ReLU between layers, weight \
         fingerprint `{}`. ",
        escape_inline(&file.file_name).replace('`', "'"),
        count(file.file_bytes),
        escape_inline(&file.naming),
        escape_inline(&file.dtypes.join(" and ")),
        file.weight_layout.description(),
        d.layers_label(),
        count(d.parameters as u64),
        count(d.f32_bytes as u64),
        count(d.flops_per_sample),
        escape_inline(&file.fingerprint),
    ));
    match r.model.samples {
        PerformanceSamples::DigitsTestSplit => out.push_str(&format!(
            "It takes the digits' 64 pixels and gives 10 classes, so the test split ({} \
             samples, stratified 80/20, split seed {}) is the performance sample set and its \
             accuracy is measured.\n\n",
            r.model.training.test_samples, r.plan.split_seed
        )),
        PerformanceSamples::Synthetic { .. } => {
            let why = crate::report::text::accuracy_not_measured(r).unwrap_or_default();
            out.push_str(&format!("{why}; these are the performance sample set.\n\n"));
        }
    }
}

fn render_model(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    out.push_str("### Model and variants\n\n");
    if let Some(file) = &r.plan.model_file {
        render_imported(a, file, out);
    } else {
        render_trained(a, out);
    }
    let mut table = Table::new(&[
        ("Variant", Align::Left),
        ("Role", Align::Left),
        ("Implementation", Align::Left),
        ("Size (bytes)", Align::Right),
    ]);
    for (i, v) in r.variants.iter().enumerate() {
        table.row(vec![
            v.variant.to_string(),
            if i == 0 { "baseline" } else { "candidate" }.to_string(),
            v.variant.summary().to_string(),
            count(v.size_bytes),
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render());
    }
    if r.variants
        .iter()
        .any(|v| v.variant == crate::model::Variant::Pruned)
    {
        out.push_str(&format!(
            "The pruned variant zeroes the {} smallest-magnitude weights of each layer.\n\n",
            percent(r.plan.variant_options.pruning_sparsity.into(), 0)
        ));
    }
}

fn render_seeds(a: &Analysis<'_>, out: &mut String) {
    let plan = &a.result.plan;
    out.push_str("### Seeds\n\n");
    let mut t = Table::new(&[
        ("Seed", Align::Left),
        ("Value", Align::Right),
        ("Drives", Align::Left),
    ]);
    t.row(vec![
        "sample_index".into(),
        plan.seeds.sample_index.to_string(),
        "which samples each query holds; the accuracy-mode order".into(),
    ]);
    t.row(vec![
        "schedule".into(),
        plan.seeds.schedule.to_string(),
        "the Server scenario's Poisson arrival times".into(),
    ]);
    t.row(vec![
        "model_init".into(),
        plan.seeds.model_init.to_string(),
        "weight initialisation and the training order".into(),
    ]);
    t.row(vec![
        "split".into(),
        plan.split_seed.to_string(),
        "the train/test split".into(),
    ]);
    t.row(vec![
        "bootstrap".into(),
        a.options.compare.seed.to_string(),
        "the bootstrap resamples of the comparisons".into(),
    ]);
    out.push_str(&t.render());
    out.push_str(
        "Every generator is a seeded ChaCha8 stream, so the same plan gives the same query \
         order and arrival schedule on every machine.\n\n",
    );
}

fn render_latency_definitions(a: &Analysis<'_>, out: &mut String) {
    out.push_str("### Latency and percentiles\n\n");
    for &s in &a.scenarios {
        let text = match s {
            Scenario::SingleStream => {
                "SingleStream: one sample per query, the next issued when the previous \
                 completes; latency = issue to completion."
            }
            Scenario::MultiStream => {
                "MultiStream: each query holds several samples processed in one call; a \
                 query's latency = issue to the completion of its last sample."
            }
            Scenario::Server => {
                "Server: queries arrive by a Poisson process generated up front; latency = \
                 completion minus the *scheduled* arrival, so lateness and queueing count (no \
                 coordinated omission), split into queueing (scheduled to start) and service \
                 (start to completion)."
            }
            Scenario::Offline => {
                "Offline: every sample issued at t = 0 and processed in batches (one batched \
                 forward pass each); the metric is samples / time until the last sample \
                 completes. A sample's latency there is its batch's completion time since \
                 t = 0, a ramp, so Offline statistics use each batch's service time (its start \
                 to its completion) instead."
            }
        };
        out.push_str(&format!("- {text}\n"));
    }
    if !a.scenarios.is_empty() {
        out.push('\n');
    }
    out.push_str(
        "Percentiles use MLPerf LoadGen's estimator, `sorted[floor(n * p)]` on the ascending \
         sorted latencies (zero-based), with no interpolation",
    );
    let example = a
        .runs
        .iter()
        .find(|r| r.run.scenario != Scenario::Offline && r.sample_ms.len() >= 10);
    match example {
        Some(r) => {
            let n = r.sample_ms.len();
            let i = loadgen_percentile_index(n, 0.9);
            let p90 = r.run.latency.map_or(f64::NAN, |l| l.p90_ms);
            out.push_str(&format!(
                ": for {} {}, n = {} and p90 = sorted[{}] = {}.",
                r.label,
                r.run.scenario,
                count(n as u64),
                count(i as u64),
                crate::report::text::duration(p90, r.tick_ms)
            ));
        }
        None => out.push('.'),
    }
    out.push_str(
        " The six percentiles LoadGen prints are reported: p50, p90, p95, p97, p99 and p99.9.\n\n",
    );
}

fn render_statistics(a: &Analysis<'_>, out: &mut String) {
    let c = &a.options.compare;
    let lvl = level(c.confidence_level);
    let min = |p: f64| {
        percentile_ci_min_samples(p, c.confidence_level)
            .map_or_else(|_| "?".to_string(), |n| count(n as u64))
    };
    out.push_str("### Statistics\n\n");
    out.push_str(&format!(
        "- Mean with a {lvl} Student-t interval (t quantile with n - 1 degrees of freedom, not \
         1.96), standard deviation with divisor n - 1, coefficient of variation sd / mean.\n\
         - Percentile intervals: distribution-free, from order statistics (the binomial \
         count of values below the true percentile), at {lvl}. They exist only from a \
         minimum sample size: {} values for p50, {} for p90, {} for p99, {} for p99.9.\n\
         - Outliers: Tukey's fences on the quartiles, mild beyond 1.5 IQR, severe beyond 3 \
         IQR; counted, never removed.\n\
         - Drift: Spearman's rank correlation of latency with query order, two-sided p at \
         α = {}.\n\
         - Early stopping (LoadGen's, confidence {}, tolerance {}): each query is a \
         Bernoulli trial under or over the latency; the estimate discards the highest \
         latencies a run of this length cannot vouch for.\n",
        min(0.5),
        min(0.9),
        min(0.99),
        min(0.999),
        c.alpha,
        CONFIDENCE,
        TOLERANCE
    ));
    if a.families.is_empty() {
        out.push_str(
            "- No comparison was made (one variant, or no shared scenario), so no two-sample \
             test was run.\n\n",
        );
        return;
    }
    let largest = a
        .families
        .iter()
        .map(|f| f.members.len())
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "- Comparisons of each variant with the baseline, scenario by scenario, on the \
         analysed values: Welch's t-test (Welch-Satterthwaite degrees of freedom, two-sided \
         p); Mann-Whitney U (tie-corrected normal approximation with continuity correction, \
         two-sided); speedup = baseline / candidate of means and of medians with a seeded \
         percentile bootstrap ({}; seed {}; {lvl}); Cohen's d and Cliff's delta; \
         bootstrap differences of p90 and p99.\n\
         - Multiple comparisons: {}.\n\
         - Verdict rule: with the quoted p (Welch) below α = {} and the speedup's interval \
         entirely above 1 + θ the candidate is faster (below 1 / (1 + θ): slower); \
         significant but not clear of θ = {} is \"within noise\"; p ≥ α is \"no significant \
         difference\".\n\n",
        crate::report::text::resamples_description(c),
        c.seed,
        if largest > 1 {
            format!(
                "Holm-Bonferroni over the {} candidates of a scenario, applied to the quoted p \
                 before the verdict",
                largest
            )
        } else {
            "one candidate per scenario, so no correction applies".to_string()
        },
        c.alpha,
        crate::report::verdict_text::format_percent(c.noise_threshold)
    ));
}

fn render_differences(a: &Analysis<'_>, out: &mut String) {
    let has = |s: Scenario| a.scenarios.contains(&s);
    let cap_item = format!(
        "Every run stops at {} queries (or Offline samples) even without a maximum, and a \
         result records at most {} queries in all, each run getting its share of what is \
         left, so that memory stays bounded and a result can be kept and analysed in a \
         browser; a run stopped there before its minimum duration is INVALID, and says why.",
        count(crate::loadgen::settings::MAX_QUERY_COUNT),
        count(crate::loadgen::settings::MAX_RESULT_QUERIES)
    );
    let mut items: Vec<&str> = Vec::new();
    if a.result
        .plan
        .scenarios
        .iter()
        .any(|s| s.warmup_query_count > 0)
    {
        items.push("Warm-up: untimed warm-up queries before each run (LoadGen has none).");
    }
    if has(Scenario::Server) {
        items.push(
            "Server: the system under test takes one query at a time (a browser worker is \
             single-threaded), so Server is a single-server FIFO queue; LoadGen lets a system \
             hold any number of queries.",
        );
    }
    if has(Scenario::Offline) {
        items.push(
            "Offline: the single query is fed to the model in batches so a worker can yield \
             between them, and its samples are drawn at random (LoadGen: the loaded set in \
             order).",
        );
    }
    if has(Scenario::MultiStream) {
        items.push("MultiStream: a query's samples are independent draws (LoadGen: contiguous).");
    }
    if has(Scenario::SingleStream) || has(Scenario::MultiStream) {
        items.push(
            "Samples are drawn lazily from the seeded stream, so a run never runs out of \
             generated queries.",
        );
    }
    items.push(
        "Random numbers come from ChaCha8 (portable to WebAssembly), not std::mt19937: the \
         same seed gives other sequences than LoadGen's.",
    );
    if a.result.plan.accuracy_mode {
        items.push(
            "Accuracy mode is scored here (top-1); LoadGen leaves scoring to external scripts.",
        );
    }
    items.push(
        "More INVALID reasons than LoadGen's: a cancelled run, a page hidden during the run, \
         a timer too coarse for the latencies.",
    );
    items.push(&cap_item);
    if !a.result.plan.user_conf.is_empty() {
        items.push(
            "Configuration files: every file may set the seeds (LoadGen reads them from its \
             mlperf.conf only), and lines LoadGen would misread or ignore silently are refused \
             with their line number.",
        );
    }
    if a.result.plan.synthetic_sut.is_some() {
        items.push(
            "Synthetic system under test: a service time spun on the clock, per call (query or \
             Offline batch), in place of the model (LoadGen has no built-in system).",
        );
    }
    if a.result.variants.iter().any(|v| v.peak.is_some()) {
        items.push("Peak search: a probe limit, and a stop at 1,000,000 QPS.");
    }
    out.push_str("### Where InferBench differs from LoadGen, on purpose\n\n");
    for i in items {
        out.push_str(&format!("- {i}\n"));
    }
    out.push('\n');
}
