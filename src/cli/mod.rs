//! The native command-line tool `inferbench` (native builds only).
//!
//! ```text
//! inferbench run [--preset quick|mlperf] [--model tiny|default|large | --model-file FILE]
//!                [--variant NAME]... [--scenario NAME]... [--seed N] [--label TEXT]
//!                [--power-watts W] [--peak] [--no-accuracy] [--offline-workers N]
//!                [--sut SPEC] [--user-conf FILE]... [--mlperf-log DIR] [--out FILE]
//! inferbench compare-samples A.txt B.txt [--json]
//! inferbench report RESULT.json [--mlperf-log DIR]
//! inferbench compare FILES... [--baseline LABEL] [--threshold PCT] [--markdown]
//! inferbench regression BASELINE.json CURRENT.json [--threshold PCT]
//! inferbench verify FILES... [--failed-only] [--no-retrain]
//! ```
//!
//! Bad input gets a one-line error on stderr and exit status 2; a panic is a bug. Text a
//! file supplies (labels, names, parser messages) is printed with its control characters
//! escaped ([`crate::format::one_line`]), so a file cannot forge lines on a terminal.

mod args;
mod compare;
mod compare_samples;
mod mlperf;
mod pool;
mod regression;
mod run;
mod verify;

use std::fmt;

use crate::results::io::MAX_RESULT_BYTES;

/// The usage text.
pub const USAGE: &str = "\
usage:
  inferbench run [--preset quick|mlperf] [--model tiny|default|large | --model-file FILE]
                 [--variant f32-naive|f32-fast|int8|pruned]... [--scenario NAME]...
                 [--seed N] [--label TEXT] [--power-watts W] [--peak] [--no-accuracy]
                 [--offline-workers N] [--sut null|fixed:D|lognormal:M,S] [--user-conf FILE]...
                 [--mlperf-log DIR] [--out FILE]
      Trains the model and runs the scenarios natively (scenarios: single-stream,
      multi-stream, server, offline; default: all four; variants default: f32-naive and
      f32-fast). Writes the result JSON to FILE (default: inferbench-result.json), prints
      the report on stdout and progress on stderr. --power-watts W adds an energy
      estimate (W x measured time per sample; never a measurement).
      --user-conf FILE applies LoadGen's mlperf.conf/user.conf lines
      (MODEL.SCENARIO.KEY = VALUE; repeatable, later files override earlier ones).
      --sut replaces the model by a synthetic system that spins on the clock: null,
      fixed:50us, lognormal:50us,0.3 (mean, log-space sigma); no training, no accuracy,
      Offline on one executor; not with --model-file.
      --mlperf-log DIR writes DIR/<variant>/<scenario>/mlperf_log_summary.txt and
      mlperf_log_detail.txt in LoadGen's format.
      --model-file FILE.safetensors benchmarks your own MLP instead of training one
      (PyTorch nn.Sequential N.weight/N.bias or W1/b1 tensors, [out, in], F32/F16/BF16/F64,
      ReLU between layers, at most 64 MiB): on the digits test split with measured
      accuracy when it takes 64 inputs and gives 10 classes, else on seeded synthetic
      inputs (accuracy not measured). A file that cannot be imported exits with status 2.
  inferbench compare-samples A.txt B.txt [--json]
      Compares two files of timings in ms (one number per line; blank lines and lines
      starting with # are ignored): A is the baseline, B the candidate.
  inferbench report RESULT.json [--mlperf-log DIR]
      Prints the Markdown report of a saved result (or of a report's embedded result);
      --mlperf-log DIR also writes its runs' LoadGen logs.
  inferbench compare FILES... [--baseline LABEL] [--threshold PCT] [--markdown]
      Compares machines: each file's runs against the baseline machine's (default: the
      first file) on the same workload, with speedups, Holm-corrected Welch and
      Mann-Whitney p-values and verdicts (IMPROVEMENT / REGRESSION / NO CHANGE beyond the
      noise threshold PCT, default 1%). Unreadable files are reported and skipped.
      --markdown prints the comparison report with its data embedded.
  inferbench regression BASELINE.json CURRENT.json [--threshold PCT]
      Checks a run against a saved baseline run: REGRESSION / IMPROVEMENT / NO CHANGE per
      variant and scenario (significant and beyond PCT, default 5%). Exit status 1 when a
      regression is found.
  inferbench verify FILES... [--failed-only] [--no-retrain]
      Checks each result file (or report): its stored summaries, metrics and validity
      against its query records, the model retrained from the plan's seeds against its
      fingerprint and accuracy, and a browser run's latencies against its timer's grid.
      One line per file, OK or what fails; --failed-only lists only the files that fail.
      Exit status 1 when a file fails, 2 when one cannot be read.
  Every command that reads results rebuilds their summaries, metrics and validity from
  the query records, and names on stderr a file whose stored values do not match.
  inferbench --version | --help";

/// A command-line failure: a one-line message and an exit status.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, in one line.
    pub message: String,
    /// The process exit status (2 for bad input).
    pub status: i32,
}

impl CliError {
    /// A bad-input error (exit status 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: 2,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Runs the command line `args` (without the program name) and returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    match dispatch(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("inferbench: {}", crate::format::terminal_text(&e.message));
            e.status
        }
    }
}

fn dispatch(args: Vec<String>) -> Result<(), CliError> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("run") => run::run(args.collect()),
        Some("compare-samples") => compare_samples::compare_samples(args.collect()),
        Some("report") => run::report(args.collect()),
        Some("compare") => compare::compare(args.collect()),
        Some("regression") => regression::regression(args.collect()),
        Some("verify") => verify::verify(args.collect()),
        Some("--version") | Some("-V") => {
            out(&format!("inferbench {}\n", crate::APP_VERSION));
            Ok(())
        }
        Some("--help") | Some("-h") | Some("help") => {
            out(&format!("{USAGE}\n"));
            Ok(())
        }
        Some(other) => Err(CliError::usage(format!(
            "unknown command \"{}\": use run, compare-samples, report, compare, regression or verify (inferbench --help)",
            crate::format::one_line(other, 40)
        ))),
        None => Err(CliError::usage(format!("no command given\n{USAGE}"))),
    }
}

/// The value of `--threshold` as a fraction: a percentage from 0 to 1000, with or without
/// a `%` sign (`5` and `5%` are 0.05); `default_pct` when the option is absent.
///
/// # Errors
///
/// Anything else, naming the option.
fn threshold(args: &args::Args, default_pct: f64) -> Result<f64, CliError> {
    match args.one("--threshold")? {
        None => Ok(default_pct / 100.0),
        Some(t) => t
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && (0.0..=1000.0).contains(p))
            .map(|p| p / 100.0)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--threshold {t:?} is not a percentage from 0 to 1000"
                ))
            }),
    }
}

/// Writes `text` to standard output. A closed pipe (`inferbench compare ... | head`) ends
/// the program quietly with status 0, as other command-line tools do; another write error
/// ends it with status 1 and a message.
fn out(text: &str) {
    use std::io::Write;
    let text = crate::format::terminal_text(text);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("inferbench: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Reads a whole file, with a one-line error naming it. A file larger than a result can be
/// ([`MAX_RESULT_BYTES`]) is refused from its size before it is read, and a device or pipe
/// (`/dev/zero`) is read no further than that.
fn read_file(path: &str) -> Result<String, CliError> {
    use std::io::Read;
    let name = crate::format::one_line(path, 200);
    let cannot = |e: std::io::Error| CliError::usage(format!("cannot read {name}: {e}"));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(CliError::usage(format!(
            "{name} is a directory, not a file"
        )));
    }
    let too_large = |bytes: usize| {
        CliError::usage(format!(
            "{name}: {}",
            crate::results::io::ReadError::TooLarge { bytes }
        ))
    };
    if meta.is_file() && meta.len() > MAX_RESULT_BYTES as u64 {
        return Err(too_large(usize::try_from(meta.len()).unwrap_or(usize::MAX)));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_RESULT_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() > MAX_RESULT_BYTES {
        return Err(CliError::usage(format!(
            "{name}: it holds more than the {} MiB a result can be: is it the right file?",
            MAX_RESULT_BYTES / 1048576
        )));
    }
    String::from_utf8(bytes).map_err(|_| CliError::usage(format!("{name} is not UTF-8 text")))
}

/// Reads a result file with its derived values rebuilt, printing on stderr the line that
/// names the file when its stored values do not match its query records.
fn read_result_file(path: &str) -> Result<crate::results::BenchResult, CliError> {
    let checked = crate::results::io::read_checked(&read_file(path)?)
        .map_err(|e| CliError::usage(format!("{}: {e}", crate::format::one_line(path, 200))))?;
    if let Some(notice) = checked.notice(path) {
        eprintln!("inferbench: {notice}");
    }
    Ok(checked.result)
}
