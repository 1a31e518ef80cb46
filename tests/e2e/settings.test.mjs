// [tool.sciguard] in a pyproject.toml tab governs the other tabs in the playground, as
// it does on the command line (ignore, per-file-ignores, exclude; a malformed table is
// reported), and the checklist page (checked in a worker too) follows the same settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, findings, newPage, paste } from './helpers.mjs';

const SETTINGS = `[tool.sciguard]
ignore = ["SCI401"]
per-file-ignores = { "scripts/*.py" = ["SCI202"] }
`;
const WITHOUT_SETTINGS = '[project]\nname = "pipeline"\n';
const MALFORMED = '[tool.sciguard]\nignore = ["NOPE1"]\n';
// Fires SCI401 (no timeout, line 5) and SCI202 (allow_pickle, line 6).
const CODE = `import numpy as np
import requests


def fetch(url, f):
    response = requests.get(url)
    return response, np.load(f, allow_pickle=True)
`;

const tabNames = (page) => page.$$eval('[role=tab]', (ts) => ts.map((t) => t.dataset.name));

async function rename(page, name) {
  await page.fill('input.tab-name', name);
  await page.press('input.tab-name', 'Enter');
  await page.waitForSelector(`[role=tab][aria-selected=true][data-name="${name}"]`);
}

async function show(page, name) {
  await page.click(`[role=tab][data-name="${name}"]`);
  await page.waitForSelector(`[role=tab][aria-selected=true][data-name="${name}"]`);
}

/** The codes reported on one tab (sorted, without repeats). */
async function codesOn(page, name) {
  await show(page, name);
  return [...new Set((await findings(page)).map((f) => f.split(':')[1]))].sort();
}

/** The finding items of the checklist page, as `file:code`. */
async function checklistFindings(page) {
  return page.$$eval('details.phase li.task', (items) => items
    .filter((li) => li.querySelector('a.rule-link'))
    .map((li) => `${li.querySelector('code.where').textContent.replace(/:\d+$/, '')}:${li.querySelector('a.rule-link').textContent}`)
    .sort());
}

/** Opens the checklist page, counting the workers it starts. */
async function openChecklist(page) {
  let workers = 0;
  const count = (worker) => { if (worker.url().endsWith('/worker.js')) workers++; };
  page.on('worker', count);
  await page.goto(base + '#/checklist');
  await page.waitForSelector('details.phase');
  page.off('worker', count);
  return { workers, items: await checklistFindings(page) };
}

async function backToPlayground(page) {
  await page.click('nav a[href="#/"]');
  await page.waitForSelector('textarea.code');
}

test('[tool.sciguard] in a pyproject.toml tab: ignore, per-file-ignores, a malformed table and exclude, in the playground and the checklist', async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  // The first tab (the starting example) becomes the pyproject.toml; two more tabs hold code.
  await rename(page, 'pyproject.toml');
  await paste(page, SETTINGS);
  for (const name of ['app/main.py', 'scripts/run.py']) {
    await page.click('button.tab-add');
    await page.waitForSelector('[role=tab][aria-selected=true][data-name^="untitled"]');
    await rename(page, name);
    await paste(page, CODE);
  }
  assert.deepEqual(await tabNames(page), ['pyproject.toml', 'app/main.py', 'scripts/run.py']);

  const main = await codesOn(page, 'app/main.py');
  const run = await codesOn(page, 'scripts/run.py');
  console.log(`with [tool.sciguard]: app/main.py ${main.join(' ')}; scripts/run.py ${run.join(' ') || 'nothing'}`);
  assert.ok(!main.includes('SCI401'), `ignore = ["SCI401"]: ${main}`);
  assert.ok(!run.includes('SCI401'), `ignore = ["SCI401"]: ${run}`);
  assert.ok(main.includes('SCI202'), `SCI202 on app/main.py: ${main}`);
  assert.ok(!run.includes('SCI202'), `per-file-ignores for scripts/*.py: ${run}`);
  assert.deepEqual(await codesOn(page, 'pyproject.toml'), []);

  // The checklist page checks the same tabs in a worker, with the same settings.
  await page.waitForTimeout(400); // the tabs are kept after the debounce
  const governed = await openChecklist(page);
  console.log(`checklist with [tool.sciguard]: ${governed.items.join(', ')} (${governed.workers} worker)`);
  assert.equal(governed.workers, 1, 'the checklist page checks in a worker');
  assert.ok(governed.items.includes('app/main.py:SCI202'), governed.items.join(', '));
  assert.deepEqual(governed.items.filter((i) => i.endsWith(':SCI401') || i === 'scripts/run.py:SCI202'), []);

  // Without the table, every finding comes back, on both pages.
  await backToPlayground(page);
  await show(page, 'pyproject.toml');
  await paste(page, WITHOUT_SETTINGS);
  const mainAfter = await codesOn(page, 'app/main.py');
  const runAfter = await codesOn(page, 'scripts/run.py');
  console.log(`without it: app/main.py ${mainAfter.join(' ')}; scripts/run.py ${runAfter.join(' ')}`);
  for (const code of ['SCI202', 'SCI401']) {
    assert.ok(mainAfter.includes(code), `${code} on app/main.py: ${mainAfter}`);
    assert.ok(runAfter.includes(code), `${code} on scripts/run.py: ${runAfter}`);
  }
  await page.waitForTimeout(400);
  const ungoverned = await openChecklist(page);
  for (const item of ['app/main.py:SCI401', 'scripts/run.py:SCI401', 'scripts/run.py:SCI202']) {
    assert.ok(ungoverned.items.includes(item), `${item} on the checklist: ${ungoverned.items.join(', ')}`);
  }

  // A malformed table is reported on its pyproject.toml, naming the key, and not applied.
  await backToPlayground(page);
  await show(page, 'pyproject.toml');
  await paste(page, MALFORMED);
  assert.deepEqual(await findings(page), ['1:SCI000']);
  const message = await page.textContent('button.finding[data-code="SCI000"] .msg');
  console.log(`malformed: SCI000 says "${message}"`);
  assert.match(message, /\bignore\b/);
  assert.match(message, /NOPE1/);
  assert.ok((await codesOn(page, 'app/main.py')).includes('SCI401'), 'settings that cannot be honoured are not applied');

  // An excluded file gets no report, and each other tab keeps its own findings.
  await show(page, 'pyproject.toml');
  await paste(page, '[tool.sciguard]\nexclude = ["app/"]\n');
  assert.deepEqual(await findings(page), []);
  assert.deepEqual(await codesOn(page, 'scripts/run.py'), ['SCI202', 'SCI401']);
  assert.deepEqual(await codesOn(page, 'app/main.py'), []);
  assert.equal(await page.$('[role=tab][data-name="app/main.py"] .badge'), null, 'an excluded tab has no count');
  assert.match(await page.textContent('.status'), /2 files checked/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the checklist page shows that it is checking until the worker answers', async () => {
  const { context, page } = await newPage();
  await context.addInitScript((code) => {
    localStorage.setItem('sciguard.playground.files', JSON.stringify({ active: 0, files: [{ path: 'app/main.py', text: code, kind: null }] }));
  }, CODE);
  // Hold the worker's script back so that the waiting state can be seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/worker.js', async (route) => { await held; await route.continue(); });
  await page.goto(base + '#/checklist');
  await page.waitForSelector('.checklist .checking');
  assert.match(await page.textContent('.checklist'), /Checking the playground's files/);
  assert.equal(await page.$('details.phase'), null);
  release();
  await page.waitForSelector('details.phase');
  assert.equal(await page.$('.checklist .checking'), null);
  assert.ok((await checklistFindings(page)).includes('app/main.py:SCI401'));
  assert.deepEqual(page.errors, []);
  await context.close();
});
