/**
 * Sealed segments: a large evaluation's samples are split by index into files of a fixed span, a
 * checkpoint rewrites only the segments its journals have samples for, and readers page across them.
 * DOTEVAL_SEGMENT_SAMPLES makes the span small enough to see many segments with few samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openStoreReader as openReader, openStore, type SampleInfo } from '../../runtime/src/store/index.js';
import { collect, sample, start, tempDir } from './helpers.js';

const sqlite3 = (db: string, sql: string): string => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();

function withSpan<T>(span: number | undefined, fn: () => Promise<T>): Promise<T> {
	const before = process.env.DOTEVAL_SEGMENT_SAMPLES;
	if (span === undefined) delete process.env.DOTEVAL_SEGMENT_SAMPLES;
	else process.env.DOTEVAL_SEGMENT_SAMPLES = String(span);
	return fn().finally(() => {
		if (before === undefined) delete process.env.DOTEVAL_SEGMENT_SAMPLES;
		else process.env.DOTEVAL_SEGMENT_SAMPLES = before;
	});
}

/** 500 samples, every 7th an error and every 3rd a failure, recorded with checkpoints during the run. */
async function fill(dir: string, from = 0, to = 500): Promise<void> {
	const store = await openStore(dir, { checkpointMinBytes: 20_000 });
	const writer = await store.beginEvaluation(start('big'));
	for (let i = from; i < to; i++) {
		if (writer.completed.has(i)) continue;
		writer.recordSample(sample(i, { pass: i % 3 !== 0, error: i % 7 === 0 ? 'TimeoutError' : undefined, latencyMs: 10 + (i % 50) }));
	}
	await writer.finish('completed');
	await store.close();
}

const evalFiles = (dir: string): string[] =>
	readdirSync(path.join(dir, 'evals'))
		.filter((n) => n.endsWith('.db'))
		.sort();

test('a large evaluation is split by index into segment files, each a valid SQLite file holding its range', async (t) => {
	const dir = path.join(tempDir(t), 'store');
	await withSpan(50, () => fill(dir));
	const files = evalFiles(dir);
	assert.equal(files.length, 10, files.join(' '));
	const key = sqlite3(path.join(dir, 'catalog.db'), 'SELECT file_key FROM evaluation_files');
	assert.equal(sqlite3(path.join(dir, 'catalog.db'), 'SELECT segment_span FROM evaluation_files'), '50');
	assert.equal(
		sqlite3(path.join(dir, 'catalog.db'), "SELECT group_concat(seg || ':' || samples, ' ') FROM (SELECT * FROM segments ORDER BY seg)"),
		Array.from({ length: 10 }, (_, i) => `${i}:50`).join(' '),
	);
	for (let segment = 0; segment < 10; segment++) {
		const file = path.join(dir, 'evals', segment === 0 ? `${key}.db` : `${key}.${segment}.db`);
		assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
		assert.equal(sqlite3(file, 'SELECT min(idx), max(idx), count(*) FROM samples'), `${segment * 50}|${segment * 50 + 49}|50`);
	}
});

test('summaries, pages, filters, exports and resume read the same across segments as from one file', async (t) => {
	const root = tempDir(t);
	const segmented = path.join(root, 'segmented');
	const single = path.join(root, 'single');
	await withSpan(50, () => fill(segmented));
	await withSpan(100_000, () => fill(single));
	assert.equal(evalFiles(single).length, 1);
	const a = await openReader(segmented);
	const b = await openReader(single);
	t.after(async () => {
		await a.close();
		await b.close();
	});
	const id = 'evals/sentiment.eval.ts::evalSentiment';
	const summaryA = (await a.getEvaluation('big', id))!.summary;
	const summaryB = (await b.getEvaluation('big', id))!.summary;
	assert.equal(summaryA.completed, 500);
	// Wall time is the real time each fill took: the rest must be identical.
	const timeless = ({ wallMs: _w, samplesPerSecond: _s, speedup: _x, ...rest }: typeof summaryA) => rest;
	assert.deepEqual(timeless(summaryA), timeless(summaryB));
	const indexes = (page: { samples: SampleInfo[] }): number[] => page.samples.map((s) => s.index);
	for (const query of [
		{ offset: 0, limit: 10 },
		{ offset: 45, limit: 10 },
		{ offset: 130, limit: 120 },
		{ offset: 495, limit: 10 },
		{ offset: 600, limit: 10 },
		{ filter: 'errored' as const, offset: 5, limit: 20 },
		{ filter: 'failed' as const, offset: 60, limit: 30 },
		{ search: 'number 27', limit: 50 },
	]) {
		const pageA = await a.samples('big', id, query);
		const pageB = await b.samples('big', id, query);
		assert.equal(pageA.total, pageB.total, JSON.stringify(query));
		assert.deepEqual(indexes(pageA), indexes(pageB), JSON.stringify(query));
		assert.deepEqual(pageA.samples, pageB.samples);
	}
	assert.deepEqual(
		(await collect(a.allSamples('big', id, 33))).map((s) => s.index),
		Array.from({ length: 500 }, (_, i) => i),
	);
	assert.deepEqual(await a.scoreNames('big', id), await b.scoreNames('big', id));

	// Resume: the errored samples run again, into their own segments.
	await withSpan(50, () => fill(segmented));
	const after = await openReader(segmented);
	t.after(() => after.close());
	const resumed = (await after.getEvaluation('big', id))!.summary;
	assert.equal(resumed.completed, 500);
	assert.equal(resumed.errors, 72, 'errors are recorded again on resume (the same sample fails again)');
	assert.equal((await after.samples('big', id, { filter: 'errored' })).total, 72);
});

test('a checkpoint rewrites only the segments it has samples for; a reader opens only the segment of its page', async (t) => {
	const dir = path.join(tempDir(t), 'store');
	await withSpan(50, () => fill(dir, 0, 150));
	const key = sqlite3(path.join(dir, 'catalog.db'), 'SELECT file_key FROM evaluation_files');
	const segmentFile = (segment: number): string => path.join(dir, 'evals', segment === 0 ? `${key}.db` : `${key}.${segment}.db`);
	const before = [0, 1, 2].map((s) => statSync(segmentFile(s)).ino);
	// Samples 150..199 only (the resume skips the others that completed; errored ones run again in 0..149).
	const store = await openStore(dir);
	const writer = await store.beginEvaluation(start('big'));
	for (let i = 150; i < 200; i++) writer.recordSample(sample(i));
	await writer.finish('completed');
	await store.close();
	assert.deepEqual(
		[0, 1, 2].map((s) => statSync(segmentFile(s)).ino),
		before,
		'sealed segments 0-2 were not rewritten',
	);
	assert.equal(sqlite3(segmentFile(3), 'SELECT count(*) FROM samples'), '50');

	// Damage segment 0: pages of other segments still read; the page of segment 0 names the file.
	writeFileSync(segmentFile(0), 'not a database at all, and long enough to look like a header...'.repeat(4));
	const reader = await openReader(dir);
	t.after(() => reader.close());
	const id = 'evals/sentiment.eval.ts::evalSentiment';
	const page = await reader.samples('big', id, { offset: 160, limit: 5 });
	assert.deepEqual(
		page.samples.map((s) => s.index),
		[160, 161, 162, 163, 164],
	);
	assert.equal(page.total, 200);
	await assert.rejects(
		reader.samples('big', id, { offset: 0, limit: 5 }),
		(error: Error) => error.message.includes(segmentFile(0)) && /corrupt/.test(error.message),
	);
	// Filtered totals and pages come from the catalog's per-segment counts too: segment 0 is not opened.
	const first150 = Array.from({ length: 150 }, (_, i) => i);
	const errored = first150.filter((i) => i % 7 === 0);
	const failed = first150.filter((i) => i % 3 === 0 && i % 7 !== 0);
	assert.equal((await reader.samples('big', id, { filter: 'passed', limit: 0 })).total, 200 - errored.length - failed.length);
	assert.equal((await reader.samples('big', id, { filter: 'failed', limit: 0 })).total, failed.length);
	const inSegment0 = errored.filter((i) => i < 50).length;
	const erroredPage = await reader.samples('big', id, { filter: 'errored', offset: inSegment0, limit: 3 });
	assert.equal(erroredPage.total, errored.length);
	assert.deepEqual(
		erroredPage.samples.map((s) => s.index),
		errored.slice(inSegment0, inSegment0 + 3),
	);
});
