// The JS package (target/npm/nodejs, built by `cargo xtask npm`) against the CLI: for the
// same files it must report exactly what `sciguard check --output-format json` prints,
// fix what `--fix` fixes, plan what `checklist` plans and list what `rules` lists.
// Run by `cargo xtask test`, which sets SCIGUARD_NPM_DIR and SCIGUARD_BIN.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const npmDir = process.env.SCIGUARD_NPM_DIR || path.join(root, 'target/npm');
const bin = process.env.SCIGUARD_BIN || path.join(root, 'target/debug/sciguard');
const sciguard = createRequire(import.meta.url)(path.join(npmDir, 'nodejs'));

const read = (relative) => fs.readFileSync(path.join(root, relative), 'utf8');

// A small project of every kind: the example pipeline (its pyproject.toml configures
// it), a requirements file with a vulnerable pin, a notebook and the browser suite's
// training script.
const PROJECT = {
  'pyproject.toml': read('examples/ingestion-pipeline/pyproject.toml'),
  'src/ingest/__init__.py': read('examples/ingestion-pipeline/src/ingest/__init__.py'),
  'src/ingest/fetch.py': read('examples/ingestion-pipeline/src/ingest/fetch.py'),
  'src/ingest/load.py': read('examples/ingestion-pipeline/src/ingest/load.py'),
  'src/ingest/model.py': read('examples/ingestion-pipeline/src/ingest/model.py'),
  'tests/test_load.py': read('examples/ingestion-pipeline/tests/test_load.py'),
  'requirements.txt': 'torch==2.4.1\nrequests==2.19.0\npyyaml\n',
  'notebooks/colab_training.ipynb': read('crates/sciguard/tests/fixtures/notebooks/colab_training.ipynb'),
  'train.py': read('tests/e2e/fixtures/project/train.py'),
};

const ORG002 = read('playbooks/organisation/ORG002-read-csv-over-http.md');
const BROKEN = '+++\ncode = "ORG009"\nname = "broken-policy"\npillar = "nowhere"\nseverity = "high"\nsummary = "x"\n+++\n';

const scratch = [];
after(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes files into a fresh folder outside any repository; returns the folder. */
function folder(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sciguard-npm-'));
  scratch.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Runs the CLI in `dir`; returns its exit code, output and errors. */
function cli(dir, args) {
  const run = spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });
  assert.equal(run.error, undefined, `cannot run ${bin}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The files as the package takes them, in the order the CLI reports them (by name). */
const asInput = (files) => Object.keys(files).sort().map((name) => ({ name, content: files[name] }));

test('check reports exactly what the CLI prints as JSON, in the same order', () => {
  const dir = folder(PROJECT);
  const run = cli(dir, ['check', '--output-format', 'json', '.']);
  assert.equal(run.status, 1, run.stderr);
  const expected = JSON.parse(run.stdout);
  const result = sciguard.check(asInput(PROJECT));
  assert.deepEqual(result.findings, expected);
  assert.deepEqual(result.problems, []);
  // Not an empty agreement: findings on code, on the pin, in the notebook's cells.
  const files = new Set(expected.map((f) => f.filename));
  for (const name of ['requirements.txt', 'notebooks/colab_training.ipynb', 'src/ingest/load.py', 'train.py']) {
    assert.ok(files.has(name), `no finding on ${name}: ${[...files]}`);
  }
  assert.ok(expected.some((f) => f.cell !== undefined), 'a finding in a notebook cell');
  assert.ok(expected.some((f) => f.code === 'SCI205'), 'torch.load next to a vulnerable torch pin');
});

test('[tool.sciguard] among the files and the select/ignore options act as in the CLI', () => {
  const files = {
    ...PROJECT,
    'pyproject.toml': `${PROJECT['pyproject.toml']}ignore = ["SCI501"]\n`,
  };
  const dir = folder(files);
  const args = ['check', '--output-format', 'json', '--select', 'edges,SCI4', '--ignore', 'SCI205', '.'];
  const expected = JSON.parse(cli(dir, args).stdout);
  const result = sciguard.check(asInput(files), { select: ['edges', 'SCI4'], ignore: ['SCI205'] });
  assert.deepEqual(result.findings, expected);
  assert.ok(expected.length > 0);
  assert.ok(expected.every((f) => f.pillar === 'edges' || f.code.startsWith('SCI4') || f.code === 'SCI000'));
  assert.ok(!expected.some((f) => f.code === 'SCI205' || f.code === 'SCI501'));
  assert.ok(sciguard.check(asInput(PROJECT)).findings.some((f) => f.code === 'SCI501'), 'SCI501 without the ignore');
  // The severity threshold leaves out the rest.
  const high = sciguard.check(asInput(files), { severity: 'high' }).findings;
  assert.ok(high.length > 0 && high.every((f) => f.severity === 'high'));
});

test('a policy file given in options fires the same ORG finding as --policy', () => {
  const code = { 'pipeline.py': 'import pandas as pd\nprices = pd.read_csv("http://data.example.org/prices.csv")\n' };
  const dir = folder(code);
  const policies = folder({ 'ORG002.md': ORG002 });
  const run = cli(dir, ['check', '--output-format', 'json', '--policy', path.join(policies, 'ORG002.md'), '.']);
  assert.equal(run.status, 1, run.stderr);
  const expected = JSON.parse(run.stdout);
  assert.ok(expected.some((f) => f.code === 'ORG002'), run.stdout);
  const result = sciguard.check(asInput(code), { policies: [{ name: 'ORG002.md', content: ORG002 }] });
  assert.deepEqual(result.findings, expected);
  assert.deepEqual(result.problems, []);
  // Without the policy, no ORG finding.
  assert.ok(!sciguard.check(asInput(code)).findings.some((f) => f.code.startsWith('ORG')));
});

test('a broken policy is reported with its file and line while the valid one still fires', () => {
  const code = { 'pipeline.py': 'import pandas as pd\nprices = pd.read_csv("http://data.example.org/prices.csv")\n' };
  const dir = folder(code);
  const policies = folder({ 'ORG002.md': ORG002, 'broken.md': BROKEN });
  const run = cli(dir, ['check', '--output-format', 'json',
    '--policy', path.join(policies, 'broken.md'), '--policy', path.join(policies, 'ORG002.md'), '.']);
  assert.equal(run.status, 2, 'an invalid policy fails the CLI run');
  const line = Number(/broken\.md:(\d+):/.exec(run.stderr)?.[1]);
  assert.ok(line > 0, run.stderr);
  const result = sciguard.check(asInput(code), {
    policies: [{ name: 'broken.md', content: BROKEN }, { name: 'ORG002.md', content: ORG002 }],
  });
  assert.deepEqual(result.findings, JSON.parse(run.stdout));
  assert.ok(result.findings.some((f) => f.code === 'ORG002'));
  assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
  const [problem] = result.problems;
  assert.equal(problem.kind, 'policy');
  assert.equal(problem.file, 'broken.md');
  assert.equal(problem.line, line);
  assert.match(problem.message, new RegExp(`^broken\\.md:${line}: .*pillar`));
});

test('applyFixes fixes what check --fix fixes, and leaves the same findings', () => {
  const files = {
    'loader.py': 'import yaml\n\n\ndef read(text):\n    return yaml.load(text)\n',
    'requirements.txt': 'pyyaml\n',
  };
  // The fix of SCI210 changes behaviour: only with unsafe fixes, as in the CLI.
  const safe = sciguard.applyFixes(asInput(files));
  assert.deepEqual(safe.changes, []);
  assert.match(cli(folder(files), ['check', '--fix', '.']).stderr, /no fixes to apply/);
  const dir = folder(files);
  const run = cli(dir, ['check', '--fix', '--unsafe-fixes', '--output-format', 'json', '.']);
  assert.match(run.stderr, /loader\.py: fixed 1 finding/);
  const result = sciguard.applyFixes(asInput(files), { unsafeFixes: true });
  assert.equal(result.changes.length, 1);
  assert.equal(result.changes[0].name, 'loader.py');
  assert.equal(result.changes[0].content, fs.readFileSync(path.join(dir, 'loader.py'), 'utf8'));
  assert.notEqual(result.changes[0].content, files['loader.py']);
  assert.deepEqual(result.findings, JSON.parse(run.stdout));
});

test('checklist gives the plan and the Markdown of sciguard checklist', () => {
  const dir = folder(PROJECT);
  const markdown = cli(dir, ['checklist', '--workflow', 'ingestion', '.']);
  assert.equal(markdown.status, 0, markdown.stderr);
  const json = cli(dir, ['checklist', '--workflow', 'ingestion', '--format', 'json', '.']);
  const result = sciguard.checklist(asInput(PROJECT), { workflow: 'ingestion' });
  assert.equal(result.markdown, markdown.stdout);
  assert.deepEqual(result.plan, JSON.parse(json.stdout));
  assert.ok(result.plan.phases.some((p) => p.items.some((i) => i.finding)), 'items from findings');
});

test('rules, rulePage and version are those of the CLI', () => {
  const dir = folder({});
  assert.deepEqual(sciguard.rules().rules, JSON.parse(cli(dir, ['rules', '--output-format', 'json']).stdout));
  const policies = folder({ 'ORG002.md': ORG002 });
  const withPolicy = cli(dir, ['rules', '--output-format', 'json', '--policy', path.join(policies, 'ORG002.md')]);
  const listed = sciguard.rules({ policies: [{ name: 'ORG002.md', content: ORG002 }] });
  assert.deepEqual(listed.rules, JSON.parse(withPolicy.stdout));
  assert.ok(listed.rules.some((r) => r.code === 'ORG002'));
  const page = sciguard.rulePage('numpy-load-allow-pickle');
  assert.equal(page.code, 'SCI202');
  assert.equal(page.markdown, cli(dir, ['rule', 'SCI202']).stdout);
  assert.equal(sciguard.rulePage('SCI999'), undefined);
  assert.equal(cli(dir, ['--version']).stdout.split(' ')[1], sciguard.version());
});

test('arguments of the wrong type throw an Error that says what is wrong', () => {
  const cases = [
    [() => sciguard.check('train.py'), /^sciguard\.check: files must be an array/],
    [() => sciguard.check(undefined), /^sciguard\.check: files must be an array/],
    [() => sciguard.check([{ name: 'a.py' }]), /missing field `content`/],
    [() => sciguard.check([{ name: 7, content: '' }]), /^sciguard\.check: files/],
    [() => sciguard.check([{ name: 'a.py', content: '', kind: 'cobol' }]), /unknown variant `cobol`/],
    [() => sciguard.check([{ name: 'a.py', content: '', knd: 'python' }]), /unknown field `knd`/],
    [() => sciguard.check([], 'edges'), /^sciguard\.check: options must be an object/],
    [() => sciguard.check([], { select: 'edges' }), /^sciguard\.check: options/],
    [() => sciguard.check([], { selct: ['edges'] }), /unknown field `selct`/],
    [() => sciguard.check([], { select: ['NOPE1'] }), /^sciguard\.check: options\.select: `NOPE1` matches no rule/],
    [() => sciguard.check([], { severity: 'urgent' }), /unknown variant `urgent`/],
    [() => sciguard.check([], { policies: ['ORG002.md'] }), /^sciguard\.check: options/],
    [() => sciguard.check([{ name: 'a.py', content: '' }, { name: 'a.py', content: '' }]), /two files are named `a\.py`/],
    [() => sciguard.checklist([], {}), /^sciguard\.checklist: options\.workflow/],
    [() => sciguard.applyFixes([], { workflow: 'x' }), /options\.workflow is an option of checklist\(\)/],
    [() => sciguard.rulePage(202), /^sciguard\.rulePage: code must be a string/],
    [() => sciguard.rules({ policies: 'x' }), /^sciguard\.rules: options/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof Error && message.test(e.message), String(message));
  }
  // The module still works after every one of them.
  assert.ok(sciguard.check([{ name: 'a.py', content: 'eval(input())\n' }]).findings.length > 0);
});

test('the TypeScript declarations type every function', () => {
  const dts = fs.readFileSync(path.join(npmDir, 'nodejs/sciguard.d.ts'), 'utf8');
  for (const signature of [
    'export function check(files: SourceFileInput[], options?: CheckOptions | null): CheckResult;',
    'export function checklist(files: SourceFileInput[], options: ChecklistOptions): ChecklistResult;',
    'export function applyFixes(files: SourceFileInput[], options?: FixOptions | null): FixResult;',
    'export function rules(options?: RulesOptions | null): RulesResult;',
    'export function rulePage(code: string, options?: RulesOptions | null): RulePage | undefined;',
    'export function version(): string;',
    'export interface Finding {',
  ]) {
    assert.ok(dts.includes(signature), `missing in sciguard.d.ts: ${signature}\n${dts.slice(-3000)}`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(npmDir, 'nodejs/package.json'), 'utf8'));
  assert.equal(pkg.version, sciguard.version());
  assert.equal(pkg.types, './sciguard.d.ts');
  for (const file of pkg.files) assert.ok(fs.existsSync(path.join(npmDir, 'nodejs', file)), file);
});
