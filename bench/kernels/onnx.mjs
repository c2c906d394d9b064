// A minimal ONNX protobuf writer: an MLP (Gemm with transB = 1, Relu between layers) with its
// weights as initializers, so that onnxruntime-web runs exactly the weights InferBench runs.
// Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto,
// TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, AttributeProto).

class Writer {
  constructor() { this.bytes = []; }
  varint(value) {
    let v = BigInt(value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v > 0n);
    return this;
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  int(field, value) { return this.key(field, 0).varint(value); }
  bytesField(field, data) {
    this.key(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  string(field, text) { return this.bytesField(field, new TextEncoder().encode(text)); }
  message(field, build) {
    const inner = new Writer();
    build(inner);
    return this.bytesField(field, inner.bytes);
  }
  finish() { return Uint8Array.from(this.bytes); }
}

const FLOAT = 1;
const ATTRIBUTE_INT = 2;

function valueInfo(w, field, name, dims) {
  w.message(field, (v) => {
    v.string(1, name);
    v.message(2, (type) => type.message(1, (tensor) => {
      tensor.int(1, FLOAT);
      tensor.message(2, (shape) => {
        for (const d of dims) {
          shape.message(1, (dim) => (typeof d === 'string' ? dim.string(2, d) : dim.int(1, d)));
        }
      });
    }));
  });
}

function initializer(g, name, dims, values) {
  g.message(5, (t) => {
    for (const d of dims) t.int(1, d);
    t.int(2, FLOAT);
    t.string(8, name);
    t.bytesField(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  });
}

/**
 * The ONNX bytes of an MLP with `sizes` (inputs first) and `params` laid out layer by layer:
 * the [out][in] weights, then the biases (InferBench's `model_parameters`).
 */
export function mlpOnnx(sizes, params) {
  const m = new Writer();
  m.int(1, 8); // ir_version
  m.string(2, 'inferbench-kernel-bench');
  m.message(8, (op) => { op.string(1, ''); op.int(2, 17); });
  m.message(7, (g) => {
    let offset = 0;
    let input = 'x';
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [k, n] = [sizes[l], sizes[l + 1]];
      const w = params.subarray(offset, offset + n * k);
      const b = params.subarray(offset + n * k, offset + n * k + n);
      offset += n * k + n;
      const last = l + 2 === sizes.length;
      const gemmOut = last ? 'logits' : `h${l}`;
      g.message(1, (node) => {
        node.string(1, input).string(1, `W${l}`).string(1, `B${l}`);
        node.string(2, gemmOut).string(3, `gemm${l}`).string(4, 'Gemm');
        node.message(5, (a) => { a.string(1, 'transB'); a.int(3, 1); a.int(20, ATTRIBUTE_INT); });
      });
      if (!last) {
        g.message(1, (node) => {
          node.string(1, gemmOut).string(2, `r${l}`).string(3, `relu${l}`).string(4, 'Relu');
        });
        input = `r${l}`;
      }
      initializer(g, `W${l}`, [n, k], w);
      initializer(g, `B${l}`, [n], b);
    }
    g.string(2, 'mlp');
    valueInfo(g, 11, 'x', ['N', sizes[0]]);
    valueInfo(g, 12, 'logits', ['N', sizes[sizes.length - 1]]);
  });
  return m.finish();
}
