import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvalSummary, formatLiveLine, formatMetric, formatLoadError, formatStrategy } from '../../runtime/src/reporters/prettyFormat.ts';
import type { EvalEndEvent, EvalStartEvent } from '../../runtime/src/protocol/events.ts';

test('a metric shows its standard error, interval and the value excluding errors', () => {
	assert.equal(
		formatMetric({ score: 'exactMatch', metric: 'accuracy', value: 0.75, stderr: 0.1637, ci95: [0.429, 1], valueExcludingErrors: 0.857 }),
		'exactMatch accuracy 0.750  [95% CI 0.429, 1.000]  (0.857 excluding errors)',
	);
	assert.equal(formatMetric({ score: 'judge', metric: 'mean', value: 3.5, stderr: 0.25 }), 'judge mean 3.500 ± 0.250');
});

const start: EvalStartEvent = {
	type: 'eval-start',
	evalId: 'eval_a.ts::evalA',
	name: 'evalA',
	file: '/p/eval_a.ts',
	line: 3,
	total: 8,
	alreadyDone: 3,
	strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
	async: true,
	at: 0,
};

const end: EvalEndEvent = {
	type: 'eval-end',
	evalId: 'eval_a.ts::evalA',
	status: 'completed',
	at: 0,
	summary: {
		total: 8,
		completed: 8,
		errors: 2,
		errorsByType: { TypeError: 1, RateLimitError: 1 },
		metrics: [{ score: 'exactMatch', metric: 'accuracy', value: 0.75 }],
		wallMs: 2012,
		samplesPerSecond: 3.976,
		latency: { mean: 1000, p50: 1001, p90: 1003, p95: 1004, p99: 1005, max: 1005 },
		strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
		maxInFlight: 4,
		speedup: 3.98,
		retries: 1,
		backoffMs: 250,
	},
};

test('strategies: Sequential alone, windows with their size', () => {
	assert.equal(formatStrategy({ name: 'Sequential', maxConcurrency: 1 }), 'Sequential');
	assert.equal(formatStrategy({ name: 'SlidingWindow', maxConcurrency: 4 }), 'SlidingWindow(maxConcurrency=4)');
});

test('the summary of an evaluation has metrics, errors by type, timing and concurrency', () => {
	assert.equal(
		formatEvalSummary(end, start),
		[
			'✓ eval_a.ts::evalA  completed',
			'  metric      exactMatch accuracy 0.750',
			'  samples     8 of 8 done, 2 errors (3 from earlier runs)',
			'  errors      TypeError ×1, RateLimitError ×1',
			'  time        2.01 s wall · 3.98 samples/s · latency p50 1.00 s, p95 1.00 s',
			'  concurrency SlidingWindow(maxConcurrency=4) · max in flight 4 · speedup 3.98× · 1 retry (250 ms back-off)',
			'',
		].join('\n'),
	);
});

test('an interrupted evaluation is marked as such', () => {
	assert.match(formatEvalSummary({ ...end, status: 'interrupted' }, undefined), /^■ eval_a\.ts::evalA {2}interrupted/);
});

test('the live line shows done/total, errors, live accuracy, elapsed and ETA', () => {
	const line = formatLiveLine({ label: 'evalE', total: 10, alreadyDone: 2, doneNow: 4, errors: 1, passed: 3, judged: 4, startedMs: 0 }, 2000);
	assert.equal(line, 'evalE 6/10 · 1 error · accuracy 0.750 · elapsed 2.00 s · ETA 2.00 s');
});

test('a worker sharing the experiment shows what all workers stored, with the ETA of their joint rate', () => {
	// This worker ran 4 samples; all workers together have stored 8 (2 from an earlier run), 3 of them errors.
	const line = formatLiveLine(
		{ label: 'evalE', total: 20, alreadyDone: 2, doneNow: 4, errors: 1, passed: 3, judged: 4, startedMs: 0, shared: { stored: 8, errors: 3 } },
		2000,
	);
	assert.equal(line, 'evalE 8/20 · 3 errors · all workers · accuracy 0.750 · elapsed 2.00 s · ETA 4.00 s');
	// The store lagging this worker's own count (its last batch not yet written) does not go backwards.
	assert.match(
		formatLiveLine(
			{ label: 'evalE', total: 20, alreadyDone: 0, doneNow: 5, errors: 0, passed: 0, judged: 0, startedMs: 0, shared: { stored: 3, errors: 0 } },
			1000,
		),
		/^evalE 5\/20 /,
	);
});

test('a load error names file:line:column', () => {
	assert.equal(
		formatLoadError({ type: 'load-error', file: '/p/a.ts', message: 'Expected ";"', line: 4, column: 7 }),
		'✗ could not load /p/a.ts:4:7\n  Expected ";"\n',
	);
});
