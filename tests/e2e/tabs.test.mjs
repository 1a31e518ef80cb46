// End-to-end tests of the playground's tabs: several files checked together, files and
// folders opened from disk (read locally), tabs kept across reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The shared set-up also checks that no request left 127.0.0.1: files are read in the page.
import { artifacts, base, here, newPage, paste } from './helpers.mjs';

const fixture = path.join(here, 'fixtures/project');

async function rename(page, name) {
  await page.fill('input.tab-name', name);
  await page.press('input.tab-name', 'Enter');
  await page.waitForSelector(`[role=tab][aria-selected=true][data-name="${name}"]`);
}

// The active tab's findings as "line:code:severity", once the page says it has checked.
async function findings(page) {
  await page.waitForFunction(() => /checked in/.test(document.querySelector('.status').textContent), null, { timeout: 30000 });
  return page.$$eval('button.finding', (bs) => bs.map((b) => `${b.dataset.line}:${b.dataset.code}:${b.querySelector('.sev').textContent.split(' ').pop()}`));
}

const tabNames = (page) => page.$$eval('[role=tab]', (ts) => ts.map((t) => t.dataset.name));

const REQUIREMENTS = 'torch==2.4.1\n';
const TRAIN = 'import torch\nmodel = torch.load(p)\n';

test('two tabs, a requirements file and a script, are checked together; reload keeps them', async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  // The first tab holds the starting example: it becomes requirements.txt.
  await rename(page, 'requirements.txt');
  assert.equal(await page.$eval('select.kind', (s) => s.selectedOptions[0].textContent), 'Detect (requirements.txt)');
  await paste(page, REQUIREMENTS);
  // Click once the check has answered (the scorecard above the tabs settles then).
  await findings(page);
  await page.click('button.tab-add');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="untitled"]');
  await rename(page, 'train.py');
  await paste(page, TRAIN);
  const found = await findings(page);
  // The pin in the other tab makes torch.load without weights_only high, and says why.
  assert.deepEqual(found.filter((f) => f.includes(':SCI205:')), ['2:SCI205:high'], found.join(', '));
  const message = await page.textContent('button.finding[data-code="SCI205"] .msg');
  console.log(`two tabs: ${found.join(', ')}; SCI205 says "${message}"`);
  assert.match(message, /torch==2\.4\.1/);
  // Both files went to the worker and came back: every tab has a count, and the status
  // line counts both files.
  assert.match(await page.textContent('.status'), /2 files checked in/);
  assert.equal((await page.$$('[role=tab] .badge')).length, 2);
  assert.deepEqual(await tabNames(page), ['requirements.txt', 'train.py']);
  await page.screenshot({ path: path.join(artifacts, 'tabs.png'), fullPage: true });

  // Keyboard: the arrow keys move between tabs.
  await page.focus('[role=tab][aria-selected=true]');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="requirements.txt"]');
  assert.equal(await page.inputValue('textarea.code'), REQUIREMENTS);
  // Near miss: the same code beside torch>=2.6 gets no high finding naming a pin.
  await paste(page, 'torch>=2.6\n');
  await findings(page);
  await page.focus('[role=tab][aria-selected=true]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="train.py"]');
  const beside26 = await findings(page);
  console.log(`beside torch>=2.6: ${beside26.join(', ')}`);
  assert.deepEqual(beside26.filter((f) => f.endsWith(':SCI205:high')), []);
  assert.doesNotMatch(await page.textContent('.findings'), /torch==2\.4\.1/);
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="requirements.txt"]');
  await paste(page, REQUIREMENTS);
  await findings(page);
  await page.focus('[role=tab][aria-selected=true]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="train.py"]');

  // A choice of kind is per tab, and kept.
  await page.selectOption('select.kind', 'python');
  await findings(page);
  await page.waitForTimeout(400); // the tabs are kept after the debounce
  await page.reload();
  await page.waitForSelector('textarea.code');
  assert.deepEqual(await tabNames(page), ['requirements.txt', 'train.py']);
  assert.equal(await page.getAttribute('[role=tab][aria-selected=true]', 'data-name'), 'train.py');
  assert.equal(await page.inputValue('textarea.code'), TRAIN);
  assert.equal(await page.inputValue('select.kind'), 'python');
  assert.ok((await findings(page)).includes('2:SCI205:high'));

  // Closing a tab keeps at least one.
  await page.click('button.tab-close[aria-label="Close requirements.txt"]');
  assert.deepEqual(await tabNames(page), ['train.py']);
  await page.click('button.tab-close[aria-label="Close train.py"]');
  assert.deepEqual(await tabNames(page), ['untitled']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an opened folder skips what .gitignore ignores, tool folders, large, unchecked and non-UTF-8 files', async () => {
  // The committed fixture, plus what is better generated than committed.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sciguard-e2e-'));
  const project = path.join(tmp, 'project');
  fs.cpSync(fixture, project, { recursive: true });
  fs.writeFileSync(path.join(project, 'run.log'), 'ignored by *.log\n');
  fs.mkdirSync(path.join(project, '.venv/lib'), { recursive: true });
  fs.writeFileSync(path.join(project, '.venv/lib/site.py'), 'import pickle\n');
  fs.writeFileSync(path.join(project, 'huge.py'), 'x = 1\n'.repeat((3 << 20) / 6));
  // Latin-1 bytes: not UTF-8, so skipped with a reason rather than shown garbled.
  fs.writeFileSync(path.join(project, 'legacy.ini'), Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x6e, 0x3d, 0x63, 0x61, 0x66, 0xe9, 0x0a]));

  const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  const started = Date.now();
  await page.setInputFiles('input.folder-input', project);
  await page.waitForSelector('.notice:has-text("Opened")');
  const notice = await page.textContent('.notice:has-text("Opened")');
  assert.equal(notice, 'Opened 2 files; skipped 7 (ignored by .gitignore: 2, in .git, node_modules, virtualenv, cache, build or hidden folders: 1, too large: 1, not a checked kind: 2, binary or not UTF-8: 1).');
  // The starting example gave way; the script is shown first.
  assert.deepEqual(await tabNames(page), ['project/requirements.txt', 'project/train.py']);
  assert.equal(await page.getAttribute('[role=tab][aria-selected=true]', 'data-name'), 'project/train.py');
  const found = await findings(page);
  console.log(`folder: opened and checked in ${Date.now() - started} ms; ${found.join(', ')}`);
  assert.ok(found.includes('5:SCI205:high'), found.join(', '));
  assert.match(await page.textContent('.status'), /2 files checked in/);
  await page.screenshot({ path: path.join(artifacts, 'tabs-folder.png'), fullPage: true });

  // The same through "Open files…": chosen files open by name, added to the tabs.
  await page.setInputFiles('input.files-input', [path.join(fixture, 'README.md'), path.join(fixture, 'build/generated.py')]);
  await page.waitForSelector('.notice:has-text("Opened 1 file;")');
  assert.deepEqual(await tabNames(page), ['project/requirements.txt', 'project/train.py', 'generated.py']);
  assert.deepEqual(page.errors, []);
  await context.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the selection fixture opens the files the CLI checks', async () => {
  // The same tree and list as the CLI's and the rules crate's tests.
  const tree = path.resolve(here, '../fixtures/selection');
  const expected = fs.readFileSync(path.resolve(here, '../fixtures/selection-expected.txt'), 'utf8').trim().split('\n');
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await page.setInputFiles('input.folder-input', tree);
  await page.waitForSelector('.notice:has-text("Opened")');
  const notice = await page.textContent('.notice:has-text("Opened")');
  console.log(`selection fixture: ${notice}`);
  assert.equal(notice, 'Opened 8 files; skipped 15 (ignored by .gitignore: 5, in .git, node_modules, virtualenv, cache, build or hidden folders: 7, not a checked kind: 3).');
  assert.deepEqual(await tabNames(page), expected.map((p) => `selection/${p}`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('dropped files open as tabs', async () => {
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  // A scripted drop carries files (no folder entries can be made from a script).
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['torch==2.4.1\n'], 'requirements.txt'));
    transfer.items.add(new File(['import torch\ntorch.load(p)\n'], 'infer.py'));
    document.querySelector('.editor-scroll').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('.notice:has-text("Opened 2 files.")');
  assert.deepEqual(await tabNames(page), ['infer.py', 'requirements.txt']);
  assert.ok((await findings(page)).some((f) => f.startsWith('2:SCI205:')));
  await context.close();
});

test('the single text kept before tabs existed opens as a tab', async () => {
  const { context, page } = await newPage();
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('sciguard.playground.text', 'import numpy as np\ndata = np.load(path, allow_pickle=True)\n');
      sessionStorage.setItem('seeded', '1');
    }
  });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  assert.deepEqual(await tabNames(page), ['untitled']);
  assert.deepEqual(await findings(page), ['2:SCI202:high']);
  // Once kept as tabs, the old key is gone.
  await page.waitForFunction(() => localStorage.getItem('sciguard.playground.files') !== null);
  assert.equal(await page.evaluate(() => localStorage.getItem('sciguard.playground.text')), null);
  await context.close();
});

// Lines marked `# fires` (or following a line that is just `# fires below`), as the rules
// crate's fixture test reads them.
function markedLines(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.flatMap((line, i) => {
    const previous = i > 0 ? lines[i - 1].trim() : null;
    const fires = (line.includes('# fires') && !line.includes('# fires below')) || previous === '# fires below' || previous === '; fires below';
    return fires ? [i + 1] : [];
  });
}

test('every SCI5xx fixture folder, opened in the playground: findings on exactly the marked lines', async () => {
  const rules = path.resolve(here, '../../crates/sciguard/tests/fixtures/rules');
  const folders = fs.readdirSync(rules).filter((d) => /^SCI5\d\d$/.test(d)).sort();
  assert.ok(folders.length >= 13, folders.join(' '));
  const problems = [];
  let files = 0;
  for (const code of folders) {
    const { context, page } = await newPage();
    await page.goto(base);
    await page.waitForSelector('textarea.code');
    const names = fs.readdirSync(path.join(rules, code)).sort();
    await page.setInputFiles('input.folder-input', path.join(rules, code));
    await page.waitForSelector('.notice:has-text("Opened")');
    const opened = (await tabNames(page)).sort();
    if (opened.join() !== names.map((n) => `${code}/${n}`).join()) problems.push(`${code}: opened ${opened.join(', ')}`);
    for (const name of names) {
      await page.click(`[role=tab][data-name="${code}/${name}"]`);
      await page.waitForSelector(`[role=tab][aria-selected=true][data-name="${code}/${name}"]`);
      const lines = (await findings(page)).filter((f) => f.split(':')[1] === code).map((f) => Number(f.split(':')[0]));
      const expected = markedLines(fs.readFileSync(path.join(rules, code, name), 'utf8'));
      const got = [...new Set(lines)];
      if (got.join() !== expected.join()) problems.push(`${code}/${name}: lines ${got.join(',') || 'none'}, marked ${expected.join(',') || 'none'}`);
      files++;
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  }
  console.log(`SCI5xx fixtures: ${folders.length} folders, ${files} files checked in the playground`);
  assert.deepEqual(problems, []);
});

test('a notebook finding gives its cell and line', async () => {
  const notebook = JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Training'] },
      { cell_type: 'code', metadata: {}, outputs: [], source: ['import torch\n'] },
      { cell_type: 'code', metadata: {}, outputs: [], source: ['x = 1\n', 'model = torch.load(path)\n'] },
    ],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  }, null, 1);
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await page.setInputFiles('input.files-input', [
    { name: 'analysis.ipynb', mimeType: 'application/json', buffer: Buffer.from(notebook) },
    { name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from('torch==2.4.1\n') },
  ]);
  await page.waitForSelector('.notice:has-text("Opened 2 files.")');
  await page.click('[role=tab][data-name="analysis.ipynb"]');
  await page.waitForSelector('[role=tab][aria-selected=true][data-name="analysis.ipynb"]');
  assert.ok((await findings(page)).includes('2:SCI205:high'));
  assert.equal(await page.getAttribute('button.finding[data-code="SCI205"]', 'data-cell'), '3');
  assert.equal(await page.textContent('button.finding[data-code="SCI205"] .where'), 'cell 3, line 2');
  await context.close();
});

test('figures: engine time for a project of 50 files of 1,000 lines', async () => {
  const fixtures = path.resolve(here, '../../crates/sciguard/tests/fixtures/rules');
  const lines = fs.readdirSync(fixtures).filter((f) => f.endsWith('.py') && f !== 'SCI000.py').sort()
    .flatMap((f) => fs.readFileSync(path.join(fixtures, f), 'utf8').split('\n'));
  const text = (offset) => Array.from({ length: 1000 }, (_, i) => lines[(offset + i) % lines.length]).join('\n') + '\n';
  const files = Array.from({ length: 50 }, (_, i) => ({ name: `module_${String(i).padStart(2, '0')}.py`, mimeType: 'text/x-python', buffer: Buffer.from(text(i * 97)) }));
  files.push({ name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from('torch==2.4.1\nnumpy==1.26.4\n') });
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await page.setInputFiles('input.files-input', files);
  await page.waitForSelector('.notice:has-text("Opened 51 files.")');
  await findings(page);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    // Choosing a kind on one tab re-checks the whole project.
    await page.selectOption('select.kind', i % 2 ? 'auto' : 'python');
    await page.waitForFunction(() => /checking/.test(document.querySelector('.status').textContent));
    await findings(page);
    samples.push(Number(/checked in ([\d.]+) ms/.exec(await page.textContent('.status'))[1]));
  }
  samples.sort((a, b) => a - b);
  console.log(`figures: 51 files (50,000 lines of Python) checked together in ${samples[2].toFixed(1)} ms (median of 5, worker); status "${await page.textContent('.status')}"`);
  assert.equal((await page.$$('[role=tab] .badge')).length, 51);
  await context.close();
});

test('tabs fit 390 px without sideways scrolling of the page', async () => {
  const { context, page } = await newPage({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  for (const name of ['requirements-dev.txt', 'src/package/model_training.py', 'pyproject.toml']) {
    await page.click('button.tab-add');
    await rename(page, name);
  }
  await findings(page);
  // The tab strip scrolls sideways by itself; the shown tab is scrolled into sight.
  const inSight = await page.$eval('[role=tab][aria-selected=true]', (t) => {
    const tab = t.parentElement.getBoundingClientRect();
    const strip = t.closest('.tabs').getBoundingClientRect();
    return tab.left >= strip.left - 1 && tab.right <= strip.right + 1;
  });
  assert.ok(inSight, 'the shown tab is out of sight');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: path.join(artifacts, 'tabs-dark-390.png'), fullPage: true });
  assert.ok(width <= 390, `the playground is ${width} px wide at 390 px`);
  await context.close();
});
