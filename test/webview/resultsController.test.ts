/**
 * The results panel's host side, driven through its message protocol like the webview drives it:
 * first against an in-memory reader, then against the real store with 100,000 samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ResultsHostMessage, ResultsWebviewMessage } from '../../client/src/panels/messages.js';
import { PAGE_SIZE, ResultsController } from '../../client/src/panels/resultsController.js';
import { loadTimingView } from '../../client/src/panels/timingController.js';
import type { EvaluationInfo, SampleInfo, SampleQuery, StoreReader } from '../../runtime/src/store/types.js';
import { openStore, openStoreReader } from '../../runtime/src/store/index.js';
import { evaluation, sample, storeReader } from './fixtures.js';

/** A reader over an array with the store's filter and search semantics. */
function memoryReader(info: EvaluationInfo, samples: SampleInfo[]): StoreReader & { queries: SampleQuery[] } {
	const queries: SampleQuery[] = [];
	return Object.assign(
		storeReader({
			listEvaluations: () => [info],
			getEvaluation: (experiment, evalId) => (experiment === info.experiment && evalId === info.evalId ? info : undefined),
			samples: (_experiment, _evalId, query = {}) => {
				queries.push(query);
				const matching = samples.filter(
					(s) =>
						(query.filter === 'failed' ? s.passed === false && !s.error : query.filter === 'errored' ? !!s.error : true) &&
						(!query.search || JSON.stringify([s.row, s.prompt, s.modelResponse, s.error?.message]).toLowerCase().includes(query.search.toLowerCase())),
				);
				const offset = query.offset ?? 0;
				return { total: matching.length, samples: matching.slice(offset, offset + (query.limit ?? 100)) };
			},
		}),
		{ queries },
	);
}

function drive(reader: StoreReader, info: EvaluationInfo) {
	const sent: ResultsHostMessage[] = [];
	const opened: string[] = [];
	const controller = new ResultsController(
		reader,
		{ experiment: info.experiment, evalId: info.evalId },
		(m) => sent.push(m),
		(t) => opened.push(t.evalId),
	);
	const ask = async <T extends ResultsHostMessage['type']>(message: ResultsWebviewMessage, type: T) => {
		sent.length = 0;
		await controller.handle(message);
		const answer = sent.find((m) => m.type === type || m.type === 'error');
		assert.ok(answer, `no answer to ${message.type}`);
		if (answer.type === 'error') assert.fail(answer.message);
		return answer as Extract<ResultsHostMessage, { type: T }>;
	};
	return { controller, sent, opened, ask };
}

const info = evaluation('concurrent_test', 'evalConcurrent');
const eight = Array.from({ length: 8 }, (_, i) =>
	sample(
		i,
		i % 3 === 1
			? { passed: false, modelResponse: 'negative' }
			: i === 5
				? { error: { type: 'TimeoutError', message: 'model timed out' }, passed: null, modelResponse: null }
				: {},
	),
);

test('ready → init with the header and page size; page → row views with the total', async () => {
	const { ask } = drive(memoryReader(info, eight), info);
	const init = await ask({ type: 'ready' }, 'init');
	assert.equal(init.pageSize, PAGE_SIZE);
	assert.equal(init.header.experiment, 'concurrent_test');
	const page = await ask({ type: 'page', queryId: 1, offset: 0, limit: PAGE_SIZE, filter: 'all', search: '' }, 'page');
	assert.equal(page.queryId, 1);
	assert.equal(page.total, 8);
	assert.deepEqual(
		page.rows.map((r) => r.status),
		['passed', 'failed', 'passed', 'passed', 'failed', 'error', 'passed', 'failed'],
	);
});

test('filters and search go to the store; limits are clamped', async () => {
	const reader = memoryReader(info, eight);
	const { ask } = drive(reader, info);
	assert.deepEqual(
		(await ask({ type: 'page', queryId: 2, offset: 0, limit: 200, filter: 'failed', search: '' }, 'page')).rows.map((r) => r.index),
		[1, 4, 7],
	);
	assert.deepEqual(
		(await ask({ type: 'page', queryId: 3, offset: 0, limit: 200, filter: 'errored', search: '' }, 'page')).rows.map((r) => r.index),
		[5],
	);
	assert.deepEqual(
		(await ask({ type: 'page', queryId: 4, offset: 0, limit: 200, filter: 'all', search: 'ROW 6' }, 'page')).rows.map((r) => r.index),
		[6],
	);
	await ask({ type: 'page', queryId: 5, offset: -5, limit: 1e9, filter: 'all', search: '' }, 'page');
	assert.deepEqual(reader.queries.at(-1), { offset: 0, limit: 1000, filter: 'all', search: undefined });
});

test('detail returns the full sample, from the page just served or from the store', async () => {
	const reader = memoryReader(info, eight);
	const { ask } = drive(reader, info);
	await ask({ type: 'page', queryId: 1, offset: 0, limit: 200, filter: 'errored', search: '' }, 'page');
	const before = reader.queries.length;
	const detail = await ask({ type: 'detail', index: 5, position: 0, filter: 'errored', search: '' }, 'detail');
	assert.equal(reader.queries.length, before, 'a sample of a served page needs no query');
	assert.deepEqual(detail.sample.error, { type: 'TimeoutError', message: 'model timed out' });
	assert.equal(detail.sample.prompt, 'prompt 5');

	const fresh = drive(memoryReader(info, eight), info);
	assert.equal((await fresh.ask({ type: 'detail', index: 4, position: 1, filter: 'failed', search: '' }, 'detail')).sample.index, 4);
	fresh.sent.length = 0;
	await fresh.controller.handle({ type: 'detail', index: 4, position: 0, filter: 'failed', search: '' });
	assert.match((fresh.sent[0] as { message: string }).message, /no longer in this view/);
});

test('with trials, detail answers the trial asked for: trial 1 of row 3 is not trial 0 of row 3', async () => {
	const trialsInfo = evaluation('trials', 'evalTrials', {
		trials: { k: 2, rows: 4, incomplete: 0, passAtK: 1, passHatK: 0.75, passAt1: 0.875, unstable: 1, unstableIndexes: [3] },
	});
	const samples = Array.from({ length: 8 }, (_, i) => {
		const index = i >> 1;
		const trial = i % 2;
		return sample(index, { ...(trial ? { trial } : {}), modelResponse: `row ${index} trial ${trial}`, passed: !(index === 3 && trial === 1) });
	});
	const { ask } = drive(memoryReader(trialsInfo, samples), trialsInfo);
	assert.equal((await ask({ type: 'ready' }, 'init')).header.trials, 2);
	const page = await ask({ type: 'page', queryId: 1, offset: 0, limit: 200, filter: 'all', search: '' }, 'page');
	assert.deepEqual(
		page.rows.map((r) => [r.index, r.trial ?? 0]),
		samples.map((s) => [s.index, s.trial ?? 0]),
	);
	// From the page just served, and from the store (a fresh controller has none remembered).
	for (const controller of [ask, drive(memoryReader(trialsInfo, samples), trialsInfo).ask]) {
		const one = await controller({ type: 'detail', index: 3, trial: 1, position: 7, filter: 'all', search: '' }, 'detail');
		assert.deepEqual([one.sample.index, one.sample.trial, one.sample.modelResponse, one.sample.status], [3, 1, 'row 3 trial 1', 'failed']);
		const zero = await controller({ type: 'detail', index: 3, position: 6, filter: 'all', search: '' }, 'detail');
		assert.deepEqual([zero.sample.index, zero.sample.trial, zero.sample.modelResponse], [3, undefined, 'row 3 trial 0']);
	}
	// The store moved trial 1 to another position: asking there for trial 0 is refused, not answered with trial 1.
	const fresh = drive(memoryReader(trialsInfo, samples), trialsInfo);
	fresh.sent.length = 0;
	await fresh.controller.handle({ type: 'detail', index: 3, position: 7, filter: 'all', search: '' });
	assert.match((fresh.sent[0] as { message: string }).message, /Sample 3 is no longer in this view/);
});

test('an unknown evaluation answers with an error that says what to do', async () => {
	const other = evaluation('nope', 'evalMissing');
	const { controller, sent } = drive(memoryReader(info, eight), other);
	await controller.handle({ type: 'ready' });
	assert.equal(sent[0].type, 'error');
	assert.match((sent[0] as { message: string }).message, /No evaluation 'eval_sentiment\.eval\.ts::evalMissing' in experiment 'nope'.*Run it first/);
});

test('a store change sends the new header; openTiming asks for the timing panel', async () => {
	const samples = eight.slice(0, 4);
	const reader = memoryReader(info, samples);
	const { controller, sent, opened } = drive(reader, info);
	await controller.changed();
	assert.equal(sent[0].type, 'changed');
	await controller.handle({ type: 'openTiming' });
	assert.deepEqual(opened, [info.evalId]);
});

test('100,000 stored samples: any page, filter and search answers fast from the real store; the timing view reads them all', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-panels-'));
	try {
		const file = path.join(dir, 'store.db');
		const store = await openStore(file);
		const evalId = 'big.eval.ts::evalBig';
		const writer = await store.beginEvaluation({
			experiment: 'big',
			evalId,
			name: 'evalBig',
			file: '/p/big.eval.ts',
			strategy: { name: 'SlidingWindow', maxConcurrency: 16 },
			gitCommit: null,
			runtimeVersion: '0.1.0',
			datasetFingerprint: null,
			total: 100_000,
		});
		for (let i = 0; i < 100_000; i++) {
			const failed = i % 10 === 3;
			writer.recordSample(
				sample(i, {
					passed: !failed,
					modelResponse: failed ? 'negative' : 'positive',
					scores: [{ name: 'exactMatch', value: !failed, metrics: ['accuracy'], passed: !failed }],
				}),
			);
		}
		await writer.finish('completed');
		await store.close();

		const reader = await openStoreReader(file);
		const big = await reader.getEvaluation('big', evalId);
		assert.ok(big);
		const { ask } = drive(reader, big);
		const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
			const start = performance.now();
			const value = await fn();
			return [value, performance.now() - start];
		};
		const pages: [Extract<ResultsHostMessage, { type: 'page' }>, number][] = [];
		for (const offset of [0, 50_000, 99_800])
			pages.push(await timed(() => ask({ type: 'page', queryId: 1, offset, limit: PAGE_SIZE, filter: 'all', search: '' }, 'page')));
		for (const [page] of pages) assert.equal(page.total, 100_000);
		assert.equal(pages[2][0].rows.at(-1)?.index, 99_999);
		const [failed, failedMs] = await timed(() => ask({ type: 'page', queryId: 2, offset: 5_000, limit: PAGE_SIZE, filter: 'failed', search: '' }, 'page'));
		assert.equal(failed.total, 10_000);
		assert.ok(failed.rows.every((r) => r.status === 'failed' && r.index % 10 === 3));
		const [found, searchMs] = await timed(() => ask({ type: 'page', queryId: 3, offset: 0, limit: PAGE_SIZE, filter: 'all', search: 'row 99999' }, 'page'));
		assert.deepEqual(
			found.rows.map((r) => r.index),
			[99_999],
		);
		const worstPageMs = Math.max(...pages.map(([, ms]) => ms), failedMs);
		// Generous bounds for a noisy 2-core machine; typical figures are 15–60 ms a page, ~150 ms a search.
		assert.ok(worstPageMs < 1500, `a page took ${worstPageMs.toFixed(0)} ms`);
		assert.ok(searchMs < 3000, `a search took ${searchMs.toFixed(0)} ms`);

		// The timing panel reads every sample's timing once (about a second here), in pages.
		const timingStart = performance.now();
		const timing = await loadTimingView(reader, 'big', evalId);
		const timingMs = performance.now() - timingStart;
		assert.equal(timing.samples, 100_000);
		assert.equal(
			timing.histogram.reduce((sum, bin) => sum + bin.count, 0),
			100_000,
		);
		assert.ok(timingMs < 15_000, `the timing view took ${timingMs.toFixed(0)} ms`);
		await reader.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
