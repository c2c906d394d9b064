// Shared pieces of the end-to-end tests: start the page's server, launch Debian's
// headless Chromium through playwright-core, and watch that nothing leaves 127.0.0.1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` (or if `child` exits). */
export async function waitForHttp(url, timeoutMs, child, logOf) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`the server exited with status ${child.exitCode} before answering:\n${logOf()}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${logOf()}`);
}

/**
 * Starts `trunk serve` (release build, offline, loopback only) on a free port and waits
 * until the page answers. Returns { url, stop }.
 */
export async function startTrunkServe() {
  const port = await freePort();
  let log = '';
  const child = spawn(
    'trunk',
    ['serve', '--release', '--offline', '--no-autoreload', '--port', String(port), '--address', '127.0.0.1'],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const tail = () => log.split('\n').slice(-40).join('\n');
  try {
    await waitForHttp(url, 20 * 60 * 1000, child, tail);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return {
    url,
    headersOf: async (path) => (await fetch(url + path)).headers,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** Launches headless Chromium (Debian's /usr/bin/chromium) with no background networking. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Opens a page that records every request that leaves 127.0.0.1 and every page error.
 * Returns { page, foreignRequests, pageErrors }.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const foreignRequests = [];
  const pageErrors = [];
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return; // blob:, data:
    if (u.hostname !== '127.0.0.1') foreignRequests.push(req.url());
  });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return { context, page, foreignRequests, pageErrors };
}
