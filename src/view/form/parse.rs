//! The text of the form's fields into numbers, seeds and sizes, each refusal a sentence that
//! says what to type instead.

use crate::format::count;
use crate::loadgen::settings::Seeds;
use crate::model::ModelPreset;

/// A whole number that fits a `u32` (sizes).
pub(super) fn parse_size(text: &str) -> Result<u32, String> {
    parse_whole(text).and_then(|v| {
        u32::try_from(v)
            .map_err(|_| format!("{v} is too large: at most {}.", count(u64::from(u32::MAX))))
    })
}

/// A comma is refused rather than guessed: "1,500" may be 1500 or 1.5 depending on where
/// the reader learnt to write numbers.
pub(super) fn refuse_commas(text: &str) -> Result<(), String> {
    if text.contains(',') {
        Err(format!(
            "{:?}: write numbers without commas (1500, or 12.5 with a decimal point).",
            text.trim()
        ))
    } else {
        Ok(())
    }
}

/// A whole number, digits only (`_` may separate thousands).
pub(super) fn parse_whole(text: &str) -> Result<u64, String> {
    refuse_commas(text)?;
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    if t.is_empty() {
        return Err("Type a whole number (digits only).".into());
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{:?} is not a whole number: type digits only.",
            text.trim()
        ));
    }
    t.parse::<u64>()
        .map_err(|_| format!("{} is too large.", text.trim()))
}

/// A finite number (`200`, `12.5`).
pub(super) fn parse_number(text: &str) -> Result<f64, String> {
    refuse_commas(text)?;
    let t = text.trim().replace('_', "");
    if t.is_empty() {
        return Err("Type a number, e.g. 200.".into());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "{:?} is not a number: type one like 200 or 12.5.",
            text.trim()
        )),
    }
}

/// The assumed power draw, typed in watts (`45`, `45 W`): `None` when empty. Its range is
/// checked with the plan.
pub(super) fn parse_power(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim().trim_end_matches(['W', 'w']).trim_end();
    if t.is_empty() {
        return Ok(None);
    }
    parse_number(t).map(Some).map_err(|_| {
        format!(
            "{:?}: type the machine's power draw in watts, e.g. 45, or leave it empty.",
            text.trim()
        )
    })
}

/// The Offline worker count: `None` when empty (one per logical core). Its range is checked
/// with the plan.
pub(super) fn parse_workers(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_size(t).map(Some).map_err(|e| {
        format!("{t:?}: type how many workers serve Offline, e.g. 2, or leave it empty for one per core ({e})")
    })
}

/// The A/B share of queries for B, typed in percent (`50`, `25.5`, `50%`), as a fraction.
pub(super) fn parse_share_percent(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%');
    let v = parse_number(t).map_err(|_| {
        format!(
            "{:?}: type the share of queries for B in percent, e.g. 50.",
            text.trim()
        )
    })?;
    if v > 0.0 && v < 100.0 {
        Ok(v / 100.0)
    } else {
        Err(format!(
            "{} is out of range: the share for B is a percentage strictly between 0 and 100 \
             (both variants need queries), e.g. 50.",
            text.trim()
        ))
    }
}

/// MLPerf's official seeds, with InferBench's default model-initialisation seed.
pub(super) fn official_seeds() -> Seeds {
    Seeds {
        model_init: crate::model::TrainConfig::for_preset(ModelPreset::Default).seed,
        ..Seeds::MLPERF
    }
}

/// The seeds: MLPerf's official ones when empty, else the typed seed for every dimension.
pub(super) fn parse_seed(text: &str) -> Result<Seeds, String> {
    if text.trim().is_empty() {
        return Ok(official_seeds());
    }
    parse_whole(text).map(Seeds::all).map_err(|_| {
        format!(
            "The seed is a whole number from 0 to {}, or empty for MLPerf's official seeds.",
            count(u64::MAX)
        )
    })
}
