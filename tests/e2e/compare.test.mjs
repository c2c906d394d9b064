// End-to-end: comparing machines and the A/B mode, in the built static site (served under a
// sub-path, as app.test.mjs does) in headless Chromium.
// - Compare machines: two result files from different "machines" (the committed fixtures)
//   and a broken file through the file picker: the broken one is reported with its message,
//   Alice against Bob gives IMPROVEMENT (Bob is about 1.4x faster) in every run, the charts
//   are drawn, the comparison report downloads with its sections and its embedded JSON;
//   Carol (other seeds) is listed as a different workload with what differs; the threshold
//   and the baseline change the verdicts as the regression check says; dropped files are
//   checked too, and one over 512 MiB is refused on its size.
// - A/B mode: a short run with the A/B fieldset on (under Advanced) shows the A/B panel and its
//   verdict and, with an assumed power draw, the energy estimate; a saved result can be added
//   to the comparison, where it checks out (its latencies sit on the worker's timer grid).
// - An altered file (a run's validity flipped, its p90 edited) is marked ALTERED, in the
//   list and in every row, and compared with the values its records give.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, buildDist, startStaticServer, launchBrowser, openPage, pollPage } from './harness.mjs';

const SUB_PATH = '/compare/sub/path/';
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'compare');
const COMPARISON_JSON_MARKER = '<!-- inferbench-comparison-json -->';
const BROKEN = '{"schema": "inferbench-result", "schema_version": 1';

let server;
let browser;
let page;
let foreignRequests;
let pageErrors;

before(async () => {
  const dist = await buildDist();
  server = await startStaticServer(dist, { mount: SUB_PATH });
  browser = await launchBrowser();
  ({ page, foreignRequests, pageErrors } = await openPage(browser, {
    viewport: { width: 1366, height: 768 },
  }));
  await page.goto(server.url);
  await pollPage(page, () => self.crossOriginIsolated === true && !!document.querySelector('#compare'), {
    what: 'the isolated page',
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fixture(name) {
  return { name, mimeType: 'application/json', buffer: await readFile(join(FIXTURES, name)) };
}

/** Every canvas under `selector` drawn, each with ink: { id, ink }[]. */
async function chartsDrawn(selector) {
  return pollPage(
    page,
    (sel) => {
      const all = [...document.querySelectorAll(`${sel} canvas.chart`)];
      if (all.length === 0 || !all.every((c) => c.dataset.drawn === 'true')) return null;
      return all.map((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
        }
        return { id: c.closest('figure').id, ink: ink / (data.length / 4) };
      });
    },
    { timeoutMs: 30_000, what: `the charts of ${selector}`, arg: selector },
  );
}

/** The verdicts of `machine`'s rows, group by group. */
async function verdictsOf(machine) {
  return page.evaluate(
    (m) =>
      [...document.querySelectorAll('#compare .compare-row')]
        .filter((r) => r.dataset.machine === m)
        .map((r) => r.dataset.verdict),
    machine,
  );
}

test('two machines and a broken file: the broken one is reported, Bob is faster than Alice', async () => {
  const started = Date.now();
  await page.setInputFiles('#compare-files', [
    await fixture('alice-laptop.json'),
    await fixture('bob-desktop.json'),
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(BROKEN) },
  ]);
  await pollPage(
    page,
    () =>
      document.querySelectorAll('#compare .compare-row').length === 12 &&
      document.querySelector('#compare-pending') === null,
    { timeoutMs: 120_000, what: 'the comparison of Alice and Bob' },
  );
  console.log(`# comparison of 2 machines (6 runs, 10,000 resamples each) in ${(Date.now() - started) / 1000} s`);

  // Each file on its own: two loaded, the broken one with its one-line message, as text.
  const files = await page.$$eval('.compare-file', (items) =>
    items.map((li) => ({ name: li.dataset.file, status: li.dataset.status, text: li.textContent })),
  );
  assert.deepEqual(
    files.map((f) => [f.name, f.status]),
    [
      ['alice-laptop.json', 'loaded'],
      ['bob-desktop.json', 'loaded'],
      ['broken.json', 'refused'],
    ],
  );
  assert.match(files[0].text, /Alice's laptop/);
  // Both fixtures check out: derived values, the tiny model retrained, the 5 µs timer grid.
  const checks = await page.$$eval('.compare-file .file-check', (els) => els.map((e) => [e.dataset.check, e.textContent]));
  assert.equal(checks.length, 2);
  for (const [status, text] of checks) {
    assert.equal(status, 'checks out', text);
    assert.match(text, /^VERIFIED Checks out: .*sit on the recorded 5\.000 µs timer grid \(checked: derived values, model, timer\)$/);
  }
  assert.match(
    files[2].text,
    /Not loaded: not a result file: it is neither JSON nor an InferBench report with an embedded result \(EOF while parsing/,
  );

  // Alice is the baseline; Bob is an IMPROVEMENT in every run, with the verdict sentence.
  assert.equal(await page.textContent('#compare-baseline option:checked'), "Alice's laptop");
  assert.deepEqual(await verdictsOf("Alice's laptop"), Array(6).fill('baseline'));
  assert.deepEqual(await verdictsOf("Bob's desktop"), Array(6).fill('IMPROVEMENT'));
  const sentences = await page.locator('.compare-sentence').allTextContents();
  assert.equal(sentences.length, 6);
  for (const s of sentences) {
    assert.match(s, /^IMPROVEMENT: Bob's desktop is 1\.\d\dx faster than Alice's laptop \(95% CI 1\.\d+x-1\.\d+x, p < 0\.001, Welch\)/);
  }
  const summary = await page.textContent('#compare-summary');
  assert.match(summary, /6 runs compared: 6 IMPROVEMENT, 0 REGRESSION, 0 NO CHANGE\./);
  assert.equal(await page.locator('#compare-not-compared').count(), 0);
  // The table of a group: headline with CI, VALID, speedup with CI, both p-values (Holm).
  const ss = page.locator('#compare-f32-naive-singlestream');
  const headers = await ss.locator('thead th').allTextContents();
  assert.deepEqual(headers.slice(0, 5), ['Machine', 'p90 latency', '95% CI', 'Queries', 'Result']);
  assert.ok(headers.includes('Welch p (Holm)') && headers.includes('Mann-Whitney p (Holm)'), headers.join('|'));
  const bob = await ss.locator('.compare-row[data-machine="Bob\'s desktop"] td').allTextContents();
  assert.match(bob[0], /µs$/);
  assert.match(bob[1], /^95% CI /);
  assert.equal(bob[3], 'VALID');
  assert.equal(bob[4], '1.42x');
  assert.match(bob[5], /^95% CI 1\.\d+x–1\.\d+x$/);

  // Two charts per group (speedups with CI bars, overlaid CDFs), drawn.
  const charts = await chartsDrawn('#compare');
  assert.equal(charts.length, 12);
  for (const c of charts) assert.ok(c.ink > 0.01, `${c.id} looks blank (${c.ink})`);
  assert.ok(charts.some((c) => c.id === 'compare-int8-offline-speedup'));
  assert.ok(charts.some((c) => c.id === 'compare-f32-naive-server-cdf'));
  await page.locator('#compare').screenshot({ path: join(ARTIFACTS, 'compare-section.png') });
});

test('the comparison report downloads with its sections and embedded data', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-comparison')]);
  assert.match(download.suggestedFilename(), /^inferbench-comparison-\d{4}-\d{2}-\d{2}\.md$/);
  const md = await readFile(await download.path(), 'utf8');
  assert.ok(md.startsWith("# InferBench comparison: 2 machines against Alice's laptop\n"), md.slice(0, 80));
  for (const section of ['## Summary', '## Machines', '## f32-naive, SingleStream', '## int8, Offline', '## Data']) {
    assert.ok(md.includes(`\n${section}\n`), `no section ${section}`);
  }
  assert.ok(!md.includes('broken.json'), 'a refused file is not a machine');
  const block = md.slice(md.indexOf(COMPARISON_JSON_MARKER));
  const start = block.indexOf('```json') + '```json'.length;
  const data = JSON.parse(block.slice(start, block.indexOf('\n```', start)));
  assert.deepEqual(
    data.machines.map((m) => m.name),
    ["Alice's laptop", "Bob's desktop"],
  );
  assert.equal(data.baseline, 0);
  assert.equal(data.groups.length, 6);
  assert.equal(data.config.noise_threshold, 0.01);
});

test('a result with other seeds is listed as a different workload, with what differs', async () => {
  await page.setInputFiles('#compare-files', [await fixture('carol-other-seed.json')]);
  await pollPage(
    page,
    () =>
      document.querySelectorAll('#compare .compare-row').length === 18 &&
      document.querySelector('#compare-pending') === null,
    { timeoutMs: 120_000, what: 'the comparison with Carol' },
  );
  const carol = page.locator('#compare-not-compared li[data-machine="Carol\'s tablet"]');
  assert.equal(await carol.count(), 1);
  const differences = await carol.locator('li.difference').allTextContents();
  assert.deepEqual(differences, [
    'seeds.sample_index: 7 (baseline) vs 8',
    'seeds.schedule: 7 (baseline) vs 8',
    'seeds.model_init: 7 (baseline) vs 8',
  ]);
  assert.deepEqual(await verdictsOf("Carol's tablet"), Array(6).fill('not compared'));
  assert.deepEqual(await verdictsOf("Bob's desktop"), Array(6).fill('IMPROVEMENT'));
  assert.match(await page.textContent('#compare-summary'), /Not compared where their workload differs from the baseline's: Carol's tablet\./);
  await page.locator('#compare-not-compared').screenshot({ path: join(ARTIFACTS, 'compare-workload-differs.png') });
});

test('the threshold and the baseline act as the regression check says', async () => {
  await page.fill('#compare-threshold', '-1');
  assert.match(await page.textContent('#compare-threshold-error'), /out of range/);
  // Bob is about 1.4x faster: beyond 1%, not beyond 60%.
  await page.fill('#compare-threshold', '60');
  await pollPage(
    page,
    () =>
      document.querySelector('#compare-pending') === null &&
      [...document.querySelectorAll('#compare .compare-row')].some((r) => r.dataset.verdict === 'NO CHANGE'),
    { timeoutMs: 120_000, what: 'the verdicts at 60%' },
  );
  assert.deepEqual(await verdictsOf("Bob's desktop"), Array(6).fill('NO CHANGE'));
  await page.fill('#compare-threshold', '1');
  // Bob as the baseline: Alice is the slower one.
  const bobId = await page.$eval('#compare-baseline', (s) =>
    [...s.options].find((o) => o.textContent === "Bob's desktop").value,
  );
  await page.selectOption('#compare-baseline', bobId);
  await pollPage(
    page,
    () =>
      document.querySelector('#compare-pending') === null &&
      [...document.querySelectorAll('#compare .compare-row')].filter((r) => r.dataset.verdict === 'REGRESSION').length === 6,
    { timeoutMs: 120_000, what: 'Alice against Bob' },
  );
  assert.deepEqual(await verdictsOf("Alice's laptop"), Array(6).fill('REGRESSION'));
  assert.deepEqual(await verdictsOf("Bob's desktop"), Array(6).fill('baseline'));
  // Dropped files are checked too; one over 512 MiB is refused on its size (a blob of
  // one zeroed MiB repeated: the page never reads it).
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['# Notes, not a report'], 'dropped-notes.md', { type: 'text/markdown' }));
    const mib = new Uint8Array(1024 * 1024);
    dt.items.add(new File(Array(513).fill(mib), 'huge.json', { type: 'application/json' }));
    const zone = document.querySelector('#compare-drop');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  });
  await pollPage(
    page,
    () =>
      document.querySelectorAll('.compare-file').length === 6 &&
      document.querySelectorAll('.compare-file[data-status="checking"]').length === 0,
    { timeoutMs: 120_000, what: 'the dropped files to be checked' },
  );
  assert.match(
    await page.textContent('.compare-file[data-file="dropped-notes.md"]'),
    /Not loaded: not a result file/,
  );
  assert.match(
    await page.textContent('.compare-file[data-file="huge.json"]'),
    /Not loaded: the file is 513\.0 MiB, more than the 512 MiB a result can be/,
  );
  // Removing files takes them out of the comparison.
  for (const name of ['broken.json', 'dropped-notes.md', 'huge.json']) {
    await page.click(`.compare-file[data-file="${name}"] button.remove`);
  }
  assert.equal(await page.locator('.compare-file').count(), 3);
  assert.deepEqual(await verdictsOf("Alice's laptop"), Array(6).fill('REGRESSION'));
});

test('an A/B run shows its panel and verdict, and a saved result joins the comparison', async () => {
  await page.fill('#field-label', 'E2E A/B');
  // A short run: f32-naive in SingleStream only, then A/B f32-naive against f32-fast.
  await page.uncheck('#variant-f32-fast');
  for (const s of ['multistream', 'server', 'offline']) await page.uncheck(`#scenario-${s}`);
  // The LoadGen settings, the options and the A/B run are under Advanced.
  await page.click('#advanced > summary');
  await page.uncheck('#option-accuracy');
  await page.fill('#field-singlestream-min-duration-ms', '1000');
  // An assumed power draw: the results give an energy estimate, labelled as one.
  await page.fill('#field-power', '45');
  await page.check('#option-ab');
  await page.fill('#field-ab-share', '0');
  assert.match(await page.textContent('#field-ab-share-error'), /strictly between 0 and 100/);
  assert.equal(await page.locator('#run').isDisabled(), true);
  await page.fill('#field-ab-share', '50');
  await page.selectOption('#field-ab-b', 'f32-naive');
  assert.match(await page.textContent('#field-ab-test-error'), /two different variants/);
  await page.selectOption('#field-ab-b', 'f32-fast');
  assert.equal(await page.locator('.field-error').count(), 0);
  assert.match(await page.textContent('#plan-summary'), /then an A\/B run of f32-fast against f32-naive \(SingleStream\)/);
  const started = Date.now();
  await page.click('#run');
  await pollPage(page, () => document.querySelector('#ab-panel') !== null, {
    timeoutMs: 120_000,
    what: 'the A/B panel',
  });
  console.log(`# the A/B run finished in ${(Date.now() - started) / 1000} s`);
  assert.match(await page.textContent('#results-title'), /E2E A\/B/);
  assert.match(await page.textContent('#ab-panel h3'), /f32-fast \(B\) against f32-naive \(A\), SingleStream/);
  const verdict = await page.textContent('#ab-verdict');
  assert.match(
    verdict,
    /^(f32-fast is [0-9.]+x (faster|slower) than f32-naive \(95% CI|No significant difference|f32-fast .*within noise)/,
  );
  assert.match(await page.textContent('#ab-description'), /A served [\d,]+ queries, B served [\d,]+\./);
  const arms = await page.locator('.ab-arm th').allTextContents();
  assert.deepEqual(arms, ['A: f32-naive', 'B: f32-fast']);
  const drawn = await chartsDrawn('#ab-panel');
  assert.equal(drawn.length, 1);
  assert.ok(drawn[0].ink > 0.01, 'the A/B CDF has ink');
  await page.locator('#ab-panel').screenshot({ path: join(ARTIFACTS, 'ab-panel.png') });

  // The energy estimate: 45 W times the measured time per sample, never a measurement.
  assert.match(await page.textContent('#energy-estimate h3'), /an estimate, not a measurement/);
  const energyRows = await page.$$eval('#energy-estimate tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent)),
  );
  assert.deepEqual(energyRows.map((r) => r[0]), ['f32-naive']);
  assert.match(energyRows[0][1], /^[0-9.]+ (ns|µs|ms)$/);
  assert.equal(energyRows[0][2], 'SingleStream mean latency');
  assert.match(energyRows[0][3], /^[0-9.]+ (nJ|µJ|mJ|J)$/);

  // The saved run joins the comparison: another workload than the fixtures'.
  await page.click('#saved-list li:first-child button.add-to-comparison');
  await pollPage(
    page,
    () =>
      document.querySelector('#compare-pending') === null &&
      document.querySelector('#compare-not-compared li[data-machine="E2E A/B"]') !== null,
    { timeoutMs: 120_000, what: 'the saved result in the comparison' },
  );
  assert.match(
    await page.textContent('.compare-file:last-child'),
    /inferbench-e2e-a-b-\d{4}-\d{2}-\d{2}\.json \(saved in this browser\)/,
  );
  // A real browser run checks out: its latencies sit on the worker's timer grid (the default
  // model is not retrained in the page, and the page says so).
  const check = page.locator('.compare-file:last-child .file-check');
  assert.equal(await check.getAttribute('data-check'), 'checks out', await check.textContent());
  assert.match(await check.textContent(), /service times sit on the recorded [0-9.]+ µs timer grid/);
  assert.match(await check.textContent(), /\(checked: derived values, timer; not checked: model\)$/);
});

test('an altered file is marked, and compared with the values its records give', async () => {
  await page.click('#compare-clear');
  const alice = JSON.parse(await readFile(join(FIXTURES, 'alice-laptop.json'), 'utf8'));
  const run = alice.variants[0].runs[0].run;
  run.validity.valid = !run.validity.valid;
  run.metric.percentile_latency_ms = 0.0001235;
  await page.setInputFiles('#compare-files', [
    { name: 'alice-edited.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(alice)) },
    await fixture('bob-desktop.json'),
  ]);
  await pollPage(
    page,
    () =>
      document.querySelectorAll('#compare .compare-row').length === 12 &&
      document.querySelector('#compare-pending') === null,
    { timeoutMs: 120_000, what: 'the comparison with the altered file' },
  );
  const check = page.locator('.compare-file[data-file="alice-edited.json"] .file-check');
  assert.equal(await check.getAttribute('data-check'), 'altered');
  assert.match(
    await check.textContent(),
    /^ALTERED Does not check out: stored f32-naive SingleStream p90 latency 0\.0001235 ms does not match its query records \(0\.3800 ms\)/,
  );
  const altered = await page.$$eval('#compare .compare-row', (rows) =>
    rows.filter((r) => r.dataset.altered === 'true').map((r) => r.dataset.machine),
  );
  assert.deepEqual(altered, Array(6).fill("Alice's laptop"));
  // The table shows the recomputed headline, never the edited one.
  const ss = page.locator('#compare-f32-naive-singlestream');
  const row = await ss.locator('.compare-row[data-machine="Alice\'s laptop"] td').allTextContents();
  assert.equal(row[0], '380.0 µs');
  assert.deepEqual(await verdictsOf("Bob's desktop"), Array(6).fill('IMPROVEMENT'));
  await page.locator('#compare-file-list').screenshot({ path: join(ARTIFACTS, 'compare-altered.png') });
});

test('nothing left 127.0.0.1 and the page threw no error', async () => {
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
});
