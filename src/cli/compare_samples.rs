//! `inferbench compare-samples A.txt B.txt [--json]`: the full two-sample comparison of two
//! files of timings.

use serde::Serialize;

use super::args::Args;
use super::{read_file, CliError};
use crate::format::{duration_ms, p_value, sig, times};
use crate::report::verdict_text::VerdictSentence;
use crate::stats::{CompareConfig, Comparison, Summary};

/// What `--json` prints (field names documented in the README).
#[derive(Debug, Serialize)]
struct JsonOutput<'a> {
    /// The baseline file, as given.
    baseline_file: &'a str,
    /// The candidate file, as given.
    candidate_file: &'a str,
    /// Every statistic (see `stats::Comparison`).
    comparison: &'a Comparison,
    /// The verdict sentence.
    verdict: String,
}

pub(super) fn compare_samples(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(args, &[], &["--json"])?;
    let [a, b] = args.positional.as_slice() else {
        return Err(CliError::usage(format!(
            "compare-samples needs two files (baseline, candidate), got {}",
            args.positional.len()
        )));
    };
    let baseline = parse_samples(a, &read_file(a)?)?;
    let candidate = parse_samples(b, &read_file(b)?)?;
    let comparison = Comparison::of(&baseline, &candidate, &CompareConfig::default())
        .map_err(|e| CliError::usage(format!("cannot compare {a} and {b}: {e}")))?;
    let (name_a, name_b) = (display_name(a), display_name(b));
    let verdict = comparison.sentence(&name_a, &name_b);
    if args.has("--json") {
        let out = JsonOutput {
            baseline_file: a,
            candidate_file: b,
            comparison: &comparison,
            verdict,
        };
        super::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&out).expect("the comparison serialises")
        ));
    } else {
        super::out(&render_text(&name_a, &name_b, &comparison, &verdict));
    }
    Ok(())
}

/// The numbers of one timings file: one per line; blank lines and `#` comments skipped.
///
/// # Errors
///
/// A line that is not a number, naming the file and the line.
pub(crate) fn parse_samples(path: &str, text: &str) -> Result<Vec<f64>, CliError> {
    let mut values = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let value: f64 = line.parse().map_err(|_| {
            CliError::usage(format!(
                "{path} line {}: {:?} is not a number",
                i + 1,
                truncate(line, 40)
            ))
        })?;
        if !value.is_finite() {
            return Err(CliError::usage(format!(
                "{path} line {}: {line} is not a finite number",
                i + 1
            )));
        }
        values.push(value);
    }
    if values.len() < 2 {
        return Err(CliError::usage(format!(
            "{path} has {} timing{}: at least 2 are needed to compare",
            values.len(),
            if values.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(values)
}

fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(chars).collect::<String>())
    }
}

/// The file name without directories and extension, for sentences.
fn display_name(path: &str) -> String {
    let name = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path);
    name.to_string()
}

fn summary_line(label: &str, name: &str, s: &Summary) -> String {
    let pct = |p: f64| {
        s.percentiles
            .iter()
            .find(|e| (e.percentile - p).abs() < 1e-12)
            .map_or_else(|| "-".into(), |e| duration_ms(e.value_ms))
    };
    format!(
        "{label:<10} {name}: n = {}, mean {} (95% CI {} to {}), sd {}, median {}, p90 {}, p99 {}, min {}, max {}\n",
        s.n,
        duration_ms(s.mean_ms),
        duration_ms(s.mean_ci_ms.lower),
        duration_ms(s.mean_ci_ms.upper),
        duration_ms(s.sd_ms),
        duration_ms(s.median_ms),
        pct(0.90),
        pct(0.99),
        duration_ms(s.min_ms),
        duration_ms(s.max_ms),
    )
}

fn render_text(a: &str, b: &str, c: &Comparison, verdict: &str) -> String {
    let mut out = String::new();
    out.push_str(&summary_line("baseline", a, &c.baseline));
    out.push_str(&summary_line("candidate", b, &c.candidate));
    out.push_str(&format!(
        "Welch's t-test:      t = {}, df = {}, p = {} (two-sided)\n",
        sig(c.welch.t, 6),
        sig(c.welch.df, 6),
        p_value(c.welch.p_value)
    ));
    out.push_str(&format!(
        "Mann-Whitney U:      U = {}, z = {}, p = {} (two-sided, tie-corrected normal approximation)\n",
        sig(c.mann_whitney.u, 8),
        sig(c.mann_whitney.z, 6),
        p_value(c.mann_whitney.p_value)
    ));
    let ci = &c.welch.difference_ci_ms;
    out.push_str(&format!(
        "Difference of means: {} ({} - {}; {}% CI {} to {}, Welch)\n",
        duration_ms(c.welch.mean_difference_ms),
        b,
        a,
        sig(ci.confidence_level * 100.0, 3),
        duration_ms(ci.lower),
        duration_ms(ci.upper)
    ));
    for (what, r) in [
        ("means", &c.speedup.of_means),
        ("medians", &c.speedup.of_medians),
    ] {
        out.push_str(&format!(
            "Speedup of {what:<8} {} ({a} / {b}; {}% bootstrap CI {} to {}, {} resamples)\n",
            times(r.point),
            sig(r.ci.confidence_level * 100.0, 3),
            times(r.ci.lower),
            times(r.ci.upper),
            c.speedup.bootstrap.resamples
        ));
    }
    out.push_str(&format!(
        "Cohen's d:           {} ({}); Cliff's delta: {} ({})\n",
        sig(c.cohens_d, 4),
        c.cohens_d_magnitude.as_str(),
        sig(c.cliffs_delta, 4),
        c.cliffs_delta_magnitude.as_str()
    ));
    for t in &c.tails {
        out.push_str(&format!(
            "p{} difference:     {} ({b} {} - {a} {}; 95% bootstrap CI {} to {}; p({b}'s is lower) = {}, one-sided)\n",
            sig(t.percentile * 100.0, 3),
            duration_ms(t.difference_ms),
            duration_ms(t.a_ms),
            duration_ms(t.b_ms),
            duration_ms(t.difference_ci_ms.lower),
            duration_ms(t.difference_ci_ms.upper),
            p_value(t.p_value_a_lower)
        ));
    }
    out.push_str(&format!("Verdict: {verdict}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_skipping_blanks_and_comments() {
        let v = parse_samples("a.txt", "# timings in ms\n1.5\n\n  2.25 \n# end\n3e-1\n").unwrap();
        assert_eq!(v, vec![1.5, 2.25, 0.3]);
    }

    #[test]
    fn names_the_bad_line() {
        let e = parse_samples("a.txt", "1.0\n2.0\nfast\n").unwrap_err();
        assert_eq!(e.message, "a.txt line 3: \"fast\" is not a number");
        assert_eq!(e.status, 2);
        let e = parse_samples("b.txt", "1.0\nNaN\n").unwrap_err();
        assert_eq!(e.message, "b.txt line 2: NaN is not a finite number");
        let e = parse_samples("c.txt", "# nothing\n4\n").unwrap_err();
        assert_eq!(
            e.message,
            "c.txt has 1 timing: at least 2 are needed to compare"
        );
    }
}
