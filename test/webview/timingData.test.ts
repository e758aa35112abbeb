import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	buildTimingView,
	downsampleInFlight,
	inFlightSeries,
	latencyHistogram,
	latencySummary,
	niceStep,
	peakInFlight,
	percentile,
	toTimingSample,
	waterfallLabel,
	waterfallPhases,
	waterfallRows,
} from '../../client/src/panels/timingData.js';
import type { SampleTiming } from '../../runtime/src/protocol/events.js';
import { evaluation, sample } from './fixtures.js';

/** The tutorial's sliding window: 8 one-second samples, `limit` at a time, the next starting as one ends. */
function slidingWindow(count: number, limit: number, latencyMs = 1000) {
	const t0 = 1_700_000_000_000;
	return Array.from({ length: count }, (_, i) => {
		const startedAt = t0 + Math.floor(i / limit) * latencyMs;
		return sample(i, { timing: { queuedAt: t0, startedAt, finishedAt: startedAt + latencyMs, queueMs: startedAt - t0, backoffMs: 0, latencyMs } });
	});
}

test('in flight over time shows the sliding window: 4 at a time, and a finish frees its slot before the next start', () => {
	const samples = slidingWindow(8, 4);
	const series = inFlightSeries(samples.map((s) => s.timing));
	assert.deepEqual(series, [
		{ t: 0, inFlight: 4 },
		{ t: 2000, inFlight: 0 },
	]);
	assert.equal(peakInFlight(series), 4);
});

test('sequential samples never overlap', () => {
	const series = inFlightSeries(slidingWindow(8, 1).map((s) => s.timing));
	assert.equal(peakInFlight(series), 1);
	assert.equal(series[series.length - 1].t, 8000);
	assert.equal(series[series.length - 1].inFlight, 0);
});

test('staggered samples rise and fall step by step', () => {
	const spans = [
		{ queuedAt: 0, startedAt: 0, finishedAt: 30 },
		{ queuedAt: 0, startedAt: 10, finishedAt: 20 },
		{ queuedAt: 0, startedAt: 15, finishedAt: 40 },
	];
	assert.deepEqual(inFlightSeries(spans), [
		{ t: 0, inFlight: 1 },
		{ t: 10, inFlight: 2 },
		{ t: 15, inFlight: 3 },
		{ t: 20, inFlight: 2 },
		{ t: 30, inFlight: 1 },
		{ t: 40, inFlight: 0 },
	]);
});

test('downsampling 100,000 samples keeps the peak and the end', () => {
	const spans = Array.from({ length: 100_000 }, (_, i) => ({ queuedAt: 0, startedAt: i * 10, finishedAt: i * 10 + (i === 54_321 ? 35 : 15) }));
	const series = inFlightSeries(spans);
	assert.equal(peakInFlight(series), 3);
	const small = downsampleInFlight(series, 1000);
	assert.equal(small.length, 1000);
	assert.equal(peakInFlight(small), 3);
	assert.equal(small[small.length - 1].inFlight, 0);
	assert.ok(small.every((point, i) => i === 0 || point.t >= small[i - 1].t));
});

test('percentiles interpolate between ranks', () => {
	const sorted = [10, 20, 30, 40, 50];
	assert.equal(percentile(sorted, 50), 30);
	assert.equal(percentile(sorted, 90), 46);
	assert.equal(percentile(sorted, 100), 50);
	assert.equal(percentile([], 50), 0);
	assert.deepEqual(latencySummary([50, 10, 30, 20, 40]), { mean: 30, p50: 30, p90: 46, p95: 48, p99: 49.6, max: 50 });
	assert.equal(latencySummary([]), null);
});

test('the histogram counts every sample once in round-edged bins covering min and max', () => {
	const latencies = Array.from({ length: 1000 }, (_, i) => 100 + (i % 97) * 3.7);
	const bins = latencyHistogram(latencies);
	assert.ok(bins.length >= 15 && bins.length <= 30, `${bins.length} bins`);
	assert.equal(
		bins.reduce((sum, bin) => sum + bin.count, 0),
		1000,
	);
	const width = bins[0].toMs - bins[0].fromMs;
	assert.equal(width, 20);
	assert.ok(bins.every((bin) => bin.fromMs % width === 0));
	assert.ok(bins[0].fromMs <= 100 && bins[bins.length - 1].toMs > Math.max(...latencies));
	assert.deepEqual(latencyHistogram([5, 5, 5]), [{ fromMs: 5, toMs: 5, count: 3 }]);
	assert.deepEqual(latencyHistogram([]), []);
	// √10 → about 4 bins over 1..7 ms: a step of 2 from 0.
	assert.deepEqual(
		latencyHistogram([1, 2, 2, 3, 3, 3, 4, 4, 5, 7]).map((b) => [b.fromMs, b.count]),
		[
			[0, 1],
			[2, 5],
			[4, 3],
			[6, 1],
		],
	);
	// Whole milliseconds never get bins narrower than 1 ms (which would leave every other bin empty).
	const whole = latencyHistogram(Array.from({ length: 100_000 }, (_, i) => 1 + (i % 7)));
	assert.deepEqual(
		whole.map((b) => b.toMs - b.fromMs),
		Array(7).fill(1),
	);
	assert.ok(whole.every((b) => b.count > 0));
	assert.ok(latencyHistogram(Array.from({ length: 10_000 }, (_, i) => i * 1.37)).length <= 30);
});

test('nice steps are 1, 2 or 5 times a power of ten', () => {
	assert.deepEqual([0.3, 1, 1.2, 3, 7, 12, 480].map(niceStep), [0.5, 1, 2, 5, 10, 20, 500]);
});

test('waterfall rows show queue wait, back-off and run in dataset order, limited to N', () => {
	const t0 = 1_000;
	const samples = [
		sample(1, { timing: { queuedAt: t0, startedAt: t0 + 100, finishedAt: t0 + 900, queueMs: 100, backoffMs: 300, latencyMs: 500 }, attempts: 2 }),
		sample(0, { timing: { queuedAt: t0, startedAt: t0, finishedAt: t0 + 200, queueMs: 0, backoffMs: 0, latencyMs: 200 }, passed: false }),
		sample(2, { timing: { queuedAt: t0, startedAt: t0 + 200, finishedAt: t0 + 400, queueMs: 200, backoffMs: 0, latencyMs: 200 } }),
	];
	const rows = waterfallRows(samples, t0, 2);
	assert.deepEqual(rows, [
		{ index: 0, queue: [0, 0], backoff: [0, 0], budget: [0, 0], run: [0, 200], judge: [200, 200], status: 'failed' },
		{ index: 1, queue: [0, 100], backoff: [100, 400], budget: [400, 400], run: [400, 900], judge: [900, 900], status: 'passed' },
	]);
	assert.deepEqual(
		waterfallPhases(rows).map((p) => p.label),
		['queue wait', 'back-off', 'run'],
		'no model calls: the three phases it always had',
	);
});

test('waterfall rows draw the rate-limit budget wait and the judge as their own phases; a row’s trials are told apart', () => {
	const t0 = 1_000;
	const timing = (startedAt: number, finishedAt: number, more: Partial<SampleTiming>): SampleTiming => ({
		queuedAt: t0,
		startedAt: t0 + startedAt,
		finishedAt: t0 + finishedAt,
		queueMs: startedAt,
		backoffMs: 0,
		latencyMs: finishedAt - startedAt,
		...more,
	});
	const samples = [
		// 1 s: 100 ms back-off, 300 ms waiting for the budget, 400 ms running, 200 ms in the judge.
		sample(2, { trial: 1, timing: timing(50, 1050, { backoffMs: 100, budgetMs: 300, judgeMs: 200, latencyMs: 400 }) }),
		sample(2, { timing: timing(0, 500, { budgetMs: 0, latencyMs: 500 }) }),
		// Figures that do not fit the span (clock rounding): every phase stays inside [started, finished].
		sample(3, { timing: timing(0, 100, { budgetMs: 80, judgeMs: 80, latencyMs: 10 }) }),
	];
	const rows = waterfallRows(samples, t0);
	assert.deepEqual(rows, [
		{ index: 2, queue: [0, 0], backoff: [0, 0], budget: [0, 0], run: [0, 500], judge: [500, 500], status: 'passed' },
		{ index: 2, trial: 1, queue: [0, 50], backoff: [50, 150], budget: [150, 450], run: [450, 850], judge: [850, 1050], status: 'passed' },
		{ index: 3, queue: [0, 0], backoff: [0, 0], budget: [0, 80], run: [80, 80], judge: [80, 100], status: 'passed' },
	]);
	assert.deepEqual(
		waterfallPhases(rows).map((p) => [p.phase, p.label]),
		[
			['queue', 'queue wait'],
			['backoff', 'back-off'],
			['budget', 'rate-limit wait'],
			['run', 'run'],
			['judge', 'judge'],
		],
	);
	assert.deepEqual(
		waterfallPhases(rows.slice(0, 1).concat({ ...rows[1]!, judge: [1050, 1050] })).map((p) => p.phase),
		['queue', 'backoff', 'budget', 'run'],
		'a budget wait without a judge: only the phase there is',
	);
	assert.deepEqual(rows.map(waterfallLabel), ['#2', '#2/t1', '#3']);
	assert.equal(toTimingSample(samples[0]!).trial, 1, 'the host keeps the trial of each sample it pages through');
	assert.deepEqual(buildTimingView(evaluation('e', 'evalJudged'), samples).waterfall, rows);
});

test('the timing view puts it together: throughput from the summary, series from the samples', () => {
	const samples = slidingWindow(8, 4);
	const view = buildTimingView(
		evaluation(
			'concurrent_test',
			'evalConcurrent',
			{ wallMs: 2010, samplesPerSecond: 3.98, speedup: 3.98, maxInFlight: 4 },
			{ name: 'SlidingWindow', maxConcurrency: 4 },
		),
		samples,
	);
	assert.equal(view.strategy, 'SlidingWindow(4)');
	assert.equal(view.maxConcurrency, 4);
	assert.equal(view.maxInFlight, 4);
	assert.equal(view.samples, 8);
	assert.equal(view.waterfall.length, 8);
	assert.deepEqual(view.waterfall[7].queue, [0, 1000]);
	assert.equal(
		view.histogram.reduce((sum, bin) => sum + bin.count, 0),
		8,
	);
	assert.equal(view.latency?.p50, 1000);
});
