/** The store's SQL summary agrees with the executor's SummaryAccumulator on the same samples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStore, openStoreReader, type SampleInfo } from '../../runtime/src/store/index.js';
import { metric, summarize } from '../../runtime/src/metrics/index.js';
import { sample, start, tempDir } from './helpers.js';

function mixed(i: number): SampleInfo {
	const base = sample(i, { latencyMs: 20 + ((i * 37) % 90), error: i % 9 === 4 ? (i % 2 ? 'TimeoutError' : 'RateLimitError') : undefined });
	if (base.error) return { ...base, attempts: 3, timing: { ...base.timing, backoffMs: 250 } };
	return {
		...base,
		scores: [
			{ name: 'exactMatch', value: i % 3 !== 0, metrics: ['accuracy'], passed: i % 3 !== 0 },
			{ name: 'similarity', value: ((i * 13) % 10) / 10, metrics: ['mean', 'median'], passed: null },
			{ name: 'label', value: i % 2 ? 'a' : 'b', metrics: ['mean'], passed: null },
		],
	};
}

test('show and the live summary report the same metrics, errors and latency', async (t) => {
	metric('median', (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
	const db = path.join(tempDir(t), '.doteval');
	const samples = Array.from({ length: 500 }, (_, i) => mixed(i));
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('same'));
	for (const s of samples) writer.recordSample(s);
	await writer.finish('completed', { wallMs: 5000, maxInFlight: 8 });
	await store.close();

	const reader = await openStoreReader(db);
	const stored = (await reader.getEvaluation('same', 'evalSentiment'))!.summary;
	await reader.close();
	const live = summarize(samples, { total: null, wallMs: 5000, strategy: start('same').strategy, maxInFlight: 8 });
	assert.deepEqual(
		stored.metrics.map((m) => `${m.score}/${m.metric}`),
		['exactMatch/accuracy', 'similarity/mean', 'similarity/median', 'label/mean'],
	);
	for (const [i, m] of stored.metrics.entries()) {
		const expected = live.metrics[i]!;
		assert.equal(m.score, expected.score);
		assert.equal(m.metric, expected.metric);
		assert.ok(Math.abs(m.value - expected.value) < 1e-12, `${m.score}/${m.metric}: ${m.value} vs ${expected.value}`);
		assert.equal(m.ci95 === undefined, expected.ci95 === undefined);
		if (m.ci95) assert.ok(Math.abs(m.ci95[0] - expected.ci95![0]) < 1e-12 && Math.abs(m.ci95[1] - expected.ci95![1]) < 1e-12);
		assert.equal(m.valueExcludingErrors === undefined, expected.valueExcludingErrors === undefined);
		if (m.valueExcludingErrors !== undefined) assert.ok(Math.abs(m.valueExcludingErrors - expected.valueExcludingErrors!) < 1e-12);
	}
	assert.deepEqual({ ...stored, metrics: [] }, { ...live, metrics: [] });
});
