//! The file's tensors grouped into dense layers ([`group_layers`]), each checked (dtype,
//! shape, finite values) and converted to f32 in the model's layout ([`build_layers`]).

use std::collections::BTreeMap;

use super::naming::{self, LayerName, Naming, Role, Unknown};
use super::{values, ImportError, WeightLayout, MAX_LAYERS, MAX_PARAMETERS};
use crate::model::mlp::{DenseLayer, Mlp, MAX_CLASSES, MAX_LAYER_WIDTH};

pub(super) type Named<'a> = (&'a str, safetensors::tensor::TensorView<'a>);

/// One layer's tensors.
pub(super) struct Layer<'a> {
    pub(super) naming: Naming,
    pub(super) weight: Named<'a>,
    bias: Option<Named<'a>>,
}

/// Groups the tensors (in name order) into layers ordered by number.
pub(super) fn group_layers<'a>(tensors: &[Named<'a>]) -> Result<Vec<Layer<'a>>, ImportError> {
    struct Slot<'a> {
        weight: Option<Named<'a>>,
        bias: Option<Named<'a>>,
    }
    let mut naming: Option<(Naming, &str)> = None;
    let mut slots: BTreeMap<u64, Slot<'a>> = BTreeMap::new();
    for &(name, ref view) in tensors {
        let LayerName {
            naming: this,
            number,
            role,
        } = naming::parse(name).map_err(|unknown| match unknown {
            Unknown::Unnumbered => ImportError::Unnumbered { name: name.into() },
            Unknown::Other(looks_like) => ImportError::UnexpectedTensor {
                name: name.into(),
                looks_like,
            },
        })?;
        match &naming {
            Some((first, first_name)) if *first != this => {
                return Err(ImportError::MixedNaming {
                    first: (*first_name).into(),
                    second: name.into(),
                })
            }
            Some(_) => {}
            None => naming = Some((this, name)),
        }
        let slot = slots.entry(number).or_insert(Slot {
            weight: None,
            bias: None,
        });
        let place = match role {
            Role::Weight => &mut slot.weight,
            Role::Bias => &mut slot.bias,
        };
        if let Some((other, _)) = place {
            return Err(ImportError::DuplicateLayer {
                first: (*other).into(),
                second: name.into(),
            });
        }
        *place = Some((name, view.clone()));
    }
    let naming = naming.map(|(n, _)| n).ok_or(ImportError::NoTensors)?;
    if slots.len() > MAX_LAYERS {
        return Err(ImportError::TooManyLayers { count: slots.len() });
    }
    slots
        .into_values()
        .map(|slot| match slot.weight {
            Some(weight) => Ok(Layer {
                naming: naming.clone(),
                weight,
                bias: slot.bias,
            }),
            None => Err(ImportError::MissingWeight {
                bias: slot.bias.map_or_else(String::new, |(n, _)| n.into()),
            }),
        })
        .collect()
}

/// Checks a tensor's dtype and rank.
fn check_tensor((name, view): &Named<'_>, bias: bool) -> Result<(), ImportError> {
    if !values::READABLE_DTYPES.contains(&view.dtype()) {
        return Err(ImportError::UnsupportedDtype {
            name: (*name).into(),
            dtype: view.dtype().to_string(),
        });
    }
    let rank = view.shape().len();
    if rank != if bias { 1 } else { 2 } {
        let looks_like = match (bias, rank) {
            (false, 1) => Some("a normalisation layer's scale (BatchNorm, LayerNorm)"),
            (false, 3..) => Some("a convolution's kernel"),
            _ => None,
        };
        return Err(ImportError::WrongRank {
            name: (*name).into(),
            bias,
            shape: view.shape().to_vec(),
            looks_like,
        });
    }
    Ok(())
}

/// The tensor's values as f32, or the error naming its first non-finite value.
fn values_of((name, view): &Named<'_>) -> Result<Vec<f32>, ImportError> {
    values::to_f32(view.dtype(), view.data()).map_err(|(flat, value)| {
        let mut index = Vec::with_capacity(view.shape().len());
        let mut rest = flat;
        for &dim in view.shape().iter().rev() {
            index.push(rest % dim.max(1));
            rest /= dim.max(1);
        }
        index.reverse();
        ImportError::NonFinite {
            name: (*name).into(),
            index,
            value,
        }
    })
}

/// Checks shapes and sizes, then converts the layers into an [`Mlp`]; also returns the
/// dtypes seen and the layers without bias.
pub(super) fn build_layers(
    layers: &[Layer<'_>],
    layout: WeightLayout,
) -> Result<(Mlp, Vec<String>, Vec<usize>), ImportError> {
    let mut sizes: Vec<(usize, usize)> = Vec::with_capacity(layers.len());
    let mut parameters = 0u64;
    for (index, layer) in layers.iter().enumerate() {
        check_tensor(&layer.weight, false)?;
        let shape = layer.weight.1.shape();
        if shape.iter().any(|&d| d == 0 || d > MAX_LAYER_WIDTH) {
            return Err(ImportError::BadWidth {
                name: layer.weight.0.into(),
                shape: shape.to_vec(),
            });
        }
        let (out, inputs) = layout.out_in(shape);
        if let Some(bias) = &layer.bias {
            check_tensor(bias, true)?;
            let len = bias.1.shape()[0];
            if len != out {
                return Err(ImportError::BiasLength {
                    weight: layer.weight.0.into(),
                    shape: shape.to_vec(),
                    bias: bias.0.into(),
                    len,
                    transposed_fits: layout.other().out_in(shape).0 == len,
                    layout,
                });
            }
        }
        if let Some(&(previous_out, _)) = sizes.last() {
            if previous_out != inputs {
                return Err(ImportError::NotChained {
                    weight: layer.weight.0.into(),
                    inputs,
                    previous: layers[index - 1].weight.0.into(),
                    outputs: previous_out,
                });
            }
        }
        parameters += (out * inputs + out) as u64;
        sizes.push((out, inputs));
    }
    if parameters > MAX_PARAMETERS {
        return Err(ImportError::TooManyParameters { count: parameters });
    }
    if let (Some(&(classes, _)), Some(last)) = (sizes.last(), layers.last()) {
        if classes > MAX_CLASSES {
            return Err(ImportError::TooManyClasses {
                name: last.weight.0.into(),
                classes,
            });
        }
    }
    let mut dtypes: Vec<String> = Vec::new();
    let mut without_bias = Vec::new();
    let mut dense = Vec::with_capacity(layers.len());
    for (index, (layer, &(out, inputs))) in layers.iter().zip(&sizes).enumerate() {
        let mut seen = |view: &safetensors::tensor::TensorView<'_>| {
            let name = view.dtype().to_string();
            if !dtypes.contains(&name) {
                dtypes.push(name);
            }
        };
        seen(&layer.weight.1);
        let raw = values_of(&layer.weight)?;
        let weights = match layout {
            WeightLayout::OutIn => raw,
            WeightLayout::InOut => (0..out * inputs)
                .map(|k| raw[(k % inputs) * out + k / inputs])
                .collect(),
        };
        let biases = match &layer.bias {
            Some(bias) => {
                seen(&bias.1);
                values_of(bias)?
            }
            None => {
                without_bias.push(index);
                vec![0.0; out]
            }
        };
        dense.push(
            DenseLayer::new(inputs, out, weights, biases)
                .expect("widths, lengths and values were checked above"),
        );
    }
    let model = Mlp::from_layers_any_shape(dense)
        .expect("the chain and the class count were checked above");
    Ok((model, dtypes, without_bias))
}
