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

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

/**
 * Serves the directory `root` (e.g. dist/) under the URL path `mount` (e.g. '/some/sub/path/')
 * on 127.0.0.1, as a plain static host does: files only, no COOP/COEP headers unless given in
 * `headers`. Returns { url, stop, requests } where `requests` lists every path asked for.
 */
export async function startStaticServer(root, { mount = '/', headers = {} } = {}) {
  const { createServer: createHttpServer } = await import('node:http');
  const { readFile, stat } = await import('node:fs/promises');
  const { extname, normalize, join: joinPath } = await import('node:path');
  const requests = [];
  const server = createHttpServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    requests.push(path);
    if (path === mount.replace(/\/$/, '')) {
      res.writeHead(301, { Location: mount });
      return res.end();
    }
    if (!path.startsWith(mount)) {
      res.writeHead(404);
      return res.end('not found');
    }
    let file = normalize(joinPath(root, path.slice(mount.length)));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403);
      return res.end();
    }
    try {
      if ((await stat(file)).isDirectory()) file = joinPath(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Builds the static site (`trunk build --release --offline`) into dist/, once per test run. */
export async function buildDist() {
  let log = '';
  const child = spawn('trunk', ['build', '--release', '--offline'], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const status = await new Promise((resolve) => child.on('exit', resolve));
  if (status !== 0) {
    throw new Error(`trunk build failed (status ${status}):\n${log.split('\n').slice(-40).join('\n')}`);
  }
  return join(ROOT, 'dist');
}

/**
 * Records every main-thread task longer than 50 ms (the Long Tasks API) in
 * `window.__longTasks` as { start, duration } in ms; call before the page loads.
 */
export async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      window.__longTasks = null; // not supported: reported as such by the test
    }
  });
}

/**
 * Polls `fn` in the page (surviving reloads) until it returns a truthy value; `arg`, when
 * given, is passed to `fn`.
 */
export async function pollPage(page, fn, { timeoutMs = 60_000, what = 'the condition', arg } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch {
      // the page is navigating (e.g. the service worker's reload)
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last value: ${JSON.stringify(last)})`);
}

/**
 * Records, for every canvas, the box of each text drawn on it by `fillText` at its current
 * bitmap size (measured with the browser's own font metrics and the context's transform), in
 * `window.__canvasTexts` (a Map from canvas to { size, boxes }); call before the page loads.
 */
export async function recordCanvasText(page) {
  await page.addInitScript(() => {
    const texts = new Map();
    window.__canvasTexts = texts;
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
      const c = this.canvas;
      const size = `${c.width}x${c.height}`;
      let entry = texts.get(c);
      if (!entry || entry.size !== size) {
        entry = { size, boxes: [] };
        texts.set(c, entry);
      }
      const m = this.measureText(text);
      const t = this.getTransform();
      const points = [];
      for (const px of [x - m.actualBoundingBoxLeft, x + m.actualBoundingBoxRight]) {
        for (const py of [y - m.actualBoundingBoxAscent, y + m.actualBoundingBoxDescent]) {
          points.push(t.transformPoint(new DOMPoint(px, py)));
        }
      }
      entry.boxes.push({
        text: String(text),
        x0: Math.min(...points.map((p) => p.x)),
        x1: Math.max(...points.map((p) => p.x)),
        y0: Math.min(...points.map((p) => p.y)),
        y1: Math.max(...points.map((p) => p.y)),
      });
      return fillText.call(this, text, x, y, maxWidth);
    };
  });
}

/**
 * Once every chart canvas on the page has been drawn at its current size: the texts drawn
 * outside their canvas (more than 1 px out), as strings, and how many texts were checked.
 * Returns null while some canvas still waits for its drawing at the current size.
 */
export function canvasTextOverflow() {
  const canvases = [...document.querySelectorAll('canvas.chart')];
  const ratio = window.devicePixelRatio || 1;
  let checked = 0;
  const outside = [];
  for (const c of canvases) {
    const entry = window.__canvasTexts.get(c);
    const laidOut = c.width === Math.round(c.clientWidth * ratio) && c.width > 0;
    if (!laidOut || !entry || entry.size !== `${c.width}x${c.height}`) return null;
    for (const b of entry.boxes) {
      checked++;
      if (b.x0 < -1 || b.y0 < -1 || b.x1 > c.width + 1 || b.y1 > c.height + 1) {
        const id = c.closest('figure')?.id ?? '?';
        outside.push(
          `${id} (${c.width}x${c.height}): "${b.text}" at x ${b.x0.toFixed(0)}..${b.x1.toFixed(0)}, ` +
            `y ${b.y0.toFixed(0)}..${b.y1.toFixed(0)}`,
        );
      }
    }
  }
  return { canvases: canvases.length, checked, outside };
}

/**
 * Form controls (and buttons) that have no accessible name, from Chromium's accessibility
 * tree: each as "role: description". Hidden controls (folded sections) are not in the tree.
 */
export async function unlabelledControls(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const roles = new Set(['textbox', 'checkbox', 'radio', 'combobox', 'button', 'spinbutton', 'slider', 'listbox', 'searchbox']);
  return nodes
    .filter((n) => !n.ignored && roles.has(n.role?.value) && !(n.name?.value ?? '').trim())
    .map((n) => `${n.role.value}: ${JSON.stringify(n.properties?.map((p) => p.name) ?? [])}`);
}

/** The files of `dist` with their sizes raw and gzipped (level 9): [{ name, raw, gzip }]. */
export async function distSizes(dist) {
  const { readdir, readFile } = await import('node:fs/promises');
  const { gzipSync } = await import('node:zlib');
  const out = [];
  for (const name of await readdir(dist)) {
    if (!/\.(wasm|js|css|html)$/.test(name)) continue;
    const body = await readFile(join(dist, name));
    out.push({ name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return out;
}
