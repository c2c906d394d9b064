//! LoadGen configuration files applied to a whole plan ([`BenchPlan::apply_user_conf`]):
//! the scenarios' settings, the performance sample set, the seeds, and the Offline
//! calibration, which a file that sets Offline's expected QPS switches off.

use crate::loadgen::settings::Seeds;
use crate::loadgen::user_conf::{apply, Applied, ConfErrors, ConfFile, ConfSource};
use crate::plan::BenchPlan;

impl BenchPlan {
    /// Applies `sources` (LoadGen's `mlperf.conf` and `user.conf` format), in order, to the
    /// plan's scenarios for its model preset (the `MODEL` that lines may name besides `*`),
    /// and records them in [`BenchPlan::user_conf`] (after any applied before).
    ///
    /// Besides the scenarios' settings: `performance_sample_count_override` sets
    /// [`BenchPlan::performance_sample_count`] (0: the whole split); a line that sets
    /// `*.Offline.target_qps` switches the Offline calibration off (the file's expected QPS is
    /// used, as an MLPerf submitter's); seeds the files set for every scenario alike become
    /// the plan's seeds.
    ///
    /// # Errors
    ///
    /// Every refused line of every file (nothing is applied then).
    pub fn apply_user_conf(&mut self, sources: Vec<ConfSource>) -> Result<Applied, ConfErrors> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for source in &sources {
            match ConfFile::from_source(source) {
                Ok(f) => files.push(f),
                Err(ConfErrors(e)) => errors.extend(e),
            }
        }
        if !errors.is_empty() {
            return Err(ConfErrors(errors));
        }
        let mut scenarios = self.scenarios.clone();
        let applied = apply(&files, self.model.as_str(), &mut scenarios)?;
        self.scenarios = scenarios;
        if let Some(n) = applied.performance_sample_count {
            self.performance_sample_count = (n > 0).then_some(n);
        }
        if applied.offline_expected_qps_set {
            self.calibrate_offline = false;
        }
        if let Some(first) = self.scenarios.first().map(|s| s.seeds) {
            if self.scenarios.iter().all(|s| s.seeds == first) {
                self.seeds = Seeds {
                    model_init: self.seeds.model_init,
                    ..first
                };
            }
        }
        self.user_conf.extend(sources);
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use crate::loadgen::settings::{Scenario, ScenarioSettings};
    use crate::loadgen::user_conf::ConfSource;
    use crate::model::Variant;
    use crate::plan::{BenchPlan, PlanPreset};

    fn source(text: &str) -> ConfSource {
        ConfSource {
            name: "user.conf".into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_plan_takes_the_files_settings_and_keeps_them() {
        let mut plan = BenchPlan::from_preset(
            PlanPreset::Quick,
            "x",
            vec![Variant::F32Naive],
            &Scenario::ALL,
        );
        let applied = plan
            .apply_user_conf(vec![source(
                "*.Offline.target_qps = 2500\n*.*.sample_index_rng_seed = 11\n\
                 *.*.performance_sample_count_override = 100\n\
                 resnet50.Server.target_qps = 9\n",
            )])
            .unwrap();
        assert!(!plan.calibrate_offline);
        assert_eq!(plan.seeds.sample_index, 11);
        assert_eq!(plan.performance_sample_count, Some(100));
        assert_eq!(plan.performance_sample_limit(360), 100);
        assert!(matches!(
            plan.scenarios[3].scenario,
            ScenarioSettings::Offline(o) if o.expected_qps == 2500.0
        ));
        assert_eq!(plan.user_conf.len(), 1);
        assert_eq!(applied.lines.iter().filter(|l| l.applied()).count(), 3);
        plan.validate(360).unwrap();
        // A refused line applies nothing.
        let before = plan.clone();
        let e = plan.apply_user_conf(vec![source("*.*.min_duration = 1.5\n")]);
        assert!(e.is_err());
        assert_eq!(plan, before);
    }
}
