//! Numbers written the way LoadGen's C++ writes them, so that its logs and InferBench's read
//! alike: `DoubleToString` (fixed decimals), a `std::ostream`'s default for a `double` (six
//! significant digits, `%g`), and `bool` in a summary (`0`/`1`).

/// LoadGen's `DoubleToString(value, precision)`: fixed notation with `precision` decimals.
pub fn fixed(value: f64, precision: usize) -> String {
    format!("{value:.precision$}")
}

/// A `double` through a default `std::ostream` (`%g` with precision 6): `1000`, `91231.7`,
/// `1e+06`, `0.99`.
pub fn general(value: f64) -> String {
    general_with(value, 6)
}

/// `%g` with `precision` significant digits.
pub fn general_with(value: f64, precision: usize) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let p = precision.max(1);
    // The exponent after rounding to p significant digits.
    let sci = format!("{:.*e}", p - 1, value);
    let (mantissa, exp) = sci.split_once('e').expect("a float in e notation");
    let exp: i32 = exp.parse().expect("an exponent");
    if exp < -4 || exp >= p as i32 {
        let mantissa = trim_fraction(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_fraction(&format!("{value:.decimals$}")).to_string()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_an_ostream_prints_them() {
        // Values seen in LoadGen's own logs.
        assert_eq!(general(1000.0), "1000");
        assert_eq!(general(91231.7), "91231.7");
        assert_eq!(general(250228.74), "250229");
        assert_eq!(general(1e6), "1e+06");
        assert_eq!(general(0.99), "0.99");
        assert_eq!(general(12.5), "12.5");
        assert_eq!(general(978.534), "978.534");
        assert_eq!(general(0.0), "0");
        assert_eq!(general(1.5e-5), "1.5e-05");
        assert_eq!(general(999999.7), "1e+06");
        assert_eq!(fixed(978.3921, 2), "978.39");
        assert_eq!(fixed(0.5, 2), "0.50");
        assert_eq!(fixed(90.0, 1), "90.0");
    }
}
