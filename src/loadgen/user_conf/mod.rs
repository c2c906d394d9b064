//! LoadGen's configuration files (`mlperf.conf`, `user.conf`) read into InferBench's
//! settings: [`ConfFile::parse`], then [`apply`].
//!
//! **Syntax** (LoadGen's, `TestSettings::FromConfig` in `loadgen/test_settings_internal.cc`):
//! one `MODEL.SCENARIO.KEY = VALUE` per line, tokens separated by blanks, `#` starting a
//! comment line; `MODEL` and `SCENARIO` may be `*`. `SCENARIO` is `SingleStream`,
//! `MultiStream`, `Server` or `Offline`; `MODEL` is matched against the run's model name
//! (InferBench's: the model preset, `tiny`, `default` or `large`). For each setting of each
//! scenario the most specific line wins, in LoadGen's order: `model.Scenario`, then
//! `*.Scenario`, then `model.*`, then `*.*`; within a file the last line for the same
//! `MODEL.SCENARIO.KEY` wins; a later file overrides an earlier one (LoadGen reads its
//! `mlperf.conf`, then the `user.conf`).
//!
//! **Units** are LoadGen's: `min_duration`, `max_duration` and `target_latency` in
//! milliseconds, `target_latency_percentile` in percent, `target_qps` per second (Server's
//! target, Offline's expected rate). Keys and what InferBench does with each are in [`keys`].
//!
//! **Where InferBench is stricter than LoadGen**, so that a file never silently means
//! something else than it says: a line LoadGen would ignore without a word (`key=value`
//! without blanks, an unknown key or scenario name) or read differently than written (a
//! fraction for a whole-number key, which LoadGen truncates; a leading `0`, which it reads as
//! octal; a negative count, which wraps) is refused with its line number and the reason. Keys
//! LoadGen reads but InferBench does not apply are accepted when they cannot change the run
//! (LoadGen's own `mlperf.conf` is read without a refusal) and refused otherwise
//! ([`keys::Acceptance`]). The seeds (`sample_index_rng_seed`, `schedule_rng_seed`) are read
//! from every file (LoadGen reads them from its `mlperf.conf` only).

mod apply;
pub mod keys;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::loadgen::settings::Scenario;
use keys::{Key, ValueKind};

pub use apply::{apply, Applied, Effect, LineReport};

/// The largest configuration file accepted, in bytes (LoadGen's `mlperf.conf` is 8 KiB).
pub const MAX_CONF_BYTES: usize = 1 << 20;

/// A configuration file as given: its name (for messages) and text. Kept in the result, so
/// that the settings can be traced to their lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfSource {
    /// The file's name or path, as given.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// The scenario part of a key: one scenario or `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioScope {
    /// `*`: every scenario.
    Any,
    /// One scenario.
    One(Scenario),
}

/// A parsed value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A whole number.
    Whole(u64),
    /// A real number (a whole number written without a fraction is a real too).
    Real(f64),
}

impl Value {
    /// The value as a real number.
    pub fn real(self) -> f64 {
        match self {
            Value::Whole(w) => w as f64,
            Value::Real(r) => r,
        }
    }
}

/// One `MODEL.SCENARIO.KEY = VALUE` line that InferBench understands.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfLine {
    /// 1-based line number.
    pub line: usize,
    /// The line as written (trimmed).
    pub text: String,
    /// `MODEL`, `*` for every model.
    pub model: String,
    /// `SCENARIO`.
    pub scenario: ScenarioScope,
    /// `KEY`, known.
    pub key: Key,
    /// `VALUE`.
    pub value: Value,
}

impl ConfLine {
    /// `MODEL.SCENARIO.KEY` as written.
    pub fn full_key(&self) -> String {
        let scenario = match self.scenario {
            ScenarioScope::Any => "*".to_string(),
            ScenarioScope::One(s) => s.to_string(),
        };
        let key = match self.key {
            Key::Setting(s) => s.key(),
            Key::Other(o) => o.key,
        };
        format!("{}.{scenario}.{key}", self.model)
    }
}

/// A parsed configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfFile {
    /// The file's name, as given.
    pub name: String,
    /// Its setting lines, in order (comments and blank lines dropped).
    pub lines: Vec<ConfLine>,
}

/// A line refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfLineError {
    /// The file's name.
    pub file: String,
    /// 1-based line number (0: the file as a whole).
    pub line: usize,
    /// The line as written (trimmed).
    pub text: String,
    /// What is wrong and what to write instead.
    pub problem: String,
}

impl fmt::Display for ConfLineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.problem)
        } else {
            write!(
                f,
                "{} line {}: {} ({})",
                self.file, self.line, self.problem, self.text
            )
        }
    }
}

/// Every line of a file that was refused (a file is used only without any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfErrors(pub Vec<ConfLineError>);

impl fmt::Display for ConfErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfErrors {}

impl ConfFile {
    /// Parses `text` (the file `name`), checking every line; see the module docs for what is
    /// refused.
    ///
    /// # Errors
    ///
    /// Every refused line, each with its number and reason; a file larger than
    /// [`MAX_CONF_BYTES`] or with no setting line at all is refused as a whole.
    pub fn parse(name: &str, text: &str) -> Result<ConfFile, ConfErrors> {
        let whole = |problem: String| {
            ConfErrors(vec![ConfLineError {
                file: name.to_string(),
                line: 0,
                text: String::new(),
                problem,
            }])
        };
        if text.len() > MAX_CONF_BYTES {
            return Err(whole(format!(
                "the file has {} bytes; a configuration file of more than {} bytes is not \
                 a LoadGen user.conf",
                text.len(),
                MAX_CONF_BYTES
            )));
        }
        // A byte-order mark (some editors write one) is not part of the first key.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let trimmed = raw.trim();
            match parse_line(trimmed) {
                Ok(None) => {}
                Ok(Some(mut line)) => {
                    line.line = i + 1;
                    lines.push(line);
                }
                Err(problem) => errors.push(ConfLineError {
                    file: name.to_string(),
                    line: i + 1,
                    text: trimmed.to_string(),
                    problem,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(ConfErrors(errors));
        }
        if lines.is_empty() {
            return Err(whole(
                "the file has no MODEL.SCENARIO.KEY = VALUE line (only comments or blanks)"
                    .to_string(),
            ));
        }
        Ok(ConfFile {
            name: name.to_string(),
            lines,
        })
    }

    /// Parses a [`ConfSource`].
    ///
    /// # Errors
    ///
    /// As [`ConfFile::parse`].
    pub fn from_source(source: &ConfSource) -> Result<ConfFile, ConfErrors> {
        ConfFile::parse(&source.name, &source.text)
    }
}

/// One line: `None` for a comment or a blank line.
fn parse_line(line: &str) -> Result<Option<ConfLine>, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let Some(&first) = tokens.first() else {
        return Ok(None);
    };
    if first.starts_with('#') {
        return Ok(None);
    }
    if tokens.iter().any(|t| t.contains('=') && *t != "=") {
        return Err(
            "write blanks around '=' (MODEL.SCENARIO.KEY = VALUE): LoadGen reads \
                    'key=value' as a key without a value and ignores the line"
                .to_string(),
        );
    }
    let (full_key, value_text) = match tokens.as_slice() {
        [k, "=", v] => (*k, *v),
        [_, "=", _, next, ..] if next.starts_with('#') => {
            return Err(
                "put the comment on a line of its own: LoadGen refuses a '#' after \
                        the value"
                    .to_string(),
            )
        }
        [_, "=", _, ..] => {
            return Err(
                "one value per line: LoadGen would read the last word as the value".to_string(),
            )
        }
        [_] | [_, "="] => return Err("the line has no '= VALUE'".to_string()),
        _ => return Err("expected MODEL.SCENARIO.KEY = VALUE".to_string()),
    };
    let mut parts = full_key.rsplitn(3, '.');
    let (Some(key), Some(scenario), Some(model)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "{full_key:?} is not MODEL.SCENARIO.KEY (e.g. *.Server.target_qps)"
        ));
    };
    if model.is_empty() {
        return Err(format!(
            "{full_key:?} has no model name: use * for every model"
        ));
    }
    let scenario = match scenario {
        "*" => ScenarioScope::Any,
        "SingleStream" => ScenarioScope::One(Scenario::SingleStream),
        "MultiStream" => ScenarioScope::One(Scenario::MultiStream),
        "Server" => ScenarioScope::One(Scenario::Server),
        "Offline" => ScenarioScope::One(Scenario::Offline),
        other => {
            return Err(format!(
                "unknown scenario {other:?}: use SingleStream, MultiStream, Server, Offline or \
                 * (LoadGen matches the name exactly, so it would ignore this line)"
            ))
        }
    };
    let Some(key_kind) = Key::of(key) else {
        let hint = Key::nearest(key).map_or_else(String::new, |k| format!(" (did you mean {k}?)"));
        return Err(format!(
            "unknown key {key:?}{hint}: LoadGen would ignore this line without a word"
        ));
    };
    let one = match scenario {
        ScenarioScope::One(s) => Some(s),
        ScenarioScope::Any => None,
    };
    let value = match key_kind {
        Key::Setting(s) => parse_value(s.key(), value_text, s.value_kind(one))?,
        // Whether InferBench can do what the value asks is checked when the file is applied,
        // for the lines of the run's model only ([`apply`]).
        Key::Other(o) => parse_value(o.key, value_text, ValueKind::Real)?,
    };
    if let (Key::Setting(keys::Setting::TargetLatencyPercentile), v) = (key_kind, value) {
        let p = v.real();
        if !(p > 0.0 && p < 100.0) {
            return Err(format!(
                "target_latency_percentile is in percent, strictly between 0 and 100 (e.g. 90 \
                 or 99.9), not {value_text}"
            ));
        }
    }
    Ok(Some(ConfLine {
        line: 0,
        text: line.to_string(),
        model: model.to_string(),
        scenario,
        key: key_kind,
        value,
    }))
}

/// A value as LoadGen reads it (`strtoull` for whole numbers, `strtod` for reals), refusing
/// what LoadGen would read differently than written.
fn parse_value(key: &str, text: &str, kind: ValueKind) -> Result<Value, String> {
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .map(|h| u64::from_str_radix(h, 16));
    if let Some(h) = hex {
        return h
            .map(Value::Whole)
            .map_err(|_| format!("{key}: {text} is not a hexadecimal whole number below 2^64"));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if text.len() > 1 && text.starts_with('0') {
            let octal = u64::from_str_radix(&text[1..], 8)
                .map_or_else(|_| "an error".to_string(), |v| v.to_string());
            return Err(format!(
                "{key}: LoadGen reads a number with a leading 0 as octal ({text} would be \
                 {octal}): write it without the leading 0"
            ));
        }
        return text
            .parse::<u64>()
            .map(Value::Whole)
            .map_err(|_| format!("{key}: {text} is larger than 2^64 - 1"));
    }
    let real: f64 = text.parse().map_err(|_| {
        format!(
            "{key}: {text:?} is not a number (LoadGen: \"value needs to be integer or double\")"
        )
    })?;
    if !real.is_finite() {
        return Err(format!("{key}: {text} is not a finite number"));
    }
    match kind {
        ValueKind::Real => Ok(Value::Real(real)),
        ValueKind::Whole if real < 0.0 => Err(format!(
            "{key} is a count or duration: {text} is negative (LoadGen would wrap it to a huge \
             number)"
        )),
        ValueKind::Whole => Err(format!(
            "{key} is a whole number: LoadGen would read {text} as {}",
            real.trunc()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(line: &str) -> String {
        parse_line(line).unwrap_err()
    }

    #[test]
    fn lines_parse_as_loadgen_reads_them() {
        let l = parse_line("*.Server.target_qps = 1.5").unwrap().unwrap();
        assert_eq!(l.model, "*");
        assert_eq!(l.scenario, ScenarioScope::One(Scenario::Server));
        assert_eq!(l.value, Value::Real(1.5));
        // A model name may hold dots: the key and scenario are the last two parts.
        let l = parse_line("wan-2.2-t2v-a14b.*.min_query_count = 248")
            .unwrap()
            .unwrap();
        assert_eq!(l.model, "wan-2.2-t2v-a14b");
        assert_eq!(l.value, Value::Whole(248));
        let l = parse_line("*.*.schedule_rng_seed = 0x10").unwrap().unwrap();
        assert_eq!(l.value, Value::Whole(16));
        assert_eq!(parse_line("# a comment").unwrap(), None);
        assert_eq!(parse_line("").unwrap(), None);
    }

    #[test]
    fn what_loadgen_would_misread_is_refused_with_the_reason() {
        assert!(refused("*.*.min_duration=0").contains("blanks around '='"));
        assert!(refused("*.*.min_duration = 0 # ms").contains("line of its own"));
        assert!(refused("*.*.min_duration = 1.5").contains("read 1.5 as 1"));
        assert!(refused("*.*.min_query_count = -5").contains("negative"));
        assert!(refused("*.*.min_query_count = 010").contains("would be 8"));
        assert!(refused("*.*.min_duraton = 5").contains("did you mean min_duration?"));
        assert!(refused("*.singlestream.min_duration = 5").contains("unknown scenario"));
        assert!(refused("*.Server.target_latency = 12.5").contains("read 12.5 as 12"));
        assert!(refused("*.*.target_latency_percentile = 100").contains("strictly between"));
        assert!(refused("*.*.min_duration = fast").contains("not a number"));
        assert!(parse_line("*.SingleStream.target_latency = 12.5").is_ok());
    }

    #[test]
    fn a_file_lists_every_refused_line() {
        let e =
            ConfFile::parse("u.conf", "*.*.min_duration = 1\nx\n*.*.max_duration=2\n").unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.0[0].line, 2);
        assert_eq!(e.0[1].line, 3);
        assert!(e.to_string().starts_with("u.conf line 2: "));
        let bom = ConfFile::parse("b.conf", "\u{feff}*.*.min_duration = 5\r\n").unwrap();
        assert_eq!(bom.lines[0].model, "*");
        let empty = ConfFile::parse("e.conf", "# nothing\n\n").unwrap_err();
        assert!(empty.to_string().contains("no MODEL.SCENARIO.KEY"));
    }
}
