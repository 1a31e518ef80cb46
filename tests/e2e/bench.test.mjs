// Browser benchmark: sciguard's engine (the site's wasm, every rule) against ruff-wasm-web
// (`select: ["S"]`) in Chromium, on the same real 1,000- and 5,000-line files
// (fixtures/bench/, see its LICENSES.md), warm, alternating. It prints medians and the
// ratio; it asserts only that both engines produced results (timings vary by machine).
// Targets (issue 15): sciguard <= 0.33x ruff-wasm, and <= 16 ms median at 1,000 lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, origin } from './helpers.mjs';

const inputs = [
  { name: 'numpy_shape_base.py', warm: 5, reps: 40 },
  { name: 'sympy_lti.py', warm: 3, reps: 15 },
];

test('times sciguard and ruff-wasm on real files and prints medians and the ratio', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(`${origin}/e2e/bench/index.html`);
    await page.waitForFunction(() => window.benchReady, null, { timeout: 30000 });
    const rows = [];
    for (const { name, warm, reps } of inputs) {
      const r = await page.evaluate(([n, w, k]) => window.bench(n, w, k), [name, warm, reps]);
      assert.ok(Number.isInteger(r.sciguard.findings), `sciguard gave no result for ${name}`);
      assert.ok(Number.isInteger(r.ruff.findings), `ruff-wasm gave no result for ${name}`);
      rows.push({ name, reps, ...r });
    }
    const ms = (x) => x.toFixed(1).padStart(7);
    const lines = [
      'browser benchmark (Chromium, warm, alternating; median and min of each)',
      'file                   lines  reps  sciguard ms (min)   ruff-wasm ms (min)   ratio  findings sg/ruff',
      ...rows.map((r) => `${r.name.padEnd(22)} ${String(r.lines).padStart(5)} ${String(r.reps).padStart(5)}  `
        + `${ms(r.sciguard.median)} (${ms(r.sciguard.min)})  ${ms(r.ruff.median)} (${ms(r.ruff.min)})  `
        + `${(r.sciguard.median / r.ruff.median).toFixed(2).padStart(5)}  ${r.sciguard.findings}/${r.ruff.findings}`),
      'targets: ratio <= 0.33, sciguard <= 16 ms median at 1,000 lines',
    ];
    console.log(lines.join('\n'));
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
