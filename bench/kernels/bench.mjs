// The kernel benchmark page: every engine classifies the same seeded inputs with the same
// seeded weights (InferBench's `Mlp::initialised`), one sample per call and in batches, in
// rounds that interleave the engines so that drift in the machine's speed hits all alike.
// Parameters (query string): shapes=64-512-512-10,64-1024-1024-10 batch=128 ms=1000 rounds=3
// engines=<comma-separated names, default all> train=100 (training steps timed per module, 0 for none). Results land in window.__results.
import { mlpOnnx } from './onnx.mjs';

const query = new URLSearchParams(location.search);
const SHAPES = (query.get('shapes') ?? '64-512-512-10,64-1024-1024-10')
  .split(',')
  .map((s) => s.split('-').map(Number));
const BATCH = Number(query.get('batch') ?? 128);
const MS = Number(query.get('ms') ?? 1000);
const ROUNDS = Number(query.get('rounds') ?? 3);
const TRAIN = Number(query.get('train') ?? 100);
const ONLY = query.get('engines')?.split(',');
const SEED = 7n;
const ROWS = 1024;
const statusEl = document.getElementById('status');
const status = (text) => { statusEl.textContent = text; };

/** Seeded inputs in [0, 1) (xorshift32), like scaled digit pixels. */
function seededInputs(rows, width) {
  const out = new Float32Array(rows * width);
  let s = 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 8) / 16777216;
  }
  return out;
}

async function inferBenchModule(dir) {
  const url = new URL(`./pkg/${dir}/kernel_bench_web_bg.wasm`, location.href);
  const response = await fetch(url);
  if (!response.ok) return null; // e.g. simd128-size without --size-build
  const bytes = await response.arrayBuffer();
  if (!WebAssembly.validate(bytes)) return null; // e.g. no relaxed SIMD in this browser
  const mod = await import(`./pkg/${dir}/kernel_bench_web.js`);
  await mod.default({ module_or_path: bytes });
  return mod;
}

/** The engines for one shape: { name, call(first, count), logits(first, count), bytes }. */
async function engines(sizes, params, inputs, modules) {
  const width = sizes[0];
  const classes = sizes[sizes.length - 1];
  const list = [];
  for (const [label, mod] of modules) {
    for (const variant of ['f32-naive', 'f32-fast', 'int8', 'pruned']) {
      const e = new mod.Engine(variant, Uint32Array.from(sizes), SEED, inputs);
      list.push({
        name: `inferbench ${variant} (${label})`,
        call: (first, count) => e.run(first, count),
        logits: (first, count) => e.logits(first, count),
        bytes: e.size_bytes(),
      });
    }
  }
  // tfjs-wasm: fused matMul (XNNPACK fully connected), bias and ReLU, one thread. The weights
  // are handed over transposed ([in][out]): tfjs-wasm 4.22's fused matMul adds the bias to the
  // wrong outputs with transposeB = true (checked against a plain loop), and the logits check
  // below would show it.
  {
    const w = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [k, n] = [sizes[l], sizes[l + 1]];
      const t = new Float32Array(k * n);
      for (let o = 0; o < n; o++) for (let i = 0; i < k; i++) t[i * n + o] = params[offset + o * k + i];
      w.push({
        W: tf.tensor2d(t, [k, n]),
        b: tf.tensor1d(params.slice(offset + n * k, offset + n * k + n)),
        last: l + 2 === sizes.length,
      });
      offset += n * k + n;
    }
    const forward = (first, count) => {
      const x = tf.tensor2d(inputs.subarray(first * width, (first + count) * width), [count, width]);
      const y = tf.tidy(() => w.reduce((h, layer) => tf.fused.matMul({
        a: h, b: layer.W, bias: layer.b, activation: layer.last ? 'linear' : 'relu',
      }), x));
      const data = y.dataSync();
      x.dispose();
      y.dispose();
      return data;
    };
    list.push({ name: 'tfjs-wasm 4.22 (XNNPACK, 1 thread)', call: forward, logits: forward, bytes: 4 * params.length });
  }
  // onnxruntime-web: Gemm + Relu graph, graph optimisations on, 1 and 2 intra-op threads.
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(mlpOnnx(sizes, params), {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
    });
    const forward = async (first, count) => {
      const x = new ort.Tensor('float32', inputs.slice(first * width, (first + count) * width), [count, width]);
      const out = await session.run({ x });
      return out.logits.data;
    };
    list.push({ name: `onnxruntime-web 1.30 (${threads} thread${threads > 1 ? 's' : ''})`, call: forward, logits: forward, bytes: 4 * params.length });
  }
  // Plain JavaScript loops over Float32Arrays (the naive loop nest).
  {
    const layers = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [k, n] = [sizes[l], sizes[l + 1]];
      layers.push({ k, n, W: params.subarray(offset, offset + n * k), b: params.subarray(offset + n * k, offset + n * k + n) });
      offset += n * k + n;
    }
    const widest = Math.max(...sizes);
    const a = new Float32Array(widest);
    const c = new Float32Array(widest);
    const forward = (first, count) => {
      const logits = new Float32Array(count * classes);
      for (let s = 0; s < count; s++) {
        let x = inputs.subarray((first + s) * width, (first + s + 1) * width);
        let y = c;
        for (let l = 0; l < layers.length; l++) {
          const { k, n, W, b } = layers[l];
          y = l % 2 === 0 ? c : a;
          for (let o = 0; o < n; o++) {
            let acc = b[o];
            for (let i = 0; i < k; i++) acc += W[o * k + i] * x[i];
            y[o] = l + 1 < layers.length && acc < 0 ? 0 : acc;
          }
          x = y;
        }
        logits.set(y.subarray(0, classes), s * classes);
      }
      return logits;
    };
    list.push({ name: 'plain JavaScript loops', call: forward, logits: forward, bytes: 4 * params.length });
  }
  return ONLY ? list.filter((e) => ONLY.some((o) => e.name.includes(o))) : list;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Times `call` for at least MS: one sample per call (p50 and mean) or `batch` per call. */
async function time(call, batch) {
  const run = async (first) => { const r = call(first, batch); if (r && r.then) await r; };
  for (let i = 0; i < (batch === 1 ? 200 : 5); i++) await run((i * batch) % (ROWS - batch));
  const times = [];
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < MS || calls < 10) {
    const t = performance.now();
    await run((calls * batch) % (ROWS - batch));
    times.push(performance.now() - t);
    calls++;
  }
  const elapsed = performance.now() - start;
  times.sort((x, y) => x - y);
  return { calls, p50Ms: percentile(times, 0.5), meanMs: elapsed / calls, perSecond: (calls * batch) / (elapsed / 1000) };
}

async function main() {
  tf.wasm.setWasmPaths(new URL('node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  ort.env.wasm.wasmPaths = new URL('node_modules/onnxruntime-web/dist/', location.href).href;
  ort.env.wasm.numThreads = 2;
  const modules = [];
  // simd128-size is there when run.mjs was given --size-build.
  for (const [label, dir] of [['simd128', 'simd128'], ['relaxed', 'relaxed'], ['simd128, size build', 'simd128-size']]) {
    const mod = await inferBenchModule(dir);
    if (mod) modules.push([label, mod]);
  }
  const results = {
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    modules: modules.map(([label, mod]) => `${label}: ${mod.kernel_path()}`),
    batch: BATCH,
    ms: MS,
    rounds: ROUNDS,
    shapes: [],
  };
  for (const sizes of SHAPES) {
    const shape = sizes.join('-');
    const params = modules[0][1].model_parameters(Uint32Array.from(sizes), SEED);
    const inputs = seededInputs(ROWS, sizes[0]);
    const list = await engines(sizes, params, inputs, modules);
    // Agreement with the first engine (f32-naive, simd128) on 8 rows: max |logit difference|
    // and the share of equal argmaxes.
    const reference = Array.from(await list[0].logits(0, 8));
    const classes = sizes[sizes.length - 1];
    const argmax = (v, r) => { let b = 0; for (let c = 1; c < classes; c++) if (v[r * classes + c] > v[r * classes + b]) b = c; return b; };
    const rows = [];
    for (const e of list) {
      const got = Array.from(await e.logits(0, 8));
      let maxDiff = 0;
      let same = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - reference[i]));
      for (let r = 0; r < 8; r++) if (argmax(got, r) === argmax(reference, r)) same++;
      rows.push({ name: e.name, bytes: e.bytes, maxDiff, argmaxAgree: same / 8, single: [], batch: [] });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < list.length; i++) {
        status(`${shape}: round ${round + 1}/${ROUNDS}, ${list[i].name}`);
        rows[i].single.push(await time(list[i].call, 1));
        rows[i].batch.push(await time(list[i].call, BATCH));
      }
    }
    results.shapes.push({ shape, rows });
  }
  // Training (what the worker does before every run): TRAIN mini-batch steps of the default
  // model on the digits, per module, interleaved the same way.
  if (TRAIN > 0) {
    results.training = { steps: TRAIN, rows: modules.map(([label]) => ({ name: label, ms: [] })) };
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < modules.length; i++) {
        status(`training: round ${round + 1}/${ROUNDS}, ${modules[i][0]}`);
        const t = performance.now();
        modules[i][1].train_steps(TRAIN);
        results.training.rows[i].ms.push(performance.now() - t);
      }
    }
  }
  status('done');
  document.getElementById('out').textContent = JSON.stringify(results, null, 1);
  window.__results = results;
}

main().catch((e) => { status(`failed: ${e}`); window.__error = String(e.stack || e); });
