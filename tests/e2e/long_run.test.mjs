// End-to-end: a long run in the built page (issue 10, "in the page, a 1M-query run"). A
// synthetic system under test (Setup > Advanced > LoadGen: `lognormal:10us,0.5`, a service
// time that varies from query to query like a fast model variant's, about 10 µs, so that the
// columns are as varied as a real run's and 1M queries take about 12 s of run) answers a
// SingleStream run whose minimum query count is 1,000,000. The test records and prints what
// the issue asks of the page: the result's size (the record IndexedDB holds and the JSON
// download), the time to store it (the worker's own measure: packing and writing), the time
// to restore it after a reload (navigation to the result shown, and the worker's read), and
// the longest main-thread task during the run, after it (while the results render) and after
// the reload. The goals (restore under 2 s, no task over 50 ms) are printed next to the
// figures; only generous margins are asserted, so that a loaded 2-core machine passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { buildDist, launchBrowser, openPage, pollPage, recordLongTasks, startStaticServer } from './harness.mjs';

const LABEL = 'E2E long run';
const SUT = 'lognormal:10us,0.5';
const QUERIES = 1_000_000;
// The issue's goals, printed with the figures.
const RESTORE_GOAL_MS = 2000;
const TASK_GOAL_MS = 50;
// What is asserted: margins a loaded shared machine passes, which still catch a page that
// blocks for seconds or a restore that has gone wrong.
const RESTORE_LIMIT_MS = 20_000;
const TASK_LIMIT_MS = 1000;
const RUN_LIMIT_S = 300;
// How long after everything is on the page its tasks are still watched (charts, report).
const SETTLE_MS = 2000;

let server;
let browser;
let page;
let pageErrors;
const workerLog = [];

/** In the page, from before it loads: when Setup was first rendered and when the page's
 *  timer was measured (the last of its loading work), when the run's
 *  progress went away (the run ended), when a result was first shown, when its summary and
 *  its downloads were ready. */
function recordMarks() {
  window.__marks = {};
  const mark = (name) => (window.__marks[name] ??= performance.now());
  new MutationObserver(() => {
    if (document.querySelector('#setup')) mark('setup');
    if (document.querySelector('#timer-resolution')) mark('timer');
    if (document.querySelector('#progress')) window.__marks.progressSeen = true;
    else if (window.__marks.progressSeen) mark('runEnded');
    if ((document.querySelector('#results-title')?.textContent ?? '').startsWith('Results: ')) mark('shown');
    if (document.querySelector('#summary .summary-line')) mark('summary');
    if (document.querySelector('#summary #download-json:not([disabled])')) mark('ready');
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

/** The longest long task in [from, to] (ms on the page's clock), and how many there were. */
function longest(tasks, from, to) {
  const inside = tasks.filter((t) => t.start >= from && t.start <= to);
  return { ms: inside.reduce((m, t) => Math.max(m, t.duration), 0), count: inside.length };
}

const goal = (ms, limit) => `${ms.toFixed(0)} ms (goal under ${limit} ms: ${ms < limit ? 'met' : 'NOT met'})`;

before(async () => {
  const dist = await buildDist();
  server = await startStaticServer(dist, { mount: '/' });
  browser = await launchBrowser();
  ({ page, pageErrors } = await openPage(browser, { viewport: { width: 1366, height: 768 } }));
  await recordLongTasks(page);
  await page.addInitScript(recordMarks);
  page.on('worker', (w) => w.on('console', (m) => workerLog.push(m.text())));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

let runEnded;

test(`a run of ${QUERIES.toLocaleString('en')} queries: its time and the longest main-thread tasks`, async () => {
  await page.goto(server.url);
  await pollPage(page, () => self.crossOriginIsolated === true && !!document.querySelector('#setup'), {
    what: 'cross-origin isolation through the service worker',
  });
  await page.fill('#field-label', LABEL);
  await page.click('#advanced > summary');
  await page.fill('#field-sut', SUT);
  for (const s of ['multistream', 'server', 'offline']) await page.uncheck(`#scenario-${s}`);
  await page.fill('#field-singlestream-min-query-count', String(QUERIES));
  await page.fill('#field-singlestream-min-duration-ms', '1000');
  await page.fill('#field-singlestream-max-duration-ms', '0');
  assert.equal(await page.locator('.field-error').count(), 0, await page.textContent('#setup'));
  console.log(`# plan: ${await page.textContent('#plan-summary')}`);

  const t0 = await page.evaluate(() => performance.now());
  const started = Date.now();
  await page.click('#run');
  const marks = await pollPage(page, () => (window.__marks.ready ? window.__marks : null), {
    timeoutMs: RUN_LIMIT_S * 1000,
    what: 'the run to end with its result shown and its downloads ready',
  });
  const runSeconds = (marks.runEnded - t0) / 1000;
  runEnded = marks.runEnded;
  console.log(
    `# ${SUT}, SingleStream, min ${QUERIES.toLocaleString('en')} queries: the run took ${runSeconds.toFixed(1)} s; ` +
      `result shown ${(marks.shown - marks.runEnded).toFixed(0)} ms after its end, summary ` +
      `${(marks.summary - marks.runEnded).toFixed(0)} ms, downloads ready ${(marks.ready - marks.runEnded).toFixed(0)} ms ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s in all)`,
  );
  assert.ok(runSeconds < RUN_LIMIT_S, `the run took ${runSeconds} s`);
  await page.waitForTimeout(SETTLE_MS);

  const tasks = await page.evaluate(() => window.__longTasks);
  assert.ok(Array.isArray(tasks), 'the Long Tasks API is available');
  const during = longest(tasks, t0, marks.runEnded);
  const afterRun = longest(tasks, marks.runEnded, Infinity);
  console.log(`# longest main-thread task during the run: ${goal(during.ms, TASK_GOAL_MS)}, ${during.count} over 50 ms`);
  console.log(
    `# longest main-thread task after it (result shown, summary, downloads, ${SETTLE_MS} ms more): ` +
      `${goal(afterRun.ms, TASK_GOAL_MS)}, ${afterRun.count} over 50 ms` +
      (afterRun.count ? ` (${tasks.filter((t) => t.start >= marks.runEnded).map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''),
  );
  assert.ok(during.ms < TASK_LIMIT_MS, `a ${during.ms} ms task during the run`);
  assert.ok(afterRun.ms < TASK_LIMIT_MS, `a ${afterRun.ms} ms task after the run`);
});

test('its size: the record IndexedDB holds and the JSON download', async () => {
  const stored = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('inferbench');
        open.onerror = () => reject(String(open.error));
        open.onsuccess = () => {
          const tx = open.result.transaction('results', 'readonly');
          const all = tx.objectStore('results').getAll();
          all.onerror = () => reject(String(all.error));
          all.onsuccess = () => resolve(all.result.map((v) => (typeof v === 'string' ? v.length : -1)));
        };
      }),
  );
  assert.equal(stored.length, 1, 'one saved result');
  assert.ok(stored[0] > 0, 'a stored text');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const path = await download.path();
  const { size } = await stat(path);
  const result = JSON.parse(await (await import('node:fs/promises')).readFile(path, 'utf8'));
  const run = result.variants[0].runs[0].run;
  assert.equal(run.scenario, 'SingleStream');
  console.log(
    `# ${run.query_count.toLocaleString('en')} queries: stored record ${(stored[0] / 1e6).toFixed(1)} MB ` +
      `(${stored[0].toLocaleString('en')} characters), JSON download ${(size / 1e6).toFixed(1)} MB`,
  );
  assert.ok(run.query_count >= QUERIES, `${run.query_count} queries recorded`);
  const store = workerLog.filter((l) => l.startsWith('InferBench storage: saved'));
  for (const l of store) console.log(`# worker: ${l}`);
  assert.equal(store.length, 1, `the worker says what storing took: ${JSON.stringify(workerLog)}`);
});

test('a reload restores it: the time to the result shown, the longest main-thread task', async () => {
  workerLog.length = 0;
  await page.reload();
  const marks = await pollPage(page, () => (window.__marks.ready ? window.__marks : null), {
    timeoutMs: 120_000,
    what: 'the saved result shown after the reload, its downloads ready',
  });
  assert.match(await page.textContent('#results-title'), new RegExp(LABEL));
  await page.waitForTimeout(SETTLE_MS);
  const tasks = await page.evaluate(() => window.__longTasks);
  // Loading the page (its wasm, the first render, then its timer measured: issue 15's
  // measure, app.test.mjs) and then restoring the result (reading it in the worker,
  // putting it together, rendering).
  const loaded = Math.max(marks.setup, marks.timer ?? 0);
  const loading = longest(tasks, 0, loaded);
  const restoring = longest(tasks, loaded + 1e-3, Infinity);
  console.log(
    `# after the reload: result shown ${goal(marks.shown, RESTORE_GOAL_MS)} after the navigation ` +
      `(Setup rendered at ${marks.setup.toFixed(0)} ms, the page's timer measured at ` +
      `${(marks.timer ?? NaN).toFixed(0)} ms), summary ${marks.summary.toFixed(0)} ms, ` +
      `downloads ready ${marks.ready.toFixed(0)} ms`,
  );
  for (const l of workerLog.filter((l) => l.startsWith('InferBench storage: read'))) console.log(`# worker: ${l}`);
  const list = (ts) => (ts.length ? ` (${ts.map((t) => `${t.duration.toFixed(0)} ms at ${t.start.toFixed(0)}`).join(', ')})` : '');
  console.log(
    `# longest main-thread task while the page loaded: ${loading.ms.toFixed(0)} ms, ${loading.count} over 50 ms` +
      list(tasks.filter((t) => t.start <= loaded)),
  );
  console.log(
    `# longest main-thread task while the result was restored and rendered (to ${SETTLE_MS} ms after ` +
      `the downloads were ready): ${goal(restoring.ms, TASK_GOAL_MS)}, ${restoring.count} over 50 ms` +
      list(tasks.filter((t) => t.start > loaded)),
  );
  assert.ok(marks.shown < RESTORE_LIMIT_MS, `restored after ${marks.shown} ms`);
  assert.ok(loading.ms < TASK_LIMIT_MS, `a ${loading.ms} ms task while the page loaded`);
  assert.ok(restoring.ms < TASK_LIMIT_MS, `a ${restoring.ms} ms task while the result was restored`);
});

test('the page threw no error', async () => {
  assert.deepEqual(pageErrors, []);
});
