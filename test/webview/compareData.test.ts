import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCompareView } from '../../client/src/panels/compareData.js';
import { evaluation } from './fixtures.js';

const accuracy = (value: number) => [{ score: 'exactMatch', metric: 'accuracy', value }];

/** The tutorial's step 4: four experiments, one evaluation each, with different names. */
const tutorial = [
	[evaluation('sync_baseline', 'evalSyncSentiment', { wallMs: 8020, samplesPerSecond: 1, speedup: 1, metrics: accuracy(1) })],
	[evaluation('async_basic', 'evalAsyncSentiment', { wallMs: 8010, samplesPerSecond: 1, speedup: 1, metrics: accuracy(1) })],
	[
		evaluation(
			'concurrent_test',
			'evalConcurrentSentiment',
			{ wallMs: 2010, samplesPerSecond: 3.98, speedup: 3.98, maxInFlight: 4, metrics: accuracy(0.875) },
			{ name: 'SlidingWindow', maxConcurrency: 4 },
		),
	],
	[
		evaluation(
			'high_concurrency',
			'evalHighConcurrency',
			{ wallMs: 1010, samplesPerSecond: 7.9, speedup: 7.9, maxInFlight: 8, metrics: accuracy(1) },
			{ name: 'SlidingWindow', maxConcurrency: 8 },
		),
	],
];
const names = ['sync_baseline', 'async_basic', 'concurrent_test', 'high_concurrency'];

test('the tutorial step 4: one run per experiment, deltas against sync_baseline', () => {
	const view = buildCompareView(names, tutorial);
	assert.deepEqual(view.experiments, names);
	// The panel names what it compares: each experiment's evaluations.
	assert.deepEqual(view.evaluations, [['evalSyncSentiment'], ['evalAsyncSentiment'], ['evalConcurrentSentiment'], ['evalHighConcurrency']]);
	assert.deepEqual(view.missing, []);
	assert.deepEqual(
		view.runs.map((r) => [r.experiment, r.wallMs, r.speedup, r.strategy]),
		[
			['sync_baseline', 8020, 1, 'Sequential'],
			['async_basic', 8010, 1, 'Sequential'],
			['concurrent_test', 2010, 3.98, 'SlidingWindow(4)'],
			['high_concurrency', 1010, 7.9, 'SlidingWindow(8)'],
		],
	);
	const wall = view.rows.find((r) => r.label === 'Wall time');
	assert.deepEqual(wall?.values, [8020, 8010, 2010, 1010]);
	assert.deepEqual(wall?.deltas, [null, -10, -6010, -7010]);
	assert.equal(wall?.better, 'lower');
	const acc = view.rows.find((r) => r.label === 'exactMatch accuracy');
	assert.equal(acc?.kind, 'metric');
	assert.deepEqual(acc?.values, [1, 1, 0.875, 1]);
	assert.deepEqual(acc?.deltas, [null, 0, -0.125, 0]);
});

test('unknown experiments are reported, and the first known one is the baseline', () => {
	const view = buildCompareView(['nope', 'concurrent_test', 'sync_baseline'], [undefined, tutorial[2], tutorial[0]]);
	assert.deepEqual(view.missing, ['nope']);
	assert.deepEqual(view.experiments, ['concurrent_test', 'sync_baseline']);
	assert.deepEqual(view.rows.find((r) => r.label === 'Speedup')?.deltas, [null, 1 - 3.98]);
});

test('experiments with several evaluations are compared evaluation by evaluation', () => {
	const a = [evaluation('a', 'evalOne', { wallMs: 100, metrics: accuracy(0.5) }), evaluation('a', 'evalTwo', { wallMs: 300 })];
	const b = [evaluation('b', 'evalOne', { wallMs: 50, metrics: accuracy(0.75) })];
	const view = buildCompareView(['a', 'b'], [a, b]);
	assert.deepEqual(view.evaluations, [['evalOne', 'evalTwo'], ['evalOne']]);
	assert.deepEqual(view.rows.find((r) => r.label === 'evalOne · Wall time')?.values, [100, 50]);
	assert.deepEqual(view.rows.find((r) => r.label === 'evalOne · exactMatch accuracy')?.deltas, [null, 0.25]);
	const two = view.rows.find((r) => r.label === 'evalTwo · Wall time');
	assert.deepEqual(two?.values, [300, null]);
	assert.deepEqual(two?.deltas, [null, null]);
	assert.equal(view.runs.length, 3);
});
