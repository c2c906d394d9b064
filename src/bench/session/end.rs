//! What each task of a session leaves when it ends, and the result assembled from them all
//! ([`BenchSession::finish`]).

use super::{BenchSession, State, Sut};
use crate::bench::timer_checks::cross_check_for;
use crate::loadgen::runner::Stepwise;
use crate::plan::{AbResult, TaskKind};
use crate::results::{
    BenchResult, Environment, ModelSummary, RunStatus, ScenarioRun, TrainingSummary, SCHEMA_NAME,
    SCHEMA_VERSION,
};

impl BenchSession {
    pub(super) fn end_training(&mut self) {
        let State::Training {
            trainer,
            started,
            last_at,
            last,
        } = std::mem::replace(&mut self.state, State::Idle)
        else {
            unreachable!("end_training is called in the training state");
        };
        self.training = Some(TrainingSummary {
            config: self.plan.train,
            train_samples: self.split.train.len(),
            test_samples: self.split.test.len(),
            steps_done: last.map_or(0, |p| p.steps_done),
            total_steps: trainer.total_steps(),
            final_loss: last.map(|p| p.loss),
            final_train_accuracy: last.map(|p| p.train_accuracy),
            duration_ms: last_at.saturating_sub(started).as_secs_f64() * 1e3,
        });
        self.model = Some(trainer.into_model());
    }

    pub(super) fn end_run(&mut self) {
        let State::Run { task, runner } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_run is called in the run state");
        };
        let result = runner.finish();
        match task {
            TaskKind::AbTest { .. } => {
                let Some(Sut::Ab(sut)) = &self.sut else {
                    unreachable!("an A/B run has the A/B system under test");
                };
                let settings = self.plan.ab_test.expect("A/B tasks come from the plan");
                self.ab = Some(AbResult::new(settings, result, sut.arms()));
            }
            TaskKind::Accuracy { .. } => {
                let current = self
                    .variants
                    .last_mut()
                    .expect("a run belongs to an opened variant");
                current.accuracy = Some(result);
            }
            _ => {
                let checked = self.tasks.contains(&TaskKind::ClockCheck) && !self.cancelled;
                if let Some(check) =
                    cross_check_for(&result, self.test_samples()).filter(|_| checked)
                {
                    self.state = State::CrossCheck {
                        result: Box::new(result),
                        check: Box::new(check),
                    };
                    return;
                }
                self.store_run(ScenarioRun::new(result));
            }
        }
        self.task_index += 1;
    }

    pub(super) fn end_offline(&mut self) {
        let State::Offline { run } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_offline is called in the Offline state");
        };
        self.store_run(ScenarioRun::new(run.finish()));
        self.task_index += 1;
    }

    pub(super) fn store_run(&mut self, run: ScenarioRun) {
        let current = self
            .variants
            .last_mut()
            .expect("a run belongs to an opened variant");
        current.runs.push(run);
    }

    pub(super) fn end_clock_check(&mut self) {
        let State::ClockCheck { check } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_clock_check is called in the clock-check state");
        };
        self.clock_check = Some(check.finish());
        self.task_index += 1;
    }

    pub(super) fn end_cross_check(&mut self) {
        let State::CrossCheck { result, check } = std::mem::replace(&mut self.state, State::Idle)
        else {
            unreachable!("end_cross_check is called in the cross-check state");
        };
        self.store_run(ScenarioRun::new(*result).with_cross_check(check.finish()));
        self.task_index += 1;
    }

    pub(super) fn end_peak(&mut self) {
        let State::Peak { search } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_peak is called in the peak state");
        };
        let current = self
            .variants
            .last_mut()
            .expect("a search belongs to an opened variant");
        current.peak = Some(search.finish());
        self.task_index += 1;
    }

    /// The result: everything measured so far. A session stopped before its end (cancelled,
    /// or finished early) is marked [`RunStatus::Cancelled`] and its interrupted run INVALID.
    pub fn finish(mut self, environment: Environment, created_utc: Option<String>) -> BenchResult {
        let completed = matches!(self.state, State::Done)
            && !self.cancelled
            && self.task_index >= self.tasks.len();
        if !completed {
            self.cancel();
        }
        match self.state {
            State::Training { .. } => self.end_training(),
            State::Run { .. } => self.end_run(),
            State::Offline { .. } => self.end_offline(),
            State::Peak { .. } => self.end_peak(),
            State::ClockCheck { .. } => self.end_clock_check(),
            State::CrossCheck { .. } => self.end_cross_check(),
            State::Idle | State::Done => {}
        }
        let imported = self.plan.model_file.is_some();
        let training = self.training.unwrap_or(TrainingSummary {
            config: self.plan.train,
            train_samples: if imported { 0 } else { self.split.train.len() },
            test_samples: self.rows.len() / self.width,
            steps_done: 0,
            total_steps: 0,
            final_loss: None,
            final_train_accuracy: None,
            duration_ms: 0.0,
        });
        let mut environment = environment;
        environment.visibility_changes =
            environment.visibility_changes.max(self.visibility_changes);
        environment.clock_check = environment.clock_check.or(self.clock_check);
        BenchResult {
            schema: SCHEMA_NAME.to_string(),
            schema_version: SCHEMA_VERSION,
            app_version: crate::APP_VERSION.to_string(),
            machine_label: self.plan.machine_label.trim().to_string(),
            created_utc,
            environment,
            model: ModelSummary {
                preset: self.plan.model,
                description: self.model.as_ref().map_or_else(
                    || self.plan.model.description(),
                    crate::model::Mlp::description,
                ),
                training,
                fingerprint: self.model.as_ref().map(crate::model::Mlp::fingerprint),
                samples: self.plan.performance_samples(),
            },
            variants: self.variants,
            ab_test: self.ab,
            loadgen_overhead: self.overhead,
            status: if completed {
                RunStatus::Completed
            } else {
                RunStatus::Cancelled
            },
            plan: self.plan,
        }
    }
}
