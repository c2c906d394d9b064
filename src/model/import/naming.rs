//! Which dense layer a tensor name belongs to, in the namings InferBench reads.
//!
//! - Numbered: `<prefix><N>.weight` and `<prefix><N>.bias`, where `<prefix>` may be empty
//!   (PyTorch's `nn.Sequential`: `0.weight`, `2.weight`, ...; ReLU layers have no tensors,
//!   hence the gaps), end with a dot (`layers.0.weight`, `net.2.weight`) or not (`fc1.weight`,
//!   `linear_2.bias`). Layers are ordered by `N`.
//! - `W<N>` / `w<N>` and `b<N>` (the usual NumPy naming: `W1`, `b1`, `W2`, `b2`, ...).
//!
//! Every tensor of a file must use one naming with one prefix.

use std::fmt;

/// Whether a tensor is a layer's weight or its bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The `[out, in]` (or `[in, out]`) matrix.
    Weight,
    /// The `[out]` vector.
    Bias,
}

/// A naming scheme, with its prefix: what every tensor of one file shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Naming {
    /// `<prefix><N>.weight` / `<prefix><N>.bias`.
    Numbered {
        /// The text before the layer number (`""`, `"layers."`, `"fc"`).
        prefix: String,
    },
    /// `W<N>` (or `w<N>`) / `b<N>`.
    MatrixLetters,
}

impl fmt::Display for Naming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Naming::Numbered { prefix } => write!(f, "{prefix}N.weight, {prefix}N.bias"),
            Naming::MatrixLetters => f.write_str("WN, bN"),
        }
    }
}

/// A tensor name understood: its naming, layer number and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerName {
    /// The naming (with prefix).
    pub naming: Naming,
    /// The layer number (`N`).
    pub number: u64,
    /// Weight or bias.
    pub role: Role,
}

/// What a name that is no dense layer's tensor looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// A `.weight` or `.bias` with no layer number (`hidden.weight`).
    Unnumbered,
    /// Anything else, with a guess of the layer type when the name tells.
    Other(Option<&'static str>),
}

/// The layer of tensor `name`, or what the name looks like instead.
pub fn parse(name: &str) -> Result<LayerName, Unknown> {
    for (suffix, role) in [(".weight", Role::Weight), (".bias", Role::Bias)] {
        if let Some(stem) = name.strip_suffix(suffix) {
            let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return Err(Unknown::Unnumbered);
            }
            let (prefix, number) = stem.split_at(stem.len() - digits);
            return number
                .parse()
                .map(|number| LayerName {
                    naming: Naming::Numbered {
                        prefix: prefix.to_string(),
                    },
                    number,
                    role,
                })
                .map_err(|_| Unknown::Other(None));
        }
    }
    let letters = [("W", Role::Weight), ("w", Role::Weight), ("b", Role::Bias)];
    for (letter, role) in letters {
        if let Some(number) = name.strip_prefix(letter) {
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(number) = number.parse() {
                    return Ok(LayerName {
                        naming: Naming::MatrixLetters,
                        number,
                        role,
                    });
                }
            }
        }
    }
    Err(Unknown::Other(looks_like(name)))
}

/// The layer type a tensor name suggests, for the refusal message.
fn looks_like(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let has = |parts: &[&str]| parts.iter().any(|p| lower.contains(p));
    if has(&["running_mean", "running_var", "num_batches_tracked"]) {
        Some("a BatchNorm layer's statistics")
    } else if has(&["conv"]) {
        Some("a convolution")
    } else if has(&["embed"]) {
        Some("an embedding table")
    } else if has(&["attn", "attention", "q_proj", "k_proj", "v_proj"]) {
        Some("an attention layer")
    } else if has(&["lstm", "gru", "rnn", "weight_ih", "weight_hh"]) {
        Some("a recurrent layer")
    } else if has(&["norm", "ln_"]) {
        Some("a normalisation layer")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(prefix: &str, number: u64, role: Role) -> Result<LayerName, Unknown> {
        Ok(LayerName {
            naming: Naming::Numbered {
                prefix: prefix.into(),
            },
            number,
            role,
        })
    }

    #[test]
    fn reads_the_sequential_prefixed_and_letter_namings() {
        assert_eq!(parse("0.weight"), numbered("", 0, Role::Weight));
        assert_eq!(parse("4.bias"), numbered("", 4, Role::Bias));
        assert_eq!(
            parse("layers.12.weight"),
            numbered("layers.", 12, Role::Weight)
        );
        assert_eq!(parse("fc2.bias"), numbered("fc", 2, Role::Bias));
        assert_eq!(
            parse("model.net.0.weight"),
            numbered("model.net.", 0, Role::Weight)
        );
        let letters = |number, role| {
            Ok(LayerName {
                naming: Naming::MatrixLetters,
                number,
                role,
            })
        };
        assert_eq!(parse("W1"), letters(1, Role::Weight));
        assert_eq!(parse("w3"), letters(3, Role::Weight));
        assert_eq!(parse("b10"), letters(10, Role::Bias));
        assert_eq!(
            Naming::Numbered {
                prefix: "layers.".into()
            }
            .to_string(),
            "layers.N.weight, layers.N.bias"
        );
    }

    #[test]
    fn other_names_say_what_they_look_like() {
        assert_eq!(parse("hidden.weight"), Err(Unknown::Unnumbered));
        assert_eq!(
            parse("1.running_mean"),
            Err(Unknown::Other(Some("a BatchNorm layer's statistics")))
        );
        assert_eq!(
            parse("conv1.kernel"),
            Err(Unknown::Other(Some("a convolution")))
        );
        assert_eq!(
            parse("tok_embeddings"),
            Err(Unknown::Other(Some("an embedding table")))
        );
        assert_eq!(parse("W"), Err(Unknown::Other(None)));
        assert_eq!(parse("bias"), Err(Unknown::Other(None)));
        assert_eq!(
            parse("99999999999999999999999.weight"),
            Err(Unknown::Other(None))
        );
    }
}
