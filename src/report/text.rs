//! Text helpers of the report: Markdown escaping of user text, lists in prose, plurals, and
//! the number forms the report's tables and sentences share.

use crate::format::{count, sig};
use crate::stats::ConfidenceInterval;

/// `text` made safe to place inline in Markdown, in a paragraph or a table cell: control
/// characters become spaces; `\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~` and `#` are
/// backslash-escaped (so the text cannot open code, emphasis, links or table cells); `&`,
/// `<` and `>` become HTML entities (so it cannot inject HTML or an HTML comment).
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The model of a result in a few words: "model preset `default`", or "the imported model
/// `mlp.safetensors`" (the file name escaped).
pub fn model_name(r: &crate::results::BenchResult) -> String {
    match &r.plan.model_file {
        Some(file) => format!(
            "the imported model `{}`",
            escape_inline(&file.file_name).replace('`', "'")
        ),
        None => format!("model preset `{}`", r.model.preset),
    }
}

/// Why a run measured no accuracy although accuracy mode was asked for, if that is why:
/// its model does not take the digits, so it ran on synthetic inputs without labels.
pub fn accuracy_not_measured(r: &crate::results::BenchResult) -> Option<String> {
    match r.model.samples {
        crate::model::synthetic::PerformanceSamples::Synthetic {
            samples,
            width,
            seed,
        } => {
            let sizes = &r.model.description.layer_sizes;
            Some(format!(
                "Accuracy was not measured: the model takes {} inputs and gives {} classes, \
                 not the digits' 64 and 10, so it ran on {} seeded synthetic inputs ({} \
                 uniform values in [0, 1) each, seed {}) that have no labels",
                sizes.first().copied().unwrap_or(0),
                sizes.last().copied().unwrap_or(0),
                samples,
                width,
                seed
            ))
        }
        crate::model::synthetic::PerformanceSamples::DigitsTestSplit => None,
    }
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `"1 query"` / `"2 queries"`: `count` with the singular or plural noun.
pub fn plural(count: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        crate::format::count(count),
        if count == 1 { singular } else { plural }
    )
}

/// A point's place on the Pareto frontier in words: "on the frontier", or "dominated by
/// f32-fast and int8", `name_of` naming each index of `status.dominated_by`.
pub fn pareto_status_text(
    status: &crate::stats::pareto::ParetoStatus,
    name_of: impl Fn(usize) -> String,
) -> String {
    if status.on_frontier {
        "on the frontier".to_string()
    } else {
        let names: Vec<String> = status.dominated_by.iter().map(|&j| name_of(j)).collect();
        format!("dominated by {}", join_and(&names))
    }
}

/// Items joined as prose: `"a"`, `"a and b"`, `"a, b and c"`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A value in ms for a table whose header carries the unit: 4 significant digits.
///
/// A value of exactly 0 with a known timer tick is a quantised reading, not a latency: it is
/// written `< tick` (e.g. `< 0.1`), never `0`.
pub fn ms(value_ms: f64, tick_ms: Option<f64>) -> String {
    match tick_ms {
        Some(tick) if value_ms == 0.0 => format!("< {}", sig(tick, 3)),
        _ => sig(value_ms, 4),
    }
}

/// A duration in ms for a sentence, with its unit (`214.3 µs`, `1.500 ms`); a quantised 0
/// is written "below one timer tick (0.1 ms)".
pub fn duration(value_ms: f64, tick_ms: Option<f64>) -> String {
    match tick_ms {
        Some(tick) if value_ms == 0.0 => {
            format!(
                "below one timer tick ({})",
                crate::format::fine_duration_ms(tick)
            )
        }
        _ => crate::format::fine_duration_ms(value_ms),
    }
}

/// An interval of latencies in ms for a table cell: `0.1486 to 0.1491`. Latencies are never
/// negative, so a lower bound below 0 (a Student-t interval of a very spread sample) is
/// written as 0: the interval keeps its coverage.
pub fn ms_interval(ci: &ConfidenceInterval, tick_ms: Option<f64>) -> String {
    let lower = if ci.lower < 0.0 {
        "0".to_string()
    } else {
        ms(ci.lower, tick_ms)
    };
    format!("{lower} to {}", ms(ci.upper, tick_ms))
}

/// Whether two percentiles are apart by more than their timers' ticks, as a clause: "their
/// p90s differ by 4.000 µs, within their tick bounds (±20.00 µs together): the timers cannot
/// tell them apart", or "... beyond their tick bounds (±20.00 µs together)".
pub fn tick_overlap_text(o: &crate::stats::TickOverlap) -> String {
    let label = crate::stats::error::percentile_label(o.percentile);
    let apart = if o.difference_ms == 0.0 {
        format!("their {label}s are equal")
    } else {
        format!(
            "their {label}s differ by {}",
            crate::format::fine_duration_ms(o.difference_ms.abs())
        )
    };
    format!(
        "{apart}, {} their tick bounds (±{} together){}",
        if o.within { "within" } else { "beyond" },
        crate::format::fine_duration_ms(o.bounds_ms),
        if o.within {
            ": the timers cannot tell them apart"
        } else {
            ""
        }
    )
}

/// An interval already widened by the tick bound ([`crate::stats::tick::widen`]), for a
/// table cell: as [`ms_interval`], but a lower end of 0 is the bound reaching 0, written `0`
/// (not a quantised reading).
pub fn ms_bounded_interval(ci: &ConfidenceInterval, tick_ms: Option<f64>) -> String {
    if ci.lower <= 0.0 {
        format!("0 to {}", ms(ci.upper, tick_ms))
    } else {
        ms_interval(ci, tick_ms)
    }
}

/// An interval of plain numbers (rates, factors) with `digits` significant digits.
pub fn interval(ci: &ConfidenceInterval, digits: usize) -> String {
    format!(
        "{} to {}",
        crate::format::sig_grouped(ci.lower, digits),
        crate::format::sig_grouped(ci.upper, digits)
    )
}

/// `part / whole` as a percentage with 2 significant digits (`"3.4%"`, `"0.27%"`), or
/// `"n/a"` when `whole` is 0 or either is not finite.
pub fn relative_percent(part: f64, whole: f64) -> String {
    let ratio = part / whole;
    if whole == 0.0 || !ratio.is_finite() {
        "n/a".to_string()
    } else {
        format!("{}%", sig(ratio * 100.0, 2))
    }
}

/// A confidence level as `"95%"`.
pub fn level(confidence_level: f64) -> String {
    crate::report::verdict_text::format_percent(confidence_level)
}

/// `"Yes"`, `"No"` or `"n/a"` for LoadGen's check lines.
pub fn yes_no(check: Option<bool>) -> &'static str {
    match check {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "n/a",
    }
}

/// The bootstrap rule in words: "10,000 resamples (beyond 20,000 values in the two
/// samples, each resample's mean is drawn from its normal limit ...)".
pub fn resamples_description(c: &crate::stats::CompareConfig) -> String {
    use crate::stats::bootstrap_large::EXACT_BOOTSTRAP_DRAWS;
    let exact_up_to = EXACT_BOOTSTRAP_DRAWS / c.resamples.max(1) as u64;
    format!(
        "{} resamples (beyond {} values in the two samples, each resample's mean is drawn \
         from its normal limit and each percentile from its exact resampling \
         distribution, so that the cost stays within milliseconds)",
        count(c.resamples as u64),
        count(exact_up_to)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(escape_inline("a|b"), "a\\|b");
        assert_eq!(
            escape_inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape_inline("`x` *y* _z_"), "\\`x\\` \\*y\\* \\_z\\_");
        assert_eq!(escape_inline("a\nb\tc"), "a b c");
        assert_eq!(escape_inline("[l](u) & #1"), "\\[l\\](u) &amp; \\#1");
        assert_eq!(escape_inline("Alice's laptop"), "Alice's laptop");
    }

    #[test]
    fn prose_helpers() {
        assert_eq!(plural(1, "query", "queries"), "1 query");
        assert_eq!(plural(24_576, "query", "queries"), "24,576 queries");
        let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(join_and(&items[..1]), "a");
        assert_eq!(join_and(&items[..2]), "a and b");
        assert_eq!(join_and(&items), "a, b and c");
        assert_eq!(join_and(&[]), "");
    }

    #[test]
    fn quantised_zeros_are_never_printed_as_latencies() {
        assert_eq!(ms(0.0, Some(0.1)), "< 0.100");
        assert_eq!(ms(0.0, None), "0.000");
        assert_eq!(ms(0.14817, Some(0.1)), "0.1482");
        assert_eq!(duration(0.0, Some(0.1)), "below one timer tick (100.0 µs)");
        assert_eq!(relative_percent(1.0, 3.0), "33%");
        assert_eq!(relative_percent(1.0, 0.0), "n/a");
    }

    #[test]
    fn the_bootstrap_rule_is_stated_with_its_numbers() {
        assert_eq!(
            resamples_description(&crate::stats::CompareConfig::default()),
            "10,000 resamples (beyond 20,000 values in the two samples, each resample's mean is \
             drawn from its normal limit and each percentile from its exact resampling \
             distribution, so that the cost stays within milliseconds)"
        );
    }
}
