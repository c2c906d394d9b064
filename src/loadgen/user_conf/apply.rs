//! Applying parsed configuration files to the settings of a run's scenarios, with LoadGen's
//! lookup order, and saying what each line did ([`LineReport`]).

use super::keys::{Acceptance, Key, Setting};
use super::{ConfErrors, ConfFile, ConfLine, ConfLineError, ScenarioScope, Value};
use crate::loadgen::settings::{Scenario, ScenarioSettings, TestSettings};

/// What one line did.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// It names another model: not for this run.
    OtherModel,
    /// Its scenario is not run.
    ScenarioNotRun,
    /// A key InferBench does not apply, with a value that cannot change the run.
    NoEffect(&'static str),
    /// A setting: where it took effect, where a more specific or later line won, and where
    /// LoadGen does not read it.
    Setting {
        /// Scenarios whose setting it decided.
        applied: Vec<Scenario>,
        /// Scenarios where another line won: (scenario, `file line N`).
        overridden: Vec<(Scenario, String)>,
        /// Scenarios that do not read the key: (scenario, why).
        unread: Vec<(Scenario, &'static str)>,
    },
}

/// A line of a configuration file and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct LineReport {
    /// The file's name.
    pub file: String,
    /// The line.
    pub line: ConfLine,
    /// What it did.
    pub effect: Effect,
}

impl LineReport {
    /// Whether the line changed a setting.
    pub fn applied(&self) -> bool {
        matches!(&self.effect, Effect::Setting { applied, .. } if !applied.is_empty())
    }

    /// What the line did, in one sentence fragment, e.g. "set Server target_qps = 500".
    pub fn describe(&self) -> String {
        match &self.effect {
            Effect::OtherModel => format!("for model {}, not this run's", self.line.model),
            Effect::ScenarioNotRun => "its scenario is not run".to_string(),
            Effect::NoEffect(why) => format!("no effect: {why}"),
            Effect::Setting {
                applied,
                overridden,
                unread,
            } => {
                let mut parts = Vec::new();
                if !applied.is_empty() {
                    let names: Vec<String> = applied.iter().map(|s| s.to_string()).collect();
                    parts.push(format!("set for {}", names.join(", ")));
                }
                for (s, by) in overridden {
                    parts.push(format!("{s}: overridden by {by}"));
                }
                for (s, why) in unread {
                    parts.push(format!("{s}: no effect ({why})"));
                }
                parts.join("; ")
            }
        }
    }
}

/// The outcome of [`apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Every setting line of every file, in order, with what it did.
    pub lines: Vec<LineReport>,
    /// `performance_sample_count_override`, when a line set it (0: the whole set).
    pub performance_sample_count: Option<u64>,
    /// Whether a line set Offline's expected QPS (`*.Offline.target_qps`).
    pub offline_expected_qps_set: bool,
    /// Where each applied setting came from: (scenario, setting, `file line N`).
    pub sources: Vec<(Scenario, Setting, String)>,
}

/// The final winner of each (scenario, setting): (file index, line index).
type Winners = Vec<((Scenario, Setting), (usize, usize))>;

fn location(file: &str, line: &ConfLine) -> String {
    format!("{file} line {}", line.line)
}

/// The line of `file` that decides `setting` for `scenario`, in LoadGen's order:
/// `model.Scenario`, `*.Scenario`, `model.*`, `*.*`; the last of equal keys.
fn winner<'f>(
    file: &'f ConfFile,
    model: &str,
    scenario: Scenario,
    setting: Setting,
) -> Option<&'f ConfLine> {
    let rank = |l: &ConfLine| -> Option<u8> {
        if l.key != Key::Setting(setting) {
            return None;
        }
        let ours = l.model == model;
        let any_model = l.model == "*";
        match l.scenario {
            ScenarioScope::One(s) if s == scenario && ours => Some(0),
            ScenarioScope::One(s) if s == scenario && any_model => Some(1),
            ScenarioScope::Any if ours => Some(2),
            ScenarioScope::Any if any_model => Some(3),
            _ => None,
        }
    };
    let best = file.lines.iter().filter_map(rank).min()?;
    file.lines.iter().rev().find(|l| rank(l) == Some(best))
}

/// Applies `files`, in order, to `settings` (one per scenario of the run) for the model named
/// `model`; see the [module docs](super) for LoadGen's lookup order.
///
/// # Errors
///
/// A value that does not fit its setting (`samples_per_query` above 2^32), or a
/// `performance_sample_count_override` that differs between the run's scenarios (InferBench
/// has one performance sample set per run). Nothing is changed then.
pub fn apply(
    files: &[ConfFile],
    model: &str,
    settings: &mut [TestSettings],
) -> Result<Applied, ConfErrors> {
    let planned: Vec<Scenario> = settings.iter().map(TestSettings::scenario).collect();
    let mut result = settings.to_vec();
    let mut errors = refusals(files, model, &planned);
    let mut winners: Winners = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        for &scenario in &planned {
            for setting in Setting::ALL {
                if setting.unread_for(scenario).is_some() {
                    continue;
                }
                let Some(line) = winner(file, model, scenario, setting) else {
                    continue;
                };
                let li = file
                    .lines
                    .iter()
                    .position(|l| std::ptr::eq(l, line))
                    .expect("the winner is a line of the file");
                winners.retain(|(k, _)| *k != (scenario, setting));
                winners.push(((scenario, setting), (fi, li)));
            }
        }
    }
    let mut sample_counts: Vec<(Scenario, u64, String)> = Vec::new();
    let mut offline_expected_qps_set = false;
    let mut sources = Vec::new();
    for &((scenario, setting), (fi, li)) in &winners {
        let line = &files[fi].lines[li];
        let target = result
            .iter_mut()
            .find(|s| s.scenario() == scenario)
            .expect("winners are for planned scenarios");
        let at = location(&files[fi].name, line);
        if let Err(problem) = set(target, setting, line.value) {
            errors.push(ConfLineError {
                file: files[fi].name.clone(),
                line: line.line,
                text: line.text.clone(),
                problem,
            });
            continue;
        }
        match setting {
            Setting::PerformanceSampleCountOverride => {
                if let Value::Whole(n) = line.value {
                    sample_counts.push((scenario, n, at.clone()));
                }
            }
            Setting::TargetQps if scenario == Scenario::Offline => offline_expected_qps_set = true,
            _ => {}
        }
        sources.push((scenario, setting, at));
    }
    // One sample set per run: every scenario must resolve to the same count (a scenario
    // without a line keeps the whole set, as 0 asks).
    if !sample_counts.is_empty() {
        let resolved: Vec<(Scenario, u64, String)> = planned
            .iter()
            .map(|&s| {
                sample_counts
                    .iter()
                    .find(|(x, _, _)| *x == s)
                    .cloned()
                    .unwrap_or((s, 0, "no line: the whole set".to_string()))
            })
            .collect();
        let (first_scenario, first, first_at) = &resolved[0];
        if let Some((s, n, at)) = resolved.iter().find(|(_, n, _)| n != first) {
            errors.push(ConfLineError {
                file: files.last().map_or_else(String::new, |f| f.name.clone()),
                line: 0,
                text: String::new(),
                problem: format!(
                    "performance_sample_count_override is {first} for {first_scenario} \
                     ({first_at}) but {n} for {s} ({at}): InferBench uses one performance \
                     sample set for every scenario of a run, so set it for *"
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ConfErrors(errors));
    }
    let mut lines = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        for (li, line) in file.lines.iter().enumerate() {
            lines.push(LineReport {
                file: file.name.clone(),
                line: line.clone(),
                effect: effect_of(files, fi, li, model, &planned, &winners),
            });
        }
    }
    settings.clone_from_slice(&result);
    Ok(Applied {
        lines,
        performance_sample_count: sample_counts.first().map(|(_, n, _)| *n),
        offline_expected_qps_set,
        sources,
    })
}

/// The lines of this run (its model or `*`, a scenario it runs or `*`) whose key InferBench
/// does not apply and whose value would change the run: refused.
fn refusals(files: &[ConfFile], model: &str, planned: &[Scenario]) -> Vec<ConfLineError> {
    let mut errors = Vec::new();
    for file in files {
        for line in &file.lines {
            let ours = line.model == "*" || line.model == model;
            let runs = match line.scenario {
                ScenarioScope::Any => true,
                ScenarioScope::One(s) => planned.contains(&s),
            };
            let Key::Other(other) = line.key else {
                continue;
            };
            if !(ours && runs) {
                continue;
            }
            let problem = match other.acceptance {
                Acceptance::Any { .. } => continue,
                Acceptance::Only { value, refused, .. } => {
                    if line.value.real() == value as f64 {
                        continue;
                    }
                    refused
                }
                Acceptance::Never { refused } => refused,
            };
            errors.push(ConfLineError {
                file: file.name.clone(),
                line: line.line,
                text: line.text.clone(),
                problem: format!("{} is refused: {problem}", other.key),
            });
        }
    }
    errors
}

fn effect_of(
    files: &[ConfFile],
    fi: usize,
    li: usize,
    model: &str,
    planned: &[Scenario],
    winners: &Winners,
) -> Effect {
    let line = &files[fi].lines[li];
    if line.model != "*" && line.model != model {
        return Effect::OtherModel;
    }
    let setting = match line.key {
        Key::Other(o) => {
            return Effect::NoEffect(match o.acceptance {
                Acceptance::Any { no_effect } | Acceptance::Only { no_effect, .. } => no_effect,
                Acceptance::Never { refused } => refused,
            })
        }
        Key::Setting(s) => s,
    };
    let covered: Vec<Scenario> = planned
        .iter()
        .copied()
        .filter(|&s| match line.scenario {
            ScenarioScope::Any => true,
            ScenarioScope::One(one) => one == s,
        })
        .collect();
    if covered.is_empty() {
        return Effect::ScenarioNotRun;
    }
    let mut applied = Vec::new();
    let mut overridden = Vec::new();
    let mut unread = Vec::new();
    for s in covered {
        if let Some(why) = setting.unread_for(s) {
            unread.push((s, why));
            continue;
        }
        match winners.iter().find(|(k, _)| *k == (s, setting)) {
            Some((_, (wf, wl))) if (*wf, *wl) == (fi, li) => applied.push(s),
            Some((_, (wf, wl))) => {
                overridden.push((s, location(&files[*wf].name, &files[*wf].lines[*wl])))
            }
            None => unreachable!("a covered, read setting has a winner"),
        }
    }
    Effect::Setting {
        applied,
        overridden,
        unread,
    }
}

/// Writes `value` into `settings`' field for `setting`.
fn set(settings: &mut TestSettings, setting: Setting, value: Value) -> Result<(), String> {
    let whole = || match value {
        Value::Whole(w) => w,
        Value::Real(r) => r as u64,
    };
    match (setting, &mut settings.scenario) {
        (Setting::MinDuration, _) => settings.min_duration_ms = whole(),
        (Setting::MaxDuration, _) => settings.max_duration_ms = whole(),
        (Setting::MinQueryCount, _) => settings.min_query_count = whole(),
        (Setting::MaxQueryCount, _) => settings.max_query_count = whole(),
        (Setting::TargetLatencyPercentile, _) => settings.target_percentile = value.real() / 100.0,
        (Setting::SamplesPerQuery, ScenarioSettings::MultiStream(m)) => {
            m.samples_per_query = u32::try_from(whole())
                .map_err(|_| format!("samples_per_query {} is larger than 2^32 - 1", whole()))?;
        }
        (Setting::TargetLatency, ScenarioSettings::Server(s)) => {
            s.latency_bound_ms = whole() as f64;
        }
        (Setting::TargetQps, ScenarioSettings::Server(s)) => s.target_qps = value.real(),
        (Setting::TargetQps, ScenarioSettings::Offline(o)) => o.expected_qps = value.real(),
        (Setting::SampleIndexRngSeed, _) => settings.seeds.sample_index = whole(),
        (Setting::ScheduleRngSeed, _) => settings.seeds.schedule = whole(),
        // Recorded by the caller: the sample set is the run's, not one scenario's.
        (Setting::PerformanceSampleCountOverride, _) => {}
        // `unread_for` keeps the other combinations out.
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadgen::settings::TestSettings;

    fn files(texts: &[&str]) -> Vec<ConfFile> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| ConfFile::parse(&format!("f{i}"), t).unwrap())
            .collect()
    }

    fn plan() -> Vec<TestSettings> {
        Scenario::ALL.map(TestSettings::quick).to_vec()
    }

    #[test]
    fn the_most_specific_line_wins_then_the_last_file() {
        let f = files(&[
            "*.*.min_duration = 100\n*.Server.min_duration = 200\ndefault.*.min_duration = 300\n\
             default.Offline.min_duration = 400\nother.*.min_duration = 9\n",
            "*.MultiStream.min_duration = 500\n",
        ]);
        let mut s = plan();
        let applied = apply(&f, "default", &mut s).unwrap();
        let min: Vec<u64> = s.iter().map(|s| s.min_duration_ms).collect();
        // SingleStream: default.* (300) beats *.*; MultiStream: the later file; Server:
        // *.Server beats default.*; Offline: default.Offline.
        assert_eq!(min, vec![300, 500, 200, 400]);
        assert_eq!(applied.lines[4].effect, Effect::OtherModel);
        let Effect::Setting {
            applied: a,
            overridden,
            ..
        } = &applied.lines[0].effect
        else {
            panic!("a setting")
        };
        assert!(a.is_empty());
        assert_eq!(overridden.len(), 4);
        assert!(applied.lines[2].describe().contains("set for SingleStream"));
    }

    #[test]
    fn units_are_loadgens() {
        let f = files(&[
            "*.Server.target_latency = 15\n*.*.target_latency_percentile = 95\n\
             *.Offline.target_qps = 5000\n*.MultiStream.samples_per_query = 4\n\
             *.*.sample_index_rng_seed = 7\n*.SingleStream.target_latency = 3\n",
        ]);
        let mut s = plan();
        let applied = apply(&f, "default", &mut s).unwrap();
        assert!(matches!(s[2].scenario, ScenarioSettings::Server(x) if x.latency_bound_ms == 15.0));
        assert_eq!(s[0].target_percentile, 0.95);
        // Offline reads no percentile.
        assert_eq!(
            s[3].target_percentile,
            TestSettings::quick(Scenario::Offline).target_percentile
        );
        assert!(matches!(s[3].scenario, ScenarioSettings::Offline(o) if o.expected_qps == 5000.0));
        assert!(
            matches!(s[1].scenario, ScenarioSettings::MultiStream(m) if m.samples_per_query == 4)
        );
        assert!(s.iter().all(|x| x.seeds.sample_index == 7));
        assert!(applied.offline_expected_qps_set);
        assert!(applied.lines[5].describe().contains("no effect"));
    }

    #[test]
    fn keys_inferbench_cannot_follow_are_refused_for_this_run_only() {
        let mut s = plan();
        for line in [
            "*.*.coalesce_queries = 1",
            "default.*.mode = 2",
            "*.Server.max_async_queries = 0",
        ] {
            let e = apply(&files(&[line]), "default", &mut s).unwrap_err();
            assert!(e.to_string().contains("is refused"), "{e}");
        }
        // Another model's line, a scenario that is not run, or a value that changes nothing.
        let ok = files(&["resnet50.*.coalesce_queries = 1
*.*.coalesce_queries = 0
\
             *.Server.max_async_queries = 1
"]);
        apply(&ok, "default", &mut s).unwrap();
        let mut single = vec![TestSettings::quick(Scenario::SingleStream)];
        apply(
            &files(&["*.Server.coalesce_queries = 1"]),
            "default",
            &mut single,
        )
        .unwrap();
    }

    #[test]
    fn one_performance_sample_set_per_run() {
        let f = files(&["*.Server.performance_sample_count_override = 100\n\
                         *.Offline.performance_sample_count_override = 200\n"]);
        let mut s = plan();
        let e = apply(&f, "default", &mut s).unwrap_err();
        assert!(e.to_string().contains("one performance sample set"));
        let f = files(&["*.*.performance_sample_count_override = 100\n"]);
        assert_eq!(
            apply(&f, "default", &mut s)
                .unwrap()
                .performance_sample_count,
            Some(100)
        );
    }
}
