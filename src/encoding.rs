//! Compact text encodings of integer columns, for result files: unsigned LEB128 varints
//! (zigzag for signed values) packed into standard base64 (RFC 4648, `A-Z a-z 0-9 + /`,
//! `=` padding).
//!
//! A column of `n` integers becomes one JSON string: each value as a varint (7 bits a byte,
//! least significant group first, the high bit set on every byte but the last), the bytes
//! concatenated, the whole base64-encoded. A latency of 150 µs (150,000 ns) takes 3 bytes,
//! 4 base64 characters, where its decimal text takes 7 characters and a separator. Signed
//! values are zigzag-mapped first (`0, -1, 1, -2, ...` to `0, 1, 2, 3, ...`), so that small
//! negative values stay small.
//!
//! Every decoder checks its input completely: a character outside the alphabet, bad padding,
//! a varint longer than 10 bytes or beyond `u64`, or a truncated last varint is an
//! [`EncodingError`] with the byte offset where it was found.

use std::fmt;

/// Why a packed column could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodingError {
    /// A character that is not base64, at this offset of the text.
    BadCharacter {
        /// Offset in the text, in bytes.
        offset: usize,
    },
    /// The text's length or its `=` padding is not base64's.
    BadPadding,
    /// A varint is longer than 10 bytes, exceeds `u64`, or is cut off at the end.
    BadVarint {
        /// Offset in the decoded bytes where the varint starts.
        offset: usize,
    },
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodingError::BadCharacter { offset } => {
                write!(f, "a character that is not base64 at offset {offset}")
            }
            EncodingError::BadPadding => {
                write!(f, "the base64 text has a wrong length or padding")
            }
            EncodingError::BadVarint { offset } => write!(
                f,
                "a malformed or truncated varint at byte {offset} of the decoded column"
            ),
        }
    }
}

impl std::error::Error for EncodingError {}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a byte that is not in the alphabet.
const INVALID: u8 = 0xFF;

const fn decode_table() -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
}

static DECODE: [u8; 256] = decode_table();

/// `bytes` in standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend_from_slice(&[
            ALPHABET[(n >> 18) as usize & 63],
            ALPHABET[(n >> 12) as usize & 63],
            ALPHABET[(n >> 6) as usize & 63],
            ALPHABET[n as usize & 63],
        ]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend_from_slice(&[
                ALPHABET[(n >> 18) as usize & 63],
                ALPHABET[(n >> 12) as usize & 63],
                b'=',
                b'=',
            ]);
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend_from_slice(&[
                ALPHABET[(n >> 18) as usize & 63],
                ALPHABET[(n >> 12) as usize & 63],
                ALPHABET[(n >> 6) as usize & 63],
                b'=',
            ]);
        }
        _ => {}
    }
    String::from_utf8(out).expect("base64 is ASCII")
}

/// The bytes of standard base64 `text` (padding required, no whitespace).
///
/// # Errors
///
/// [`EncodingError::BadCharacter`] or [`EncodingError::BadPadding`].
pub fn base64_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    let t = text.as_bytes();
    if !t.len().is_multiple_of(4) {
        return Err(EncodingError::BadPadding);
    }
    let padding = t.iter().rev().take_while(|&&c| c == b'=').count();
    if padding > 2 {
        return Err(EncodingError::BadPadding);
    }
    let mut out = Vec::with_capacity(t.len() / 4 * 3);
    let body = &t[..t.len() - padding];
    let value = |i: usize| -> Result<u32, EncodingError> {
        match DECODE[body[i] as usize] {
            INVALID => Err(EncodingError::BadCharacter { offset: i }),
            v => Ok(u32::from(v)),
        }
    };
    let full = body.len() / 4 * 4;
    let mut i = 0;
    while i < full {
        let n = value(i)? << 18 | value(i + 1)? << 12 | value(i + 2)? << 6 | value(i + 3)?;
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        i += 4;
    }
    match body.len() - full {
        0 => {}
        2 => {
            let n = value(i)? << 18 | value(i + 1)? << 12;
            if n & 0xFFFF != 0 {
                return Err(EncodingError::BadPadding);
            }
            out.push((n >> 16) as u8);
        }
        3 => {
            let n = value(i)? << 18 | value(i + 1)? << 12 | value(i + 2)? << 6;
            if n & 0xFF != 0 {
                return Err(EncodingError::BadPadding);
            }
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => return Err(EncodingError::BadPadding),
    }
    Ok(out)
}

/// Maps a signed value to an unsigned one, small magnitudes to small values.
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// Appends `v` to `out` as an unsigned LEB128 varint (1 to 10 bytes).
pub fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the varints of `bytes` in order.
#[derive(Debug, Clone)]
pub struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Varints<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// Whether every byte was read.
    pub fn is_empty(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// The next value, `None` at the end.
    ///
    /// # Errors
    ///
    /// [`EncodingError::BadVarint`] for a varint that is cut off, longer than 10 bytes, or
    /// beyond `u64`.
    pub fn next_value(&mut self) -> Result<Option<u64>, EncodingError> {
        if self.is_empty() {
            return Ok(None);
        }
        let start = self.at;
        let bad = Err(EncodingError::BadVarint { offset: start });
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let Some(&b) = self.bytes.get(self.at) else {
                return bad;
            };
            self.at += 1;
            let part = u64::from(b & 0x7F);
            if shift == 63 && part > 1 {
                return bad;
            }
            value |= part << shift;
            if b & 0x80 == 0 {
                return Ok(Some(value));
            }
        }
        bad
    }
}

/// `values` as varints in base64.
pub fn pack_unsigned(values: impl IntoIterator<Item = u64>) -> String {
    let mut bytes = Vec::new();
    for v in values {
        push_varint(&mut bytes, v);
    }
    base64_encode(&bytes)
}

/// `values` zigzag-mapped, as varints in base64.
pub fn pack_signed(values: impl IntoIterator<Item = i64>) -> String {
    pack_unsigned(values.into_iter().map(zigzag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), coded);
            assert_eq!(base64_decode(coded).unwrap(), plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&all)).unwrap(), all);
    }

    #[test]
    fn base64_rejects_what_is_not_base64() {
        assert_eq!(
            base64_decode("Zm9v!A=="),
            Err(EncodingError::BadCharacter { offset: 4 })
        );
        assert_eq!(base64_decode("Zm9"), Err(EncodingError::BadPadding));
        assert_eq!(base64_decode("Z==="), Err(EncodingError::BadPadding));
        // Padding bits that are not zero: not what an encoder writes.
        assert_eq!(base64_decode("Zh=="), Err(EncodingError::BadPadding));
        assert!(base64_decode("Zm=v").is_err());
    }

    #[test]
    fn varints_round_trip_at_every_width() {
        let values = [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            150_000,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        let mut bytes = Vec::new();
        for &v in &values {
            push_varint(&mut bytes, v);
        }
        // 1 + 1 + 1 + 2 + 2 + 3 + 3 + 5 + 10 bytes.
        assert_eq!(bytes.len(), 28);
        let mut r = Varints::new(&bytes);
        for &v in &values {
            assert_eq!(r.next_value(), Ok(Some(v)));
        }
        assert_eq!(r.next_value(), Ok(None));
    }

    #[test]
    fn bad_varints_are_refused() {
        // Cut off: a continuation bit on the last byte.
        assert_eq!(
            Varints::new(&[0x05, 0x80]).nth_error(),
            EncodingError::BadVarint { offset: 1 }
        );
        // Eleven bytes, and a tenth byte beyond u64.
        assert!(Varints::new(&[0xFF; 11]).next_value().is_err());
        let mut over = vec![0xFF; 9];
        over.push(0x02);
        assert!(Varints::new(&over).next_value().is_err());
    }

    #[test]
    fn zigzag_keeps_small_magnitudes_small() {
        assert_eq!(
            [0, -1, 1, -2, 2].map(zigzag),
            [0, 1, 2, 3, 4],
            "zigzag order"
        );
        for v in [0, -1, 1, i64::MIN, i64::MAX, -150_000, 150_000] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    impl Varints<'_> {
        fn nth_error(mut self) -> EncodingError {
            loop {
                match self.next_value() {
                    Ok(Some(_)) => {}
                    Ok(None) => panic!("no error"),
                    Err(e) => return e,
                }
            }
        }
    }
}
