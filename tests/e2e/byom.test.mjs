// End-to-end: "Your model" in the built static site, in headless Chromium.
// - Each bad file class (tests/fixtures/byom/bad/, made by scripts/gen_byom_fixtures.py) gives
//   its message next to the field, as text, and Run stays disabled; a file over 64 MiB is
//   refused on its size before it is read.
// - The PyTorch-layout file (nn.Sequential's state_dict names, F32) loads: its description
//   (layers, parameters, bytes, FLOPs, fingerprint) shows before Run; a quick run of every
//   scenario with all four variants completes, and the result records the file and the
//   fingerprint, with the accuracy Python printed for f32-naive and f32-fast.
// - A model of another shape says it runs on synthetic inputs, accuracy not measured.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, buildDist, startStaticServer, launchBrowser, openPage, pollPage } from './harness.mjs';

const SUB_PATH = '/byom/';
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'byom');

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
  await pollPage(page, () => self.crossOriginIsolated === true && !!document.querySelector('#model-file-input'), {
    what: 'the isolated page',
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Picks `path` (under tests/fixtures/byom) in the model file input. */
async function pick(path) {
  const name = path.split('/').pop();
  await page.setInputFiles('#model-file-input', {
    name,
    mimeType: 'application/octet-stream',
    buffer: await readFile(join(FIXTURES, path)),
  });
}

/** The message next to "Your model", once the file has been read. */
async function fieldMessage() {
  return pollPage(
    page,
    () => {
      const t = document.querySelector('#field-model-file-error')?.textContent ?? '';
      return t && !t.startsWith('Reading') ? t : null;
    },
    { timeoutMs: 30_000, what: 'the model file message' },
  );
}

/** Python's correct count (scripts/gen_byom_fixtures.py) from expected.safetensors' header. */
async function pythonCorrect() {
  const bytes = await readFile(join(FIXTURES, 'expected.safetensors'));
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  return { correct: Number(header.__metadata__.correct), total: Number(header.__metadata__.total) };
}

test('each bad model file gives its message as text, and Run stays disabled', async () => {
  await page.fill('#field-label', 'E2E byom');
  const cases = [
    ['bad/batchnorm.safetensors', /tensor '1\.num_batches_tracked' is not a dense layer's weight or bias \(it looks like a BatchNorm layer's statistics/i],
    ['bad/conv.safetensors', /tensor '0\.weight' has shape \[4, 1, 3, 3\]: a dense layer's weight is 2-D; this looks like a convolution's kernel/i],
    ['bad/chain.safetensors', /tensor '2\.weight' takes 16 inputs but the layer before it \('0\.weight'\) gives 32 outputs/i],
    ['bad/nan.safetensors', /tensor '0\.weight' holds NaN at \[3, 17\]/i],
    ['bad/inf-f16.safetensors', /tensor '0\.bias' holds inf at \[4\]/i],
    ['bad/int8.safetensors', /tensor '0\.weight' is 'I8'/i],
    ['bad/too-deep.safetensors', /the file has 65 dense layers: InferBench imports at most 64/i],
    ['bad/too-wide.safetensors', /tensor '0\.weight' has shape \[40000, 1\]: every layer needs 1 to 32768/i],
    ['bad/transposed.safetensors', /add the metadata weight_layout = in_out/i],
    ['bad/tanh.safetensors', /metadata activation = 'tanh' cannot be used/i],
    ['bad/not-safetensors.safetensors', /is not a valid safetensors file/i],
    ['bad/truncated.safetensors', /the file is truncated or padded/i],
    ['bad/hostile-name.safetensors', /tensor '<img src=x onerror=alert\(1\)>\\u\{1b\}\[31m'/i],
  ];
  for (const [path, expected] of cases) {
    await pick(path);
    const message = await fieldMessage();
    assert.match(message, expected, path);
    assert.ok(message.startsWith(path.split('/').pop()), `${path}: names the file: ${message}`);
    assert.equal(await page.locator('#run').isDisabled(), true, path);
  }
  assert.equal(await page.locator('#field-model-file img').count(), 0, 'file text is never HTML');
  // A file over the limit is refused on its size (dropped, as a user would).
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(64 * 1024 * 1024 + 1)], 'huge.safetensors'));
    const zone = document.querySelector('#model-file-drop');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  });
  assert.match(await fieldMessage(), /^huge\.safetensors: The model file has 67108865 bytes, over the 64 MiB limit/);
  // Back to the preset: the page runs the built-in model again.
  await page.click('#model-file-clear');
  assert.equal(await page.locator('#field-model-file-error').count(), 0);
  assert.equal(await page.locator('#run').isDisabled(), false);
});

test('a model of another shape runs on synthetic inputs, accuracy not measured', async () => {
  await pick('other-shape.safetensors');
  await pollPage(page, () => !!document.querySelector('#model-file-description'), { what: 'the description' });
  assert.match(await page.textContent('#model-file-inputs'), /takes 20 inputs and gives 3 classes.*synthetic inputs, and its accuracy is not measured/);
  // Every variant's kernel takes the model's shape: nothing stops Run.
  assert.equal(await page.locator('#model-file-unsupported').count(), 0);
  assert.doesNotMatch(await page.textContent('#plan-summary'), /^To run, fix/);
  assert.equal(await page.locator('#run').isDisabled(), false);
});

test('the PyTorch-layout model is described before Run, runs every scenario and variant, with Python\'s accuracy', async () => {
  await pick('sequential-mlp.safetensors');
  await pollPage(page, () => !!document.querySelector('#model-file-description'), { what: 'the description' });
  const description = await page.textContent('#model-file-description');
  for (const fact of ['sequential-mlp.safetensors', '64-32-10', '2,410', '9,640', '4,736', 'F32', 'N.weight, N.bias']) {
    assert.ok(description.includes(fact), `${fact} in ${description}`);
  }
  const fingerprint = description.match(/Weight fingerprint([0-9a-f]{16})/)?.[1];
  assert.ok(fingerprint, description);
  assert.match(await page.textContent('#model-file-inputs'), /runs on the digits test split, and accuracy mode measures its accuracy/);
  for (const v of ['int8', 'pruned']) await page.check(`#variant-${v}`);
  assert.equal(await page.locator('.field-error').count(), 0);
  assert.match(await page.textContent('#plan-summary'), /^21 tasks, at least \d+ s plus a clock check: for each of 4 variants, accuracy mode and 4 scenarios/);
  await page.click('#run');
  await pollPage(
    page,
    () => (document.querySelector('#results-title')?.textContent ?? '').includes('E2E byom'),
    { timeoutMs: 240_000, what: 'the run to finish' },
  );
  assert.match(await page.textContent('#results'), /imported model sequential-mlp\.safetensors/);
  // The worker renders the report after the verdict's bootstrap (seconds for four variants);
  // the downloaded result is the JSON the report embeds.
  await pollPage(page, () => document.querySelector('#report-pending') === null, {
    timeoutMs: 180_000,
    what: 'the report',
  });
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const result = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(result.status, 'completed');
  assert.equal(result.plan.model_file.file_name, 'sequential-mlp.safetensors');
  assert.equal(result.plan.model_file.fingerprint, fingerprint);
  assert.equal(result.model.fingerprint, fingerprint);
  assert.deepEqual(result.model.description.layer_sizes, [64, 32, 10]);
  assert.deepEqual(result.variants.map((v) => v.variant), ['f32-naive', 'f32-fast', 'int8', 'pruned']);
  const python = await pythonCorrect();
  for (const v of result.variants) {
    assert.equal(v.runs.length, 4, v.variant);
    const acc = v.accuracy.accuracy;
    assert.equal(acc.total, python.total, v.variant);
    if (v.variant === 'f32-naive' || v.variant === 'f32-fast') {
      assert.equal(acc.correct, python.correct, `${v.variant}: Python printed ${python.correct} of ${python.total}`);
    }
  }
  const preview = await page.textContent('#report');
  assert.ok(preview.includes('imported from'), 'the report says where the model came from');
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
});
