// Ctrl+C and kill -9 during a real `doteval run`, then resume: every sample stored exactly once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode, type RunEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, numbersEval, parseEvents, runCli, startCli, waitFor } from './helpers.ts';

before(ensureBuilt);

const rows = 40;
const sampleEnds = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'sample-end' ? [e.index] : []));

async function storedIndexes(dir: string, experiment: string): Promise<number[]> {
	const show = await runCli(['show', experiment, '--json', '--full'], { cwd: dir });
	assert.equal(show.code, ExitCode.Ok, show.stderr);
	const parsed = JSON.parse(show.stdout) as { evaluations: { status: string; samples: { index: number }[] }[] };
	assert.equal(parsed.evaluations.length, 1);
	return parsed.evaluations[0]!.samples.map((s) => s.index);
}

test('first Ctrl+C: in-flight samples finish and are stored, exit 130 with the resume command; resuming completes the rest', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', rows, 60, 4) });
	const run = startCli(['run', '--reporter', 'jsonl', '--experiment', 'ctrlc'], { cwd: dir });
	await waitFor(() => run.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 8, 20_000, '8 finished samples');
	run.child.kill('SIGINT');
	const first = await run.done;
	assert.equal(first.code, ExitCode.Interrupted, first.stderr);
	const events = parseEvents(first.stdout);
	const started = new Set(events.flatMap((e) => (e.type === 'sample-start' ? [e.index] : [])));
	const done = sampleEnds(events);
	assert.deepEqual(
		[...started].sort((a, b) => a - b),
		[...done].sort((a, b) => a - b),
		'every started sample finished and was reported',
	);
	assert.ok(done.length < rows, `stopped early (${done.length} of ${rows})`);
	const evalEnd = events.find((e) => e.type === 'eval-end');
	assert.ok(evalEnd?.type === 'eval-end' && evalEnd.status === 'interrupted');
	const runEnd = events.at(-1)!;
	assert.ok(runEnd.type === 'run-end' && runEnd.status === 'interrupted' && runEnd.exitCode === ExitCode.Interrupted);
	assert.match(runEnd.resumeCommand ?? '', /run --reporter jsonl --experiment ctrlc$/);
	assert.match(first.stderr, /resume with:\n {2}.*run --reporter jsonl --experiment ctrlc/);

	const second = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'ctrlc'], { cwd: dir });
	assert.equal(second.code, ExitCode.Ok, second.stderr);
	assert.match(second.stderr, new RegExp(`resuming eval_a\\.ts::evalA: ${done.length} of ${rows} done`));
	const rest = sampleEnds(parseEvents(second.stdout));
	assert.deepEqual(
		rest.filter((i) => done.includes(i)),
		[],
		'no completed sample runs twice',
	);
	assert.equal(done.length + rest.length, rows);
	const stored = await storedIndexes(dir, 'ctrlc');
	assert.deepEqual(
		[...stored].sort((a, b) => a - b),
		Array.from({ length: rows }, (_, i) => i),
		'each sample stored exactly once',
	);
});

test('second Ctrl+C exits at once with 130', async () => {
	const dir = makeProject({ 'eval_slow.ts': numbersEval('evalSlow', 4, 5_000, 2) });
	const run = startCli(['run', '--reporter', 'jsonl', '--experiment', 'twice'], { cwd: dir });
	await waitFor(() => run.stdoutLines().filter((l) => l.includes('"sample-start"')).length >= 2, 20_000, 'samples to start');
	run.child.kill('SIGINT');
	await new Promise((r) => setTimeout(r, 200));
	const t0 = Date.now();
	run.child.kill('SIGINT');
	const result = await run.done;
	assert.equal(result.code, ExitCode.Interrupted);
	assert.ok(Date.now() - t0 < 2_000, 'did not wait for the 5 s samples');
	assert.match(result.stderr, /exiting now/);
	assert.equal(
		parseEvents(result.stdout).some((e) => e.type === 'sample-end'),
		false,
		'the 5 s samples were not waited for',
	);
});

test('kill -9 mid-run, then resume: the store opens and no sample is stored twice', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', rows, 60, 4) });
	const run = startCli(['run', '--reporter', 'jsonl', '--experiment', 'killed'], { cwd: dir });
	await waitFor(() => run.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 12, 20_000, '12 finished samples');
	run.child.kill('SIGKILL');
	const first = await run.done;
	assert.equal(first.signal, 'SIGKILL');
	const done = sampleEnds(parseEvents(first.stdout.split('\n').slice(0, -1).join('\n')));

	const second = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'killed'], { cwd: dir });
	assert.equal(second.code, ExitCode.Ok, second.stderr);
	const events = parseEvents(second.stdout);
	const start = events.find((e) => e.type === 'eval-start');
	assert.ok(start?.type === 'eval-start');
	assert.ok(start.alreadyDone > 0 && start.alreadyDone <= done.length, `resumed ${start.alreadyDone} of the ${done.length} reported before the kill`);
	assert.equal(start.alreadyDone + sampleEnds(events).length, rows);
	const stored = await storedIndexes(dir, 'killed');
	assert.deepEqual(
		[...stored].sort((a, b) => a - b),
		Array.from({ length: rows }, (_, i) => i),
		'each sample stored exactly once',
	);
});

test('Ctrl+C also stops a sync eval that blocks the thread (the tutorial step 1 model)', async () => {
	const dir = makeProject({
		'eval_block.ts': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
export const evalBlock = foreach('n', Array.from({ length: 20 }, (_, i) => i))(({ n }) => {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
	return new Result(exactMatch(String(n), String(n)));
});
`,
	});
	const run = startCli(['run', '--reporter', 'jsonl', '--experiment', 'sync'], { cwd: dir });
	await waitFor(() => run.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 3, 20_000, '3 finished samples');
	run.child.kill('SIGINT');
	const result = await run.done;
	assert.equal(result.code, ExitCode.Interrupted, result.stderr);
	const done = sampleEnds(parseEvents(result.stdout));
	assert.ok(done.length < 20, `stopped after ${done.length} of 20 samples`);
});

test('SIGTERM is treated like Ctrl+C', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', rows, 60, 4) });
	const run = startCli(['run', '--reporter', 'jsonl', '--experiment', 'term'], { cwd: dir });
	await waitFor(() => run.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 4, 20_000, '4 finished samples');
	run.child.kill('SIGTERM');
	const result = await run.done;
	assert.equal(result.code, ExitCode.Interrupted, result.stderr);
	assert.match(result.stderr, /SIGTERM: finishing the samples in flight/);
	const end = parseEvents(result.stdout).find((e) => e.type === 'eval-end');
	assert.ok(end?.type === 'eval-end' && end.status === 'interrupted');
});
