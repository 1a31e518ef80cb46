// Embedding sciguard in a wiki: a host page on another origin frames the embed below the
// fold (built from the "Embed in your wiki" page's own snippet), must not scroll, and
// sizes the frame from the embed's height messages. Also: organisation policies pasted
// in the site, the same findings from the CLI, and a Learn exercise completed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { artifacts, base, here, newPage } from './helpers.mjs';

// The host: another origin (another port) serving whatever page a test puts here.
let host, hostBase;
const hostPages = new Map();
before(async () => {
  host = http.createServer((req, res) => {
    const body = hostPages.get(new URL(req.url, 'http://x').pathname);
    if (!body) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(body);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostBase = `http://127.0.0.1:${host.address().port}`;
});
after(() => host?.close());

// A wiki page with a long article above the frame; it records how far it ever scrolled.
function wikiPage(frameHtml) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Team wiki</title></head><body>
<h1>Onboarding</h1><div style="height:2200px">A long article.</div>
${frameHtml}
<p>After the frame.</p>
<script>window.maxScroll = 0; addEventListener('scroll', () => { window.maxScroll = Math.max(window.maxScroll, scrollY); });</script>
</body></html>`;
}

const embedFrame = (page) => page.frames().find((f) => f.url().includes('#/embed'));

test('an embed below the fold never scrolls its host, and the host sizes it from its height messages', async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 800 } });
  // The snippet comes from the site's own page, with choices made there.
  await page.goto(`${base}#/embedding`);
  await page.waitForSelector('pre.snippet');
  await page.selectOption('select.embed-source', '1');
  await page.fill('input.embed-id', 'wiki-frame');
  await page.check('input.embed-readonly');
  await page.selectOption('select.embed-details', 'compact');
  const snippet = await page.textContent('pre.snippet');
  assert.match(snippet, /allow="clipboard-write"/);
  assert.match(snippet, /id="wiki-frame"/);
  // The page's preview is sized by the same height message.
  await page.waitForFunction(() => document.querySelector('iframe.embed-preview').getAttribute('height') !== '480', null, { timeout: 30000 });
  await context.close();

  hostPages.set('/wiki.html', wikiPage(snippet));
  const { page: wiki } = await newPage({ viewport: { width: 1280, height: 800 } });
  await wiki.goto(`${hostBase}/wiki.html`);
  // The frame reports its height and the host's script applies it.
  await wiki.waitForFunction(() => {
    const f = document.getElementById('wiki-frame');
    return f && f.style.height && f.style.height !== '480px';
  }, null, { timeout: 30000 });
  const frame = embedFrame(wiki);
  await frame.waitForSelector('button.finding', { timeout: 30000 });
  const codes = await frame.$$eval('button.finding', (bs) => bs.map((b) => b.dataset.code));
  assert.ok(codes.includes('SCI202') && codes.includes('SCI205'), codes.join(','));
  // Read-only: the text cannot be edited, and the detail has no Apply button.
  assert.equal(await frame.$eval('textarea.code', (t) => t.readOnly), true);
  // Clicked from inside the page (Playwright's own click would scroll the host to it).
  await frame.$eval('button.finding[data-code="SCI202"]', (b) => b.click());
  await frame.waitForSelector('.detail');
  assert.equal(await frame.$('.detail .apply-fix'), null);
  // Compact: no "why" section.
  assert.equal(await frame.$$eval('.detail h3', (hs) => hs.map((h) => h.textContent).filter((t) => t === 'Why it matters').length), 0);
  // The height after selecting fits the content (the detail made it taller).
  let frameHeight = 0, contentHeight = -1;
  for (let i = 0; i < 50 && Math.abs(frameHeight - contentHeight) > 2; i++) {
    await wiki.waitForTimeout(100);
    [frameHeight, contentHeight] = await Promise.all([
      wiki.$eval('#wiki-frame', (f) => parseFloat(f.style.height)),
      frame.evaluate(() => document.querySelector('.embed').scrollHeight),
    ]);
  }
  assert.ok(Math.abs(frameHeight - contentHeight) <= 2, `frame ${frameHeight}px, content ${contentHeight}px`);
  // Loading, checking and selecting never scrolled the host page.
  assert.equal(await wiki.evaluate(() => window.maxScroll), 0);
  // "Open in sciguard" carries the text, its name and kind to the full site.
  const open = await frame.getAttribute('a.open-full', 'href');
  assert.match(open, /#\/\?s=[A-Za-z0-9_-]+$/);
  const full = await newPage();
  await full.page.goto(open);
  await full.page.waitForSelector('[role=tab][aria-selected=true][data-name="example.py"]');
  assert.match(await full.page.inputValue('textarea.code'), /np\.load/);
  await full.context.close();
  await wiki.screenshot({ path: path.join(artifacts, 'embed-host.png'), fullPage: true });
  console.log(`embed: frame sized to ${frameHeight}px by its message; host scrollY stayed 0; findings ${codes.join(', ')}`);
  assert.deepEqual(wiki.errors, []);
});

test('the full site in a cross-origin frame: no host jump, and a refused clipboard is reported as refused', async () => {
  // Framed without allow="clipboard-write": the browser refuses the clipboard.
  hostPages.set('/plain.html', wikiPage(`<iframe id="site" src="${base}" width="100%" height="700" style="border:0"></iframe>`));
  const { page } = await newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${hostBase}/plain.html`);
  const frame = await (await page.waitForSelector('#site')).contentFrame();
  await frame.waitForSelector('.status');
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.maxScroll), 0, 'the host page scrolled');
  // The test brings the frame into view: Chromium throttles an off-screen cross-origin
  // frame's timers, which can hold its check back.
  await page.evaluate(() => document.getElementById('site').scrollIntoView());
  await frame.waitForFunction(() => /checked in/.test(document.querySelector('.status').textContent), null, { timeout: 30000 });
  await frame.$eval('button.share', (b) => b.click());
  await frame.waitForSelector('.share-row');
  const said = await frame.textContent('.share-row');
  assert.match(said, /^Not copied: /, said);
  assert.doesNotMatch(said, /Link copied/);
  // The link is still there to copy by hand (the tabs travel compressed after `s=`).
  assert.match(await frame.inputValue('input.share-link'), /#\/\?s=[A-Za-z0-9_-]+$/);
  console.log(`framed site: "${said.slice(0, 90)}…"`);
});

const POLICY = fs.readFileSync(path.join(here, '../../playbooks/organisation/ORG002-read-csv-over-http.md'), 'utf8');
const READS = 'import pandas as pd\n\nprices = pd.read_csv("http://data.example.com/prices.csv")\nsafe = pd.read_csv("https://data.example.com/prices.csv")\n';

function cliFindings(policyPath, code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sciguard-e2e-'));
  const file = path.join(dir, 'load.py');
  fs.writeFileSync(file, code);
  const target = process.env.CARGO_TARGET_DIR || path.join(here, '../../target');
  const binary = process.env.SCIGUARD_BIN || path.join(target, 'debug/sciguard');
  let out;
  try {
    out = execFileSync(binary, ['check', '--output-format', 'json', '--policy', policyPath, file], { encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1: findings
  }
  return JSON.parse(out).map((f) => `${f.location.row}:${f.code}`);
}

test('a pasted organisation policy fires, has its rule page, survives a reload, and agrees with the CLI', async () => {
  const { page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}#/policies`);
  await page.waitForSelector('textarea.policy-text');
  await page.fill('input.policy-file-name', 'ORG002-read-csv-over-http.md');
  await page.fill('textarea.policy-text', POLICY);
  await page.click('button.policy-add');
  await page.waitForSelector('.policy-row[data-name="ORG002-read-csv-over-http.md"] .policy-ok');
  // A broken file is listed with its file, line and field, and the other still loads.
  await page.fill('input.policy-file-name', 'ORG003-broken.md');
  await page.fill('textarea.policy-text', POLICY.replace('ORG002', 'ORG003').replace(/severity = "\w+"/, 'severity = "urgent"'));
  await page.click('button.policy-add');
  const error = await page.textContent('.policy-row[data-name="ORG003-broken.md"] .policy-error');
  assert.match(error, /ORG003-broken\.md:\d+: .*severity/);

  await page.goto(`${base}#/`);
  await page.waitForSelector('textarea.code');
  await page.evaluate((t) => {
    const area = document.querySelector('textarea.code');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, READS);
  const found = async () => {
    await page.waitForFunction(() => /checked in/.test(document.querySelector('.status').textContent), null, { timeout: 30000 });
    return page.$$eval('button.finding', (bs) => bs.map((b) => `${b.dataset.line}:${b.dataset.code}`));
  };
  const inSite = await found();
  assert.ok(inSite.includes('3:ORG002'), inSite.join(','));
  assert.ok(!inSite.includes('4:ORG002'), 'https is not reported');
  // Its own rule page, from the detail's link.
  await page.click('button.finding[data-code="ORG002"]');
  await page.click('.detail a.rule-link');
  await page.waitForSelector('article.rule-page');
  assert.match(await page.textContent('article.rule-page'), /ORG002/);
  // After a reload the policy is still in force.
  await page.goto(`${base}#/`);
  await page.reload();
  await page.waitForSelector('textarea.code');
  const again = await found();
  assert.deepEqual(again, inSite);
  // The CLI with the same policy file gives the same findings.
  const policyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sciguard-policy-')), 'ORG002-read-csv-over-http.md');
  fs.writeFileSync(policyFile, POLICY);
  assert.deepEqual(cliFindings(policyFile, READS), inSite);
  console.log(`policy: site and CLI both report ${inSite.join(', ')}`);
});

test('an embed reads a policy file that sits next to the site', async () => {
  const { page } = await newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(`${base}#/embed?example=edges&policy=policies/ORG002-read-csv-over-http.md&select=ORG&id=p`);
  await page.waitForSelector('textarea.code');
  await page.evaluate((t) => {
    const area = document.querySelector('textarea.code');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, READS);
  await page.waitForFunction(() => /\d+ findings?/.test(document.querySelector('.embed-head').textContent)
    && !/checking/.test(document.querySelector('.embed-head').textContent), null, { timeout: 30000 });
  const codes = await page.$$eval('button.finding', (bs) => bs.map((b) => `${b.dataset.line}:${b.dataset.code}`));
  assert.deepEqual(codes, ['3:ORG002']);
  assert.deepEqual(page.errors, []);
});

test('an embed keeps its underlines while it checks an edit', async () => {
  const { page } = await newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(`${base}#/embed?example=edges&id=u`);
  await page.waitForSelector('textarea.code');
  await page.waitForFunction(() => document.querySelectorAll('.hl .sq').length > 0, null, { timeout: 30000 });
  const before = await page.$$eval('.hl .sq', (s) => s.length);
  await page.evaluate(() => {
    const area = document.querySelector('textarea.code');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  });
  await page.keyboard.type('\n# edited');
  // Sampled every frame until the status says it is checking the edit.
  const during = await page.waitForFunction(() => (/checking/.test(document.querySelector('.embed-head').textContent)
    ? { underlines: document.querySelectorAll('.hl .sq').length } : null), null, { polling: 'raf', timeout: 10000 });
  const { underlines } = await during.jsonValue();
  console.log(`underlines: ${before} before the edit, ${underlines} while checking it`);
  assert.equal(underlines, before);
  assert.deepEqual(page.errors, []);
});

test('a Learn exercise is completed in the editor and stays done after a reload', async () => {
  const { page } = await newPage({ viewport: { width: 1280, height: 900 } });
  // The playbook and the checklist both lead there.
  await page.goto(`${base}#/playbook`);
  await page.waitForSelector('.learn-link a[href="#/learn"]');
  await page.goto(`${base}#/checklist`);
  await page.click('.learn-link a[href="#/learn"]');
  await page.click('button.exercise-tab[data-code="SCI202"]');
  await page.waitForSelector('.exercise[data-code="SCI202"]');
  await page.waitForFunction(() => /still reports/.test(document.querySelector('.exercise-todo')?.textContent || ''), null, { timeout: 30000 });
  // Deleting the code is not a fix.
  await page.fill('textarea.exercise-code', 'import numpy as np\n');
  await page.waitForFunction(() => /deleting it is not a fix/.test(document.querySelector('.exercise-todo')?.textContent || ''), null, { timeout: 30000 });
  await page.fill('textarea.exercise-code', 'import numpy as np\n\ndef load_embeddings(path):\n    return np.load(path)\n');
  await page.waitForSelector('.exercise-passed', { timeout: 30000 });
  await page.reload();
  await page.waitForSelector('button.exercise-tab.done[data-code="SCI202"]');
  assert.match(await page.textContent('section.learn > p'), /1 of 4 done/);
});
