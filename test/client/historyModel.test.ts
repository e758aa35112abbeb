import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluationLabel, experimentFigures, experimentLabel, sortExperiments } from '../../client/src/history/historyModel';
import { formatProgress, runningDescription } from '../../client/src/status/formatProgress';
import type { EvaluationInfo, ExperimentInfo } from '../../runtime/src/store/types';

const at = new Date(2026, 10, 27, 14, 5).getTime();

const experiment = (name: string, updatedAt: number, over: Partial<ExperimentInfo> = {}): ExperimentInfo => ({
	name,
	ephemeral: false,
	createdAt: updatedAt - 1000,
	updatedAt,
	evaluationCount: 1,
	status: 'completed',
	...over,
});

test('experiments are listed newest first, ties by name', () => {
	const sorted = sortExperiments([experiment('old', 1), experiment('b', 5), experiment('a', 5), experiment('new', 9)]);
	assert.deepEqual(
		sorted.map((e) => e.name),
		['new', 'a', 'b', 'old'],
	);
});

test('an experiment shows its status and date', () => {
	const label = experimentLabel(experiment('concurrent_test', at, { status: 'interrupted', evaluationCount: 2 }));
	assert.equal(label.label, 'concurrent_test');
	assert.equal(label.description, 'interrupted · 2026-11-27 14:05:00');
	assert.equal(label.icon, 'debug-pause');
	assert.match(label.tooltip, /2 evaluations/);
});

test('an evaluation shows metric, errors, duration and date', () => {
	const info: EvaluationInfo = {
		experiment: 'concurrent_test',
		evalId: 'examples/eval_c.ts::evalConcurrentSentiment',
		name: 'evalConcurrentSentiment',
		file: '/p/examples/eval_c.ts',
		status: 'completed',
		startedAt: at - 2000,
		finishedAt: at,
		gitCommit: null,
		runtimeVersion: '0.1.0',
		strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
		datasetFingerprint: null,
		summary: {
			total: 8,
			completed: 8,
			errors: 1,
			errorsByType: { Error: 1 },
			wallMs: 2010,
			samplesPerSecond: 3.98,
			latency: null,
			metrics: [{ score: 'exactMatch', metric: 'accuracy', value: 0.875, ci95: [0.5, 0.98] }],
			strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
			maxInFlight: 4,
			speedup: 3.9,
			retries: 0,
			backoffMs: 0,
		},
	};
	const label = evaluationLabel(info);
	assert.equal(label.label, 'evalConcurrentSentiment');
	assert.equal(label.description, 'accuracy 87.5 % · 1 error · 2.01 s · 2026-11-27 14:05:00');
	assert.match(label.tooltip, /8\/8 samples, 1 errors/);
	assert.match(label.tooltip, /SlidingWindow \(4\)/);
});

test('the status bar shows progress, live accuracy and errors', () => {
	assert.equal(formatProgress({ experiment: 'e', done: 3, total: 8, passed: 2, judged: 3, errored: 0 }, 2 / 3), 'doteval 3/8 · 66.7 %');
	assert.equal(formatProgress({ experiment: null, done: 0, total: null, passed: 0, judged: 0, errored: 0 }, null), 'doteval 0');
	assert.equal(formatProgress({ experiment: 'e', done: 5, total: 8, passed: 2, judged: 5, errored: 1 }, 0.4), 'doteval 5/8 · 40.0 % · 1 error');
});

test('an experiment shows accuracy, samples and errors over its evaluations, with an icon by the headline rule (never ✓ at 0 %)', () => {
	const evaluation = (completed: number, total: number, errors: number, accuracy: number, status: EvaluationInfo['status'] = 'completed') =>
		({
			experiment: 'x',
			evalId: 'a.eval.ts::evalA',
			name: 'evalA',
			file: '/p/a.eval.ts',
			status,
			startedAt: at,
			finishedAt: at,
			gitCommit: null,
			runtimeVersion: '0.1.0',
			strategy: { name: 'Sequential' },
			datasetFingerprint: null,
			summary: {
				total,
				completed,
				errors,
				errorsByType: {},
				wallMs: 10,
				samplesPerSecond: 1,
				latency: null,
				metrics: [{ score: 'exactMatch', metric: 'accuracy', value: accuracy }],
				strategy: { name: 'Sequential' },
				maxInFlight: 1,
				speedup: 1,
				retries: 0,
				backoffMs: 0,
			},
		}) as EvaluationInfo;
	const zero = experimentLabel(experiment('zero', at), [evaluation(8, 8, 0, 0)]);
	assert.equal(zero.description, '0 % · 8/8 samples · 2026-11-27 14:05:00');
	assert.equal(zero.icon, 'error');
	// accuracy 0.5 over 20 samples with 2 errors (counted as 0, as the runtime does): 10 passed.
	const mixed = experimentLabel(experiment('mixed', at, { evaluationCount: 2 }), [evaluation(20, 20, 2, 0.5), evaluation(8, 8, 0, 1)]);
	assert.equal(mixed.description, '64.3 % · 28/28 samples · 2 errors · 2026-11-27 14:05:00', '(10 + 8) passed of 28');
	assert.equal(mixed.icon, 'warning');
	assert.match(mixed.tooltip, /Resume runs 2 samples/);
	const stopped = experimentLabel(experiment('stopped', at, { status: 'interrupted' }), [evaluation(4, 8, 0, 1, 'interrupted')]);
	assert.equal(stopped.description, '100 % · 4/8 samples · interrupted · 2026-11-27 14:05:00');
	assert.equal(stopped.icon, 'debug-stop');
	assert.equal(experimentLabel(experiment('all', at), [evaluation(8, 8, 0, 1)]).icon, 'pass');
	assert.equal(experimentFigures([evaluation(1, 20, 0, 1)]).state, 'incomplete');
});

test('a running eval reads "running 3/8" in the Test Explorer (this run\'s samples), "running 3" while the total is unknown', () => {
	assert.equal(runningDescription(3, 8), 'running 3/8');
	assert.equal(runningDescription(0, 8), 'running 0/8');
	assert.equal(runningDescription(3, null), 'running 3');
	assert.equal(runningDescription(9, 8), 'running 8/8', 'never more done than planned');
});
