//! `inferbench verify FILES... [--failed-only] [--no-retrain]`: one line per file, OK or what
//! fails ([`crate::verify`]), for a teacher with a folder of students' results. Exit status
//! 1 when a file fails, 2 when one cannot be read (the others are still checked).

use super::args::Args;
use super::CliError;
use crate::format::one_line;
use crate::results::io::read_checked;
use crate::verify::{verify as verify_file, Retrain};

pub(super) fn verify(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(args, &[], &["--failed-only", "--no-retrain"])?;
    if args.positional.is_empty() {
        return Err(CliError::usage(
            "verify needs one or more result files (.json or report .md)",
        ));
    }
    let retrain = if args.has("--no-retrain") {
        Retrain::Never
    } else {
        Retrain::Always
    };
    let failed_only = args.has("--failed-only");
    let (mut failed, mut unreadable) = (0usize, 0usize);
    for path in &args.positional {
        let name = one_line(path, 200);
        let checked = super::read_file(path)
            .map_err(|e| e.message)
            .and_then(|text| read_checked(&text).map_err(|e| e.to_string()));
        let line = match checked {
            Err(why) => {
                unreadable += 1;
                format!("{name}: UNREADABLE: {why}")
            }
            Ok(checked) => {
                let v = verify_file(&checked, retrain);
                if v.passed() {
                    if failed_only {
                        continue;
                    }
                } else {
                    failed += 1;
                }
                v.line(path)
            }
        };
        super::out(&format!("{line}\n"));
    }
    let files = args.positional.len();
    match (unreadable, failed) {
        (0, 0) => Ok(()),
        (0, f) => Err(CliError {
            message: format!("{f} of {files} file(s) failed verification"),
            status: 1,
        }),
        (u, f) => Err(CliError::usage(format!(
            "{u} of {files} file(s) could not be read{}",
            if f > 0 {
                format!(", {f} failed verification")
            } else {
                String::new()
            }
        ))),
    }
}
