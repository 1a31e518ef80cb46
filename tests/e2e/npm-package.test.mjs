// The JS package's web build (target/npm/web, `cargo xtask npm`) in a plain page outside
// the site: it loads as an ES module, checks a snippet, and throws on bad arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, npmBase } from './helpers.mjs';

test('a plain page loads the web package and checks a snippet', async () => {
  const { context, page } = await newPage();
  await page.goto(npmBase);
  await page.waitForFunction(() => !/loading/.test(document.querySelector('#status').textContent), null, { timeout: 60000 });
  const status = await page.textContent('#status');
  assert.match(status, /^sciguard \d+\.\d+\.\d+: 3 findings$/, status);
  const found = await page.$$eval('#findings li', (items) => items.map((i) => `${i.dataset.line}:${i.dataset.code}`));
  assert.deepEqual(found, ['6:SCI201', '9:SCI218', '9:SCI401']);
  // Wrong argument types are an Error with a message, and the module keeps working.
  const thrown = await page.evaluate(() => {
    try { window.sciguard.check('snippet.py'); return 'no error'; } catch (e) { return `${e instanceof Error} ${e.message}`; }
  });
  assert.match(thrown, /^true sciguard\.check: files must be an array/);
  const again = await page.evaluate(() => window.sciguard.check([{ name: 'a.py', content: 'eval(input())\n' }]).findings.map((f) => f.code));
  assert.ok(again.length > 0, 'checks after an error');
  assert.deepEqual(page.errors, []);
  await context.close();
});
