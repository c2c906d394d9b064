//! The Setup form's LoadGen parts: the user.conf files loaded into a plan, with a row per
//! line saying what it set or why it did nothing ([`ConfRow`]), and the synthetic system
//! under test typed in the form's syntax (`null`, `fixed:1ms`, `lognormal:50us,0.3`).

use crate::loadgen::synthetic::SyntheticSut;
use crate::loadgen::user_conf::ConfSource;
use crate::plan::BenchPlan;

/// One line of a loaded configuration file, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfRow {
    /// The file's name.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// What it did: "set for Server", "for model resnet50, not this run's", ...
    pub effect: String,
    /// Whether it changed a setting.
    pub applied: bool,
}

/// Applies `sources` to `plan`; the rows say what each line did.
///
/// # Errors
///
/// One message listing every refused line (with its file and number), when a file cannot be
/// used; the plan is then unchanged.
pub fn apply_user_conf(
    plan: &mut BenchPlan,
    sources: &[ConfSource],
) -> Result<Vec<ConfRow>, String> {
    let applied = plan.apply_user_conf(sources.to_vec()).map_err(|e| {
        format!("Nothing was applied; fix these lines and load the file again: {e}")
    })?;
    Ok(applied
        .lines
        .iter()
        .map(|l| ConfRow {
            file: l.file.clone(),
            line: l.line.line,
            text: l.line.text.clone(),
            effect: l.describe(),
            applied: l.applied(),
        })
        .collect())
}

/// The synthetic system typed in the form: `None` when the text is empty (the model).
///
/// # Errors
///
/// What is wrong with the text and what to type.
pub fn parse_sut(text: &str) -> Result<Option<SyntheticSut>, String> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("model") {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|e| format!("{e}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadgen::settings::Scenario;
    use crate::model::Variant;
    use crate::plan::PlanPreset;

    #[test]
    fn rows_say_what_each_line_did() {
        let mut plan = BenchPlan::from_preset(
            PlanPreset::Quick,
            "x",
            vec![Variant::F32Naive],
            &[Scenario::Server],
        );
        let rows = apply_user_conf(
            &mut plan,
            &[ConfSource {
                name: "user.conf".into(),
                text: "*.Server.target_qps = 500\nresnet50.*.min_duration = 1\n".into(),
            }],
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].applied && rows[0].effect == "set for Server");
        assert!(!rows[1].applied && rows[1].effect.contains("resnet50"));
        let e = apply_user_conf(
            &mut plan,
            &[ConfSource {
                name: "bad.conf".into(),
                text: "*.Server.target_qps=5\n".into(),
            }],
        )
        .unwrap_err();
        assert!(e.contains("bad.conf line 1"), "{e}");
        assert_eq!(parse_sut("").unwrap(), None);
        assert_eq!(
            parse_sut("fixed:1ms")
                .unwrap()
                .map(|s| s.to_string())
                .as_deref(),
            Some("fixed:1ms")
        );
        assert!(parse_sut("fast").is_err());
    }
}
