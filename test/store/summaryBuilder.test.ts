/**
 * The summary builder both store backends share (store/summaryBuilder.ts), as a pure function of
 * aggregates: the same summary as the executor's accumulator whatever way the samples are cut into
 * parts, the wall time of overlapping runs, and the peak concurrency of instant samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metric, summarize } from '../../runtime/src/metrics/index.js';
import {
	customScores,
	emptySummaryOf,
	runsWallMs,
	sweepMaxInFlight,
	SummaryBuilder,
	unionLength,
	type PartAggregates,
	type RunRow,
} from '../../runtime/src/store/summaryBuilder.js';
import type { SampleInfo } from '../../runtime/src/store/index.js';
import { sample } from './helpers.js';

const strategy = { name: 'SlidingWindow', maxConcurrency: 4 };

/** What a backend's SQL computes over `samples` (one part: a file whose sample ids start at 0), done in JS: count, sums, groups. */
function aggregatesOf(samples: SampleInfo[]): PartAggregates {
	const ran = samples.filter((s) => s.attempts > 0);
	const scores = new Map<string, PartAggregates['scores'][number]>();
	const customValues = new Map<string, number[]>();
	const errorsByType = new Map<string, number>();
	samples.forEach((s, i) => {
		if (s.error) errorsByType.set(s.error.type, (errorsByType.get(s.error.type) ?? 0) + 1);
		if (s.error) return;
		s.scores.forEach((score, ord) => {
			const metricsJson = JSON.stringify(score.metrics);
			const key = `${score.name}\u0000${metricsJson}`;
			const value = typeof score.value === 'boolean' ? Number(score.value) : typeof score.value === 'number' ? score.value : null;
			const agg = scores.get(key) ?? { name: score.name, metricsJson, n: 0, sum: 0, sumSquares: 0, binary: true, first: i * 65536 + ord };
			if (value !== null) {
				agg.n++;
				agg.sum += value;
				agg.sumSquares += value * value;
				agg.binary &&= value === 0 || value === 1;
			}
			scores.set(key, agg);
		});
	});
	const list = [...scores.values()];
	for (const name of customScores(list)) {
		customValues.set(
			name,
			samples.filter((s) => !s.error).flatMap((s) => s.scores.filter((sc) => sc.name === name && typeof sc.value === 'number').map((sc) => sc.value as number)),
		);
	}
	const firstSuccess = samples.find((s) => !s.error);
	return {
		count: samples.length,
		errors: samples.filter((s) => s.error).length,
		retries: samples.reduce((n, s) => n + Math.max(s.attempts - 1, 0), 0),
		backoffMs: samples.reduce((n, s) => n + s.timing.backoffMs, 0),
		latencySum: ran.reduce((n, s) => n + s.timing.latencyMs, 0),
		lastFinished: Math.max(0, ...samples.map((s) => s.timing.finishedAt)),
		cachedCount: 0,
		errorsByType: [...errorsByType],
		scores: list,
		customValues,
		layout: firstSuccess?.scores.map((sc): [string, string] => [sc.name, JSON.stringify(sc.metrics)]),
		latencies: ran.map((s) => s.timing.latencyMs),
		spans: samples.map((s) => [s.timing.startedAt, s.timing.finishedAt]),
		modelJson: [],
		maxTrial: 0,
		trialRows: [],
	};
}

function mixed(i: number): SampleInfo {
	const base = sample(i, { latencyMs: 20 + ((i * 37) % 90), error: i % 7 === 3 ? (i % 2 ? 'TimeoutError' : 'RateLimitError') : undefined });
	if (base.error) return { ...base, attempts: 3, timing: { ...base.timing, backoffMs: 250 } };
	return {
		...base,
		scores: [
			// A score only the later samples have, in their first place: still reported last (it appears last).
			...(i >= 200 ? [{ name: 'late', value: i % 4, metrics: ['mean'], passed: null }] : []),
			{ name: 'exactMatch', value: i % 3 !== 0, metrics: ['accuracy'], passed: i % 3 !== 0 },
			{ name: 'similarity', value: ((i * 13) % 10) / 10, metrics: ['mean', 'builderMedian'], passed: null },
		],
	};
}

test("the builder gives the executor's summary, however the samples are cut into parts", () => {
	metric('builderMedian', (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
	// Errors first: the layout must come from the first success, in a later part.
	const samples = [mixed(3), mixed(10), ...Array.from({ length: 300 }, (_, i) => mixed(i)).filter((s) => s.index !== 3 && s.index !== 10)];
	const live = summarize(samples, { total: 300, wallMs: 4000, strategy, maxInFlight: 4 });
	const runs: RunRow[] = [{ status: 'completed', startedAt: 0, finishedAt: 4000, wallMs: 4000, maxInFlight: 4 }];
	for (const cuts of [[300], [1, 299], [2, 150, 148], [100, 100, 100], [210, 90]]) {
		const builder = new SummaryBuilder(runs);
		let at = 0;
		for (const size of cuts) {
			builder.add(aggregatesOf(samples.slice(at, at + size)));
			at += size;
		}
		const stored = builder.summary(strategy, 300, 10_000);
		assert.deepEqual(
			stored.metrics.map((m) => `${m.score}/${m.metric}`),
			['exactMatch/accuracy', 'similarity/mean', 'similarity/builderMedian', 'late/mean'],
			`parts ${cuts.join('+')}`,
		);
		for (const [i, m] of stored.metrics.entries()) {
			const expected = live.metrics[i]!;
			assert.ok(Math.abs(m.value - expected.value) < 1e-12, `parts ${cuts.join('+')}: ${m.score}/${m.metric} ${m.value} vs ${expected.value}`);
			assert.equal(m.valueExcludingErrors === undefined, expected.valueExcludingErrors === undefined);
			if (m.valueExcludingErrors !== undefined) assert.ok(Math.abs(m.valueExcludingErrors - expected.valueExcludingErrors!) < 1e-12);
			assert.equal(m.ci95 === undefined, expected.ci95 === undefined);
		}
		assert.deepEqual({ ...stored, metrics: [] }, { ...live, metrics: [] }, `parts ${cuts.join('+')}`);
	}
});

test('custom scores are those with a custom metric in their stored list', () => {
	metric('builderMax', (values) => Math.max(...values));
	const score = (name: string, metrics: string[]) => ({ name, metricsJson: JSON.stringify(metrics), n: 1, sum: 1, sumSquares: 1, binary: true, first: 0 });
	assert.deepEqual(customScores([score('a', ['accuracy']), score('b', ['mean', 'builderMax']), score('b', ['builderMax']), score('c', [])]), ['b']);
});

test('wall time is the union of the runs: resumed runs add up, overlapping shards do not, an open run ends at the last sample or now', () => {
	const run = (startedAt: number, end: { wallMs?: number; finishedAt?: number }): RunRow => ({
		status: 'completed',
		startedAt,
		finishedAt: end.finishedAt ?? null,
		wallMs: end.wallMs ?? null,
		maxInFlight: null,
	});
	assert.equal(runsWallMs([run(0, { wallMs: 100 }), run(500, { wallMs: 200 })], 0), 300);
	assert.equal(runsWallMs([run(0, { wallMs: 1000 }), run(10, { wallMs: 1000 }), run(20, { finishedAt: 900 })], 0), 1010);
	assert.equal(runsWallMs([run(100, {})], 700), 600);
	// A killed run (no end) then its resume: the resume's time is not counted twice.
	assert.equal(runsWallMs([run(0, {}), run(1000, { wallMs: 500 })], 1500), 1500);
	assert.equal(runsWallMs([], 1000), 0);
	assert.equal(
		unionLength([
			[0, 10],
			[5, 7],
			[20, 25],
			[30, 30],
			[40, 35],
		]),
		15,
	);
});

test('peak concurrency from spans: overlaps counted, and samples that start and end in the same millisecond still end the sweep', () => {
	assert.equal(sweepMaxInFlight([0, 1, 2, 10], [5, 6, 3, 11]), 3);
	assert.equal(sweepMaxInFlight([0, 5, 10], [5, 10, 15]), 1);
	assert.equal(sweepMaxInFlight([7, 7, 7], [7, 7, 7]), 1);
	assert.equal(sweepMaxInFlight([], []), 0);
});

test('spans are kept only when no run reported its peak concurrency; an empty evaluation summarizes as empty', () => {
	assert.equal(new SummaryBuilder([{ status: 'completed', startedAt: 0, finishedAt: 1, wallMs: 1, maxInFlight: 3 }]).needsSpans, false);
	const builder = new SummaryBuilder([{ status: 'completed', startedAt: 0, finishedAt: 100, wallMs: null, maxInFlight: null }]);
	assert.equal(builder.needsSpans, true);
	assert.equal(builder.needsLayout, true);
	builder.add(aggregatesOf([sample(0, { at: 0 }), sample(1, { at: 10 })]));
	assert.equal(builder.needsLayout, false);
	const summary = builder.summary(strategy, 2, 100);
	assert.equal(summary.maxInFlight, 2);
	assert.equal(summary.wallMs, 100);
	assert.deepEqual({ ...new SummaryBuilder([]).summary(strategy, 5, 0), latency: null }, emptySummaryOf(strategy, 5));
});

test('pass@k: rows of parts that ran trial 0 only count as incomplete', () => {
	const part = (trialRows: PartAggregates['trialRows'], maxTrial: number, count: number): PartAggregates => ({
		...aggregatesOf([]),
		count,
		maxTrial,
		trialRows,
	});
	const builder = new SummaryBuilder([]);
	builder.add(
		part(
			[
				{ index: 0, trials: 2, passed: 2, judged: 2 },
				{ index: 1, trials: 2, passed: 1, judged: 2 },
			],
			1,
			4,
		),
	);
	builder.add(part([], 0, 3));
	const trials = builder.summary(strategy, 5, 0).trials!;
	assert.equal(trials.k, 2);
	assert.equal(trials.incomplete, 3);
	assert.equal(new SummaryBuilder([]).summary(strategy, 5, 0).trials, undefined);
});
