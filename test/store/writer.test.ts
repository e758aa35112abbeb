/** The writer and reader API in-process: resume rules, fingerprints, journal replay, names and paths. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
	openStore,
	openStoreReader,
	resolveStoragePath,
	timestampExperimentName,
	isTimestampExperimentName,
	StoreError,
	StoreRefusal,
	listJournals,
} from '../../runtime/src/store/index.js';
import { sample, start, tempDir } from './helpers.js';

test('resume: completed samples are skipped, errored ones re-run, and an error is replaced by a later success', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	let store = await openStore(db);
	let writer = await store.beginEvaluation(start('resume'));
	assert.equal(writer.completed.size, 0);
	for (let i = 0; i < 10; i++) if (i !== 9) writer.recordSample(sample(i, { error: i % 4 === 1 ? 'TimeoutError' : undefined }));
	await writer.finish('interrupted');
	await store.close();

	store = await openStore(db);
	writer = await store.beginEvaluation(start('resume'));
	// 1 and 5 errored, 9 missing: everything else is done.
	assert.deepEqual(
		[...writer.completed].sort((a, b) => a - b),
		[0, 2, 3, 4, 6, 7, 8],
	);
	for (const i of [1, 5, 9]) writer.recordSample(sample(i));
	await writer.finish('completed');
	await store.close();

	const reader = await openStoreReader(db);
	const page = await reader.samples('resume', 'evalSentiment', { limit: 100 });
	assert.deepEqual(
		page.samples.map((s) => s.index),
		[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
	);
	assert.equal(page.samples.filter((s) => s.error).length, 0);
	const evaluation = (await reader.getEvaluation('resume', 'evals/sentiment.eval.ts::evalSentiment'))!;
	assert.equal(evaluation.status, 'completed');
	assert.equal(evaluation.summary.completed, 10);
	assert.equal(evaluation.summary.errors, 0);
	await reader.close();
});

test('a success is never replaced by a later error of the same sample', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('keep'));
	writer.recordSample(sample(0, { pass: true }));
	writer.recordSample(sample(0, { error: 'TimeoutError' }));
	await writer.finish('completed');
	await store.close();
	const reader = await openStoreReader(db);
	const [only] = (await reader.samples('keep', 'evalSentiment')).samples;
	assert.equal((await reader.samples('keep', 'evalSentiment')).total, 1);
	assert.equal(only!.error, null);
	assert.equal(only!.passed, true);
	await reader.close();
});

test('the same evaluation with a changed dataset is refused unless forced', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const first = await store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'aaaa1111' }));
	first.recordSample(sample(0));
	await first.finish('completed');
	await assert.rejects(store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'bbbb2222' })), (error: Error) => {
		assert.ok(error instanceof StoreRefusal);
		assert.match(error.message, /dataset of evals\/sentiment\.eval\.ts::evalSentiment changed/);
		assert.match(error.message, /--force/);
		return true;
	});
	const forced = await store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'bbbb2222', force: true }));
	assert.deepEqual([...forced.completed], [0]);
	await forced.finish('completed');
	// A different experiment is a fresh start, whatever the fingerprint.
	const other = await store.beginEvaluation(start('fp-other', 'evalSentiment', { datasetFingerprint: 'cccc3333' }));
	assert.equal(other.completed.size, 0);
	await other.finish('completed');
	await store.close();
	const reader = await openStoreReader(db);
	assert.equal((await reader.getEvaluation('fp', 'evalSentiment'))!.datasetFingerprint, 'bbbb2222');
	await reader.close();
});

test("a reader sees a running writer's journal; a torn last line is skipped", async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('live'));
	for (let i = 0; i < 50; i++) writer.recordSample(sample(i, { pass: i % 2 === 0 }));
	let reader = await openStoreReader(db);
	assert.equal((await reader.listExperiments())[0]!.status, 'running');
	const live = (await reader.getEvaluation('live', 'evalSentiment'))!;
	assert.equal(live.status, 'running');
	assert.equal(live.summary.completed, 50);
	assert.equal(live.summary.metrics[0]!.value, 0.5);
	await reader.close();
	// A crash in the middle of a write leaves half a line at the end of the journal.
	const [journal] = listJournals(db);
	appendFileSync(journal!.file, '{"t":"s","run":"x","s":{"index":99,"row"');
	reader = await openStoreReader(db);
	assert.equal((await reader.samples('live', 'evalSentiment')).total, 50);
	await reader.close();
	await writer.finish('completed');
	await store.close();
});

test('a reader opened while a run writes keeps its view when the run then checkpoints and deletes its journal', async (t) => {
	// The editor opens a reader when a run reports an evaluation's end (its samples are journaled),
	// and reads it a moment later, when the CLI may have written them into the files and deleted the
	// journal: the reader must still see every sample (it read neither the new catalog nor the journal).
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('live', 'evalSentiment', { total: 20 }));
	for (let i = 0; i < 20; i++) writer.recordSample(sample(i, { pass: i % 2 === 0 }));
	const reader = await openStoreReader(db);
	await writer.finish('completed');
	await store.close();
	assert.deepEqual(listJournals(db), [], 'the run deleted its journal');
	const evaluation = (await reader.getEvaluation('live', 'evalSentiment'))!;
	assert.equal(evaluation.summary.completed, 20);
	assert.equal((await reader.samples('live', 'evalSentiment', { filter: 'passed', limit: 0 })).total, 10);
	assert.equal((await reader.samples('live', 'evalSentiment')).total, 20);
	await reader.close();
});

test('orphaned journals of a dead writer are adopted at the next open; its run shows as interrupted', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const dir = path.join(db, 'journals');
	mkdirSync(dir, { recursive: true });
	// pid 2^22+7 is above Linux's pid_max default range, so no such process exists.
	const deadPid = 4194311;
	const lines = [
		{
			t: 'begin',
			run: 'r1',
			pid: deadPid,
			at: 1_700_000_000_000,
			experiment: 'orphan',
			ephemeral: false,
			evalId: 'a.ts::e',
			name: 'e',
			file: 'a.ts',
			strategy: { name: 'Sequential' },
			gitCommit: null,
			runtimeVersion: '0.1.0',
			datasetFingerprint: null,
			total: 3,
		},
		{ t: 's', run: 'r1', s: sample(0) },
		{ t: 's', run: 'r1', s: sample(1) },
	];
	writeFileSync(path.join(dir, `${deadPid}-1700000000000-abcdef01.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
	let reader = await openStoreReader(db);
	assert.equal((await reader.getEvaluation('orphan', 'e'))!.status, 'interrupted');
	await reader.close();
	const store = await openStore(db);
	assert.equal(readdirSync(dir).length, 0, 'the orphaned journal was checkpointed and removed');
	const writer = await store.beginEvaluation({ ...start('orphan'), evalId: 'a.ts::e', name: 'e', file: 'a.ts' });
	assert.deepEqual([...writer.completed].sort(), [0, 1]);
	await writer.finish('completed');
	await store.close();
	reader = await openStoreReader(db);
	assert.equal((await reader.getEvaluation('orphan', 'e'))!.status, 'completed');
	await reader.close();
});

test('samples page: filter, search, offset and limit', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('page'));
	for (let i = 0; i < 30; i++) writer.recordSample(sample(i, { pass: i % 3 !== 0, error: i === 7 ? 'RateLimitError' : undefined }));
	await writer.finish('completed');
	assert.equal((await store.samples('page', 'evalSentiment', { filter: 'failed' })).total, 10);
	assert.equal((await store.samples('page', 'evalSentiment', { filter: 'errored' })).samples[0]!.index, 7);
	assert.equal((await store.samples('page', 'evalSentiment', { filter: 'passed' })).total, 19);
	assert.deepEqual(
		(await store.samples('page', 'evalSentiment', { search: 'NUMBER 2' })).samples.map((s) => s.index),
		[2, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
	);
	assert.deepEqual((await store.samples('page', 'evalSentiment', { search: '100%_' })).total, 0);
	const page = await store.samples('page', 'evalSentiment', { offset: 10, limit: 5 });
	assert.equal(page.total, 30);
	assert.deepEqual(
		page.samples.map((s) => s.index),
		[10, 11, 12, 13, 14],
	);
	assert.equal(page.samples[1]!.scores[0]!.value, true);
	assert.deepEqual(
		(await store.resultsForEval('evals/sentiment.eval.ts::evalSentiment')).map((r) => r.experiment),
		['page'],
	);
	await store.close();
});

test('storage path: --storage, then DOTEVAL_STORAGE, then <project root>/.doteval/', (t) => {
	const root = tempDir(t);
	writeFileSync(path.join(root, 'package.json'), '{}');
	const nested = path.join(root, 'evals', 'deep');
	mkdirSync(nested, { recursive: true });
	assert.equal(resolveStoragePath({ cwd: nested, env: {} }), path.join(root, '.doteval'));
	assert.equal(resolveStoragePath({ cwd: nested, env: { DOTEVAL_STORAGE: '/x/results' } }), '/x/results');
	// A path to a single-file store of doteval 0.1 names the folder beside it, which it migrates into.
	assert.equal(resolveStoragePath({ cwd: nested, env: { DOTEVAL_STORAGE: '/x/y.db' } }), '/x/y');
	assert.equal(resolveStoragePath({ cwd: nested, storage: 'mine.db', env: { DOTEVAL_STORAGE: '/x/y.db' } }), path.join(nested, 'mine'));
	assert.equal(resolveStoragePath({ cwd: root, storage: '.doteval/doteval.db', env: {} }), path.join(root, '.doteval'));
	assert.equal(resolveStoragePath({ cwd: root, storage: 'evals', env: {} }), path.join(root, 'evals'));
	assert.equal(resolveStoragePath({ cwd: root, storage: 'results/', env: {} }), path.join(root, 'results'));
});

test('timestamped experiment names', () => {
	const name = timestampExperimentName(new Date(2026, 10, 27, 2, 5, 9));
	assert.match(name, /^20261127_020509_[0-9a-f]{8}$/);
	assert.ok(isTimestampExperimentName(name));
	assert.ok(!isTimestampExperimentName('sync_baseline'));
	assert.notEqual(timestampExperimentName(), timestampExperimentName());
});

test('a journal whose pid now belongs to a younger process (a reboot reused it) is orphaned', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const dir = path.join(db, 'journals');
	mkdirSync(dir, { recursive: true });
	// Our own pid, but written "ten hours ago": long before this process started.
	const begin = {
		t: 'begin',
		run: 'old',
		pid: process.pid,
		at: Date.now() - 36e6,
		experiment: 'reused',
		ephemeral: false,
		evalId: 'a.ts::e',
		name: 'e',
		file: 'a.ts',
		strategy: { name: 'Sequential' },
		gitCommit: null,
		runtimeVersion: '0.1.0',
		datasetFingerprint: null,
		total: 1,
	};
	writeFileSync(
		path.join(dir, `${process.pid}-${Date.now() - 36e6}-0badcafe.jsonl`),
		`${JSON.stringify(begin)}\n${JSON.stringify({ t: 's', run: 'old', s: sample(0) })}\n`,
	);
	assert.equal(listJournals(db)[0]!.orphaned, true);
	const reader = await openStoreReader(db);
	assert.equal((await reader.getEvaluation('reused', 'e'))!.status, 'interrupted');
	await reader.close();
	const store = await openStore(db);
	assert.equal(listJournals(db).length, 0, 'adopted at open');
	await store.close();
});

test('a store that cannot be written is a StoreError naming the path', async (t) => {
	const dir = tempDir(t);
	writeFileSync(path.join(dir, 'not-a-folder'), 'x');
	const db = path.join(dir, 'not-a-folder', '.doteval');
	await assert.rejects(openStore(db), (error: Error) => error instanceof StoreError && error.message.includes(db));
});
