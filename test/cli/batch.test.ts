// Batch evals as a user meets them: `doteval run` as a process over a `batch(...)` eval. Each row is
// its own record; a failed batch errors its rows, which resume runs again; retries are per batch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode, type SampleEndEvent, type SampleStartEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

// 10 rows in batches of 3 (the last of 1). FAIL_BATCH names a row whose batch throws; SHAPE picks
// what the function returns: one Result per row (default), one for all, or too few.
const evalFile = `import { batch, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { appendFileSync } from 'node:fs';
const rows = Array.from({ length: 10 }, (_, i) => ({ text: 't' + i, expected: i % 2 ? 'odd' : 'even' }));
let failures = Number(process.env.FAILURES ?? '1000');
export const evalBatched = batch('text,expected', rows, { batchSize: 3, concurrency: 2, retries: { attempts: Number(process.env.ATTEMPTS ?? '1'), baseDelayMs: 1 } })(async ({ text, expected }) => {
	appendFileSync('calls.log', text.join(',') + '\\n');
	if (process.env.FAIL_BATCH && text.includes(process.env.FAIL_BATCH) && failures-- > 0) throw Object.assign(new Error('batch API down'), { status: 503 });
	await new Promise((r) => setTimeout(r, 20));
	const predict = (t) => (Number(t.slice(1)) % 2 ? 'odd' : 'even');
	if (process.env.SHAPE === 'one') return new Result(exactMatch('even', 'even'));
	if (process.env.SHAPE === 'short') return [new Result(exactMatch('a', 'a'))];
	return text.map((t, i) => new Result(exactMatch(predict(t), expected[i]), { prompt: t }));
});
`;

const run = async (dir: string, env: Record<string, string> = {}) => {
	const result = await runCli(['run', '--experiment', 'b', '--storage', path.join(dir, 'store.db'), '--reporter', 'jsonl'], { cwd: dir, env });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const events = parseEvents(result.stdout);
	return { events, ends: events.filter((e): e is SampleEndEvent => e.type === 'sample-end').sort((a, b) => a.index - b.index) };
};

test('batchSize 3 over 10 rows: 10 records, one failed batch gives 3 error records, resume runs just those', async () => {
	const dir = makeProject({ 'eval_batch.ts': evalFile });
	const { ends } = await run(dir, { FAIL_BATCH: 't4' });
	assert.deepEqual(
		ends.map((e) => e.index),
		[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
	);
	assert.deepEqual(
		ends.filter((e) => e.error).map((e) => [e.index, e.error!.message]),
		[
			[3, 'batch API down'],
			[4, 'batch API down'],
			[5, 'batch API down'],
		],
	);
	assert.ok(ends.filter((e) => !e.error).every((e) => e.passed === true && e.scores[0]!.name === 'exactMatch'));
	// Timing per batch (metadata.batch) and per sample (its share of the batch's time).
	const batch = (e: SampleEndEvent) => e.metadata!.batch as { number: number; size: number; first: number; latencyMs: number };
	assert.deepEqual(
		ends.map((e) => [batch(e).size, batch(e).first]),
		[
			[3, 0],
			[3, 0],
			[3, 0],
			[3, 3],
			[3, 3],
			[3, 3],
			[3, 6],
			[3, 6],
			[3, 6],
			[1, 9],
		],
	);
	const first = ends[0]!;
	assert.ok(batch(first).latencyMs >= 15, `batch latency ${batch(first).latencyMs}`);
	assert.ok(Math.abs(first.timing.latencyMs * 3 - batch(first).latencyMs) < 0.01, 'each row carries its share of the batch time');

	const again = await run(dir);
	assert.deepEqual(
		again.ends.map((e) => [e.index, e.error, e.passed]),
		[
			[3, null, true],
			[4, null, true],
			[5, null, true],
		],
	);
	const eventStart = again.events.find((e) => e.type === 'eval-start') as { alreadyDone: number };
	assert.equal(eventStart.alreadyDone, 7);
	const { readFileSync } = await import('node:fs');
	assert.equal(readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n').at(-1), 't3,t4,t5', 'the resumed rows ran as one batch');
});

test('a batch is retried as a unit: every attempt is reported for each of its rows', async () => {
	const dir = makeProject({ 'eval_batch.ts': evalFile });
	const { events, ends } = await run(dir, { FAIL_BATCH: 't7', FAILURES: '1', ATTEMPTS: '3' });
	assert.ok(
		ends.every((e) => e.error === null),
		JSON.stringify(ends.map((e) => e.error)),
	);
	assert.deepEqual(
		ends.map((e) => e.attempts),
		[1, 1, 1, 1, 1, 1, 2, 2, 2, 1],
	);
	const starts = events
		.filter((e): e is SampleStartEvent => e.type === 'sample-start' && e.index >= 6 && e.index <= 8)
		.map((e) => `${e.index}/${e.attempt}`)
		.sort();
	assert.deepEqual(starts, ['6/1', '6/2', '7/1', '7/2', '8/1', '8/2']);
});

test('one Result for the whole batch scores every row; the wrong number of results errors the batch with the fix', async () => {
	const one = await run(makeProject({ 'eval_batch.ts': evalFile }), { SHAPE: 'one' });
	assert.equal(one.ends.length, 10);
	assert.ok(one.ends.every((e) => e.passed === true));
	const short = await run(makeProject({ 'eval_batch.ts': evalFile }), { SHAPE: 'short' });
	assert.equal(short.ends.length, 10);
	const errors = short.ends.map((e) => e.error);
	assert.ok(
		errors
			.slice(0, 9)
			.every(
				(e) =>
					e?.type === 'InvalidResultError' &&
					/returned 1 result for a batch of 3 rows; return one Result per row, in the rows' order, or one Result for the whole batch/.test(e.message),
			),
	);
	assert.equal(errors[9], null, 'the last batch has one row, so one result fits');
});

test('a bad batchSize is a load error naming what it takes', async () => {
	const dir = makeProject({ 'eval_batch.ts': evalFile.replace('batchSize: 3', 'batchSize: 0') });
	const result = await runCli(['run', '--storage', path.join(dir, 'store.db')], { cwd: dir });
	assert.equal(result.code, ExitCode.LoadError);
	assert.match(result.stdout, /batch: batchSize must be a whole number ≥ 1 \(rows per call\), such as \{ batchSize: 8 \}; got the number 0/);
});

test('trials with a batch eval: every (row, trial) once, a batch holds rows of one trial, resume runs just the failed batch of one trial', async () => {
	// No retries: the first batch holding t4 (trial 0 or 1, whichever starts first) errors, the other trial's passes.
	const withTrials = evalFile.replace(/retries: \{[^}]*\}/, 'retries: false, trials: 2');
	assert.notEqual(withTrials, evalFile);
	const dir = makeProject({ 'eval_batch.ts': withTrials });
	const { ends } = await run(dir, { FAIL_BATCH: 't4', FAILURES: '1' });
	const key = (e: SampleEndEvent) => `${e.index}/${e.trial ?? 0}`;
	assert.deepEqual(ends.map(key).sort(), Array.from({ length: 20 }, (_, i) => `${i >> 1}/${i % 2}`).sort(), 'ten rows × two trials, each once');
	const batches = new Map<number, Set<number>>();
	for (const e of ends) {
		const number = (e.metadata!.batch as { number: number }).number;
		batches.set(number, (batches.get(number) ?? new Set()).add(e.trial ?? 0));
	}
	assert.equal(batches.size, 8, 'four batches (3 + 3 + 3 + 1 rows) per trial');
	assert.ok(
		[...batches.values()].every((trials) => trials.size === 1),
		'no batch mixes trials',
	);
	const failed = ends.filter((e) => e.error);
	assert.equal(failed.length, 3);
	assert.equal(new Set(failed.map((e) => e.trial ?? 0)).size, 1, 'the failed batch is of one trial');
	const failedTrial = failed[0]!.trial ?? 0;

	const again = await run(dir);
	assert.deepEqual(
		again.ends.map((e) => [key(e), e.error, e.passed]),
		[3, 4, 5].map((i) => [`${i}/${failedTrial}`, null, true]),
		'only the failed batch ran again, as its trial',
	);
	const end = again.events.find((e) => e.type === 'eval-end') as { summary: { completed: number; errors: number; trials: { k: number; rows: number } } };
	assert.equal(end.summary.completed, 20);
	assert.equal(end.summary.errors, 0);
	assert.equal(end.summary.trials.k, 2);
	assert.equal(end.summary.trials.rows, 10);
});
