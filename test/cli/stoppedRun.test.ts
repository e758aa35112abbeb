// A run that cannot finish must not look like a success: a promise that never settles, a
// process.exit() in the eval, an unhandled rejection (a forgotten `await`).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

// Three samples in flight at once, so the others finish while one is stuck.
const evalFile = (name: string, body: string) => `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const each = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 3 }) });
export const ${name} = each('n', [0, 1, 2])(async ({ n }) => {
${body}
	return new Result(exactMatch(String(n), String(n)));
});
`;

test('an eval awaiting a promise that never settles: exit 130, names the sample, keeps the finished ones, resumable', async () => {
	const dir = makeProject({ 'eval_hang.ts': evalFile('evalHang', '\tif (n === 1) await new Promise(() => {});') });
	const result = await runCli(['run', '--experiment', 'hang', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Interrupted, result.stderr);
	assert.match(result.stderr, /eval_hang\.ts::evalHang.*sample 1\b.*never settle/s);
	assert.match(result.stderr, /resume with:/);
	const events = parseEvents(result.stdout);
	const end = events.find((e) => e.type === 'eval-end');
	assert.ok(end?.type === 'eval-end' && end.status === 'interrupted', JSON.stringify(end));
	const runEnd = events.at(-1)!;
	assert.ok(runEnd.type === 'run-end' && runEnd.exitCode === ExitCode.Interrupted && runEnd.status === 'interrupted');
	const done = events.flatMap((e) => (e.type === 'sample-end' ? [e.index] : [])).sort();
	assert.deepEqual(done, [0, 2]);
	const show = await runCli(['show', 'hang', '--json', '--full'], { cwd: dir });
	assert.equal(show.code, ExitCode.Ok, show.stderr);
	const stored = (JSON.parse(show.stdout) as { evaluations: { samples: { index: number }[] }[] }).evaluations[0]!.samples.map((s) => s.index).sort();
	assert.deepEqual(stored, [0, 2]);

	const pretty = await runCli(['run', '--experiment', 'hang2'], { cwd: dir });
	assert.equal(pretty.code, ExitCode.Interrupted, pretty.stderr);
	assert.match(pretty.stderr, /sample 1\b.*never settle/s);
});

test('process.exit(0) inside an eval: exit 130 and a message naming the sample that was running', async () => {
	const dir = makeProject({ 'eval_exit.ts': evalFile('evalExit', '\tif (n === 1) { await new Promise((r) => setTimeout(r, 20)); process.exit(0); }') });
	const result = await runCli(['run', '--experiment', 'exits', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Interrupted, result.stderr);
	assert.match(result.stderr, /process\.exit\(0\).*eval_exit\.ts::evalExit.*sample 1\b/s);
	const show = await runCli(['show', 'exits', '--json', '--full'], { cwd: dir });
	assert.equal(show.code, ExitCode.Ok, show.stderr);
	const stored = (JSON.parse(show.stdout) as { evaluations: { samples: { index: number }[] }[] }).evaluations[0]!.samples.map((s) => s.index);
	assert.ok(stored.includes(0), 'the sample finished before the exit is stored');
});

test("an unhandled rejection in a running sample becomes that sample's error record; the run goes on", async () => {
	const dir = makeProject({
		'eval_rej.ts': evalFile('evalRej', "\tif (n === 1) { Promise.reject(new TypeError('forgotten await')); await new Promise((r) => setTimeout(r, 200)); }"),
	});
	const result = await runCli(['run', '--experiment', 'rej', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.doesNotMatch(result.stderr, /Node\.js v/);
	const samples = parseEvents(result.stdout).flatMap((e) => (e.type === 'sample-end' ? [e] : []));
	assert.equal(samples.length, 3);
	const bad = samples.find((s) => s.index === 1)!;
	assert.equal(bad.error?.type, 'TypeError');
	assert.match(bad.error?.message ?? '', /forgotten await.*unhandled rejection/s);
	assert.ok(samples.filter((s) => s.index !== 1).every((s) => s.error === null));
});

test('an unhandled rejection after its sample finished, or outside any sample, is a clear warning, not a crash', async () => {
	const dir = makeProject({
		'eval_late.ts': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
setTimeout(() => { Promise.reject(new Error('from a module timer')); }, 10);
export const evalLate = foreach('n', [0, 1])(async ({ n }) => {
	if (n === 0) setTimeout(() => { Promise.reject(new Error('late rejection')); }, 150);
	else await new Promise((r) => setTimeout(r, 400));
	return new Result(exactMatch(String(n), String(n)));
});
`,
	});
	const result = await runCli(['run', '--experiment', 'late', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.match(result.stderr, /warning: eval_late\.ts::evalLate sample 0: .*unhandled rejection.*late rejection/s);
	assert.match(result.stderr, /unhandled rejection outside any sample.*from a module timer/s);
	assert.doesNotMatch(result.stderr, /Node\.js v/);
});
