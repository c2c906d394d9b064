// End-to-end: the page built by trunk and served by `trunk serve` shows what a person
// expects: the product's name, a measured timer resolution, and cross-origin isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, startTrunkServe, launchBrowser, openPage } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startTrunkServe();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('trunk serve sends the cross-origin isolation headers', async () => {
  const headers = await server.headersOf('');
  assert.equal(headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(headers.get('cross-origin-embedder-policy'), 'require-corp');
});

test('the page renders its title, a measured timer resolution and isolation on', async () => {
  const { page, foreignRequests, pageErrors } = await openPage(browser);
  await page.goto(server.url);
  await page.waitForSelector('h1', { timeout: 60_000 });
  assert.equal(await page.title(), 'InferBench');
  assert.equal((await page.textContent('h1')).trim(), 'InferBench');

  const resolution = page.locator('#timer-resolution');
  const ms = await resolution.getAttribute('data-ms');
  assert.ok(ms !== null, `no measured resolution shown: "${await resolution.textContent()}"`);
  const value = Number(ms);
  assert.ok(Number.isFinite(value) && value > 0, `timer resolution is not a positive number: ${ms}`);
  // Cross-origin isolated Chromium ticks at 5 us; 100 us would mean isolation failed.
  assert.ok(value < 0.05, `timer resolution ${value} ms is too coarse for an isolated page`);
  assert.match(await resolution.textContent(), /µs/);

  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  assert.equal(await page.locator('#isolation').getAttribute('data-isolated'), 'true');

  await page.screenshot({ path: join(ARTIFACTS, 'foundation.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(foreignRequests, []);
});
