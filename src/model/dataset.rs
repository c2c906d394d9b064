//! The handwritten-digits data set: the embedded data, the CSV parser, and the [`Dataset`]
//! type.
//!
//! The file (`data/digits.csv`, provenance and licences in `data/README.md`) has one image
//! per line: 64 integer pixels `0..=16` (8x8, row-major) and then the label `0..=9`. The
//! parser reports the line and column of the first malformed field; inputs are scaled to
//! `pixel / 16`, so every feature lies in `0..=1`. The binary embeds the file packed one byte
//! per value by the build script ([`DIGITS_BYTES`], 117 KB instead of 265 KB of text), read
//! by [`embedded_digits`]; only what trains or benchmarks the model links it (the worker and
//! the native tool, never the page).

use std::fmt;

use super::{INPUT_FEATURES, NUM_CLASSES};

/// The largest pixel value in the CSV (a count of "on" pixels in a 4x4 block).
pub const MAX_PIXEL: u8 = 16;

/// The digits CSV (1797 rows), the source of [`DIGITS_BYTES`]; not embedded unless used.
pub const DIGITS_CSV: &str = include_str!("../../data/digits.csv");

/// The digits packed by `build.rs`: the pixels of every row (`rows x 64` bytes, `0..=16`),
/// then one label byte per row.
pub const DIGITS_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/digits.bin"));

/// Fields per CSV row: the pixels and the label.
const FIELDS_PER_ROW: usize = INPUT_FEATURES + 1;

/// Labelled samples: `len()` rows of [`INPUT_FEATURES`] features in `0..=1` and a label in
/// `0..NUM_CLASSES`.
///
/// Invariants (checked by every constructor): at least one row; `inputs.len() == len() *
/// INPUT_FEATURES`; every feature finite; every label below [`NUM_CLASSES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    inputs: Vec<f32>,
    labels: Vec<u8>,
}

impl Dataset {
    /// A data set from row-major inputs (`labels.len() * INPUT_FEATURES` values) and labels.
    ///
    /// # Errors
    ///
    /// [`DatasetError::Empty`] without rows, [`DatasetError::ShapeMismatch`] if the input
    /// count does not match the labels, [`DatasetError::NonFiniteInput`] for a NaN or infinite
    /// feature, [`DatasetError::LabelOutOfRange`] for a label of 10 or more.
    pub fn new(inputs: Vec<f32>, labels: Vec<u8>) -> Result<Self, DatasetError> {
        if labels.is_empty() {
            return Err(DatasetError::Empty);
        }
        if inputs.len() != labels.len() * INPUT_FEATURES {
            return Err(DatasetError::ShapeMismatch {
                inputs: inputs.len(),
                rows: labels.len(),
            });
        }
        if let Some(index) = inputs.iter().position(|x| !x.is_finite()) {
            return Err(DatasetError::NonFiniteInput {
                row: index / INPUT_FEATURES,
                feature: index % INPUT_FEATURES,
            });
        }
        if let Some(row) = labels.iter().position(|&l| usize::from(l) >= NUM_CLASSES) {
            return Err(DatasetError::LabelOutOfRange {
                line: row + 1,
                value: i64::from(labels[row]),
            });
        }
        Ok(Self { inputs, labels })
    }

    /// Number of rows (always at least one).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Always `false`: a data set has at least one row (kept for the `len`/`is_empty` pair).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// All inputs, row-major: `len() * INPUT_FEATURES` values in `0..=1`.
    pub fn inputs(&self) -> &[f32] {
        &self.inputs
    }

    /// All labels, one per row.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The [`INPUT_FEATURES`] inputs of row `row`, or `None` past the end.
    pub fn input(&self, row: usize) -> Option<&[f32]> {
        let start = row.checked_mul(INPUT_FEATURES)?;
        self.inputs.get(start..start + INPUT_FEATURES)
    }

    /// Rows per class: `counts[digit]`.
    pub fn class_counts(&self) -> [usize; NUM_CLASSES] {
        let mut counts = [0; NUM_CLASSES];
        for &label in &self.labels {
            counts[usize::from(label)] += 1;
        }
        counts
    }

    /// A new data set with the given rows, in the given order (a row may repeat).
    ///
    /// # Errors
    ///
    /// [`DatasetError::Empty`] for no indices, [`DatasetError::RowOutOfRange`] for an index
    /// of `len()` or more.
    pub fn subset(&self, rows: &[usize]) -> Result<Self, DatasetError> {
        if rows.is_empty() {
            return Err(DatasetError::Empty);
        }
        let mut inputs = Vec::with_capacity(rows.len() * INPUT_FEATURES);
        let mut labels = Vec::with_capacity(rows.len());
        for &row in rows {
            let input = self.input(row).ok_or(DatasetError::RowOutOfRange {
                row,
                rows: self.len(),
            })?;
            inputs.extend_from_slice(input);
            labels.push(self.labels[row]);
        }
        Ok(Self { inputs, labels })
    }
}

/// The embedded digits ([`DIGITS_BYTES`], 1797 rows), as [`parse_digits_csv`] reads the CSV
/// they come from.
///
/// # Errors
///
/// None in practice (a unit test checks the embedded data against the CSV); the `Result` is
/// that of [`unpack_digits`].
pub fn embedded_digits() -> Result<Dataset, DatasetError> {
    unpack_digits(DIGITS_BYTES)
}

/// Reads digits packed as `build.rs` packs them: `rows x 64` pixel bytes, then `rows` label
/// bytes (`bytes.len() = rows x 65`).
///
/// # Errors
///
/// [`DatasetError::Empty`] without rows, [`DatasetError::ShapeMismatch`] for a length that
/// is not a whole number of rows, [`DatasetError::PixelOutOfRange`] for a pixel above 16
/// (its 1-based row as `line`), and the checks of [`Dataset::new`].
pub fn unpack_digits(bytes: &[u8]) -> Result<Dataset, DatasetError> {
    let rows = bytes.len() / FIELDS_PER_ROW;
    if !bytes.len().is_multiple_of(FIELDS_PER_ROW) {
        return Err(DatasetError::ShapeMismatch {
            inputs: bytes.len() - rows,
            rows,
        });
    }
    let (pixels, labels) = bytes.split_at(rows * INPUT_FEATURES);
    if let Some(at) = pixels.iter().position(|&p| p > MAX_PIXEL) {
        return Err(DatasetError::PixelOutOfRange {
            line: at / INPUT_FEATURES + 1,
            column: at % INPUT_FEATURES + 1,
            value: i64::from(pixels[at]),
        });
    }
    let inputs = pixels
        .iter()
        .map(|&p| f32::from(p) / f32::from(MAX_PIXEL))
        .collect();
    Dataset::new(inputs, labels.to_vec())
}

/// Parses digits CSV text: one row per line, 64 integer pixels `0..=16`, then a label
/// `0..=9`, comma-separated, no header. Lines holding only white space are skipped; `\r\n`
/// line ends are accepted. Each pixel becomes `pixel / 16` in `0..=1`.
///
/// # Errors
///
/// The first malformed field, with its 1-based line and column: [`DatasetError::Empty`],
/// [`DatasetError::WrongFieldCount`], [`DatasetError::NotAnInteger`],
/// [`DatasetError::PixelOutOfRange`], [`DatasetError::LabelOutOfRange`].
pub fn parse_digits_csv(text: &str) -> Result<Dataset, DatasetError> {
    let mut inputs = Vec::new();
    let mut labels = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_number = index + 1;
        let found = line.split(',').count();
        if found != FIELDS_PER_ROW {
            return Err(DatasetError::WrongFieldCount {
                line: line_number,
                found,
            });
        }
        for (field_index, field) in line.split(',').enumerate() {
            let column = field_index + 1;
            let field = field.trim();
            let value: i64 = field.parse().map_err(|_| DatasetError::NotAnInteger {
                line: line_number,
                column,
                text: field.chars().take(32).collect(),
            })?;
            if column == FIELDS_PER_ROW {
                let label = u8::try_from(value)
                    .ok()
                    .filter(|&l| usize::from(l) < NUM_CLASSES)
                    .ok_or(DatasetError::LabelOutOfRange {
                        line: line_number,
                        value,
                    })?;
                labels.push(label);
            } else {
                let pixel = u8::try_from(value).ok().filter(|&p| p <= MAX_PIXEL).ok_or(
                    DatasetError::PixelOutOfRange {
                        line: line_number,
                        column,
                        value,
                    },
                )?;
                inputs.push(f32::from(pixel) / f32::from(MAX_PIXEL));
            }
        }
    }
    Dataset::new(inputs, labels)
}

/// Why a data set could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatasetError {
    /// The text or the row selection holds no rows.
    Empty,
    /// A line does not hold exactly 65 comma-separated fields.
    WrongFieldCount {
        /// 1-based line number.
        line: usize,
        /// Fields found on that line.
        found: usize,
    },
    /// A field is not an integer.
    NotAnInteger {
        /// 1-based line number.
        line: usize,
        /// 1-based column (field) number.
        column: usize,
        /// The field's text (at most 32 characters of it).
        text: String,
    },
    /// A pixel lies outside `0..=16`.
    PixelOutOfRange {
        /// 1-based line number.
        line: usize,
        /// 1-based column (field) number, `1..=64`.
        column: usize,
        /// The value read.
        value: i64,
    },
    /// A label lies outside `0..=9` (column 65 of its line, or the label of row `line - 1`
    /// when the data set was built with [`Dataset::new`]).
    LabelOutOfRange {
        /// 1-based line (row) number.
        line: usize,
        /// The value read.
        value: i64,
    },
    /// The number of inputs is not `rows * 64`.
    ShapeMismatch {
        /// Input values given.
        inputs: usize,
        /// Labels (rows) given.
        rows: usize,
    },
    /// An input feature is NaN or infinite.
    NonFiniteInput {
        /// 0-based row.
        row: usize,
        /// 0-based feature index within the row.
        feature: usize,
    },
    /// A row index passed to [`Dataset::subset`] is past the end.
    RowOutOfRange {
        /// The index given.
        row: usize,
        /// Rows in the data set.
        rows: usize,
    },
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ROW_FORMAT: &str =
            "each row must hold 64 integer pixels 0..=16 and then a label 0..=9, comma-separated";
        match self {
            Self::Empty => write!(
                f,
                "the data set has no rows: give at least one line ({ROW_FORMAT})"
            ),
            Self::WrongFieldCount { line, found } => write!(
                f,
                "line {line}: found {found} fields, expected {FIELDS_PER_ROW}; {ROW_FORMAT}"
            ),
            Self::NotAnInteger { line, column, text } => write!(
                f,
                "line {line}, column {column}: {text:?} is not an integer; {ROW_FORMAT}"
            ),
            Self::PixelOutOfRange {
                line,
                column,
                value,
            } => write!(
                f,
                "line {line}, column {column}: pixel {value} is outside 0..={MAX_PIXEL}; \
                 {ROW_FORMAT}"
            ),
            Self::LabelOutOfRange { line, value } => write!(
                f,
                "line {line}, column {FIELDS_PER_ROW}: label {value} is outside 0..=9; \
                 {ROW_FORMAT}"
            ),
            Self::ShapeMismatch { inputs, rows } => write!(
                f,
                "{inputs} input values do not make {rows} rows of {INPUT_FEATURES}: give \
                 exactly rows x {INPUT_FEATURES} values"
            ),
            Self::NonFiniteInput { row, feature } => write!(
                f,
                "row {row}, feature {feature} is NaN or infinite: inputs must be finite \
                 (scaled pixels lie in 0..=1)"
            ),
            Self::RowOutOfRange { row, rows } => write!(
                f,
                "row index {row} is out of range for a data set of {rows} rows: use indices \
                 below {rows}"
            ),
        }
    }
}

impl std::error::Error for DatasetError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pixels: &str, label: &str) -> String {
        format!("{pixels},{label}")
    }

    fn zeros(n: usize) -> String {
        vec!["0"; n].join(",")
    }

    #[test]
    fn the_embedded_bytes_are_the_csv() {
        assert_eq!(embedded_digits(), parse_digits_csv(DIGITS_CSV));
        assert_eq!(DIGITS_BYTES.len(), 1797 * FIELDS_PER_ROW);
        assert_eq!(unpack_digits(&[]), Err(DatasetError::Empty));
        assert!(matches!(
            unpack_digits(&[0; 64]),
            Err(DatasetError::ShapeMismatch { .. })
        ));
        let mut bad = vec![0u8; FIELDS_PER_ROW];
        bad[3] = 17;
        assert_eq!(
            unpack_digits(&bad),
            Err(DatasetError::PixelOutOfRange {
                line: 1,
                column: 4,
                value: 17
            })
        );
    }

    #[test]
    fn embedded_file_parses_to_1797_rows_with_known_class_counts() {
        let data = embedded_digits().expect("the embedded CSV is valid");
        assert_eq!(data.len(), 1797);
        assert_eq!(data.inputs().len(), 1797 * INPUT_FEATURES);
        assert_eq!(
            data.class_counts(),
            [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
        let first = data.input(0).expect("row 0 exists");
        assert_eq!(&first[..4], &[0.0, 0.0, 5.0 / 16.0, 13.0 / 16.0]);
        assert_eq!(data.labels()[0], 0);
        assert!(data.inputs().iter().all(|&x| (0.0..=1.0).contains(&x)));
    }

    #[test]
    fn scales_pixels_by_sixteen_and_accepts_crlf_and_blank_lines() {
        let mut pixels = vec!["0"; 64];
        pixels[0] = "16";
        pixels[63] = "4";
        let text = format!("\n{}\r\n\n", row(&pixels.join(","), "7"));
        let data = parse_digits_csv(&text).expect("valid row");
        assert_eq!(data.len(), 1);
        assert_eq!(data.labels(), &[7]);
        assert_eq!(data.inputs()[0], 1.0);
        assert_eq!(data.inputs()[63], 0.25);
    }

    #[test]
    fn empty_text_is_an_error() {
        assert_eq!(parse_digits_csv(""), Err(DatasetError::Empty));
        assert_eq!(parse_digits_csv("\n  \n"), Err(DatasetError::Empty));
    }

    #[test]
    fn reports_wrong_field_count_with_its_line() {
        let good = row(&zeros(64), "1");
        let text = format!("{good}\n{}\n", row(&zeros(63), "1"));
        assert_eq!(
            parse_digits_csv(&text),
            Err(DatasetError::WrongFieldCount { line: 2, found: 64 })
        );
    }

    #[test]
    fn reports_non_integer_with_line_and_column() {
        let mut pixels = vec!["0"; 64];
        pixels[9] = "3.5";
        let text = format!("{}\n", row(&pixels.join(","), "2"));
        let err = parse_digits_csv(&text).unwrap_err();
        assert_eq!(
            err,
            DatasetError::NotAnInteger {
                line: 1,
                column: 10,
                text: "3.5".into()
            }
        );
        assert!(err.to_string().starts_with("line 1, column 10: \"3.5\""));
    }

    #[test]
    fn reports_pixel_and_label_out_of_range() {
        let mut pixels = vec!["0"; 64];
        pixels[4] = "17";
        let text = row(&pixels.join(","), "2");
        assert_eq!(
            parse_digits_csv(&text),
            Err(DatasetError::PixelOutOfRange {
                line: 1,
                column: 5,
                value: 17
            })
        );
        pixels[4] = "-1";
        assert_eq!(
            parse_digits_csv(&row(&pixels.join(","), "2")),
            Err(DatasetError::PixelOutOfRange {
                line: 1,
                column: 5,
                value: -1
            })
        );
        let text = format!("{}\n{}", row(&zeros(64), "9"), row(&zeros(64), "10"));
        let err = parse_digits_csv(&text).unwrap_err();
        assert_eq!(err, DatasetError::LabelOutOfRange { line: 2, value: 10 });
        assert!(err.to_string().contains("line 2, column 65"));
    }

    #[test]
    fn constructor_checks_shape_values_and_labels() {
        assert_eq!(
            Dataset::new(vec![0.0; 63], vec![1]),
            Err(DatasetError::ShapeMismatch {
                inputs: 63,
                rows: 1
            })
        );
        let mut inputs = vec![0.0; 128];
        inputs[70] = f32::NAN;
        assert_eq!(
            Dataset::new(inputs, vec![1, 2]),
            Err(DatasetError::NonFiniteInput { row: 1, feature: 6 })
        );
        assert_eq!(
            Dataset::new(vec![0.0; 64], vec![12]),
            Err(DatasetError::LabelOutOfRange { line: 1, value: 12 })
        );
        assert_eq!(Dataset::new(vec![], vec![]), Err(DatasetError::Empty));
    }

    #[test]
    fn subset_copies_rows_in_order_and_checks_indices() {
        let mut inputs = vec![0.0; 3 * 64];
        inputs[64] = 0.5;
        inputs[128] = 1.0;
        let data = Dataset::new(inputs, vec![0, 1, 2]).expect("valid");
        let sub = data.subset(&[2, 1]).expect("valid rows");
        assert_eq!(sub.labels(), &[2, 1]);
        assert_eq!(sub.inputs()[0], 1.0);
        assert_eq!(sub.inputs()[64], 0.5);
        assert_eq!(
            data.subset(&[3]),
            Err(DatasetError::RowOutOfRange { row: 3, rows: 3 })
        );
        assert_eq!(data.subset(&[]), Err(DatasetError::Empty));
    }
}
