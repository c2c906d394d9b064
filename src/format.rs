//! Number formatting shared by the reports, the CLI and the page: one place for significant
//! digits, milliseconds and p-values.

/// `x` with `digits` significant digits, in plain notation for magnitudes from 1e-4 to 1e9
/// and scientific notation (`1.23e-7`) outside; trailing zeros kept (they carry precision).
/// Non-finite values print as `NaN`, `inf`, `-inf`.
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return if digits > 1 {
            format!("{:.*}", digits - 1, 0.0)
        } else {
            "0".into()
        };
    }
    let digits = digits.max(1);
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&magnitude) {
        return format!("{:.*e}", digits - 1, x);
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    // Rounding can add a digit (9.996 -> "10.00"): redo with one decimal fewer.
    let rounded: f64 = s.parse().unwrap_or(x);
    if rounded != 0.0 && rounded.abs().log10().floor() as i32 > magnitude && decimals > 0 {
        return format!("{x:.*}", decimals - 1);
    }
    s
}

/// A duration in milliseconds with 4 significant digits and its unit, switching to µs
/// below 1 ms and to s from 10 s: `"0.2143 ms"` is written `"214.3 µs"`.
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return format!("{ms} ms");
    }
    if ms.abs() < 1.0 && ms != 0.0 {
        format!("{} µs", sig(ms * 1e3, 4))
    } else if ms.abs() >= 10_000.0 {
        format!("{} s", sig(ms / 1e3, 4))
    } else {
        format!("{} ms", sig(ms, 4))
    }
}

/// As [`duration_ms`], but also switching to ns below 1 µs (for timer ticks and the
/// latencies of tiny models): `2e-5` ms is written `"20.00 ns"`.
pub fn fine_duration_ms(ms: f64) -> String {
    if ms.is_finite() && ms != 0.0 && ms.abs() < 1e-3 {
        format!("{} ns", sig(ms * 1e6, 4))
    } else {
        duration_ms(ms)
    }
}

/// An energy in joules with 3 significant digits and its unit, from nJ to J:
/// `0.0007` is written `"700 µJ"`, `0.012` `"12.0 mJ"`.
pub fn energy_j(j: f64) -> String {
    let a = j.abs();
    if !j.is_finite() || a >= 1.0 || a == 0.0 {
        format!("{} J", sig(j, 3))
    } else if a >= 1e-3 {
        format!("{} mJ", sig(j * 1e3, 3))
    } else if a >= 1e-6 {
        format!("{} µJ", sig(j * 1e6, 3))
    } else {
        format!("{} nJ", sig(j * 1e9, 3))
    }
}

/// As [`sig`], with thousands separators in the integer part from 1,000 on:
/// `sig_grouped(46630.4, 4)` is `"46,630"`, `sig_grouped(194.35, 4)` is `"194.3"`.
pub fn sig_grouped(x: f64, digits: usize) -> String {
    let s = sig(x, digits);
    if !x.is_finite() || x.abs() < 1000.0 || s.contains('e') {
        return s;
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let grouped = int.parse::<u64>().map_or_else(|_| int.to_string(), count);
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An axis tick label: whole numbers from 1000 up with thousands separators (`50,000`),
/// smaller values with at most 3 significant digits and no trailing zeros (`2.5`, `0.04`).
pub fn axis(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() >= 1000.0 {
        return format!(
            "{}{}",
            if x < 0.0 { "-" } else { "" },
            count(x.abs().round() as u64)
        );
    }
    let s = sig(x, 3);
    if s.contains('.') && !s.contains('e') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        if t.is_empty() || t == "-" {
            "0".into()
        } else {
            t.to_string()
        }
    } else {
        s
    }
}

/// A p-value for tables: 4 significant digits, scientific below 1e-4, `< 1e-300` for
/// values that underflow to 0.
pub fn p_value(p: f64) -> String {
    if p == 0.0 {
        "< 1e-300".into()
    } else {
        sig(p, 4)
    }
}

/// A fraction as a percentage with `decimals` decimals: `0.9889` -> `"98.89%"`.
pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, fraction * 100.0)
}

/// A ratio as `"1.82x"` (3 significant digits).
pub fn times(ratio: f64) -> String {
    format!("{}x", sig(ratio, 3))
}

/// A count with thousands separators: `24576` -> `"24,576"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` made safe to print as part of one terminal line, for strings a file supplies:
/// control characters (line breaks, the escape that starts an ANSI sequence, ...) and the
/// invisible characters that reorder text (bidirectional overrides) are written as visible
/// escapes (`\n`, `\u{1b}`), and text beyond `max_chars` characters is cut, saying how much
/// was left out. A file can then neither forge lines on a terminal nor flood it.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4) + 8);
    let mut chars = text.chars();
    for (shown, c) in chars.by_ref().enumerate() {
        if shown == max_chars {
            let rest = 1 + chars.count();
            out.push_str(&format!("… ({} more characters)", count(rest as u64)));
            return out;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_reordering(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` for a terminal, keeping its line breaks and tabs: every other control character
/// and bidirectional override is escaped as in [`one_line`]. For whole outputs (a report
/// printed on standard output), as a last line of defence.
pub fn terminal_text(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_reordering(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The invisible characters that change the display order of text (Unicode bidirectional
/// embeddings, overrides and isolates, and the marks).
fn is_reordering(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_text_is_kept_on_one_visible_line() {
        assert_eq!(one_line("Alice", 10), "Alice");
        assert_eq!(
            one_line("a\nb\r\t\u{1b}[31mred\u{202e}", 40),
            "a\\nb\\r\\t\\u{1b}[31mred\\u{202e}"
        );
        assert_eq!(one_line("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(terminal_text("a\nb\tc"), "a\nb\tc");
        assert_eq!(terminal_text("x\u{1b}[2Jy\r"), "x\\u{1b}[2Jy\\u{d}");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(1.23456, 3), "1.23");
        assert_eq!(sig(123456.0, 3), "123456");
        assert_eq!(sig(0.000123456, 3), "0.000123");
        assert_eq!(sig(0.0000123456, 3), "1.23e-5");
        assert_eq!(sig(9.996, 3), "10.0");
        assert_eq!(sig(-2.5, 2), "-2.5");
        assert_eq!(sig(0.0, 3), "0.00");
        assert_eq!(sig(f64::NAN, 3), "NaN");
        assert_eq!(sig(2.0e10, 3), "2.00e10");
    }

    #[test]
    fn energies_pick_a_unit() {
        assert_eq!(energy_j(0.0007), "700 µJ");
        assert_eq!(energy_j(0.012), "12.0 mJ");
        assert_eq!(energy_j(2.5), "2.50 J");
        assert_eq!(energy_j(3.4e-8), "34.0 nJ");
        assert_eq!(energy_j(0.0), "0.00 J");
    }

    #[test]
    fn durations_pick_a_unit() {
        assert_eq!(duration_ms(0.2143), "214.3 µs");
        assert_eq!(duration_ms(1.5), "1.500 ms");
        assert_eq!(duration_ms(12_345.0), "12.35 s");
        assert_eq!(duration_ms(0.0), "0.000 ms");
        assert_eq!(fine_duration_ms(2e-5), "20.00 ns");
        assert_eq!(fine_duration_ms(0.005), "5.000 µs");
        assert_eq!(fine_duration_ms(1.5), "1.500 ms");
    }

    #[test]
    fn axis_labels_are_short() {
        assert_eq!(axis(50_000.0), "50,000");
        assert_eq!(axis(2.5), "2.5");
        assert_eq!(axis(2.0), "2");
        assert_eq!(axis(0.04), "0.04");
        assert_eq!(axis(0.0), "0");
        assert_eq!(axis(-0.125), "-0.125");
        assert_eq!(axis(1234.6), "1,235");
    }

    #[test]
    fn p_values_percentages_ratios_counts() {
        assert_eq!(p_value(0.012345), "0.01235");
        assert_eq!(p_value(1.5e-9), "1.500e-9");
        assert_eq!(p_value(0.0), "< 1e-300");
        assert_eq!(percent(0.98889, 2), "98.89%");
        assert_eq!(times(1.8234), "1.82x");
        assert_eq!(count(24_576), "24,576");
        assert_eq!(sig_grouped(46_630.4, 4), "46,630");
        assert_eq!(sig_grouped(23_885.64, 6), "23,885.6");
        assert_eq!(sig_grouped(-1_234.5, 5), "-1,234.5");
        assert_eq!(sig_grouped(194.35, 4), "194.3");
        assert_eq!(sig_grouped(2.0e10, 3), "2.00e10");
        assert_eq!(count(7), "7");
        assert_eq!(count(1_000_000), "1,000,000");
    }
}
