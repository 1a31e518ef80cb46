// First-paint budgets of the site (issue 14), printed, not asserted as timings:
// - total wasm + JS shipped, gzip-compressed (budget 1.0 MB);
// - cold first findings: a fresh browser context (empty cache) opens the playground on
//   loopback, and the time from navigation start to the first "checked in" status is
//   taken in the page (budget 500 ms); also when the loading placeholder is replaced.
// It asserts what must hold whatever the machine: the placeholder is in the HTML before
// any script runs, it is gone once the app is up, and the first check completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { newPage, base, here } from './helpers.mjs';

const dist = path.resolve(here, '../../dist');

test('prints the gzip size of the wasm and JS the site ships', () => {
  const shipped = fs.readdirSync(dist).filter((f) => /\.(wasm|js)$/.test(f));
  assert.ok(shipped.some((f) => f.endsWith('.wasm')), 'dist/ has no .wasm');
  let total = 0;
  const rows = shipped.map((f) => {
    const bytes = fs.readFileSync(path.join(dist, f));
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    total += gz;
    return `${f.padEnd(26)} ${(bytes.length / 1e6).toFixed(2).padStart(6)} MB raw ${(gz / 1e6).toFixed(3).padStart(7)} MB gzip`;
  });
  console.log(['site size (wasm + JS)', ...rows,
    `total ${(total / 1e6).toFixed(3)} MB gzip (budget 1.0 MB)`].join('\n'));
});

test('the loading placeholder is in the page before the app and replaced by it', async () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  assert.match(html, /id="loading"[^>]*role="status"/, 'index.html has no loading placeholder');
  const { context, page } = await newPage();
  try {
    await page.goto(base);
    await page.waitForSelector('textarea.code');
    await page.waitForFunction(() => !document.getElementById('loading'));
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('prints cold first findings on loopback', async () => {
  const runs = 5;
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newPage();
    try {
      // Times taken in the page: when the app replaced the placeholder, and when the first
      // check's status appeared.
      await page.addInitScript(() => {
        window.__budget = {};
        new MutationObserver(() => {
          const b = window.__budget;
          if (b.app === undefined && document.querySelector('textarea.code')) b.app = performance.now();
          const s = document.querySelector('.status');
          if (b.findings === undefined && s && /checked in/.test(s.textContent)) b.findings = performance.now();
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.goto(base);
      await page.waitForFunction(() => window.__budget.findings !== undefined, null, { timeout: 30000 });
      const found = await page.$$eval('button.finding', (bs) => bs.length);
      assert.ok(found > 0, 'the first example gave no findings');
      rows.push(await page.evaluate(() => window.__budget));
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (x) => `${Math.round(x)} ms`;
  console.log([
    `cold first paint (fresh context each run, ${runs} runs, loopback)`,
    `app shown:      median ${ms(median(rows.map((r) => r.app)))}`,
    `first findings: median ${ms(median(rows.map((r) => r.findings)))} (budget 500 ms); runs: ${rows.map((r) => Math.round(r.findings)).join(', ')}`,
  ].join('\n'));
});
