// Builds InferBench's kernel module twice (SIMD128, relaxed SIMD), serves this folder on
// 127.0.0.1 with cross-origin isolation (5 us timer, threads for onnxruntime-web), runs the
// page in headless Chromium and prints a Markdown table, with the ratios the kernel goals are
// stated in. Usage (from the repo root, after `npm ci` in bench/kernels and tests/e2e):
//   node bench/kernels/run.mjs [--no-build] [--size-build] [page query, e.g. ms=500 rounds=2 shapes=64-512-512-10]
// --size-build[=PROFILE] adds a third module: the SIMD128 kernels compiled with a size
// profile, by default the worker's own (`wasm-worker`: opt-level "z", the kernels crate at 3,
// no LTO), or e.g. `--size-build=wasm-page` (everything at "z", as the page is), to measure
// what the profile costs the kernels and training against the release profile (opt-level 3).
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startStaticServer, pollPage, ROOT } from '../../tests/e2e/harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const sizeArg = args.find((a) => a === '--size-build' || a.startsWith('--size-build='));
const sizeProfile = sizeArg && (sizeArg.split('=')[1] || 'wasm-worker');
const query = args.filter((a) => a.includes('=') && !a.startsWith('--')).join('&');

function sh(cmd, cmdArgs, env = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status})`);
}

if (build) {
  const builds = [['simd128', 'release', []], ['relaxed', 'release', ['--features', 'relaxed-simd']]];
  if (sizeProfile) builds.push(['simd128-size', sizeProfile, []]);
  else rmSync(join(HERE, 'pkg', 'simd128-size'), { recursive: true, force: true });
  for (const [dir, profile, features] of builds) {
    // One target dir for all: the feature only changes the inferbench crate itself.
    sh('cargo', ['build', '--profile', profile, '--offline', '--example', 'kernel_bench_web', '--target',
      'wasm32-unknown-unknown', ...features]);
    sh('wasm-bindgen', ['--target', 'web', '--out-dir', join(HERE, 'pkg', dir),
      join(ROOT, 'target', 'wasm32-unknown-unknown', profile, 'examples', 'kernel_bench_web.wasm')]);
  }
}

const server = await startStaticServer(HERE, {
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
});
const browser = await launchBrowser();
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.goto(`${server.url}index.html?${query}`);
const results = await pollPage(page, () => window.__results || (window.__error && { error: window.__error }), {
  timeoutMs: 30 * 60_000, what: 'the benchmark to finish',
});
await browser.close();
await server.stop();
if (results.error) throw new Error(results.error);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const lines = [];
lines.push(`${results.userAgent}; isolated: ${results.crossOriginIsolated}; ${results.cores} logical cores; modules: ${results.modules.join(', ')}`);
lines.push(`batch ${results.batch}; ${results.rounds} rounds of at least ${results.ms} ms per engine and shape; medians over rounds`);
for (const { shape, rows } of results.shapes) {
  lines.push('', `### ${shape}`, '');
  lines.push('| engine | single p50 (µs) | single mean (µs) | batch (samples/s) | bytes | max abs logit diff vs f32-naive | argmax agree |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  const summary = rows.map((r) => ({
    name: r.name,
    p50: median(r.single.map((s) => s.p50Ms * 1000)),
    mean: median(r.single.map((s) => s.meanMs * 1000)),
    rate: median(r.batch.map((b) => b.perSecond)),
    bytes: r.bytes, maxDiff: r.maxDiff, agree: r.argmaxAgree,
  }));
  for (const s of summary) {
    lines.push(`| ${s.name} | ${f(s.p50)} | ${f(s.mean, 1)} | ${f(s.rate)} | ${f(s.bytes)} | ${s.maxDiff.toExponential(1)} | ${f(s.agree * 100)}% |`);
  }
  const get = (n) => summary.find((s) => s.name.includes(n));
  const peers = ['tfjs-wasm', 'onnxruntime-web 1.30 (1 thread)'].map(get).filter(Boolean);
  const bestRate = Math.max(...peers.map((p) => p.rate));
  const bestMean = Math.min(...peers.map((p) => p.mean));
  for (const label of ['simd128', 'relaxed']) {
    const fast = get(`f32-fast (${label})`);
    if (!fast || !peers.length) continue;
    const int8 = get(`int8 (${label})`);
    const pruned = get(`pruned (${label})`);
    lines.push('', `${label}: f32-fast batch / best 1-thread peer = ${f(fast.rate / bestRate, 2)}x; single mean / best peer = ${f(fast.mean / bestMean, 2)}x; ` +
      `int8 batch / f32-fast = ${f(int8.rate / fast.rate, 2)}x, single mean int8 / f32-fast = ${f(int8.mean / fast.mean, 2)}x; ` +
      `pruned batch / f32-fast = ${f(pruned.rate / fast.rate, 2)}x, single mean pruned / f32-fast = ${f(pruned.mean / fast.mean, 2)}x`);
  }
  // --size-build: what the size profile costs each variant, batch rate and single-query mean.
  const ratios = ['f32-naive', 'f32-fast', 'int8', 'pruned'].map((v) => [v, get(`${v} (simd128)`), get(`${v} (simd128, size build)`)])
    .filter(([, o3, z]) => o3 && z)
    .map(([v, o3, z]) => `${v} batch ${f(z.rate / o3.rate, 2)}x, single mean ${f(z.mean / o3.mean, 2)}x`);
  if (ratios.length) lines.push('', `size build (${sizeProfile ?? 'an earlier --size-build'}) / release (simd128): ${ratios.join('; ')}`);
}
if (results.training) {
  const { steps, rows } = results.training;
  lines.push('', `### training: ${steps} mini-batch steps of the default model (64-512-512-10) on the digits`, '');
  lines.push('| module | median (ms) | min (ms) | max (ms) |', '|---|---:|---:|---:|');
  for (const { name, ms } of rows) lines.push(`| ${name} | ${f(median(ms), 1)} | ${f(Math.min(...ms), 1)} | ${f(Math.max(...ms), 1)} |`);
  const byName = Object.fromEntries(rows.map(({ name, ms }) => [name, median(ms)]));
  if (byName['simd128'] && byName['simd128, size build']) {
    lines.push('', `training time, size build / release (simd128): ${f(byName['simd128, size build'] / byName['simd128'], 2)}x`);
  }
}
const text = lines.join('\n');
console.log(text);
mkdirSync(join(HERE, 'results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(join(HERE, 'results', `${stamp}.json`), JSON.stringify(results, null, 1));
writeFileSync(join(HERE, 'results', `${stamp}.md`), text + '\n');
