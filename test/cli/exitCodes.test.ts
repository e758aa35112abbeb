// The CLI as a process: help, version, usage errors, load errors, no evals, selection and --list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, numbersEval, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const project = () =>
	makeProject({
		'eval_numbers.ts':
			numbersEval('evalNumbers', 4, 1) +
			numbersEval('evalMore', 3, 1)
				.replace(/^import .*\n/gm, '')
				.replace('const data', 'const data2')
				.replace("each('n', data)", "each('n', data2)")
				.replace('const each', 'const each2')
				.replace('= each(', '= each2('),
		'sub/checks.eval.ts': numbersEval('evalChecks', 2, 1),
		'helper.ts': 'export const x = 1;\n',
	});

test('--version and --help answer on stdout with exit 0', async () => {
	const version = await runCli(['--version'], { cwd: process.cwd() });
	assert.equal(version.code, ExitCode.Ok, version.stderr);
	assert.match(version.stdout, /^\d+\.\d+\.\d+/);
	const help = await runCli(['--help'], { cwd: process.cwd() });
	assert.equal(help.code, ExitCode.Ok, help.stderr);
	for (const name of ['run', 'list', 'show', 'rename', 'delete', 'diff', 'export']) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
	const bare = await runCli([], { cwd: process.cwd() });
	assert.equal(bare.code, ExitCode.Usage);
	assert.match(bare.stderr, /^Usage: doteval <command>/);
	const runHelp = await runCli(['run', '--help'], { cwd: process.cwd() });
	assert.equal(runHelp.code, ExitCode.Ok, runHelp.stderr);
	assert.match(runHelp.stdout, /--only-samples/);
});

test('an unknown command, an unknown option and a bad value are usage errors (exit 2)', async () => {
	const unknown = await runCli(['frobnicate'], { cwd: process.cwd() });
	assert.equal(unknown.code, ExitCode.Usage, unknown.stderr);
	assert.match(unknown.stderr, /unknown command 'frobnicate'/);
	const option = await runCli(['run', '--frob'], { cwd: process.cwd() });
	assert.equal(option.code, ExitCode.Usage, option.stderr);
	assert.match(option.stderr, /Unknown option '--frob'/);
	assert.match(option.stderr, /Usage: doteval run/);
	const value = await runCli(['run', '--samples', 'lots'], { cwd: process.cwd() });
	assert.equal(value.code, ExitCode.Usage, value.stderr);
	assert.match(value.stderr, /--samples expects a whole number ≥ 1, got 'lots'/);
	const reporter = await runCli(['run', '--reporter', 'xml'], { cwd: process.cwd() });
	assert.equal(reporter.code, ExitCode.Usage, reporter.stderr);
	assert.match(reporter.stderr, /--reporter: unknown reporter 'xml'; use pretty, jsonl, jsonl:FILE, junit:FILE or github/);
});

test('a folder without eval files exits 5 (no evals) and says what it looked for', async () => {
	const dir = makeProject({ 'notes.ts': 'export {};\n' });
	const result = await runCli(['run'], { cwd: dir });
	assert.equal(result.code, ExitCode.NoEvals, result.stderr);
	assert.match(result.stderr, /no eval files found .*\*\.eval\.ts, eval_\*\.ts/);
});

test('a TypeScript syntax error names file:line:column, exits 3, and is a load-error event', async () => {
	const dir = makeProject({ 'eval_ok.ts': numbersEval('evalOk', 2, 1), 'eval_broken.ts': 'const a: number = 1;\nexport const b = (a +;\n' });
	const pretty = await runCli(['run', '--storage', path.join(dir, 'store.db')], { cwd: dir });
	assert.equal(pretty.code, ExitCode.LoadError, pretty.stderr);
	assert.match(pretty.stdout, new RegExp(`could not load ${path.join(dir, 'eval_broken.ts').replace(/[.]/g, '\\.')}:2:22`));
	const jsonl = await runCli(['run', '--reporter', 'jsonl', '--storage', path.join(dir, 'store.db')], { cwd: dir });
	assert.equal(jsonl.code, ExitCode.LoadError, jsonl.stderr);
	const events = parseEvents(jsonl.stdout);
	const loadError = events.find((e) => e.type === 'load-error');
	assert.ok(loadError && loadError.type === 'load-error');
	assert.equal(loadError.file, path.join(dir, 'eval_broken.ts'));
	assert.deepEqual([loadError.line, loadError.column], [2, 22]);
	// the other file still ran, and the run's end carries the load-error exit code
	assert.ok(events.some((e) => e.type === 'eval-end' && e.evalId === 'eval_ok.ts::evalOk'));
	const end = events.at(-1)!;
	assert.ok(end.type === 'run-end' && end.exitCode === ExitCode.LoadError);
});

test('an eval file that throws at load time exits 3 with the error and the .ts line', async () => {
	const dir = makeProject({ 'eval_throws.ts': 'const x: number = 2;\nif (x > 1) throw new Error("no API key set");\nexport {};\n' });
	const result = await runCli(['run', '--storage', path.join(dir, 'store.db')], { cwd: dir });
	assert.equal(result.code, ExitCode.LoadError, result.stderr);
	assert.match(result.stdout, /no API key set/);
	assert.match(result.stdout, /eval_throws\.ts:2:\d+/);
});

test('--list prints ids relative to the project root; ::name and --filter select', async () => {
	const dir = project();
	const all = await runCli(['run', '--list'], { cwd: dir });
	assert.equal(all.code, ExitCode.Ok, all.stderr);
	assert.deepEqual(all.stdout.trim().split('\n'), ['eval_numbers.ts::evalNumbers', 'eval_numbers.ts::evalMore', 'sub/checks.eval.ts::evalChecks']);
	const one = await runCli(['run', '--list', 'eval_numbers.ts::evalMore'], { cwd: dir });
	assert.deepEqual(one.stdout.trim().split('\n'), ['eval_numbers.ts::evalMore']);
	const filtered = await runCli(['run', '--list', '--filter', 'Checks'], { cwd: path.join(dir, 'sub') });
	assert.deepEqual(filtered.stdout.trim().split('\n'), ['sub/checks.eval.ts::evalChecks']);
	const jsonl = await runCli(['run', '--list', '--reporter', 'jsonl', 'sub'], { cwd: dir });
	const listed = jsonl.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l));
	assert.equal(listed.length, 1);
	assert.equal(listed[0].type, 'eval-listed');
	assert.equal(listed[0].evalId, 'sub/checks.eval.ts::evalChecks');
	assert.equal(listed[0].file, path.join(dir, 'sub', 'checks.eval.ts'));
	assert.equal(listed[0].line, 6);
	assert.deepEqual(listed[0].strategy, { name: 'SlidingWindow', maxConcurrency: 1 });
});

test('a ::name that does not exist exits 5 and names the evals the file defines', async () => {
	const dir = project();
	const result = await runCli(['run', 'eval_numbers.ts::evalNope', '--list'], { cwd: dir });
	assert.equal(result.code, ExitCode.NoEvals, result.stderr);
	assert.match(result.stderr, /no eval named 'evalNope' in eval_numbers\.ts; it defines: evalNumbers, evalMore/);
	const filter = await runCli(['run', '--filter', 'zzz', '--storage', path.join(dir, 's.db')], { cwd: dir });
	assert.equal(filter.code, ExitCode.NoEvals, filter.stderr);
	assert.match(filter.stderr, /no eval id contains 'zzz'/);
});

test("JavaScript eval files run too, import.meta.url is the file's own, and no temporary bundle is left behind", async () => {
	const dir = makeProject({
		'data/rows.json': '[1, 2, 3]',
		'eval_plain.mjs': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { readFileSync } from 'node:fs';
const rows = JSON.parse(readFileSync(new URL('./data/rows.json', import.meta.url), 'utf8'));
export const evalPlain = foreach('n', rows)(({ n }) => new Result(exactMatch(typeof n, 'number')));
`,
		'eval_broken.ts': 'export const x = (1 +;\n',
		'eval_throws.ts': 'throw new Error("boom");\n',
	});
	const result = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'js'], { cwd: dir });
	assert.equal(result.code, ExitCode.LoadError, result.stderr);
	const ends = parseEvents(result.stdout).filter((e) => e.type === 'sample-end');
	assert.equal(ends.length, 3);
	assert.ok(ends.every((e) => e.type === 'sample-end' && e.passed === true));
	assert.deepEqual(
		readdirSync(dir).filter((f) => f.endsWith('.doteval.mjs')),
		[],
	);
});

test('a named eval in a file that throws while loading: the load error at the throwing line, no "defines no evals"', async () => {
	const file =
		"import { foreach, Result } from 'doteval';\nconst config: any = undefined;\n\nconst model = config.model.name;\nexport const evalX = foreach('a', [[1]])(() => new Result(model));\n";
	const dir = makeProject({ 'eval_typeerror.ts': file });
	const result = await runCli(['run', '--reporter', 'jsonl', 'eval_typeerror.ts::evalX', '--storage', path.join(dir, 'store.db')], { cwd: dir });
	assert.equal(result.code, ExitCode.LoadError, result.stderr);
	assert.doesNotMatch(result.stderr, /defines no evals/);
	const loadError = parseEvents(result.stdout).find((e) => e.type === 'load-error');
	assert.ok(loadError && loadError.type === 'load-error', result.stdout);
	assert.match(loadError.message, /^TypeError: Cannot read properties of undefined/);
	assert.deepEqual([loadError.line, loadError.column], [4, 22]);
});
