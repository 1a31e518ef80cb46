// The playground's editor: colours, underlines under findings, the card with its fix,
// undo and redo of applied fixes, Tab indentation, and drawing only the lines in view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { base, findings, here, newPage, paste } from './helpers.mjs';

const CODE = 'import numpy as np\n# load it\nname = "features"\ndata = np.load(path, allow_pickle=True)\n';
const CALL = 'np.load(path, allow_pickle=True)';

async function open(viewport = { width: 1280, height: 900 }) {
  const { context, page } = await newPage({ viewport });
  await page.goto(base);
  await page.waitForSelector('textarea.code');
  return { context, page };
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent));
const value = (page) => page.inputValue('textarea.code');

test('Python and TOML are coloured, and a finding is underlined over its exact range', async () => {
  const { context, page } = await open();
  await paste(page, CODE);
  assert.deepEqual(await findings(page), ['4:SCI202']);
  assert.ok((await texts(page, '.hl .t-kw')).includes('import'));
  assert.ok((await texts(page, '.hl .t-str')).includes('"features"'));
  assert.ok((await texts(page, '.hl .t-com')).includes('# load it'));
  // The underline holds exactly the finding's text, on line 4, where the textarea shows it.
  const squiggle = await page.$eval('.hl .sq[data-code="SCI202"]', (sq) => {
    const line = sq.closest('.hl-line');
    const lines = [...line.parentElement.children];
    return { text: sq.textContent, classes: sq.className, line: lines.indexOf(line) + 1, top: sq.getBoundingClientRect().top };
  });
  assert.equal(squiggle.text, CALL);
  assert.match(squiggle.classes, /\bhigh\b/);
  assert.equal(squiggle.line, 4);
  const areaTop = await page.$eval('textarea.code', (a) => a.getBoundingClientRect().top);
  assert.ok(Math.abs(squiggle.top - (areaTop + 4 + 3 * 20)) <= 3, `underline at ${squiggle.top}, line 4 at ${areaTop + 64}`);
  // Text typed above the finding moves its underline down with it before the next check.
  await page.focus('textarea.code');
  await page.evaluate(() => document.querySelector('textarea.code').setSelectionRange(0, 0));
  await page.keyboard.type('# new\n');
  const moved = await page.$eval('.hl .sq', (sq) => [...sq.closest('.window').children].indexOf(sq.closest('.hl-line')) + 1);
  assert.equal(moved, 5);

  // TOML: a section and keys.
  await page.selectOption('select.kind', 'pyproject');
  await paste(page, '[build-system]\nrequires = ["setuptools>=61"]  # pinned\n');
  await page.waitForSelector('.hl .t-sec');
  assert.deepEqual(await texts(page, '.hl .t-sec'), ['[build-system]']);
  assert.deepEqual(await texts(page, '.hl .t-key'), ['requires']);
  assert.deepEqual(await texts(page, '.hl .t-str'), ['"setuptools>=61"']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('hovering an underline shows its card; Apply fix is undone by Ctrl+Z and redone by Ctrl+Shift+Z and Ctrl+Y', async () => {
  const { context, page } = await open();
  await paste(page, CODE);
  await findings(page);
  const box = await (await page.$('.hl .sq[data-code="SCI202"]')).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('.lint-card');
  const card = await page.textContent('.lint-card');
  assert.match(card, /SCI202/);
  assert.match(card, /allow_pickle/);
  await page.click('.lint-card .card-apply');
  await page.waitForFunction(() => document.querySelector('textarea.code').value.includes('np.load(path)\n'));
  const fixed = await value(page);
  assert.equal(fixed, CODE.replace(CALL, 'np.load(path)'));
  assert.deepEqual(await findings(page), []);
  await page.focus('textarea.code');
  await page.keyboard.press('Control+z');
  assert.equal(await value(page), CODE, 'Ctrl+Z restores the text before the fix');
  await page.keyboard.press('Control+Shift+z');
  assert.equal(await value(page), fixed, 'Ctrl+Shift+Z applies it again');
  await page.keyboard.press('Control+z');
  assert.equal(await value(page), CODE);
  await page.keyboard.press('Control+y');
  assert.equal(await value(page), fixed, 'Ctrl+Y applies it again');
  // The page follows the undo: the finding comes back after the next check.
  await page.keyboard.press('Control+z');
  await page.waitForSelector('button.finding[data-code="SCI202"]');
  assert.deepEqual(await findings(page), ['4:SCI202']);
  // The fix applied from the detail panel is undone the same way.
  await page.click('button.finding');
  await page.click('.detail .apply-fix');
  await page.waitForFunction(() => !document.querySelector('textarea.code').value.includes('allow_pickle'));
  await page.focus('textarea.code');
  await page.keyboard.press('Control+z');
  assert.equal(await value(page), CODE);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the caret inside an underline shows the card, and the keyboard reaches its button', async () => {
  const { context, page } = await open();
  await paste(page, CODE);
  await findings(page);
  await page.focus('textarea.code');
  const inside = CODE.indexOf(CALL) + 3;
  await page.evaluate((at) => document.querySelector('textarea.code').setSelectionRange(at, at), inside);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.lint-card .card-apply');
  // Leaving the underline hides the card.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  await page.waitForSelector('.lint-card', { state: 'detached' });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('.lint-card .card-apply');
  // Esc, then Tab, leaves the editor for the card's button.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'primary card-apply');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('textarea.code').value.includes('allow_pickle'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('Tab indents, Shift+Tab dedents, and Esc then Tab leaves the editor', async () => {
  const { context, page } = await open();
  await paste(page, 'def f():\nreturn 1\n');
  await page.focus('textarea.code');
  const hint = await page.$eval('textarea.code', (a) => document.getElementById(a.getAttribute('aria-describedby')).textContent);
  assert.match(hint, /Escape, then Tab/);
  await page.evaluate(() => document.querySelector('textarea.code').setSelectionRange(9, 9));
  await page.keyboard.press('Tab');
  assert.equal(await value(page), 'def f():\n    return 1\n');
  // Both lines selected: both indented, then both dedented.
  await page.evaluate(() => document.querySelector('textarea.code').setSelectionRange(0, 20));
  await page.keyboard.press('Tab');
  assert.equal(await value(page), '    def f():\n        return 1\n');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await value(page), 'def f():\n    return 1\n');
  await page.keyboard.press('Control+z');
  assert.equal(await value(page), '    def f():\n        return 1\n', 'indenting is undone like typing');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
  assert.equal(await value(page), '    def f():\n        return 1\n');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a 5,000-line file draws only the lines in view, and the end is coloured once scrolled to', async () => {
  const { context, page } = await open();
  const text = fs.readFileSync(path.join(here, 'fixtures/bench/sympy_lti.py'), 'utf8');
  const lines = text.split('\n');
  await paste(page, text);
  const drawn = await page.$$eval('.hl .hl-line', (ls) => ls.length);
  const numbers = await page.$$eval('.gutter .ln', (ls) => ls.length);
  assert.ok(drawn > 20 && drawn <= 200, `${drawn} lines drawn`);
  assert.ok(numbers <= 200, `${numbers} line numbers drawn`);
  await page.$eval('.editor-scroll', (s) => { s.scrollTop = s.scrollHeight; });
  await page.waitForFunction((n) => [...document.querySelectorAll('.gutter .ln')].some((l) => l.textContent === String(n)), lines.length);
  // The last non-empty line is drawn, in view, where the textarea shows it, and coloured.
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() !== '');
  const shown = await page.evaluate((index) => {
    const scroller = document.querySelector('.editor-scroll').getBoundingClientRect();
    const textarea = document.querySelector('textarea.code');
    const area = textarea.getBoundingClientRect();
    // A long text's textarea holds the lines from `data-first-line` on.
    const held = Number(textarea.dataset.firstLine || 0);
    const numbers = [...document.querySelectorAll('.gutter .ln')];
    const first = Number(numbers[0].textContent) - 1;
    const line = document.querySelectorAll('.hl .hl-line')[index - first];
    const box = line.getBoundingClientRect();
    return { text: line.textContent, top: box.top, expected: area.top + 4 + (index - held) * 20, inView: box.top >= scroller.top && box.bottom <= scroller.bottom, spans: line.querySelectorAll('span').length };
  }, last);
  assert.equal(shown.text, lines[last]);
  assert.ok(Math.abs(shown.top - shown.expected) <= 1, `line ${last + 1} drawn at ${shown.top}, textarea has it at ${shown.expected}`);
  assert.ok(shown.inView);
  assert.ok(shown.spans > 0, `line ${last + 1} is coloured`);
  assert.ok(await page.$$eval('.hl .hl-line', (ls) => ls.length) <= 200);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an embed underlines findings; a read-only one offers no fix in its card and takes no typing', async () => {
  /** A new page with the embed, and the card of its `allow_pickle` finding opened by the caret. */
  const openCard = async (query) => {
    const opened = await newPage({ viewport: { width: 900, height: 700 } });
    const { page } = opened;
    await page.goto(`${base}#/embed?example=edges${query}`);
    await page.waitForSelector('.hl .sq');
    await page.$eval('textarea.code', (a) => {
      const at = a.value.indexOf('allow_pickle');
      a.focus();
      a.setSelectionRange(at, at);
      a.dispatchEvent(new KeyboardEvent('keyup', { key: 'ArrowRight', bubbles: true }));
    });
    await page.waitForSelector('.lint-card');
    return opened;
  };
  // Near miss first: the same card in an editable embed offers the fix.
  const editable = await openCard('');
  assert.ok(await editable.page.$('.lint-card .card-apply'), 'an editable embed offers the fix');
  assert.deepEqual(editable.page.errors, []);
  await editable.context.close();
  const { context, page } = await openCard('&readonly=1');
  assert.equal(await page.$('.lint-card .card-apply'), null);
  const before = await page.inputValue('textarea.code');
  await page.keyboard.type('x = 1');
  assert.equal(await page.inputValue('textarea.code'), before, 'a read-only embed took typing');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a long text: the textarea holds the lines around the view, and typing, Ctrl+Home, a fix from the list with its undo, and Ctrl+A reach the whole text', async () => {
  const { context, page } = await open();
  // 3,000 lines; SCI202 (with a fix) on line 2,000, far below the first screen.
  const lines = ['import numpy as np', ...Array.from({ length: 2999 }, (_, i) => `x_${i + 1} = ${i + 1}`)];
  lines[1999] = 'data = np.load(path, allow_pickle=True)';
  const text = `${lines.join('\n')}\n`;
  await paste(page, text);
  assert.deepEqual(await findings(page), ['2000:SCI202']);
  /** The whole text as the page keeps it (it is told of typing once typing pauses). */
  const whole = () => page.evaluate(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text);
  const held = () => page.$eval('textarea.code', (a) => ({ first: Number(a.dataset.firstLine), lines: a.value.split('\n').length }));
  const window = await held();
  console.log(`3,000 lines: the textarea holds ${window.lines} from line ${window.first + 1}`);
  assert.ok(window.lines < 400, `the textarea holds ${window.lines} lines`);

  // Typing far down: scrolled there, the window follows, and the edit lands on its line.
  await page.$eval('.editor-scroll', (s) => { s.scrollTop = 1499 * 20 - 300; });
  await page.waitForFunction(() => {
    const a = document.querySelector('textarea.code');
    const first = Number(a.dataset.firstLine);
    return first <= 1499 && 1499 < first + a.value.split('\n').length;
  });
  await page.$eval('textarea.code', (a) => {
    const local = 1499 - Number(a.dataset.firstLine);
    const at = a.value.split('\n').slice(0, local).join('\n').length + (local > 0 ? 1 : 0);
    a.focus();
    a.setSelectionRange(at, at);
  });
  await page.keyboard.type('y = 0; ');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text.includes('y = 0; x_1499'));
  const typed = [...lines];
  typed[1499] = `y = 0; ${lines[1499]}`;
  assert.equal(await whole(), `${typed.join('\n')}\n`);

  // Ctrl+Home goes to the start of the text, not of the window.
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('#');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text.startsWith('#import'));
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text.startsWith('import'));
  assert.equal(await whole(), `${typed.join('\n')}\n`);

  // A finding chosen in the list, 2,000 lines down: its text is selected in the editor.
  await findings(page);
  await page.click('button.finding[data-code="SCI202"]');
  await page.waitForFunction(() => {
    const a = document.querySelector('textarea.code');
    return a.value.slice(a.selectionStart, a.selectionEnd).includes('allow_pickle');
  });
  // Its fix, applied from the detail, changes line 2,000 only, and Ctrl+Z takes it back.
  await page.click('.detail .apply-fix');
  await page.waitForFunction(() => !JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text.includes('allow_pickle'));
  const fixed = (await whole()).split('\n');
  assert.equal(fixed.length, typed.length + 1);
  assert.deepEqual(fixed.filter((l, i) => l !== `${typed.join('\n')}\n`.split('\n')[i]).length, 1, 'the fix changed one line');
  await page.focus('textarea.code');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text.includes('allow_pickle'));
  assert.equal(await whole(), `${typed.join('\n')}\n`);

  // Ctrl+A selects all of it: typing replaces the whole text.
  await page.keyboard.press('Control+a');
  await page.keyboard.type('z');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('sciguard.playground.files')).files[0].text === 'z');
  assert.deepEqual(page.errors, []);
  await context.close();
});
