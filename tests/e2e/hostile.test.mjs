// A failed check is never a pass: hostile text in the browser gives findings or a clear
// "could not check" state, never "0 findings" and a clean scorecard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, findings, newPage, paste } from './helpers.mjs';

const PICKLE = 'import pickle\ndata = pickle.loads(blob)\n';

// Waits until the page has settled on the latest text; returns what it shows.
async function outcome(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('.status').textContent;
    return s && !/checking/.test(s) && (/checked in|not checked/.test(s));
  }, null, { timeout: 60000 });
  return page.evaluate(() => ({
    status: document.querySelector('.status').textContent,
    failed: document.querySelector('.check-failed')?.textContent ?? null,
    scorecard: Boolean(document.querySelector('.scorecard')),
    codes: [...document.querySelectorAll('button.finding')].map((b) => b.dataset.code),
  }));
}

test('the deep-unary text from the issue shows that it was not checked, not "0 findings"', async () => {
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  await paste(page, `${PICKLE}x = ${'-'.repeat(3000)}1\n`);
  const shown = await outcome(page);
  assert.doesNotMatch(shown.status, /^0 findings/, JSON.stringify(shown));
  assert.match(shown.failed ?? '', /sciguard could not check (all of|this text)/, JSON.stringify(shown));
  assert.equal(shown.scorecard, false, 'no scorecard for text that was not checked');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('deep and huge text of every kind: findings or a clear failure, never a silent pass', async () => {
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  const deep = 100_000;
  const cases = {
    'unary -': `x = ${'-'.repeat(deep)}1\n`,
    'unary ~': `x = ${'~'.repeat(deep)}1\n`,
    'unary +': `x = ${'+'.repeat(deep)}1\n`,
    'not': `x = ${'not '.repeat(deep)}x\n`,
    'lambda': `x = ${'lambda: '.repeat(deep)}1\n`,
    'ternary': `x = ${'a if b else '.repeat(deep)}1\n`,
    'power': `x = ${'2 ** '.repeat(deep)}1\n`,
    'binary +': `x = ${'a + '.repeat(deep)}1\n`,
    'brackets': `x = ${'('.repeat(deep)}1${')'.repeat(deep)}\n`,
    'calls': `x = ${'f('.repeat(deep)}1${')'.repeat(deep)}\n`,
    'attributes': `x = a${'.b'.repeat(deep)}\n`,
    'comprehensions': `x = ${'[y for y in '.repeat(deep)}z${']'.repeat(deep)}\n`,
    'f-strings': `x = ${'f"{'.repeat(deep)}1${'}"'.repeat(deep)}\n`,
    'f-string field': `x = f"{${'-'.repeat(deep)}1}"\n`,
  };
  // The deepest text the engine takes (its limits, README "Limits"): checked in full.
  const limit = {
    '1,000 unary -': `x = ${'-'.repeat(1000)}1\n`,
    '1,000 not': `x = ${'not '.repeat(1000)}x\n`,
    '1,000 lambdas': `x = ${'lambda: '.repeat(1000)}1\n`,
    '1,000 ternaries': `x = ${'a if b else '.repeat(1000)}1\n`,
    '1,000 powers': `x = ${'2 ** '.repeat(1000)}1\n`,
    'mixed, 1,000 in all': `x = ${'lambda: '.repeat(400)}${'('.repeat(199)}${'-'.repeat(401)}1${')'.repeat(199)}\n`,
    '150 f-strings': `x = ${'f"{'.repeat(150)}1${'}"'.repeat(150)}\n`,
    '150 f-strings around 400 not': `x = ${'f"{'.repeat(150)}${'not '.repeat(400)}x${'}"'.repeat(150)}\n`,
    '1,000 ~': `x = ${'~'.repeat(1000)}1\n`,
    '1,000 await': `x = ${'await '.repeat(1000)}1\n`,
    '200 brackets around 800 lambdas': `x = ${'('.repeat(200)}${'lambda: '.repeat(800)}1${')'.repeat(200)}\n`,
    '200 brackets': `x = ${'['.repeat(200)}1${']'.repeat(200)}\n`,
  };
  for (const [name, text] of Object.entries(limit)) {
    await paste(page, PICKLE + text);
    const shown = await outcome(page);
    // Findings, or a partial check that says so; never a trap.
    assert.ok(shown.codes.includes('SCI201'), `${name}: ${JSON.stringify(shown)}`);
    assert.doesNotMatch(shown.failed ?? '', /could not check this text/, name);
  }
  for (const [name, text] of Object.entries(cases)) {
    await paste(page, PICKLE + text);
    const shown = await outcome(page);
    const checked = shown.codes.includes('SCI201') && shown.failed === null;
    // Refused by the engine with its reason, not a trap of the worker.
    const refused = /sciguard could not check all of/.test(shown.failed ?? '') && !shown.scorecard;
    assert.ok(checked || refused, `${name}: ${JSON.stringify(shown)}`);
  }
  // After all of that, ordinary text is checked again.
  await paste(page, PICKLE);
  assert.deepEqual(await findings(page), ['2:SCI201']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a check past its bound is cancelled with a message, and the next edit is checked', async () => {
  const { context, page } = await newPage();
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  // A bound of 1 ms (the local-storage override) and 100,000 short lines.
  await page.evaluate(() => localStorage.setItem('sciguard.check-bound-ms', '1'));
  await paste(page, 'x = 1\n'.repeat(100_000) + PICKLE);
  const shown = await outcome(page);
  assert.match(shown.failed ?? '', /ran longer than 1 ms, sciguard's bound, and was cancelled/, JSON.stringify(shown));
  assert.equal(shown.status, 'not checked');
  // Typing stays possible, and with the usual bound the fresh worker checks the text.
  await page.evaluate(() => localStorage.removeItem('sciguard.check-bound-ms'));
  await page.focus('textarea.code');
  await paste(page, PICKLE);
  assert.deepEqual(await findings(page), ['2:SCI201']);
  assert.equal(await page.$('.check-failed'), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a worker that traps is reported and replaced', async () => {
  const { context, page } = await newPage();
  // The first worker throws as a stack overflow does; the ones after it are the real one.
  let served = 0;
  await context.route('**/worker.js', async (route) => {
    served += 1;
    if (served > 1) return route.continue();
    await route.fulfill({
      contentType: 'text/javascript',
      body: "self.onmessage = (e) => { try { (function f() { f(); })(); } catch (error) { self.postMessage({ id: e.data[0], error: 'the text is nested too deeply for this browser\\'s stack (' + error + ')' }); } };",
    });
  });
  // The page's first check (of the text it opens with) goes to the trapping worker.
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  const shown = await outcome(page);
  assert.match(shown.failed ?? '', /sciguard could not check this text: .*Maximum call stack size exceeded/, JSON.stringify(shown));
  assert.equal(shown.scorecard, false);
  assert.deepEqual(shown.codes, []);
  await paste(page, PICKLE + '\n');
  assert.deepEqual(await findings(page), ['2:SCI201']);
  assert.ok(served >= 2, `worker.js served ${served} times`);
  await context.close();
});
