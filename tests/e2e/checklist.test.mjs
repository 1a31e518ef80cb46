// The checklist page against the built dist/: the plan for what the playground holds,
// ticks that survive edits and reloads, Markdown export, scorecard on both pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, base, findings, here, newPage, paste } from './helpers.mjs';

const INGESTION = fs.readFileSync(path.resolve(here, '../../crates/sciguard/tests/fixtures/checklist/ingestion.py'), 'utf8');

async function openChecklist(page) {
  await page.goto(base + '#/checklist');
  await page.waitForSelector('details.phase');
}

/** `code@line` of the finding items of one phase, in page order. */
function phaseFindings(page, key) {
  return page.$$eval(`details.phase[data-phase="${key}"] li.task`, (items) => items
    .filter((li) => li.querySelector('a.rule-link'))
    .map((li) => `${li.querySelector('a.rule-link').textContent}@${li.querySelector('code.where').textContent.split(':').pop()}`));
}

function progress(page, key) {
  return page.textContent(`details.phase[data-phase="${key}"] summary .progress`);
}

function scoreNumbers(page) {
  return page.$$eval('.scorecard .score-tile', (tiles) => tiles.map((t) => `${t.dataset.pillar} ${t.querySelector('.score-level').textContent} ${t.querySelector('.score-numbers').textContent}`));
}

const EXPECTED_SCORES = [
  'boundaries Fair 20.3 per 1,000 lines · 2 findings',
  'edges Poor 304.6 per 1,000 lines · 7 findings',
  'feedback Needs work 50.8 per 1,000 lines · 2 findings',
  'failure Poor 126.9 per 1,000 lines · 5 findings',
];

test('an ingestion script becomes a phased plan; ticks survive an edit and a reload; Markdown export', async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, INGESTION);
  assert.equal((await findings(page)).length, 16);
  // The scorecard on the playground: the same numbers as the CLI (see tests/checklist.rs).
  assert.deepEqual(await scoreNumbers(page), EXPECTED_SCORES);

  await page.click('nav a[href="#/checklist"]');
  await page.waitForSelector('details.phase');
  assert.deepEqual(await scoreNumbers(page), EXPECTED_SCORES, 'the checklist page shows the same scorecard');
  assert.match(await page.textContent('h1'), /Rollout checklist: Ingestion workflow/);
  assert.deepEqual(await page.$$eval('details.phase summary .phase-title', (s) => s.map((e) => e.textContent)), [
    'Phase 1: Start with one workflow',
    'Phase 2: Observability before optimisation',
    'Phase 3: Guardrails at edges',
    'Phase 4: Failure planning',
    'Phase 5: Explicit boundaries',
    'Pull request "done" checklist',
    'Retrospective template',
  ]);
  assert.deepEqual(await phaseFindings(page, 'observability'), ['SCI302@27', 'SCI303@28']);
  assert.deepEqual(await phaseFindings(page, 'guardrails'),
    ['SCI210@40', 'SCI201@70', 'SCI203@74', 'SCI202@78', 'SCI217@140', 'SCI224@30', 'SCI229@131']);
  assert.deepEqual(await phaseFindings(page, 'failure-planning'), ['SCI401@48', 'SCI404@56', 'SCI404@63', 'SCI405@146', 'SCI405@168']);
  assert.deepEqual(await phaseFindings(page, 'boundaries'), ['SCI104@120', 'SCI106@23']);
  assert.equal((await page.$$('details.phase[data-phase="pull-request"] li.task')).length, 7);

  // Tick the first guardrail (the unsafe YAML load, line 40) and a standing item.
  await page.click('details.phase[data-phase="guardrails"] li.task >> nth=0 >> input[type=checkbox]');
  await page.click('li.task[data-id="std-logger-per-module"] input[type=checkbox]');
  assert.equal(await progress(page, 'guardrails'), '1 / 7');
  assert.equal(await progress(page, 'observability'), '1 / 5');
  await page.screenshot({ path: path.join(artifacts, 'checklist.png'), fullPage: true });

  // Edit the code above the finding, in the playground: every line moves down by one.
  await page.click('nav a[href="#/"]');
  await page.waitForSelector('textarea.code');
  await paste(page, '# Reviewed by the data platform team\n' + INGESTION);
  await findings(page);
  await openChecklist(page);
  await page.reload();
  await page.waitForSelector('details.phase');
  assert.deepEqual((await phaseFindings(page, 'guardrails')).slice(0, 2), ['SCI210@41', 'SCI201@71']);
  const ticked = await page.$$eval('li.task input:checked', (boxes) => boxes.map((b) => {
    const li = b.closest('li');
    return li.querySelector('code.where')?.textContent ?? li.dataset.id;
  }));
  // Pasted text lives in the playground's first tab, named `untitled` (its kind is detected).
  assert.deepEqual(ticked, ['std-logger-per-module', 'untitled:41']);
  assert.equal(await progress(page, 'guardrails'), '1 / 7');

  // Copy as Markdown: GitHub task lists with the ticks.
  await page.click('button.copy-md');
  const markdown = await page.inputValue('textarea.markdown-out');
  assert.match(markdown, /^# Rollout plan: Ingestion workflow\n/);
  assert.ok(markdown.includes('- [x] `untitled:41` SCI210 `yaml-unsafe-load` (high): '), markdown);
  assert.ok(markdown.includes('- [x] Each module in the workflow logs through'), markdown);
  assert.ok(markdown.includes('- [ ] `untitled:71` SCI201 '), markdown);
  const clipboard = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null);
  if (clipboard !== null) assert.equal(clipboard, markdown);

  // Download .md: the same text, as a file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.download-md')]);
  assert.equal(download.suggestedFilename(), 'sciguard-checklist-ingestion.md');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), markdown);

  // Unticking works and is kept too.
  await page.click('li.task[data-id="std-logger-per-module"] input[type=checkbox]');
  await page.reload();
  await page.waitForSelector('details.phase');
  assert.equal(await progress(page, 'observability'), '0 / 5');
  assert.equal(await progress(page, 'guardrails'), '1 / 7');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('workflow choice, file scope, folding and print styles', async () => {
  const { context, page } = await newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, INGESTION);
  await findings(page);
  await openChecklist(page);

  await page.selectOption('select.workflow', 'training');
  assert.match(await page.textContent('h1'), /Training workflow/);
  await page.selectOption('select.workflow', 'custom');
  await page.fill('input.workflow-name', 'nightly export');
  assert.match(await page.textContent('h1'), /nightly export workflow/);
  await page.reload();
  await page.waitForSelector('details.phase');
  assert.equal(await page.inputValue('input.workflow-name'), 'nightly export', 'the workflow is kept');

  // Taking the only file out of scope empties the finding phases.
  await page.click('fieldset.scope input[type=checkbox]');
  assert.deepEqual(await phaseFindings(page, 'guardrails'), []);
  assert.match(await page.textContent('details.phase[data-phase="scope"]'), /Not in scope/);
  await page.click('fieldset.scope input[type=checkbox]');
  assert.equal((await phaseFindings(page, 'guardrails')).length, 7);

  // Phases fold; printing shows every phase anyway, without the navigation and buttons.
  await page.click('details.phase[data-phase="guardrails"] summary');
  assert.equal(await page.$eval('details.phase[data-phase="guardrails"]', (d) => d.open), false);
  assert.equal(await page.isVisible('details.phase[data-phase="guardrails"] ul.tasks'), false);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('header.top'), false);
  assert.equal(await page.isVisible('button.copy-md'), false);
  assert.equal(await page.isVisible('details.phase[data-phase="guardrails"] ul.tasks'), true);
  await page.pdf({ path: path.join(artifacts, 'checklist.pdf') }).catch(() => {});
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an empty playground sends the user back to it', async () => {
  const { context, page } = await newPage();
  await page.goto(base + '#/checklist');
  await page.waitForSelector('.checklist');
  assert.match(await page.textContent('.checklist'), /The playground is empty/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
