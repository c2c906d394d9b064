//! Loading several result files for a comparison ([`ImportSet`]): each file is checked on
//! its own, a bad file is reported with its reason and the good ones still load.

use std::fmt;

use crate::results::io::{read_checked, ReadError};
use crate::results::BenchResult;

/// The most files one comparison holds (a class of students, with room to spare).
pub const MAX_FILES: usize = 200;

/// A loaded file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    /// The file's name, as given.
    pub file_name: String,
    /// The result it holds.
    pub result: BenchResult,
    /// A hash of the result's canonical JSON: equal for the same result whether it came
    /// from its `.json` or from its report's embedded copy.
    pub content_hash: u64,
    /// What its stored derived values got wrong, in one sentence
    /// ([`Checked::summary`](crate::results::consistency::Checked::summary)); `None` when they
    /// match its query records. The result holds the rebuilt values either way.
    pub altered: Option<String>,
}

/// Why a file was not loaded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ImportError {
    /// The file is not a readable result.
    Read(ReadError),
    /// The same result is already loaded (from this or another file).
    Duplicate {
        /// The file that holds it.
        of: String,
    },
    /// [`MAX_FILES`] files are already loaded.
    TooManyFiles,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Read(e) => write!(f, "{e}"),
            ImportError::Duplicate { of } => write!(
                f,
                "the same result is already loaded from {}",
                crate::format::one_line(of, 200)
            ),
            ImportError::TooManyFiles => {
                write!(f, "{MAX_FILES} files are already loaded: remove some first")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// The files of a comparison, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportSet {
    files: Vec<ImportedFile>,
}

impl ImportSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `text` (a result `.json` or a report `.md`) named `file_name` and adds it.
    /// Returns its index.
    ///
    /// # Errors
    ///
    /// An [`ImportError`] saying why the file was not added; the set is unchanged.
    pub fn add(&mut self, file_name: &str, text: &str) -> Result<usize, ImportError> {
        let checked = read_checked(text).map_err(ImportError::Read)?;
        let altered = checked.summary();
        let index = self.add_result(file_name, checked.result)?;
        self.files[index].altered = altered;
        Ok(index)
    }

    /// Adds an already read result (e.g. one kept in browser storage).
    ///
    /// # Errors
    ///
    /// [`ImportError::Duplicate`] or [`ImportError::TooManyFiles`].
    pub fn add_result(
        &mut self,
        file_name: &str,
        result: BenchResult,
    ) -> Result<usize, ImportError> {
        if self.files.len() >= MAX_FILES {
            return Err(ImportError::TooManyFiles);
        }
        // Hashed as it is written, without holding the JSON text.
        let mut hasher = Fnv1a(FNV_OFFSET);
        crate::results::json::write_compact(&mut hasher, &result).expect("a result serialises");
        let content_hash = hasher.0;
        if let Some(existing) = self.files.iter().find(|f| f.content_hash == content_hash) {
            return Err(ImportError::Duplicate {
                of: existing.file_name.clone(),
            });
        }
        self.files.push(ImportedFile {
            file_name: file_name.to_string(),
            result,
            content_hash,
            altered: None,
        });
        Ok(self.files.len() - 1)
    }

    /// Removes the file at `index` (no-op if out of range).
    pub fn remove(&mut self, index: usize) {
        if index < self.files.len() {
            self.files.remove(index);
        }
    }

    /// The loaded files.
    pub fn files(&self) -> &[ImportedFile] {
        &self.files
    }

    /// Whether nothing is loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Display names of the loaded machines, made unique: a label that appears more than
    /// once gets its file name added ("Alice (alice-2.json)").
    pub fn machine_names(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|f| {
                let label = f.result.machine_label.as_str();
                let repeated = self
                    .files
                    .iter()
                    .filter(|g| g.result.machine_label == label)
                    .count()
                    > 1;
                if repeated {
                    format!("{label} ({})", f.file_name)
                } else {
                    label.to_string()
                }
            })
            .collect()
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a over everything written to it: a stable, dependency-free content hash for
/// duplicate detection.
struct Fnv1a(u64);

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// 64-bit FNV-1a of `bytes`.
#[cfg(test)]
fn fnv1a(bytes: &[u8]) -> u64 {
    use std::io::Write;
    let mut h = Fnv1a(FNV_OFFSET);
    h.write_all(bytes).expect("hashing cannot fail");
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        // Reference values of the 64-bit FNV-1a test suite.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn bad_files_are_refused_with_their_reason() {
        let mut set = ImportSet::new();
        let e = set.add("empty.json", "").unwrap_err();
        assert_eq!(e.to_string(), "the file is empty");
        let e = set.add("notes.txt", "hello").unwrap_err();
        assert!(e.to_string().starts_with("not a result file"), "{e}");
        let e = set
            .add("other.json", r#"{"schema": "something-else"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("\"something-else\""), "{e}");
        let e = set
            .add(
                "future.json",
                r#"{"schema": "inferbench-result", "schema_version": 99}"#,
            )
            .unwrap_err();
        assert!(
            e.to_string().contains("newer than this InferBench reads"),
            "{e}"
        );
        let e = set
            .add(
                "partial.json",
                r#"{"schema": "inferbench-result", "schema_version": 1}"#,
            )
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the result is malformed: missing field"),
            "{e}"
        );
        assert!(set.is_empty());
    }

    #[test]
    fn a_duplicate_names_the_first_file_on_one_line() {
        let text = include_str!("../../tests/fixtures/results/coarse-timer.json");
        let mut set = ImportSet::new();
        set.add("alice\n\u{1b}[2Jforged.json", text).unwrap();
        let e = set.add("bob.json", text).unwrap_err().to_string();
        assert_eq!(
            e,
            "the same result is already loaded from alice\\n\\u{1b}[2Jforged.json"
        );
    }
}
