#!/usr/bin/env python3
"""Fixtures for importing your own model (tests/fixtures/byom/), made with NumPy and PyPI's
`safetensors` exactly as a student would: `pip install numpy safetensors`, then
`python3 scripts/gen_byom_fixtures.py` from the repository root.

1. Trains a 64-32-10 MLP on InferBench's digits training rows in plain NumPy (seeded
   mini-batch Adam, float32), prints its accuracy on InferBench's test rows
   (data/digits-test-rows.txt, the split InferBench measures accuracy on), and saves it:
   - numpy-mlp.safetensors: W1, b1, W2, b2 with W as [in, out] (x @ W + b) and the metadata
     weight_layout = in_out, the README's NumPy snippet;
   - sequential-mlp.safetensors: the same weights as PyTorch's nn.Sequential state_dict
     names them (0.weight [out, in], 0.bias, 2.weight, 2.bias), F32, no metadata: what
     safetensors.torch.save_file(model.state_dict(), path) writes for the README's PyTorch
     snippet (the file format is the same whichever library writes it);
   - sequential-mlp-f16.safetensors: the same as F16 (model.half().state_dict());
   - expected.safetensors: the float32 logits of every test row for the F32 and the F16
     weights ("logits_f32", "logits_f16", [359, 10]) and, in its metadata, the accuracy and
     correct count Python printed.
2. Writes a model of another shape (20-16-3, random weights), other-shape.safetensors, and
   one bad file per refusal class in bad/, each small.
"""

import json
import os
import struct

import numpy as np
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "byom")


def load_digits():
    data = np.loadtxt(os.path.join(ROOT, "data", "digits.csv"), delimiter=",", dtype=np.float32)
    test_rows = np.loadtxt(os.path.join(ROOT, "data", "digits-test-rows.txt"), dtype=np.int64)
    x, y = data[:, :64] / 16.0, data[:, 64].astype(np.int64)
    train = np.setdiff1d(np.arange(len(y)), test_rows)
    return x[train], y[train], x[test_rows], y[test_rows]


def forward(x, w1, b1, w2, b2):
    """Logits in float32; weights [in, out]."""
    h = np.maximum(x @ w1 + b1, np.float32(0))
    return h @ w2 + b2


def train(x, y, hidden=32, epochs=60, batch=32, lr=0.003, seed=7):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    w1 = (rng.uniform(-1, 1, (64, hidden)) * np.sqrt(6 / 64)).astype(f32)
    w2 = (rng.uniform(-1, 1, (hidden, 10)) * np.sqrt(6 / hidden)).astype(f32)
    params = [w1, np.zeros(hidden, f32), w2, np.zeros(10, f32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch):
            idx = order[start:start + batch]
            xb, yb = x[idx], y[idx]
            w1, b1, w2, b2 = params
            z1 = xb @ w1 + b1
            h = np.maximum(z1, 0)
            z2 = h @ w2 + b2
            p = np.exp(z2 - z2.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1
            dz2 = p / len(yb)
            dh = dz2 @ w2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(0), h.T @ dz2, dz2.sum(0)]
            step += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                mhat = m[i] / (1 - 0.9 ** step)
                vhat = v[i] / (1 - 0.999 ** step)
                params[i] = (params[i] - lr * mhat / (np.sqrt(vhat) + 1e-8)).astype(f32)
    return params


def raw_safetensors(path, tensors, metadata=None, header_override=None, data_override=None):
    """Writes a safetensors file by hand (to make files the library refuses to write)."""
    header, data, offset = {}, b"", 0
    for name, (dtype, shape, payload) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(payload)]}
        data += payload
        offset += len(payload)
    if metadata:
        header["__metadata__"] = metadata
    text = header_override if header_override is not None else json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + (data if data_override is None else data_override))


def main():
    os.makedirs(os.path.join(OUT, "bad"), exist_ok=True)
    x_train, y_train, x_test, y_test = load_digits()
    w1, b1, w2, b2 = train(x_train, y_train)
    logits = forward(x_test, w1, b1, w2, b2)
    correct = int((logits.argmax(axis=1) == y_test).sum())
    accuracy = correct / len(y_test)
    print(f"test accuracy: {accuracy:.4f} ({correct} of {len(y_test)})")

    save_file({"W1": w1, "b1": b1, "W2": w2, "b2": b2},
              os.path.join(OUT, "numpy-mlp.safetensors"), metadata={"weight_layout": "in_out"})
    sequential = {"0.weight": np.ascontiguousarray(w1.T), "0.bias": b1,
                  "2.weight": np.ascontiguousarray(w2.T), "2.bias": b2}
    save_file(sequential, os.path.join(OUT, "sequential-mlp.safetensors"))
    half = {k: v.astype(np.float16) for k, v in sequential.items()}
    save_file(half, os.path.join(OUT, "sequential-mlp-f16.safetensors"))
    w = {k: v.astype(np.float32) for k, v in half.items()}
    logits_f16 = forward(x_test, w["0.weight"].T, w["0.bias"], w["2.weight"].T, w["2.bias"])
    correct_f16 = int((logits_f16.argmax(axis=1) == y_test).sum())
    print(f"test accuracy as f16: {correct_f16 / len(y_test):.4f} ({correct_f16} of {len(y_test)})")
    save_file({"logits_f32": logits.astype(np.float32), "logits_f16": logits_f16.astype(np.float32)},
              os.path.join(OUT, "expected.safetensors"),
              metadata={"accuracy": repr(accuracy), "correct": str(correct), "total": str(len(y_test)),
                        "correct_f16": str(correct_f16)})

    rng = np.random.default_rng(3)
    other = {"0.weight": rng.standard_normal((16, 20)).astype(np.float32) * 0.3,
             "0.bias": rng.standard_normal(16).astype(np.float32) * 0.1,
             "2.weight": rng.standard_normal((3, 16)).astype(np.float32) * 0.3,
             "2.bias": rng.standard_normal(3).astype(np.float32) * 0.1}
    save_file(other, os.path.join(OUT, "other-shape.safetensors"))

    bad = os.path.join(OUT, "bad")
    f32 = lambda shape, value=0.01: np.full(shape, value, np.float32)
    # A BatchNorm1d between the layers: nn.Sequential(Linear, BatchNorm1d, ReLU, Linear).
    save_file({"0.weight": f32((8, 64)), "0.bias": f32(8), "1.weight": f32(8), "1.bias": f32(8),
               "1.running_mean": f32(8), "1.running_var": f32(8),
               "1.num_batches_tracked": np.zeros((), np.int64),
               "3.weight": f32((10, 8)), "3.bias": f32(10)}, os.path.join(bad, "batchnorm.safetensors"))
    # A convolution's kernel.
    save_file({"0.weight": f32((4, 1, 3, 3)), "0.bias": f32(4)}, os.path.join(bad, "conv.safetensors"))
    # Shapes that do not chain: 64 -> 32, then a layer taking 16.
    save_file({"0.weight": f32((32, 64)), "0.bias": f32(32), "2.weight": f32((10, 16)), "2.bias": f32(10)},
              os.path.join(bad, "chain.safetensors"))
    # A NaN weight.
    nan = f32((32, 64))
    nan[3, 17] = np.nan
    save_file({"0.weight": nan, "0.bias": f32(32), "2.weight": f32((10, 32)), "2.bias": f32(10)},
              os.path.join(bad, "nan.safetensors"))
    # An infinite f16 bias.
    inf = np.zeros(10, np.float16)
    inf[4] = np.inf
    save_file({"0.weight": f32((10, 64)).astype(np.float16), "0.bias": inf}, os.path.join(bad, "inf-f16.safetensors"))
    # Integer weights.
    save_file({"0.weight": np.ones((10, 64), np.int8), "0.bias": np.zeros(10, np.int8)},
              os.path.join(bad, "int8.safetensors"))
    # An absurd size: 65 dense layers.
    deep = {}
    for i in range(65):
        deep[f"{i}.weight"] = f32((1, 1))
    save_file(deep, os.path.join(bad, "too-deep.safetensors"))
    # An absurd width, claimed by a header whose data is only one tensor of [40000, 1] f16.
    save_file({"0.weight": np.zeros((40000, 1), np.float16)}, os.path.join(bad, "too-wide.safetensors"))
    # A weight saved [in, out] without the metadata that says so.
    save_file({"0.weight": f32((64, 10)), "0.bias": f32(10)}, os.path.join(bad, "transposed.safetensors"))
    # Another activation named in the metadata.
    save_file({"0.weight": f32((10, 64)), "0.bias": f32(10)}, os.path.join(bad, "tanh.safetensors"),
              metadata={"activation": "tanh"})
    # Not a safetensors file at all, and one cut short.
    with open(os.path.join(bad, "not-safetensors.safetensors"), "wb") as f:
        f.write(b"<html><script>alert(1)</script></html>\n")
    with open(os.path.join(OUT, "sequential-mlp.safetensors"), "rb") as f:
        whole = f.read()
    with open(os.path.join(bad, "truncated.safetensors"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    # A tensor name that is markup and a terminal escape.
    raw_safetensors(os.path.join(bad, "hostile-name.safetensors"),
                    {"<img src=x onerror=alert(1)>\u001b[31m": ("F32", [1], b"\0\0\0\0")})


if __name__ == "__main__":
    main()
