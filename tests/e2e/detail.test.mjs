// The selected finding: its line is centred in the editor and marked, Esc closes its
// detail, filters that hide everything say so, and "Suppress with # noqa" works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, newPage, paste, findings } from './helpers.mjs';

const LONG = 'import numpy as np\n' + 'x = 1\n'.repeat(148) + 'data = np.load(path, allow_pickle=True)\n' + 'y = 2\n'.repeat(100);

test('selecting a finding centres and marks its line; Esc closes the detail', async () => {
  const { page } = await newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, LONG);
  assert.deepEqual(await findings(page), ['150:SCI202']);
  await page.click('button.finding[data-code="SCI202"]');
  await page.waitForSelector('.detail');
  const [top, height] = await page.$eval('.editor-scroll', (e) => [e.scrollTop, e.clientHeight]);
  const lineTop = 149 * 20;
  // The line sits in the middle third of the editor, not at an edge or above it.
  assert.ok(lineTop - top > height / 3 && lineTop - top < (2 * height) / 3, `line at ${lineTop - top}px of ${height}px`);
  assert.equal(await page.textContent('.gutter .ln.current'), '150');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.detail', { state: 'detached' });
  assert.equal(await page.$('.gutter .ln.current'), null);
});

test('filters that hide every finding say so and can be cleared', async () => {
  const { page } = await newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, 'import numpy as np\nx = np.load(p, allow_pickle=True)\n');
  assert.deepEqual(await findings(page), ['2:SCI202']);
  await page.selectOption('select[aria-label="Filter by severity"]', 'low');
  await page.waitForSelector('.empty-filter');
  assert.match(await page.textContent('.empty-filter'), /None of the 1 findings match/);
  await page.click('button.show-all');
  await page.waitForSelector('button.finding[data-code="SCI202"]');
});

test('"Suppress with # noqa" adds the comment and the finding goes', async () => {
  const { page } = await newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, 'import numpy as np\nx = np.load(p, allow_pickle=True)\n');
  assert.deepEqual(await findings(page), ['2:SCI202']);
  await page.click('button.finding[data-code="SCI202"]');
  await page.click('.detail button.suppress-noqa');
  await page.waitForFunction(() => /0 findings/.test(document.querySelector('.status').textContent), null, { timeout: 30000 });
  assert.equal(await page.inputValue('textarea.code'), 'import numpy as np\nx = np.load(p, allow_pickle=True)  # noqa: SCI202\n');
});
