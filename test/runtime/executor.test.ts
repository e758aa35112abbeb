import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foreach, ForEach, Result, Score, accuracy } from '../../runtime/src/index.js';
import { datasetFingerprint } from '../../runtime/src/runner/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { SlidingWindow } from '../../runtime/src/concurrency/index.js';
import { run, delay } from './helpers.js';

test('row mapping: tuple by position, object by key, scalar to the single column', async () => {
	const seen: unknown[] = [];
	const tuples = foreach('a,b', [[1, 2, 'extra ignored']])(({ a, b }) => (seen.push([a, b]), new Result()));
	const objects = foreach('a,b', [{ b: 2, a: 1, c: 3 }, { a: 5 }])(({ a, b }) => (seen.push([a, b]), new Result()));
	const scalars = foreach('q', ['what?'])(({ q }) => (seen.push(q), new Result()));
	const objectAsSingle = foreach('doc', [{ title: 't' }])(({ doc }) => (seen.push(doc), new Result()));
	for (const e of [tuples, objects, scalars, objectAsSingle]) assert.equal((await run(e)).outcome.status, 'completed');
	assert.deepEqual(seen, [[1, 2], [1, 2], [5, undefined], 'what?', { title: 't' }]);
});

test('a row with fewer values than columns is an error record naming the row and both counts; the run goes on', async () => {
	const e = foreach('text,expected', [['a', 'a'], ['only one'], 'scalar', ['b', 'b']])(({ text, expected }) => new Result(exactMatch(text, expected)));
	const { outcome, samples } = await run(e);
	assert.equal(outcome.status, 'completed');
	const byIndex = new Map(samples.map((s) => [s.index, s]));
	assert.equal(byIndex.get(1)!.error!.type, 'RowMappingError');
	assert.match(byIndex.get(1)!.error!.message, /row 1 has 1 value but 2 columns are declared \(text, expected\)/);
	assert.equal(byIndex.get(1)!.attempts, 0);
	assert.match(byIndex.get(2)!.error!.message, /row 2 is a single value \(string\) but 2 columns/);
	assert.deepEqual([byIndex.get(0)!.passed, byIndex.get(3)!.passed], [true, true]);
	assert.equal(outcome.summary.errors, 2);
	assert.equal(outcome.summary.metrics[0]!.value, 0.5, 'errors count as failures');
	assert.equal(outcome.summary.metrics[0]!.valueExcludingErrors, 1);
});

test('return values: Result, bare Score (wrapped), and anything else is an error record saying what was expected', async () => {
	const returns: unknown[] = [
		new Result(new Score('s', true, [accuracy]), { prompt: 'p', modelResponse: 'm', metadata: { k: 1 } }),
		new Score('s', false, [accuracy]),
		undefined,
		'positive',
		{ scores: [] },
	];
	const e = foreach(
		'i',
		[0, 1, 2, 3, 4],
	)(function evalReturns({ i }) {
		return returns[i] as Result; // deliberately wrong at run time: what the executor makes of it
	});
	const { samples } = await run(e);
	const s = samples.sort((a, b) => a.index - b.index);
	assert.deepEqual([s[0]!.prompt, s[0]!.modelResponse, s[0]!.metadata, s[0]!.passed], ['p', 'm', { k: 1 }, true]);
	assert.deepEqual(s[1]!.scores, [{ name: 's', value: false, metrics: ['accuracy'], passed: false }]);
	assert.equal(s[2]!.error!.type, 'InvalidResultError');
	assert.match(s[2]!.error!.message, /evalReturns returned undefined \(did you forget `return`\?\); expected a Result/);
	assert.match(s[3]!.error!.message, /returned the string "positive"; expected a Result — return new Result\(exactMatch/);
	assert.match(s[4]!.error!.message, /returned a plain object/);
});

test('Result({ error }) marks the sample as errored (type ResultError) and keeps its scores', async () => {
	const e = foreach('x', ['{bad'])(({ x }) => new Result(exactMatch(x, '{}'), { error: 'model returned invalid JSON' }));
	const { samples, outcome } = await run(e);
	assert.deepEqual(samples[0]!.error, { type: 'ResultError', message: 'model returned invalid JSON' });
	assert.equal(samples[0]!.passed, false);
	assert.equal(samples[0]!.scores.length, 1);
	assert.deepEqual(outcome.summary.errorsByType, { ResultError: 1 });
});

test('Result rejects arguments that are not scores with a message naming the fix', () => {
	assert.throws(() => new Result(true as never), { name: 'TypeError', message: /Result expects Score objects .* argument 1 is the boolean true/ });
});

test('thrown errors become error records with type and message; the queue continues', async () => {
	const e = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 3 }), retries: false })(
		'i',
		[0, 1, 2, 3, 4, 5],
	)(async ({ i }) => {
		await delay(1);
		if (i % 2 === 1) throw new RangeError(`odd ${i}`);
		return new Result(exactMatch(i, i));
	});
	const { samples, outcome } = await run(e);
	assert.equal(samples.length, 6);
	assert.equal(outcome.status, 'completed');
	assert.deepEqual(outcome.summary.errorsByType, { RangeError: 3 });
	const err = samples.find((s) => s.index === 3)!.error!;
	assert.equal(err.message, 'odd 3');
	assert.match(err.stack ?? '', /RangeError: odd 3/);
});

test('skip, samples (a total) and only select the dataset indexes that run', async () => {
	const data = Array.from({ length: 10 }, (_, i) => i);
	const e = foreach('i', data)(({ i }) => new Result(exactMatch(i, i)));
	const first = await run(e, { samples: 4 });
	assert.deepEqual(
		first.samples.map((s) => s.index),
		[0, 1, 2, 3],
	);
	assert.equal(first.outcome.summary.total, 4);
	// Resume: 0..3 done; --samples 6 runs only the unfinished among the first 6.
	const resumed = await run(e, { samples: 6, skip: new Set([0, 1, 2, 3]) });
	assert.deepEqual(
		resumed.samples.map((s) => s.index),
		[4, 5],
	);
	assert.equal(resumed.outcome.summary.completed, 6);
	assert.equal(resumed.outcome.summary.total, 6);
	const only = await run(e, { only: new Set([7, 2]) });
	assert.deepEqual(
		only.samples.map((s) => s.index),
		[2, 7],
	);
	assert.equal(only.outcome.summary.total, 2);
});

test('timing: queued/started/finished, latency without back-off, queue time under a window', async () => {
	const e = new ForEach({ concurrency: 2 })(
		'i',
		[0, 1, 2, 3],
	)(async ({ i }) => {
		await delay(30);
		return new Result(exactMatch(i, i));
	});
	const { samples, starts, outcome } = await run(e);
	assert.equal(starts.length, 4);
	for (const s of samples) {
		assert.ok(s.timing.latencyMs >= 25, `latency ${s.timing.latencyMs}`);
		assert.ok(s.timing.queuedAt <= s.timing.startedAt && s.timing.startedAt <= s.timing.finishedAt);
		assert.equal(s.attempts, 1);
	}
	const late = samples.filter((s) => s.index >= 2);
	assert.ok(
		late.every((s) => s.timing.queueMs >= 20),
		`samples 2 and 3 waited for a slot: ${late.map((s) => s.timing.queueMs)}`,
	);
	assert.ok(outcome.summary.speedup > 1.3 && outcome.summary.speedup <= 2.1, `speedup ${outcome.summary.speedup}`);
	assert.ok(outcome.summary.latency!.p50 >= 25);
});

test('abort: no new samples start, in-flight ones finish and are reported, status interrupted', async () => {
	const controller = new AbortController();
	let started = 0;
	const e = new ForEach({ concurrency: 3 })(
		'i',
		Array.from({ length: 50 }, (_, i) => i),
	)(async ({ i }) => {
		started++;
		if (i === 4) controller.abort();
		await delay(20);
		return new Result(exactMatch(i, i));
	});
	const { samples, outcome } = await run(e, { signal: controller.signal });
	assert.equal(outcome.status, 'interrupted');
	assert.equal(samples.length, started, 'every started sample is reported');
	assert.ok(started >= 5 && started <= 7, `started ${started}`);
	assert.ok(samples.every((s) => s.error === null));
});

test('a lazy generator is consumed with bounded read-ahead (never materialized)', async () => {
	let pulled = 0;
	let maxAhead = 0;
	let finished = 0;
	function* endless() {
		for (let i = 0; ; i++) {
			pulled++;
			maxAhead = Math.max(maxAhead, pulled - finished);
			yield [i, i];
		}
	}
	const e = new ForEach({ concurrency: 4 })(
		'a,b',
		endless,
	)(async ({ a, b }) => {
		await delay(1);
		finished++;
		return new Result(exactMatch(a, b));
	});
	const { samples, outcome } = await run(e, { samples: 200 });
	assert.equal(samples.length, 200);
	assert.equal(outcome.status, 'completed');
	assert.ok(maxAhead <= 4 * 2 + 1, `read ahead ${maxAhead} rows`);
	assert.ok(pulled <= 201, `pulled ${pulled}`);
});

test('a one-shot async generator works and its fingerprint comes from the run', async () => {
	async function* rows() {
		for (let i = 0; i < 5; i++) yield { q: `q${i}`, a: `q${i}` };
	}
	const gen = rows();
	assert.equal(await datasetFingerprint(gen), null, 'one-shot datasets are not pre-read');
	const e = foreach('q,a', gen)(async ({ q, a }) => new Result(exactMatch(q, a)));
	const { outcome } = await run(e);
	assert.equal(outcome.summary.total, 5);
	const array = Array.from({ length: 5 }, (_, i) => ({ q: `q${i}`, a: `q${i}` }));
	assert.deepEqual(outcome.datasetFingerprint, await datasetFingerprint(array));
	assert.notDeepEqual(await datasetFingerprint(array, 4), await datasetFingerprint(array));
});

test('a dataset function is called at run time; a failing one fails the eval with a message', async () => {
	let calls = 0;
	const ok = foreach('x', () => (calls++, [1, 2]))(({ x }) => new Result(exactMatch(x, x)));
	assert.equal(calls, 0);
	assert.equal((await run(ok)).samples.length, 2);
	assert.equal(calls, 1);
	const bad = foreach('x', () => {
		throw new Error('no such file data.jsonl');
	})(function evalBadData({ x }) {
		return new Result(exactMatch(x, x));
	});
	const { outcome } = await run(bad);
	assert.equal(outcome.status, 'failed');
	assert.match(outcome.failure!.message, /dataset of evalBadData could not be opened: no such file data.jsonl/);
});

test('onSampleEnd throwing stops the run and fails it with the reason', async () => {
	const e = foreach('x', [1, 2, 3])(({ x }) => new Result(exactMatch(x, x)));
	const { outcome } = await run(e, {
		onSampleEnd: () => {
			throw new Error('disk full');
		},
	});
	assert.equal(outcome.status, 'failed');
	assert.match(outcome.failure!.message, /disk full/);
});

test('rows and metadata are made JSON-safe for the stream', async () => {
	const cyclic: Record<string, unknown> = { name: 'c' };
	cyclic.self = cyclic;
	const e = foreach('a,b', [[cyclic, 10n]])(({ a }) => new Result(new Score('s', true, [accuracy], { model: { call() {} }, a })));
	const { samples } = await run(e);
	assert.deepEqual(samples[0]!.row, { a: { name: 'c', self: '[Circular]' }, b: '10' });
	assert.doesNotThrow(() => JSON.stringify(samples[0]));
});

test('one sample at a time, each sample is recorded before the next starts; with several in flight, a finished sample is recorded after its successor started', async () => {
	const order = (concurrency: ForEach) => {
		const events: string[] = [];
		const e = concurrency(
			'n',
			[0, 1, 2, 3],
		)(async ({ n }) => {
			await delay(5);
			return new Result(exactMatch(n, n));
		});
		return { e, events };
	};
	const one = order(new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 1 }) }));
	const sequential = await run(one.e, { onSampleStart: (i) => one.events.push(`start ${i}`), onSampleEnd: (s) => one.events.push(`end ${s.index}`) });
	assert.equal(sequential.outcome.summary.completed, 4);
	assert.deepEqual(one.events, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);

	// Two in flight, four rows: sample 0's slot goes to sample 2 before sample 0's record is made.
	const two = order(new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 2 }) }));
	const windowed = await run(two.e, { onSampleStart: (i) => two.events.push(`start ${i}`), onSampleEnd: (s) => two.events.push(`end ${s.index}`) });
	assert.equal(windowed.outcome.summary.completed, 4);
	assert.ok(two.events.indexOf('start 2') < two.events.indexOf('end 0'), two.events.join(', '));
	assert.deepEqual(
		two.events.filter((e) => e.startsWith('end')).sort(),
		['end 0', 'end 1', 'end 2', 'end 3'],
		'every sample is recorded once, the last ones at the run end',
	);
});
