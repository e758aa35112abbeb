import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCompareView, loadTimingView } from '../../client/src/panels/timingController.js';
import type { EvaluationInfo, SampleInfo, StoreReader } from '../../runtime/src/store/types.js';
import { evaluation, sample, storeReader } from './fixtures.js';

function reader(evaluations: EvaluationInfo[], samples: SampleInfo[]): StoreReader & { pageSizes: number[] } {
	const pageSizes: number[] = [];
	return Object.assign(
		storeReader({
			listExperiments: () =>
				[...new Set(evaluations.map((e) => e.experiment))].map((name) => ({
					name,
					ephemeral: false,
					createdAt: 0,
					updatedAt: 0,
					evaluationCount: 1,
					status: 'completed' as const,
				})),
			listEvaluations: (experiment) => evaluations.filter((e) => e.experiment === experiment),
			getEvaluation: (experiment, evalId) => evaluations.find((e) => e.experiment === experiment && (e.evalId === evalId || e.name === evalId)),
			samples: (_x, _y, query = {}) => {
				const offset = query.offset ?? 0;
				const page = samples.slice(offset, offset + (query.limit ?? 100));
				pageSizes.push(page.length);
				return { total: samples.length, samples: page };
			},
		}),
		{ pageSizes },
	);
}

test('the timing view reads every sample page by page (12,345 samples)', async () => {
	const t0 = 1_000_000;
	// Two at a time, 10 ms each: the in-flight series must peak at exactly 2.
	const samples = Array.from({ length: 12_345 }, (_, i) =>
		sample(i, {
			timing: { queuedAt: t0, startedAt: t0 + Math.floor(i / 2) * 10, finishedAt: t0 + Math.floor(i / 2) * 10 + 10, queueMs: 0, backoffMs: 0, latencyMs: 10 },
		}),
	);
	const info = evaluation('window', 'evalWindow', { maxInFlight: 2 }, { name: 'SlidingWindow', maxConcurrency: 2 });
	const r = reader([info], samples);
	const view = await loadTimingView(r, 'window', info.evalId);
	assert.deepEqual(r.pageSizes, [5000, 5000, 2345]);
	assert.equal(view.samples, 12_345);
	assert.equal(view.waterfallOf, 12_345);
	assert.equal(view.waterfall.length, 300);
	assert.equal(view.maxInFlight, 2);
	assert.ok(view.inFlight.length <= 1000);
	assert.equal(
		view.histogram.reduce((sum, bin) => sum + bin.count, 0),
		12_345,
	);
});

test('an unknown evaluation is an error that says what to do', async () => {
	await assert.rejects(loadTimingView(reader([], []), 'x', 'a.eval.ts::b'), /No evaluation 'a\.eval\.ts::b' in experiment 'x'\. Run it first/);
});

test('comparing reads each known experiment and reports unknown ones', async () => {
	const r = reader([evaluation('sync_baseline', 'evalSync'), evaluation('concurrent_test', 'evalConcurrent', { wallMs: 2000, speedup: 4 })], []);
	const view = await loadCompareView(r, ['sync_baseline', 'concurrent_test', 'typo']);
	assert.deepEqual(view.experiments, ['sync_baseline', 'concurrent_test']);
	assert.deepEqual(view.missing, ['typo']);
	assert.deepEqual(view.rows.find((row) => row.label === 'Speedup')?.deltas, [null, 3]);
	await assert.rejects(loadCompareView(r, []), /at least one experiment/);
});
