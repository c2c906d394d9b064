//! `inferbench run` (the benchmark, natively) and `inferbench report` (a saved result's
//! report).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use super::args::Args;
use super::pool::ThreadPool;
use super::{read_result_file, CliError};
use crate::bench::{BenchSession, BenchStep};
use crate::format::{count, duration_ms};
use crate::loadgen::clock::{measure_resolution, Clock, StdClock};
use crate::loadgen::driver::spin_until;
use crate::loadgen::overhead::{measure_overhead, OVERHEAD_QUERIES};
use crate::loadgen::peak::PeakSearchSettings;
use crate::loadgen::settings::{Scenario, Seeds};
use crate::loadgen::synthetic::{SyntheticSut, SyntheticSutError};
use crate::model::{ModelPreset, Variant};
use crate::plan::{BenchPlan, PlanPreset};
use crate::results::io::to_json;
use crate::results::{BenchResult, Environment};

/// Work done between two progress checks.
const STEP_BUDGET: Duration = Duration::from_millis(50);

/// How often progress is printed when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub(super) fn run(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(
        args,
        &[
            "--preset",
            "--model",
            "--variant",
            "--scenario",
            "--seed",
            "--label",
            "--power-watts",
            "--offline-workers",
            "--out",
            "--user-conf",
            "--mlperf-log",
            "--sut",
            "--model-file",
        ],
        &["--peak", "--no-accuracy"],
    )?;
    if let Some(extra) = args.positional.first() {
        return Err(CliError::usage(format!(
            "run takes no positional argument, got {extra:?}"
        )));
    }
    let preset = match args.one("--preset")? {
        None | Some("quick") => PlanPreset::Quick,
        Some("mlperf") => PlanPreset::Mlperf,
        Some(other) => {
            return Err(CliError::usage(format!(
                "unknown preset {other:?}: use quick or mlperf"
            )))
        }
    };
    let imported = match args.one("--model-file")? {
        Some(path) => {
            if args.one("--sut")?.is_some() {
                return Err(CliError::usage(
                    "--sut and --model-file both replace the trained model: give one of them",
                ));
            }
            if args.one("--model")?.is_some() {
                return Err(CliError::usage(
                    "--model and --model-file both name the model: give one of them",
                ));
            }
            Some(read_model_file(path)?)
        }
        None => None,
    };
    let variants = match args.all("--variant").as_slice() {
        [] => vec![Variant::F32Naive, Variant::F32Fast],
        names => names
            .iter()
            .map(|n| {
                n.parse::<Variant>()
                    .map_err(|e| CliError::usage(e.to_string()))
            })
            .collect::<Result<_, _>>()?,
    };
    let scenarios = match args.all("--scenario").as_slice() {
        [] => Scenario::ALL.to_vec(),
        names => names
            .iter()
            .map(|n| parse_scenario(n))
            .collect::<Result<_, _>>()?,
    };
    let label = args
        .one("--label")?
        .map_or_else(default_label, str::to_string);
    let mut plan = BenchPlan::from_preset(preset, &label, variants, &scenarios);
    if let Some(model) = args.one("--model")? {
        let model: ModelPreset =
            model
                .parse()
                .map_err(|e: crate::model::preset::UnknownPresetError| {
                    CliError::usage(e.to_string())
                })?;
        plan = plan.with_model(model);
    }
    if let Some(seed) = args.one("--seed")? {
        let seed: u64 = seed.parse().map_err(|_| {
            CliError::usage(format!(
                "--seed {seed:?} is not a whole number from 0 to {}",
                u64::MAX
            ))
        })?;
        plan = plan.with_seeds(Seeds::all(seed));
    }
    if let Some(watts) = args.one("--power-watts")? {
        let watts: f64 = watts.trim_end_matches(['W', 'w']).parse().map_err(|_| {
            CliError::usage(format!(
                "--power-watts {watts:?} is not a number of watts, e.g. 45"
            ))
        })?;
        plan.assumed_power_watts = Some(watts);
    }
    if args.has("--no-accuracy") {
        plan.accuracy_mode = false;
    }
    if args.has("--peak") {
        plan.peak_search = Some(PeakSearchSettings::default());
    }
    if let Some(text) = args.one("--sut")? {
        let sut: SyntheticSut = text
            .parse()
            .map_err(|e: SyntheticSutError| CliError::usage(format!("--sut {text:?}: {e}")))?;
        if args.all("--variant").len() > 1 {
            return Err(CliError::usage(format!(
                "--sut {sut} replaces the model: give at most one --variant (it only names \
                 the results' slot)"
            )));
        }
        plan = plan.with_synthetic_sut(sut);
    }
    super::mlperf::apply_user_conf(&mut plan, &args.all("--user-conf"))?;
    let mlperf_log = args.one("--mlperf-log")?.map(str::to_string);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    if let Some(n) = args.one("--offline-workers")? {
        plan.offline_workers = Some(n.parse().map_err(|_| {
            CliError::usage(format!(
                "--offline-workers {n:?} is not a whole number of workers, e.g. {cores}"
            ))
        })?);
    }
    let out = args
        .one("--out")?
        .unwrap_or("inferbench-result.json")
        .to_string();
    check_writable(&out)?;

    let clock = StdClock::new();
    let timer = measure_resolution(&clock, 100_000);
    let overhead = measure_overhead(&clock, OVERHEAD_QUERIES);
    let workers = plan.offline_workers.unwrap_or(cores);
    let model_name = match &imported {
        Some(m) => format!(
            "{} ({}, fingerprint {})",
            m.info.file_name,
            m.info.description.layers_label(),
            m.info.fingerprint
        ),
        None => match &plan.synthetic_sut {
            Some(sut) => format!("none (synthetic system {sut})"),
            None => plan.model.to_string(),
        },
    };
    let session = match imported {
        Some(m) => BenchSession::with_model(plan.with_model_file(m.info), m.model),
        None => BenchSession::new(plan),
    };
    let mut session = session
        .map_err(|e| CliError::usage(e.to_string()))?
        .with_timer_resolution(timer)
        .with_loadgen_overhead(overhead)
        .with_offline_pool(Box::new(ThreadPool::new(workers.saturating_sub(1), clock)))
        .with_clock_check();
    eprintln!(
        "inferbench: {} tasks ({} variants, {} scenarios, model {}), timer resolution {}",
        session.tasks().len(),
        session.plan().variants.len(),
        session.plan().scenarios.len(),
        model_name,
        timer
            .resolution_ms
            .map_or_else(|| "unmeasurable".into(), duration_ms)
    );
    eprintln!(
        "inferbench: system under test: {}; load generator overhead {:.0} ns per query \
         ({:.0} ns between issues of {} null queries)",
        session
            .plan()
            .synthetic_sut
            .map_or_else(|| "the model".to_string(), |s| s.to_string()),
        overhead.overhead_ns,
        overhead.per_query_ns,
        count(overhead.queries)
    );
    eprintln!("inferbench: effective settings (LoadGen's names):");
    for s in &session.plan().scenarios {
        eprintln!("  {}", super::mlperf::effective_settings(s));
    }
    drive(&mut session, &clock)?;
    let result = session.finish(Environment::native(Some(timer)), utc_now_rfc3339());
    std::fs::write(&out, to_json(&result)).map_err(|e| CliError {
        message: format!("cannot write {out}: {e}"),
        status: 1,
    })?;
    eprintln!("inferbench: result written to {out}");
    if let Some(dir) = &mlperf_log {
        let n = super::mlperf::write_logs(&result, dir)?;
        eprintln!("inferbench: MLPerf logs of {n} runs written under {dir}/");
    }
    super::out(&render(&result));
    Ok(())
}

/// Reads and imports the model file at `path`: refused on its size before it is read.
fn read_model_file(path: &str) -> Result<crate::model::import::ImportedModel, CliError> {
    use crate::model::import::{import_safetensors, ImportError, MAX_MODEL_FILE_BYTES};
    let meta =
        std::fs::metadata(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))?;
    if meta.is_dir() {
        return Err(CliError::usage(format!(
            "{path} is a directory, not a model file"
        )));
    }
    if meta.len() > MAX_MODEL_FILE_BYTES {
        return Err(CliError::usage(format!(
            "{path}: {}",
            ImportError::FileTooLarge { bytes: meta.len() }
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))?;
    import_safetensors(&bytes, path).map_err(|e| CliError::usage(format!("{path}: {e}")))
}

pub(super) fn report(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(args, &["--mlperf-log"], &[])?;
    let [path] = args.positional.as_slice() else {
        return Err(CliError::usage(
            "report needs one result file (RESULT.json or a report .md)",
        ));
    };
    let result = read_result_file(path)?;
    if let Some(dir) = args.one("--mlperf-log")? {
        let n = super::mlperf::write_logs(&result, dir)?;
        eprintln!("inferbench: MLPerf logs of {n} runs written under {dir}/");
    }
    super::out(&render(&result));
    Ok(())
}

/// Checks, before the benchmark starts, that the result can be written to `path`: a run of
/// minutes must not be lost to a destination found unwritable only at its end. An existing
/// file is opened for writing (not truncated); a new one is created and removed again.
///
/// # Errors
///
/// Status 1 with a line naming the destination and why it cannot be written.
fn check_writable(path: &str) -> Result<(), CliError> {
    let name = crate::format::one_line(path, 200);
    let fail = |why: String| CliError {
        message: format!(
            "cannot write the result to {name}: {why}; choose another --out (nothing was run)"
        ),
        status: 1,
    };
    let target = std::path::Path::new(path);
    if target.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    let existed = target.exists();
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(target)
        .map_err(|e| fail(e.to_string()))?;
    if !existed {
        let _ = std::fs::remove_file(target);
    }
    Ok(())
}

/// The report printed by `run` and `report`.
fn render(result: &BenchResult) -> String {
    crate::report::render_markdown(result)
}

/// The current time as an RFC 3339 UTC timestamp (`2026-11-23T14:05:09Z`), for the result's
/// `created_utc`; `None` if the system clock is before 1970.
fn utc_now_rfc3339() -> Option<String> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(rfc3339_from_unix_secs(secs))
}

/// `secs` since 1970-01-01T00:00:00Z as an RFC 3339 UTC timestamp.
fn rfc3339_from_unix_secs(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

fn parse_scenario(name: &str) -> Result<Scenario, CliError> {
    match name.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
        "single-stream" | "singlestream" => Ok(Scenario::SingleStream),
        "multi-stream" | "multistream" => Ok(Scenario::MultiStream),
        "server" => Ok(Scenario::Server),
        "offline" => Ok(Scenario::Offline),
        _ => Err(CliError::usage(format!(
            "unknown scenario {name:?}: use single-stream, multi-stream, server or offline"
        ))),
    }
}

fn default_label() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .map_or_else(
            || "native".to_string(),
            |h| format!("{} (native)", h.trim()),
        )
}

/// Runs the session to its end, busy-waiting for Server arrivals, with progress on stderr.
fn drive(session: &mut BenchSession, clock: &StdClock) -> Result<(), CliError> {
    let tty = std::io::stderr().is_terminal();
    let mut last_log = Duration::ZERO;
    let mut last_task = usize::MAX;
    loop {
        match session.step(clock, STEP_BUDGET).map_err(|e| CliError {
            message: e.to_string(),
            status: 1,
        })? {
            BenchStep::Progress(p) => {
                let now = clock.now();
                let new_task = p.task_index != last_task;
                if tty || new_task || now.saturating_sub(last_log) >= LOG_EVERY {
                    last_log = now;
                    last_task = p.task_index;
                    let detail = match (&p.run, &p.training) {
                        (Some(r), _) => format!(
                            "{} of {} {}{}",
                            count(r.done),
                            count(r.total),
                            r.unit.plural(),
                            r.eta_ms.map_or_else(String::new, |eta| format!(
                                ", ETA {}",
                                duration_ms(eta)
                            ))
                        ),
                        (None, Some(t)) => {
                            format!("epoch {}/{}, loss {:.4}", t.epoch, t.epochs, t.loss)
                        }
                        _ => String::new(),
                    };
                    let line = format!(
                        "[{:>3.0}%] task {}/{}: {} {}",
                        p.fraction_done * 100.0,
                        p.task_index + 1,
                        p.task_count,
                        p.task,
                        detail
                    );
                    if tty {
                        eprint!("\r\x1b[2K{line}");
                        let _ = std::io::stderr().flush();
                    } else {
                        eprintln!("{line}");
                    }
                }
            }
            BenchStep::WaitUntil(t) => spin_until(clock, t),
            BenchStep::Finished => break,
        }
    }
    if tty {
        eprintln!();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rfc3339_from_unix_secs;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339_from_unix_secs(0), "1970-01-01T00:00:00Z");
        // 2000-02-29 (a leap day of a century leap year) and the last second of 1999.
        assert_eq!(rfc3339_from_unix_secs(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_from_unix_secs(946_684_799), "1999-12-31T23:59:59Z");
        assert_eq!(
            rfc3339_from_unix_secs(1_795_443_909),
            "2026-11-23T14:25:09Z"
        );
    }
}
