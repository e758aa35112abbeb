import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	emptyStateText,
	pagesForRange,
	pagesToEvict,
	preview,
	resultsColumns,
	rowPreview,
	sampleKey,
	sampleStatus,
	sampleTitle,
	toDetailView,
	toResultsHeader,
	toRowView,
	trialLabel,
	usageLine,
	visibleRange,
} from '../../client/src/panels/resultsData.js';
import { evaluation, sample } from './fixtures.js';

test('a sample is error before failed before passed; no pass/fail score means unscored', () => {
	assert.equal(sampleStatus({ error: { type: 'TypeError', message: 'x' }, passed: true }), 'error');
	assert.equal(sampleStatus({ error: null, passed: false }), 'failed');
	assert.equal(sampleStatus({ error: null, passed: true }), 'passed');
	assert.equal(sampleStatus({ error: null, passed: null }), 'unscored');
});

test('previews are one line and cut with an ellipsis', () => {
	assert.equal(preview('a\n\n  b\tc'), 'a b c');
	assert.equal(preview('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
	assert.equal(preview({ a: 1 }), '{"a":1}');
	assert.equal(preview(null), '');
	assert.equal(rowPreview({ text: 'Great film', expected: 'positive' }), 'text: Great film, expected: positive');
});

test('a row view carries previews, status, scores and latency', () => {
	const view = toRowView(
		sample(3, { passed: false, modelResponse: 'negative\nreally', scores: [{ name: 'exactMatch', value: false, metrics: ['accuracy'], passed: false }] }),
	);
	assert.deepEqual(view, {
		index: 3,
		status: 'failed',
		rowPreview: 'text: row 3, expected: positive',
		responsePreview: 'negative really',
		scoresPreview: 'exactMatch ✗',
		latencyMs: 50,
	});
	const withDiff = toRowView(
		sample(5, {
			passed: false,
			scores: [{ name: 'exactMatch', value: false, metrics: ['accuracy'], passed: false, metadata: { result: 'positive', expected: 'neutral' } }],
		}),
	);
	assert.equal(withDiff.scoresPreview, 'exactMatch ✗ (positive ≠ neutral)');
	// No modelResponse set by the eval: the model-response column shows what the evaluator compared.
	assert.equal(
		toRowView(
			sample(6, {
				modelResponse: null,
				passed: false,
				scores: [{ name: 'exactMatch', value: false, metrics: ['accuracy'], passed: false, metadata: { result: 'positive', expected: 'neutral' } }],
			}),
		).responsePreview,
		'positive',
	);
	assert.equal(
		toRowView(sample(7, { modelResponse: null, scores: [{ name: 'len', value: 3, metrics: ['mean'], passed: null }] })).responsePreview,
		'',
		'nothing to show: empty, not invented',
	);
	const errored = toRowView(sample(4, { modelResponse: null, error: { type: 'RateLimitError', message: '429 Too Many Requests' }, passed: null }));
	assert.equal(errored.status, 'error');
	assert.equal(errored.responsePreview, 'RateLimitError: 429 Too Many Requests');
});

test('the header names the evaluation and its metrics', () => {
	const header = toResultsHeader(
		evaluation('concurrent_test', 'evalConcurrent', { metrics: [{ score: 'exactMatch', metric: 'accuracy', value: 0.75 }], errors: 1 }),
	);
	assert.equal(header.metricsLine, 'exactMatch accuracy 0.750');
	assert.equal(header.errors, 1);
	assert.equal(header.evalId, 'eval_sentiment.eval.ts::evalConcurrent');
});

test("the header carries tokens, cost, cache hits and the trials' pass@k, pass^k and unstable rows", () => {
	const trials = { k: 3, rows: 10, incomplete: 0, passAtK: 0.9, passHatK: 0.5, passAt1: 0.7, unstable: 4, unstableIndexes: [1, 2, 5, 7] };
	const models = {
		calls: 30,
		cacheHits: 6,
		cachedSamples: 2,
		inputTokens: 12_000,
		outputTokens: 345,
		costUsd: 0.0123,
		tokensPerSecond: 10,
		budgetMs: 0,
		judgeMs: 0,
	};
	const header = toResultsHeader(evaluation('trials', 'evalTrials', { metrics: [], trials, models }));
	assert.equal(header.usageLine, '12,345 tokens · $0.01 · 6 cache hits · pass@3 90.0% · pass^3 50.0% · 4 unstable rows (#1, #2, #5, #7)');
	assert.equal(toResultsHeader(evaluation('plain', 'evalPlain', { metrics: [] })).usageLine, '', 'nothing to say without model calls or trials');
	assert.equal(usageLine({ ...evaluation('x', 'y', {}).summary, models: { ...models, costUsd: null } }).split(' · ')[1], 'cost unknown');
});

test('the visible range covers the viewport plus overscan, clamped to the rows', () => {
	assert.deepEqual(visibleRange(0, 260, 26, 100_000, 10), { start: 0, end: 20 });
	assert.deepEqual(visibleRange(26 * 50_000, 260, 26, 100_000, 10), { start: 49_990, end: 50_020 });
	assert.deepEqual(visibleRange(26 * 99_995, 260, 26, 100_000, 10), { start: 99_985, end: 100_000 });
	assert.deepEqual(visibleRange(0, 260, 26, 0, 10), { start: 0, end: 0 });
	assert.deepEqual(visibleRange(-50, 260, 26, 5, 10), { start: 0, end: 5 });
});

test('a range maps to the pages it touches', () => {
	assert.deepEqual(pagesForRange(0, 20, 200), [0]);
	assert.deepEqual(pagesForRange(190, 210, 200), [0, 1]);
	assert.deepEqual(pagesForRange(49_990, 50_020, 200), [249, 250]);
	assert.deepEqual(pagesForRange(5, 5, 200), []);
});

test('the page cache drops the pages farthest from the view first', () => {
	assert.deepEqual(pagesToEvict([0, 1, 2], [1], 5), []);
	assert.deepEqual(
		pagesToEvict([0, 1, 2, 3, 40, 41], [2], 4).sort((a, b) => a - b),
		[40, 41],
	);
	assert.deepEqual(
		pagesToEvict([7, 8, 9], [8], 0).sort((a, b) => a - b),
		[7, 9],
	);
});

test('an empty table says why: no failed samples, no match, nothing stored yet', () => {
	assert.equal(emptyStateText('failed', '', 0), 'No failed samples.');
	assert.equal(emptyStateText('errored', '', 0), 'No errored samples.');
	assert.equal(emptyStateText('all', 'zebra', 0), 'No samples match "zebra".');
	assert.equal(emptyStateText('failed', 'zebra', 0), 'No failed samples match "zebra".');
	assert.equal(emptyStateText('all', '', 0), 'No samples stored for this evaluation yet.');
	assert.equal(emptyStateText('failed', '', 3), undefined);
});

test('trials: the header says k, the table gets a trial column, and trial 1 of row 3 is told apart from trial 0', () => {
	const trials = { k: 3, rows: 4, incomplete: 0, passAtK: 1, passHatK: 0.5, passAt1: 0.75, unstable: 2, unstableIndexes: [1, 3] };
	assert.equal(toResultsHeader(evaluation('trials', 'evalTrials', { trials })).trials, 3);
	assert.equal(toResultsHeader(evaluation('plain', 'evalPlain', {})).trials, undefined, 'no trials: no trial column');
	assert.equal(toResultsHeader(evaluation('one', 'evalOne', { trials: { ...trials, k: 1 } })).trials, undefined, 'one trial a row is no trial column');
	assert.deepEqual(resultsColumns(3), ['#', 'trial', 'status', 'row', 'model response', 'scores', 'latency']);
	assert.deepEqual(resultsColumns(undefined), ['#', 'status', 'row', 'model response', 'scores', 'latency']);
	assert.deepEqual(resultsColumns(1), resultsColumns(undefined));

	const first = toRowView(sample(3));
	const second = toRowView(sample(3, { trial: 1 }));
	assert.equal(first.trial, undefined, 'trial 0 is stored without a trial, and viewed so');
	assert.equal(second.trial, 1);
	assert.deepEqual([trialLabel(first.trial), trialLabel(second.trial)], ['t0', 't1']);
	assert.notEqual(sampleKey(first.index, first.trial), sampleKey(second.index, second.trial), 'two samples, two keys');
	assert.equal(sampleKey(3, undefined), sampleKey(3, 0));
	assert.equal(toDetailView(sample(3, { trial: 2 })).trial, 2);
	assert.equal(sampleTitle(3, undefined, 3), 'Sample 3 · trial 0');
	assert.equal(sampleTitle(3, 2, 3), 'Sample 3 · trial 2');
	assert.equal(sampleTitle(3, undefined, undefined), 'Sample 3');
});
