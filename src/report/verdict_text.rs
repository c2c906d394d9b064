//! The sentences of the statistics' results, built only from their numbers: a verdict (or
//! the comparison that holds it), a trend over a run, and the p-value and percentage formats
//! every report, the CLI and the page print.
//!
//! **Sentences** (the test is always named; p is "p < 0.001" or "p = 0.012"):
//!
//! - "f32-fast is 1.82x faster than f32-naive (95% CI 1.74x-1.90x, p < 0.001, Welch)"
//! - "int8 is 1.25x slower than f32-naive (95% CI 1.20x-1.31x, p = 0.002, Welch)"
//! - "pruned is within noise of f32-naive: the difference is significant (p = 0.012, Welch)
//!   but the speedup 1.004x (95% CI 0.998x-1.010x) does not clear the 1% noise threshold"
//! - "No significant difference between pruned and f32-naive (speedup 1.013x, 95% CI
//!   0.971x-1.055x, p = 0.410, Welch)"
//!
//! Ratios get two decimals (three in the last two forms), more when needed to keep the
//! estimate and its bounds distinguishable. A speedup of medians adds "in median latency";
//! a Holm-adjusted p adds "Holm-adjusted for 3 comparisons" after the test's name.

use crate::plan::ab::AbResult;
use crate::stats::trend::{Trend, TrendKind};
use crate::stats::verdict::{RatioOf, Verdict, VerdictKind};
use crate::stats::Comparison;

/// A comparison's verdict in one sentence, naming the two sides.
pub trait VerdictSentence {
    /// The sentence ("f32-fast is 1.82x faster than f32-naive (95% CI 1.74x-1.90x,
    /// p < 0.001, Welch)"); every number in it comes from the verdict.
    fn sentence(&self, baseline_name: &str, candidate_name: &str) -> String;
}

impl VerdictSentence for Verdict {
    fn sentence(&self, baseline_name: &str, candidate_name: &str) -> String {
        let s = self.inputs.speedup;
        let level = format_percent(s.ci.confidence_level);
        let p = format_p_value_at(self.p_value, self.inputs.alpha);
        let test = match self.holm_family_size {
            Some(m) => format!(
                "{}, Holm-adjusted for {m} comparison{}",
                self.inputs.test.name(),
                if m == 1 { "" } else { "s" }
            ),
            None => self.inputs.test.name().to_string(),
        };
        let of = match self.inputs.ratio_of {
            RatioOf::Means => "",
            RatioOf::Medians => " in median latency",
        };
        match self.kind {
            VerdictKind::Faster => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 2);
                format!(
                    "{candidate_name} is {x}x faster than {baseline_name}{of} \
                     ({level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
            VerdictKind::Slower => {
                let [x, lo, hi] =
                    format_ratios([1.0 / s.point, 1.0 / s.ci.upper, 1.0 / s.ci.lower], 2);
                format!(
                    "{candidate_name} is {x}x slower than {baseline_name}{of} \
                     ({level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
            VerdictKind::WithinNoise => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 3);
                format!(
                    "{candidate_name} is within noise of {baseline_name}{of}: the difference \
                     is significant ({p}, {test}) but the speedup {x}x ({level} CI \
                     {lo}x-{hi}x) does not clear the {} noise threshold",
                    format_percent(self.inputs.noise_threshold)
                )
            }
            VerdictKind::NoSignificantDifference => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 3);
                format!(
                    "No significant difference between {candidate_name} and \
                     {baseline_name}{of} (speedup {x}x, {level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
        }
    }
}

impl VerdictSentence for Comparison {
    fn sentence(&self, baseline_name: &str, candidate_name: &str) -> String {
        self.verdict.sentence(baseline_name, candidate_name)
    }
}

/// An A/B run's verdict in one sentence.
pub trait AbSentence {
    /// "B is 1.4x faster than A (...)", when the run has a comparison.
    fn sentence(&self) -> Option<String>;
}

impl AbSentence for AbResult {
    fn sentence(&self) -> Option<String> {
        self.comparison
            .as_ref()
            .map(|c| c.sentence(self.settings.a.as_str(), self.settings.b.as_str()))
    }
}

/// A trend of latency over a run in plain language.
pub trait TrendSentence {
    /// "Later queries were slower (Spearman rho = 0.31, p < 0.001 over 2000 queries)".
    fn sentence(&self) -> String;
}

impl TrendSentence for Trend {
    fn sentence(&self) -> String {
        let head = match self.kind {
            TrendKind::LaterSlower => "Later queries were slower",
            TrendKind::LaterFaster => "Later queries were faster",
            TrendKind::NoTrend => "No trend of latency over the run",
        };
        format!(
            "{head} (Spearman rho = {:.2}, {} over {} queries)",
            self.rho,
            format_p_value_at(self.p_value, self.alpha),
            self.n
        )
    }
}

/// A ratio, its lower and its upper bound, printed with `min_decimals` decimals, or more
/// (up to 4) when fewer would print two of the three as the same number.
fn format_ratios(values: [f64; 3], min_decimals: usize) -> [String; 3] {
    let print = |d: usize| values.map(|v| format!("{v:.d$}"));
    (min_decimals..4)
        .map(print)
        .find(|[x, lo, hi]| x != lo && x != hi && lo != hi)
        .unwrap_or_else(|| print(4))
}

/// A p-value as the reports print it: `"p < 0.001"`, else `"p = 0.012"` (three decimals).
pub fn format_p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// As [`format_p_value`], but with more decimals (up to six) when three would put the
/// printed value on the other side of `alpha` than the real one (0.0496 at α = 0.05 prints
/// "p = 0.0496", not "p = 0.050").
pub fn format_p_value_at(p: f64, alpha: f64) -> String {
    if p < 0.001 {
        return format_p_value(p);
    }
    for decimals in 3..=6 {
        let text = format!("{p:.decimals$}");
        let shown: f64 = text.parse().unwrap_or(p);
        if (shown < alpha) == (p < alpha) {
            return format!("p = {text}");
        }
    }
    format!("p = {p:.6}")
}

/// A fraction as a percentage with at most one decimal: 0.95 -> "95%", 0.995 -> "99.5%".
pub fn format_percent(fraction: f64) -> String {
    let text = format!("{:.1}", fraction * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::verdict::test_support::inputs;
    use crate::stats::verdict::QuotedTest;

    #[test]
    fn faster_sentence_reads_like_the_spec() {
        let v = Verdict::decide(inputs(1.82, 1.74, 1.90, 1e-9)).unwrap();
        assert_eq!(v.kind, VerdictKind::Faster);
        assert_eq!(
            v.sentence("f32-naive", "f32-fast"),
            "f32-fast is 1.82x faster than f32-naive (95% CI 1.74x-1.90x, p < 0.001, Welch)"
        );
    }

    #[test]
    fn slower_sentence_inverts_the_ratio() {
        let v = Verdict::decide(inputs(0.8, 0.75, 0.85, 0.012)).unwrap();
        assert_eq!(v.kind, VerdictKind::Slower);
        assert_eq!(
            v.sentence("f32-naive", "int8"),
            "int8 is 1.25x slower than f32-naive (95% CI 1.18x-1.33x, p = 0.012, Welch)"
        );
    }

    #[test]
    fn within_noise_and_not_significant() {
        let v = Verdict::decide(inputs(1.004, 0.998, 1.010, 0.012)).unwrap();
        assert_eq!(v.kind, VerdictKind::WithinNoise);
        assert_eq!(
            v.sentence("a", "b"),
            "b is within noise of a: the difference is significant (p = 0.012, Welch) but \
             the speedup 1.004x (95% CI 0.998x-1.010x) does not clear the 1% noise threshold"
        );
        let v = Verdict::decide(inputs(1.013, 0.971, 1.055, 0.41)).unwrap();
        assert_eq!(v.kind, VerdictKind::NoSignificantDifference);
        assert_eq!(
            v.sentence("a", "b"),
            "No significant difference between b and a (speedup 1.013x, 95% CI \
             0.971x-1.055x, p = 0.410, Welch)"
        );
    }

    #[test]
    fn ratios_get_the_decimals_they_need() {
        let v = Verdict::decide(inputs(1.0126, 1.0112, 1.0138, 1e-6)).unwrap();
        assert_eq!(
            v.sentence("a", "b"),
            "b is 1.013x faster than a (95% CI 1.011x-1.014x, p < 0.001, Welch)"
        );
        assert_eq!(
            format_ratios([1.0, 1.0, 1.0], 2),
            ["1.0000", "1.0000", "1.0000"]
        );
    }

    #[test]
    fn holm_and_medians_are_stated() {
        let mut i = inputs(1.82, 1.74, 1.90, 0.004);
        i.ratio_of = RatioOf::Medians;
        i.test = QuotedTest::MannWhitney;
        let v = Verdict::decide_adjusted(i, 0.012, Some(3)).unwrap();
        assert_eq!(
            v.sentence("f32-naive", "f32-fast"),
            "f32-fast is 1.82x faster than f32-naive in median latency (95% CI 1.74x-1.90x, \
             p = 0.012, Mann-Whitney, Holm-adjusted for 3 comparisons)"
        );
        // The adjusted p decides: 0.06 is not significant even though 0.004 was.
        let v = Verdict::decide_adjusted(i, 0.06, Some(3)).unwrap();
        assert_eq!(v.kind, VerdictKind::NoSignificantDifference);
    }

    #[test]
    fn formats_p_values() {
        assert_eq!(format_p_value(0.0004), "p < 0.001");
        assert_eq!(format_p_value(0.0123), "p = 0.012");
        assert_eq!(format_p_value_at(0.0496, 0.05), "p = 0.0496");
        assert_eq!(format_p_value_at(0.05, 0.05), "p = 0.050");
        assert_eq!(format_percent(0.995), "99.5%");
        assert_eq!(format_percent(0.01), "1%");
    }

    #[test]
    fn a_trend_reads_as_a_sentence() {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        assert_eq!(
            Trend::of(&x, 0.05).unwrap().sentence(),
            "Later queries were slower (Spearman rho = 1.00, p < 0.001 over 20 queries)"
        );
    }
}
