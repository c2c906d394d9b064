//! The native command-line tool `inferbench` (native builds only).
//!
//! ```text
//! inferbench run [--preset quick|mlperf] [--model tiny|default|large | --model-file FILE]
//!                [--variant NAME]... [--scenario NAME]... [--seed N] [--label TEXT]
//!                [--power-watts W] [--peak] [--no-accuracy] [--out FILE]
//! inferbench compare-samples A.txt B.txt [--json]
//! inferbench report RESULT.json
//! inferbench compare FILES... [--baseline LABEL] [--threshold PCT] [--markdown]
//! inferbench regression BASELINE.json CURRENT.json [--threshold PCT]
//! ```
//!
//! Bad input gets a one-line error on stderr and exit status 2; a panic is a bug.

mod args;
mod compare;
mod compare_samples;
mod regression;
mod run;

use std::fmt;

/// The usage text.
pub const USAGE: &str = "\
usage:
  inferbench run [--preset quick|mlperf] [--model tiny|default|large | --model-file FILE]
                 [--variant f32-naive|f32-fast|int8|pruned]... [--scenario NAME]...
                 [--seed N] [--label TEXT] [--power-watts W] [--peak] [--no-accuracy]
                 [--out FILE]
      Trains the model and runs the scenarios natively (scenarios: single-stream,
      multi-stream, server, offline; default: all four; variants default: f32-naive and
      f32-fast). Writes the result JSON to FILE (default: inferbench-result.json), prints
      the report on stdout and progress on stderr. --power-watts W adds an energy
      estimate (W x measured time per sample; never a measurement).
      --model-file FILE.safetensors benchmarks your own MLP instead of training one
      (PyTorch nn.Sequential N.weight/N.bias or W1/b1 tensors, [out, in], F32/F16/BF16/F64,
      ReLU between layers, at most 64 MiB): on the digits test split with measured
      accuracy when it takes 64 inputs and gives 10 classes, else on seeded synthetic
      inputs (accuracy not measured). A file that cannot be imported exits with status 2.
  inferbench compare-samples A.txt B.txt [--json]
      Compares two files of timings in ms (one number per line; blank lines and lines
      starting with # are ignored): A is the baseline, B the candidate.
  inferbench report RESULT.json
      Prints the Markdown report of a saved result (or of a report's embedded result).
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
            eprintln!("inferbench: {e}");
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
        Some("--version") | Some("-V") => {
            out(&format!("inferbench {}\n", crate::APP_VERSION));
            Ok(())
        }
        Some("--help") | Some("-h") | Some("help") => {
            out(&format!("{USAGE}\n"));
            Ok(())
        }
        Some(other) => Err(CliError::usage(format!(
            "unknown command {other:?}: use run, compare-samples, report, compare or regression (inferbench --help)"
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

/// Reads a whole file, with a one-line error naming it.
fn read_file(path: &str) -> Result<String, CliError> {
    let meta =
        std::fs::metadata(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))?;
    if meta.is_dir() {
        return Err(CliError::usage(format!(
            "{path} is a directory, not a file"
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| CliError::usage(format!("{path} is not UTF-8 text")))
}
