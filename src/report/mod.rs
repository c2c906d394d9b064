//! Reports: a result rendered as Markdown, every sentence derived from the data.

use crate::format::{duration_ms, percent};
use crate::results::BenchResult;

/// The Markdown report of `result`.
pub fn render_markdown(result: &BenchResult) -> String {
    let mut out = format!("# InferBench result: {}\n\n", result.machine_label);
    out.push_str(&format!("Status: {:?}\n\n", result.status));
    out.push_str("| Variant | Scenario | Metric | Validity |\n|---|---|---|---|\n");
    for v in &result.variants {
        if let Some(a) = v.top1() {
            out.push_str(&format!(
                "| {} | accuracy | top-1 {} | |\n",
                v.variant,
                percent(a, 2)
            ));
        }
        for r in &v.runs {
            let metric = r.run.latency.map_or_else(
                || "no queries".to_string(),
                |l| format!("p90 {}", duration_ms(l.p90_ms)),
            );
            out.push_str(&format!(
                "| {} | {:?} | {} | {} |\n",
                v.variant,
                r.run.scenario,
                metric,
                if r.run.validity.valid {
                    "VALID"
                } else {
                    "INVALID"
                }
            ));
        }
    }
    out
}
