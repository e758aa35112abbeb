// `doteval run --reporter jsonl`: the event stream a consumer (the editor) parses.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode, protocolVersion, type RunEvent, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, numbersEval, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e) => e.type === type) as Extract<RunEvent, { type: T }>[];

test('the stream: run-start, then per eval eval-start, sample events, eval-end, then run-end', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', 6, 5, 3), 'eval_b.ts': numbersEval('evalB', 4, 1) });
	const result = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'stream'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.equal(result.stderr.includes('{"type"'), false, 'no events on stderr');
	const events = parseEvents(result.stdout);
	const start = events[0]!;
	assert.ok(start.type === 'run-start');
	assert.equal(start.protocolVersion, protocolVersion);
	assert.equal(start.experiment, 'stream');
	assert.equal(start.storage, path.join(dir, '.doteval'));
	assert.equal(start.projectRoot, dir);
	const end = events.at(-1)!;
	assert.ok(end.type === 'run-end' && end.status === 'completed' && end.exitCode === 0);

	for (const [evalId, rows] of [
		['eval_a.ts::evalA', 6],
		['eval_b.ts::evalB', 4],
	] as const) {
		const own = events.filter((e) => 'evalId' in e && e.evalId === evalId);
		assert.equal(own[0]!.type, 'eval-start');
		assert.equal(own.at(-1)!.type, 'eval-end');
		const evalStart = own[0] as Extract<RunEvent, { type: 'eval-start' }>;
		assert.equal(evalStart.total, rows);
		assert.equal(evalStart.alreadyDone, 0);
		assert.equal(evalStart.file, path.join(dir, evalId.split('::')[0]!));
		assert.equal(evalStart.line, 6);
		const ends = ofType(own, 'sample-end');
		assert.deepEqual(
			ends.map((e) => e.index).sort((a, b) => a - b),
			Array.from({ length: rows }, (_, i) => i),
			'one sample-end per sample',
		);
		for (const sample of ends) {
			const started = own.findIndex((e) => e.type === 'sample-start' && e.index === sample.index);
			assert.ok(started > 0 && started < own.indexOf(sample), 'sample-start comes before its sample-end');
			assert.deepEqual(sample.row, { n: sample.index });
			assert.equal(sample.prompt, `n=${sample.index}`);
			assert.equal(sample.passed, sample.index % 2 === 0);
			assert.equal(sample.attempts, 1);
			const t = sample.timing;
			assert.ok(t.queuedAt <= t.startedAt && t.startedAt <= t.finishedAt, 'epoch times in order');
			assert.ok(t.latencyMs >= 0 && t.queueMs >= 0 && t.backoffMs === 0);
		}
		const evalEnd = own.at(-1) as Extract<RunEvent, { type: 'eval-end' }>;
		assert.equal(evalEnd.status, 'completed');
		assert.equal(evalEnd.summary.completed, rows);
		assert.equal(evalEnd.summary.metrics[0]!.value, Math.ceil(rows / 2) / rows);
	}
	// evalA's samples wait 5 ms in a window of 3: they overlap
	const evalAEnd = ofType(events, 'eval-end').find((e) => e.evalId === 'eval_a.ts::evalA')!;
	assert.equal(evalAEnd.summary.maxInFlight, 3);
	assert.deepEqual(evalAEnd.summary.strategy, { name: 'SlidingWindow', maxConcurrency: 3 });
});

test('--samples, --only-samples and --concurrency shape what runs', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', 10, 2) });
	const first = parseEvents((await runCli(['run', '--reporter', 'jsonl', '--samples', '3', '--experiment', 'x'], { cwd: dir })).stdout);
	assert.deepEqual(
		ofType(first, 'sample-end').map((e) => e.index),
		[0, 1, 2],
	);
	assert.equal(ofType(first, 'eval-start')[0]!.total, 3);
	const only = parseEvents((await runCli(['run', '--reporter', 'jsonl', '--only-samples', '7,5', '--experiment', 'y'], { cwd: dir })).stdout);
	assert.deepEqual(
		ofType(only, 'sample-end')
			.map((e) => e.index)
			.sort(),
		[5, 7],
	);
	const onlyAgain = await runCli(['run', '--reporter', 'jsonl', '--only-samples', '7,5,1', '--experiment', 'y'], { cwd: dir });
	assert.match(onlyAgain.stderr, /resuming eval_a\.ts::evalA: 2 of 3 done/);
	const again = parseEvents(onlyAgain.stdout);
	assert.equal(ofType(again, 'eval-start')[0]!.alreadyDone, 2);
	assert.deepEqual(
		ofType(again, 'sample-end').map((e) => e.index),
		[1],
	);
	const wide = parseEvents((await runCli(['run', '--reporter', 'jsonl', '--concurrency', '5', '--experiment', 'z'], { cwd: dir })).stdout);
	const summary = ofType(wide, 'eval-end')[0]!.summary;
	assert.deepEqual(ofType(wide, 'eval-start')[0]!.strategy, { name: 'SlidingWindow', maxConcurrency: 5 });
	assert.ok(summary.maxInFlight > 1 && summary.maxInFlight <= 5, `max in flight ${summary.maxInFlight}`);
});

test('running an experiment again resumes it: completed samples are skipped, and said so', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', 8, 1) });
	await runCli(['run', '--samples', '5', '--experiment', 'again'], { cwd: dir });
	const second = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'again'], { cwd: dir });
	assert.equal(second.code, ExitCode.Ok, second.stderr);
	assert.match(second.stderr, /resuming eval_a\.ts::evalA: 5 of 8 done/);
	const events = parseEvents(second.stdout);
	assert.equal(ofType(events, 'eval-start')[0]!.alreadyDone, 5);
	assert.deepEqual(
		ofType(events, 'sample-end').map((e: SampleEndEvent) => e.index),
		[5, 6, 7],
	);
	const summary = ofType(events, 'eval-end')[0]!.summary;
	assert.equal(summary.completed, 8, 'the summary counts the earlier run too');
	assert.equal(summary.metrics[0]!.value, 0.5);
});

test('the pretty reporter (not a terminal) prints a summary per eval and no escape codes', async () => {
	const dir = makeProject({ 'eval_a.ts': numbersEval('evalA', 4, 1) });
	const result = await runCli(['run'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.equal(result.stdout.includes('\x1b['), false);
	assert.match(result.stdout, /✓ eval_a\.ts::evalA {2}completed/);
	assert.match(result.stdout, /exactMatch accuracy 0\.500/);
	assert.match(result.stdout, /4 of 4 done, 0 errors/);
	assert.match(result.stdout, /samples\/s · latency p50 /);
	assert.match(result.stderr, /stored as experiment \d{8}_\d{6}_[0-9a-f]{8}; see it with: doteval show /);
});
