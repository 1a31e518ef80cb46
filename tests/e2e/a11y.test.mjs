// Accessibility: axe-core (from npm) on every route of the site, in light and dark
// colours. Any violation fails the test, with its rule, impact and the elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { base, newPage } from './helpers.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// Each route, with what shows that it has drawn (and, for some, what to open first).
const ROUTES = [
  ['#/', '.status'],
  // The rule settings pane, open, with an entry that names no rule and its message.
  ['#/', '.status', async (page) => {
    await page.click('details.settings-pane summary');
    await page.fill('input.settings-select', 'SCI9');
    await page.waitForSelector('.settings-error');
  }],
  ['#/playbook', 'article.prose h1'],
  ['#/rules', '.rule-list'],
  ['#/rules/SCI202', 'article.rule-page'],
  ['#/checklist', '.checklist'],
  ['#/learn', '.exercise'],
  ['#/policies', '.policy-form'],
  ['#/embedding', 'pre.snippet'],
  ['#/embed?example=edges', '.embed-head'],
  ['#/no-such-page', '.not-found'],
];

for (const scheme of ['light', 'dark']) {
  test(`axe finds no violation on any route (${scheme})`, async () => {
    // axe is injected as a script, which the site's CSP forbids: bypassed for this test only.
    const { page } = await newPage({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, bypassCSP: true });
    const report = [];
    for (const [route, ready, prepare] of ROUTES) {
      await page.goto(`${base}${route}`);
      await page.waitForSelector(ready, { timeout: 30000 });
      if (prepare) await prepare(page);
      // Findings and checks settle before the page is judged.
      await page.waitForFunction(() => !/checking/.test(document.body.textContent), null, { timeout: 30000 }).catch(() => {});
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      for (const v of result) report.push(`${route} ${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
    }
    console.log(`axe ${scheme}: ${ROUTES.length} routes, ${report.length} violations`);
    assert.deepEqual(report, []);
  });
}
