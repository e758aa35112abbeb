import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricText, statusIcon } from '../../server/src/features/format';
import { wilsonInterval } from '../../runtime/src/metrics/stats';

test('a metric shows its 95 % interval (Wilson for 8 of 8 passed), not ± 0 %', () => {
	const ci95 = wilsonInterval(8, 8);
	assert.equal(metricText({ score: 'exactMatch', metric: 'accuracy', value: 1, stderr: 0, ci95 }), 'exactMatch.accuracy 100 % (95 % CI 67.6–100 %)');
	assert.equal(metricText({ score: 'len', metric: 'mean', value: 0.5, stderr: 0.1 }), 'len.mean 50 % ± 10 %');
	assert.equal(metricText({ score: 'len', metric: 'mean', value: 0.5 }), 'len.mean 50 %');
});

test('an interrupted evaluation is marked ■, never ⏸ (an empty box in many fonts)', () => {
	const icon = statusIcon({ status: 'interrupted', summary: { errors: 0 } } as Parameters<typeof statusIcon>[0]);
	assert.equal(icon, '■');
});

import { resultTitle, resumeTitle } from '../../server/src/features/codeLens';
import type { ResultView } from '../../server/src/store/storeResults';
import type { EvaluationInfo } from '../../runtime/src/store/types';

function view(status: EvaluationInfo['status'], total: number, completed: number, errors: number, passed: number, experiment = 'current'): ResultView {
	const summary = {
		total,
		completed,
		errors,
		errorsByType: errors ? { TimeoutError: errors } : {},
		metrics: [{ score: 'exactMatch', metric: 'accuracy', value: passed / Math.max(1, completed - errors) }],
		wallMs: 2010,
	};
	return { experiment, passed, readAt: 50_000, evaluation: { status, summary } as unknown as EvaluationInfo };
}

test('the lens headline: a check mark only when the whole dataset ran and passed; failures, errors and partial runs say so', () => {
	assert.equal(resultTitle(view('completed', 8, 8, 0, 8)), '✓ 8/8 · 100 % · 2.01 s · current');
	assert.equal(resultTitle(view('completed', 20, 20, 0, 0)), '✗ 0/20 · 0 % · 2.01 s · current', 'never ✓ at 0 %');
	assert.equal(resultTitle(view('completed', 20, 20, 2, 16)), '⚠ 16/20 · 88.9 % · 2.01 s · current');
	// The current experiment after a one-sample run only: what ran, and that the rest did not.
	assert.equal(resultTitle(view('completed', 20, 1, 0, 1)), '◐ 1/1 · 100 % · 1 of 20 ran · 2.01 s · current');
	assert.equal(resultTitle(view('interrupted', 8, 4, 0, 4)), '■ interrupted · 4/8 ran · 100 % · 2.01 s · current');
});

test("a running evaluation's lens timer ticks: its wall time as read, plus the time since the read", () => {
	const running = view('running', 8, 3, 0, 3);
	assert.equal(resultTitle(running), '◌ 3/3 · 100 % · 3 of 8 ran · 2.01 s · current');
	assert.equal(resultTitle(running, 53_000), '◌ 3/3 · 100 % · 3 of 8 ran · 5.01 s · current');
	assert.equal(resultTitle(view('completed', 8, 8, 0, 8), 53_000), '✓ 8/8 · 100 % · 2.01 s · current', "a finished run's time stands still");
});

test('the Resume lens counts what a resume runs: samples never run and errored ones', () => {
	assert.equal(resumeTitle(view('interrupted', 8, 4, 0, 4)), 'Resume · 4 of 8 left');
	assert.equal(resumeTitle(view('completed', 20, 20, 2, 16)), 'Resume · 2 of 20 left');
	assert.equal(resumeTitle(view('completed', 8, 8, 0, 5)), undefined, 'failed samples are results, not work left');
	assert.equal(resumeTitle(view('running', 8, 4, 0, 4)), undefined);
});
