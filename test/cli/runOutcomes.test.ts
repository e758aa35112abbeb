// How `doteval run` ends in the situations a user meets: shared fixtures, a failing fixture, a changed
// dataset, a corrupt store, evals named by their function.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const header = `import { foreach, fixture, Result } from 'doteval';\nimport { exactMatch } from 'doteval/evaluators';\n`;

test('doteval.fixtures.ts loads first; a run-scoped fixture is shared by every eval and torn down at the end', async () => {
	const dir = makeProject({
		'doteval.fixtures.ts': `import { fixture } from 'doteval';
import { appendFileSync } from 'node:fs';
let created = 0;
fixture('counter', () => ({ id: ++created }), { scope: 'run', teardown: () => appendFileSync(${JSON.stringify('TEARDOWN')}, 'down;') });
`.replace('"TEARDOWN"', JSON.stringify('teardown.log')),
		'sub/eval_one.ts': `${header}export const evalOne = foreach('n', [1, 2])(({ n, counter }) => new Result(exactMatch(String(counter.id), '1'), { prompt: String(n) }));\n`,
		'sub/eval_two.ts': `${header}export const evalTwo = foreach('n', [3])(({ n, counter }) => new Result(exactMatch(String(counter.id), '1'), { prompt: String(n) }));\n`,
	});
	const result = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'fx'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const ends = parseEvents(result.stdout).filter((e) => e.type === 'sample-end');
	assert.equal(ends.length, 3);
	assert.ok(
		ends.every((e) => e.type === 'sample-end' && e.passed === true),
		'one fixture value for both evals',
	);
	assert.equal(readFileSync(path.join(dir, 'teardown.log'), 'utf8'), 'down;');
});

test('a fixture whose setup throws fails the eval that needs it (exit 1), naming the fixture; the others run', async () => {
	const dir = makeProject({
		'eval_fx.ts': `${header}fixture('client', () => { throw new Error('OPENAI_API_KEY is not set'); });
export const evalNeedsClient = foreach('n', [1])(({ n, client }) => new Result(exactMatch(String(n), '1')));
export const evalPlain = foreach('n', [1])(({ n }) => new Result(exactMatch(String(n), '1')));
`,
	});
	const result = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'broken'], { cwd: dir });
	assert.equal(result.code, ExitCode.EvalFailed);
	assert.match(result.stderr, /evalNeedsClient.*client.*OPENAI_API_KEY is not set/s);
	const events = parseEvents(result.stdout);
	const statuses = Object.fromEntries(events.flatMap((e) => (e.type === 'eval-end' ? [[e.evalId, e.status]] : [])));
	assert.deepEqual(statuses, { 'eval_fx.ts::evalNeedsClient': 'failed', 'eval_fx.ts::evalPlain': 'completed' });
	const failed = events.find((e) => e.type === 'eval-end' && e.status === 'failed');
	assert.ok(failed?.type === 'eval-end');
	assert.match(failed.failure?.message ?? '', /client.*OPENAI_API_KEY is not set/s, 'the reason is in the stream too');
});

test('a changed dataset under the same experiment is refused (exit 1) unless --force', async () => {
	const dir = makeProject({ 'eval_data.ts': `${header}export const evalData = foreach('n', [1, 2, 3])(({ n }) => new Result(exactMatch(String(n), '1')));\n` });
	assert.equal((await runCli(['run', '--samples', '1', '--experiment', 'ds'], { cwd: dir })).code, ExitCode.Ok);
	const file = path.join(dir, 'eval_data.ts');
	// Row 0, the row the first run covered, changes.
	writeFileSync(file, readFileSync(file, 'utf8').replace('[1, 2, 3]', '[7, 2, 3]'));
	const refused = await runCli(['run', '--experiment', 'ds'], { cwd: dir });
	assert.equal(refused.code, ExitCode.EvalFailed);
	assert.match(refused.stderr, /eval_data\.ts::evalData: .*dataset.*changed.*--force/s);
	const refusedJsonl = await runCli(['run', '--experiment', 'ds', '--reporter', 'jsonl'], { cwd: dir });
	const types = parseEvents(refusedJsonl.stdout).map((e) => e.type);
	assert.deepEqual(types, ['run-start', 'eval-start', 'eval-end', 'run-end']);
	const refusedEnd = parseEvents(refusedJsonl.stdout)[2]!;
	assert.ok(refusedEnd.type === 'eval-end' && refusedEnd.status === 'failed' && /--force/.test(refusedEnd.failure?.message ?? ''));
	const forced = await runCli(['run', '--experiment', 'ds', '--force', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(forced.code, ExitCode.Ok, forced.stderr);
	assert.deepEqual(
		parseEvents(forced.stdout).flatMap((e) => (e.type === 'sample-end' ? [e.index] : [])),
		[1, 2],
	);
});

test('a corrupt store exits 4 and leaves the file as it was', async () => {
	const dir = makeProject({ 'eval_a.ts': `${header}export const evalA = foreach('n', [1])(({ n }) => new Result(exactMatch(String(n), '1')));\n` });
	const storage = path.join(dir, 'garbage.db');
	writeFileSync(storage, 'this is not a database, but it is somebody’s file');
	const result = await runCli(['run', '--storage', storage], { cwd: dir });
	assert.equal(result.code, ExitCode.StoreError);
	assert.match(result.stderr, /garbage\.db/);
	assert.equal(readFileSync(storage, 'utf8'), 'this is not a database, but it is somebody’s file');
});

test('an eval that is not exported is named by its function; an anonymous one is reported', async () => {
	const dir = makeProject({
		'eval_names.ts': `${header}foreach('n', [1])(function evalHidden({ n }) { return new Result(exactMatch(String(n), '1')); });
foreach('n', [1])(({ n }) => new Result(exactMatch(String(n), '1')));
export const evalShown = foreach('n', [1])(function innerName({ n }) { return new Result(exactMatch(String(n), '1')); });
`,
	});
	const result = await runCli(['run', '--list'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.deepEqual(result.stdout.trim().split('\n'), ['eval_names.ts::evalHidden', 'eval_names.ts::evalShown']);
	assert.match(result.stderr, /an eval has no name .*export it/);
	assert.equal(existsSync(path.join(dir, '.doteval')), false, '--list does not create a store');
});

test('the CLI exits when the run is over, even if an eval left a timer or socket open', async () => {
	const dir = makeProject({
		'eval_leak.ts': `${header}setInterval(() => {}, 1000); // a handle nobody closes
export const evalLeak = foreach('n', [1])(({ n }) => new Result(exactMatch(String(n), '1')));\n`,
	});
	const started = Date.now();
	const result = await runCli(['run', '--experiment', 'leak'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.ok(Date.now() - started < 15_000, 'did not hang on the open interval');
	assert.match(result.stdout, /evalLeak {2}completed/);
});
