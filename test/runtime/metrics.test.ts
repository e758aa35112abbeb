import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval, meanWithInterval, latencySummary, summarize, SummaryAccumulator, metric, LatencyCollector } from '../../runtime/src/metrics/index.js';
import type { SummarizableSample } from '../../runtime/src/metrics/index.js';

const timing = (latencyMs: number, backoffMs = 0) => ({ queuedAt: 0, startedAt: 0, finishedAt: 0, queueMs: 0, backoffMs, latencyMs });
const ok = (value: boolean | number, latencyMs = 10, metrics = ['accuracy']): SummarizableSample => ({
	scores: [{ name: 'exactMatch', value, metrics, passed: typeof value === 'boolean' ? value : null }],
	error: null,
	attempts: 1,
	timing: timing(latencyMs),
});
const failed = (type: string, attempts = 1): SummarizableSample => ({ scores: [], error: { type, message: 'boom' }, attempts, timing: timing(5, 100) });
const context = { total: null, wallMs: 1000, strategy: { name: 'Sequential' }, maxInFlight: 1 };

test('Wilson interval matches the textbook value and stays in [0, 1]', () => {
	const [lo, hi] = wilsonInterval(8, 10);
	assert.ok(Math.abs(lo - 0.4902) < 1e-3 && Math.abs(hi - 0.9433) < 1e-3, `${lo} ${hi}`);
	const [lo0, hi0] = wilsonInterval(0, 5);
	assert.equal(lo0, 0);
	assert.ok(hi0 > 0.4 && hi0 < 0.5);
	assert.deepEqual(
		wilsonInterval(3, 3).map((x) => x <= 1),
		[true, true],
	);
});

test('mean of non-binary values uses a Student-t interval', () => {
	const e = meanWithInterval([1, 2, 3, 4]);
	assert.equal(e.value, 2.5);
	assert.equal(e.interval, 't');
	const stderr = Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3 / 4);
	assert.ok(Math.abs(e.stderr! - stderr) < 1e-12);
	assert.ok(Math.abs(e.ci95![1] - (2.5 + 3.182 * stderr)) < 1e-9);
	assert.equal(meanWithInterval([7]).stderr, undefined);
});

test('latency percentiles use nearest rank', () => {
	const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted input
	const s = latencySummary(values)!;
	assert.deepEqual([s.p50, s.p90, s.p95, s.p99, s.max, s.mean], [50, 90, 95, 99, 100, 50.5]);
	assert.equal(values[0], 100, 'input left alone');
	assert.equal(latencySummary([]), null);
});

test('a latency collector (sorted in place, no copy) summarizes as latencySummary, also after more values', () => {
	const collector = new LatencyCollector();
	assert.equal(collector.summary(), null);
	const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000); // 0..999, scrambled, past several growths
	for (const v of values) collector.add(v);
	collector.add(Number.NaN); // not a latency: left out
	assert.deepEqual(collector.summary(), latencySummary(values));
	for (const v of [5000, -1]) collector.add(v);
	assert.deepEqual(collector.summary(), latencySummary([...values, 5000, -1]));
	assert.equal(collector.size, 1002);
});

test('errors count as failures for the first successful layout; excluding-errors value reported', () => {
	const s = summarize([failed('TimeoutError', 3), ok(true), ok(false), ok(true), failed('RateLimitError')], context);
	const acc = s.metrics.find((m) => m.metric === 'accuracy')!;
	assert.equal(acc.value, 2 / 5);
	assert.equal(acc.valueExcludingErrors, 2 / 3);
	assert.ok(acc.ci95![0] < 0.4 && acc.ci95![1] > 0.4);
	assert.equal(s.errors, 2);
	assert.deepEqual(s.errorsByType, { TimeoutError: 1, RateLimitError: 1 });
	assert.equal(s.completed, 5);
	assert.equal(s.retries, 2);
	assert.equal(s.backoffMs, 200);
	assert.equal(s.samplesPerSecond, 5);
	assert.equal(s.speedup, (5 + 10 + 10 + 10 + 5) / 1000);
});

test('no errors: no valueExcludingErrors; samples that never ran are left out of latency', () => {
	const bad: SummarizableSample = { scores: [], error: { type: 'RowMappingError', message: 'x' }, attempts: 0, timing: timing(0) };
	const s = summarize([ok(true, 20), ok(true, 40), bad], { ...context, alreadyCompleted: 4 });
	assert.equal(s.latency!.p50, 20);
	assert.equal(s.latency!.max, 40);
	assert.equal(s.completed, 7);
	const clean = summarize([ok(true), ok(false)], context);
	assert.equal(clean.metrics[0]!.valueExcludingErrors, undefined);
});

test('mean metric and custom metric over numbers; incremental equals batch', () => {
	const median = metric('medianTest', (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0);
	const samples = [ok(0.5, 1, ['mean', 'medianTest']), ok(1, 1, ['mean', 'medianTest']), ok(0.25, 1, ['mean', 'medianTest'])];
	const acc = new SummaryAccumulator();
	for (const s of samples) acc.add(s);
	const batch = summarize(samples, context);
	assert.deepEqual(acc.summary(context), batch);
	assert.equal(batch.metrics.find((m) => m.metric === 'mean')!.value, 1.75 / 3);
	assert.equal(batch.metrics.find((m) => m.metric === median.metricName)!.value, 0.5);
});
