// Shared set-up for the browser tests: serves the built dist/ under a sub-path,
// starts Debian's Chromium through playwright-core, and checks afterwards that no
// request left 127.0.0.1. Importing this module registers the before/after hooks.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
// The JS package's web build (`cargo xtask npm`), and the plain page that loads it.
const npmWeb = path.resolve(process.env.SCIGUARD_NPM_DIR || path.resolve(here, '../../target/npm'), 'web');
const npmPage = path.resolve(here, 'fixtures/npm-page');
export const artifacts = path.resolve(here, '../../target/e2e-artifacts');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.md': 'text/markdown; charset=utf-8', '.py': 'text/plain' };
// The site under a sub-path, as on a wiki or intranet host; a plain page outside the site
// that loads the JS package's web build; the benchmark's page, inputs and the peer it is
// timed against (installed from npm) under /e2e/.
const mounts = [
  ['/tools/sciguard/', dist],
  ['/npm/pkg/', npmWeb],
  ['/npm/', npmPage],
  ['/e2e/bench/', path.join(here, 'fixtures/bench')],
  ['/e2e/ruff-wasm-web/', path.join(here, 'node_modules/@astral-sh/ruff-wasm-web')],
];

let server, browser;
/** Where the site is served (set before the first test; a live binding). */
export let base;
/** Where the plain page loading the JS package is served. */
export let npmBase;
/** The server's origin, for pages outside the site (the benchmark's). */
export let origin;
const requests = [];

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount) { res.writeHead(404); res.end(); return; }
    const [prefix, root] = mount;
    let file = path.join(root, url.pathname.slice(prefix.length) || 'index.html');
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  base = `${origin}/tools/sciguard/`;
  npmBase = `${origin}/npm/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  const outside = requests.filter((u) => !u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(outside, [], 'requests left 127.0.0.1');
});

export async function newPage(options = {}) {
  const context = await browser.newContext(options);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  const page = await context.newPage();
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.errors = errors;
  return { context, page };
}

export async function paste(page, text) {
  // Setting the value and dispatching `input` is how a large paste arrives, and is fast.
  await page.evaluate((t) => {
    const area = document.querySelector('textarea.code');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  // The page has taken the new text once it says it is checking it (or that it won't).
  await page.waitForFunction(() => /checking|does not check/.test(document.querySelector('.status').textContent), null, { timeout: 60000 });
}

export async function findings(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('.status');
    return s && /checked in/.test(s.textContent);
  }, null, { timeout: 30000 });
  return page.$$eval('button.finding', (bs) => bs.map((b) => `${b.dataset.line}:${b.dataset.code}`));
}

