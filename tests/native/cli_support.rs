//! Running the built `inferbench` binary from the tests, and scratch files for its inputs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary produced.
pub struct Output {
    /// The exit status (`None` if killed by a signal).
    pub status: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `inferbench` with `args` from the repository root.
pub fn inferbench(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_inferbench"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    Output {
        status: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Asserts a bad-input failure: exit status 2 and one line on stderr that starts with
/// `inferbench: ` and contains `expected`; nothing on stdout, no panic.
pub fn assert_bad_input(out: &Output, expected: &str) {
    assert_eq!(out.status, Some(2), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {:?}", out.stderr);
    assert!(lines[0].starts_with("inferbench: "), "{}", lines[0]);
    assert!(
        lines[0].contains(expected),
        "{:?} does not contain {expected:?}",
        lines[0]
    );
}

/// A scratch directory for one test, emptied when dropped.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A fresh directory named after `test`.
    pub fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("inferbench-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creates the scratch directory");
        Self { dir }
    }

    /// Writes `contents` to `name` in the directory and returns its path as a string.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, contents).expect("writes the scratch file");
        path.to_str().expect("a UTF-8 path").to_string()
    }

    /// The directory itself.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
