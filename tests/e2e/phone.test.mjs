// The playground on a 390 px phone (issue 14): the editor is on the first screen, the
// toolbar and scorecard fold into a row each, and a finding's detail is a sheet over the
// bottom of the screen that Close (or Esc) dismisses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { newPage, base, findings, artifacts } from './helpers.mjs';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test('on a phone the editor is on the first screen and the detail is a bottom sheet', async () => {
  const { context, page } = await newPage(phone);
  try {
    await page.goto(base);
    assert.ok((await findings(page)).length > 0, 'the first example has findings');
    const editor = await page.$eval('textarea.code', (t) => t.getBoundingClientRect().toJSON());
    // At least ten 20 px lines of the editor show without scrolling.
    assert.ok(editor.top + 200 <= 844, `the editor starts at ${editor.top} px`);
    const page0 = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(page0 <= 390, `the page is ${page0} px wide`);
    await page.tap('button.finding');
    await page.waitForSelector('.detail');
    const sheet = await page.$eval('.detail', (d) => {
      const r = d.getBoundingClientRect();
      return { position: getComputedStyle(d).position, top: r.top, bottom: r.bottom, height: innerHeight };
    });
    assert.equal(sheet.position, 'fixed');
    assert.ok(Math.abs(sheet.bottom - sheet.height) <= 2, JSON.stringify(sheet));
    assert.ok(sheet.top >= sheet.height * 0.35, `the sheet covers too much: ${JSON.stringify(sheet)}`);
    // For the record (target/e2e-artifacts/): the phone layout with a finding open.
    await page.screenshot({ path: path.join(artifacts, 'playground-390-finding.png') });
    await page.tap('.detail .close-detail');
    await page.waitForSelector('.detail', { state: 'detached' });
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('on a wide screen the detail stays beside the editor and Close closes it', async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(base);
    await findings(page);
    await page.click('button.finding');
    await page.waitForSelector('.detail');
    assert.equal(await page.$eval('.detail', (d) => getComputedStyle(d).position), 'static');
    await page.screenshot({ path: path.join(artifacts, 'playground-1280-finding.png') });
    await page.click('.detail .close-detail');
    await page.waitForSelector('.detail', { state: 'detached' });
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
