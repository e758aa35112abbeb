/**
 * The PostgreSQL store against a real server (test/postgres/server.mjs): the same semantics as the
 * embedded store — experiments, resume (skip done, retry errored), dataset fingerprints, concurrent
 * writers, rename/delete — plus what only a server has: versioned migrations, summaries cached in the
 * database, passwords that never show, names that are data and never SQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { usePostgresServer } from '../postgres/usePostgresServer.js';
import { openPostgresReader, openPostgresStore, schemaVersion, type PgStoreWriter } from '../../runtime/src/store/postgres/index.js';
import { openStore, StoreError, StoreRefusal } from '../../runtime/src/store/index.js';
import { UnknownExperiment } from '../../runtime/src/store/writer.js';
import { sample, start, tempDir } from './helpers.js';

const server = usePostgresServer();

async function freshStore(t: { after(fn: () => Promise<void> | void): void }): Promise<{ store: PgStoreWriter; url: string }> {
	const url = server().createDatabase();
	const store = await openPostgresStore(url, { env: server().env });
	t.after(() => store.close());
	return { store, url };
}

test('a run is stored and read back: experiments, evaluations, sample pages, filters and search', async (t) => {
	const { store } = await freshStore(t);
	const writer = await store.beginEvaluation(start('baseline', 'evalSentiment', { total: 10 }));
	for (let i = 0; i < 10; i++) writer.recordSample(sample(i, { pass: i % 3 !== 0, error: i === 5 ? 'TimeoutError' : undefined }));
	await writer.finish('completed');

	const [experiment] = await store.listExperiments();
	assert.equal(experiment!.name, 'baseline');
	assert.equal(experiment!.status, 'completed');
	assert.equal(experiment!.evaluationCount, 1);
	const evaluation = (await store.getEvaluation('baseline', 'evalSentiment'))!;
	assert.equal(evaluation.status, 'completed');
	assert.equal(evaluation.summary.completed, 10);
	assert.equal(evaluation.summary.errors, 1);
	assert.deepEqual(evaluation.summary.errorsByType, { TimeoutError: 1 });
	const page = await store.samples('baseline', evaluation.evalId, { offset: 2, limit: 3 });
	assert.equal(page.total, 10);
	assert.deepEqual(
		page.samples.map((s) => s.index),
		[2, 3, 4],
	);
	assert.deepEqual(page.samples[0], sample(2, { pass: true }));
	assert.deepEqual(
		(await store.samples('baseline', evaluation.evalId, { filter: 'errored' })).samples.map((s) => s.index),
		[5],
	);
	assert.deepEqual(
		(await store.samples('baseline', evaluation.evalId, { filter: 'failed', limit: 100 })).samples.map((s) => s.index),
		[0, 3, 6, 9],
	);
	assert.deepEqual(
		(await store.samples('baseline', evaluation.evalId, { search: 'REVIEW NUMBER 7' })).samples.map((s) => s.index),
		[7],
	);
	const all = [];
	for await (const s of store.allSamples('baseline', evaluation.evalId, 3)) all.push(s.index);
	assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	assert.equal((await store.resultsForEval(evaluation.evalId))[0]!.experiment, 'baseline');
});

test("the summary is the embedded store's summary of the same samples, and is cached in the database", async (t) => {
	const { store, url } = await freshStore(t);
	const sqlite = await openStore(path.join(tempDir(t), 'doteval.db'));
	for (const target of [store, sqlite] as const) {
		const writer = await target.beginEvaluation(start('same', 'evalSentiment', { total: 50 }));
		for (let i = 0; i < 50; i++)
			writer.recordSample(sample(i, { pass: i % 4 !== 0, error: i % 17 === 3 ? (i % 2 ? 'RateLimit' : 'Timeout') : undefined, latencyMs: 10 + i }));
		await writer.finish('completed', { wallMs: 1234, maxInFlight: 4 });
	}
	const pg = (await store.getEvaluation('same', 'evalSentiment'))!.summary;
	const embedded = (await sqlite.getEvaluation('same', 'evalSentiment'))!.summary;
	await sqlite.close();
	assert.deepEqual(pg, embedded);
	const name = new URL(url).pathname.slice(1);
	assert.equal(JSON.parse(server().psql(name, 'SELECT summary_json FROM doteval.evaluations')).completed, 50, 'the summary is stored once computed');
	// A new sample makes the cached summary stale, and the next read computes it again.
	const writer = await store.beginEvaluation(start('same', 'evalSentiment', { total: 51 }));
	writer.recordSample(sample(50));
	await writer.finish('completed');
	assert.equal((await store.getEvaluation('same', 'evalSentiment'))!.summary.completed, 51);
});

test('model calls, cache hits and printed output are stored and summarized as in the embedded store', async (t) => {
	const { store } = await freshStore(t);
	const sqlite = await openStore(path.join(tempDir(t), 'doteval.db'));
	const withCalls = (i: number) => {
		const s = sample(i, { pass: i % 2 === 0, latencyMs: 20 + i });
		const cached = i % 3 === 0;
		s.models = { calls: 1, cacheHits: cached ? 1 : 0, inputTokens: 100 + i, outputTokens: 10, costUsd: cached ? 0 : 0.001 };
		s.timing.budgetMs = 5;
		if (i === 4) s.output = 'printed by sample 4\nsecond line \u0000 with a NUL';
		return s;
	};
	for (const target of [store, sqlite] as const) {
		const writer = await target.beginEvaluation(start('calls', 'evalSentiment', { total: 9 }));
		for (let i = 0; i < 9; i++) writer.recordSample(withCalls(i));
		await writer.finish('completed', { wallMs: 500, maxInFlight: 3 });
	}
	const pg = (await store.getEvaluation('calls', 'evalSentiment'))!.summary;
	const embedded = (await sqlite.getEvaluation('calls', 'evalSentiment'))!.summary;
	const embeddedPage = await sqlite.samples('calls', 'evalSentiment', { limit: 10 });
	await sqlite.close();
	assert.deepEqual(pg, embedded);
	assert.ok(pg.models, 'the summary has the model usage');
	assert.equal(pg.models!.cachedSamples, 3, 'samples 0, 3 and 6 came from the cache');
	const page = await store.samples('calls', 'evalSentiment', { limit: 10 });
	assert.deepEqual(page.samples[1]!.models, withCalls(1).models);
	assert.equal(page.samples[1]!.timing.budgetMs, 5);
	// PostgreSQL text holds no NUL: it reads back as U+FFFD, everything else as printed.
	assert.equal(page.samples[4]!.output, 'printed by sample 4\nsecond line \uFFFD with a NUL');
	assert.deepEqual(
		page.samples.map((s) => s.models),
		embeddedPage.samples.map((s) => s.models),
	);
});

test('resume: completed samples are skipped, errored ones run again and replace the error, a success is never replaced', async (t) => {
	const { store } = await freshStore(t);
	const first = await store.beginEvaluation(start('resume'));
	first.recordSample(sample(0));
	first.recordSample(sample(1, { error: 'Timeout' }));
	first.recordSample(sample(2, { pass: false }));
	await first.finish('interrupted');
	assert.equal((await store.getEvaluation('resume', 'evalSentiment'))!.status, 'interrupted');

	const second = await store.beginEvaluation(start('resume'));
	assert.deepEqual([...second.completed].sort(), [0, 2]);
	second.recordSample(sample(1));
	second.recordSample(sample(0, { error: 'late duplicate' })); // never replaces the stored success
	second.recordSample(sample(3));
	await second.finish('completed');
	const evaluation = (await store.getEvaluation('resume', 'evalSentiment'))!;
	assert.equal(evaluation.status, 'completed');
	assert.equal(evaluation.summary.completed, 4);
	assert.equal(evaluation.summary.errors, 0);
	const samples = (await store.samples('resume', evaluation.evalId)).samples;
	assert.deepEqual(
		samples.map((s) => [s.index, s.error?.type ?? null]),
		[
			[0, null],
			[1, null],
			[2, null],
			[3, null],
		],
	);
});

test('a changed dataset fingerprint is refused unless forced', async (t) => {
	const { store } = await freshStore(t);
	const writer = await store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'aaaaaaaaaaaaaaaa' }));
	writer.recordSample(sample(0));
	await writer.finish('completed');
	await assert.rejects(store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'bbbbbbbbbbbbbbbb' })), (error: Error) => {
		assert.ok(error instanceof StoreRefusal);
		assert.match(error.message, /dataset of .* changed .*--force/);
		return true;
	});
	const forced = await store.beginEvaluation(start('fp', 'evalSentiment', { datasetFingerprint: 'bbbbbbbbbbbbbbbb', force: true }));
	assert.deepEqual([...forced.completed], [0]);
	await forced.finish('completed');
});

test('concurrent writers into one experiment store each sample once', async (t) => {
	const { url } = await freshStore(t);
	const writers = await Promise.all([0, 1, 2, 3].map(() => openPostgresStore(url, { env: server().env, batchSize: 7 })));
	t.after(() => Promise.all(writers.map((w) => w.close())).then(() => {}));
	// Four writers, overlapping index ranges (0–59, 40–99, …): the overlap must not store twice.
	await Promise.all(
		writers.map(async (store, w) => {
			const writer = await store.beginEvaluation(start('shared', 'evalSentiment', { total: 200 }));
			for (let i = w * 40; i < w * 40 + 60; i++) {
				writer.recordSample(sample(i));
				if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
			}
			await writer.finish('completed');
		}),
	);
	const reader = await openPostgresReader(url, { env: server().env });
	t.after(() => reader.close());
	const evaluation = (await reader.getEvaluation('shared', 'evalSentiment'))!;
	assert.equal(evaluation.summary.completed, 180);
	const indexes = (await reader.samples('shared', evaluation.evalId, { limit: 1000 })).samples.map((s) => s.index);
	assert.deepEqual(
		indexes,
		Array.from({ length: 180 }, (_, i) => i),
	);
});

test('a buffered sample is in the database within about a second, before finish', async (t) => {
	const { store, url } = await freshStore(t);
	const writer = await store.beginEvaluation(start('live'));
	writer.recordSample(sample(0));
	const reader = await openPostgresReader(url, { env: server().env });
	t.after(() => reader.close());
	const deadline = Date.now() + 20_000;
	while ((await reader.samples('live', 'evalSentiment')).total === 0) {
		assert.ok(Date.now() < deadline, 'the sample never reached the database');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	assert.equal((await reader.getEvaluation('live', 'evalSentiment'))!.status, 'running');
	await writer.finish('completed');
});

test('rename and delete; a running experiment is refused; unknown names list the existing ones', async (t) => {
	const { store } = await freshStore(t);
	const done = await store.beginEvaluation(start('20250101_120000_abcdef12'));
	done.recordSample(sample(0));
	await done.finish('completed');
	assert.equal((await store.listExperiments())[0]!.ephemeral, true);
	await store.renameExperiment('20250101_120000_abcdef12', 'kept');
	const [renamed] = await store.listExperiments();
	assert.equal(renamed!.name, 'kept');
	assert.equal(renamed!.ephemeral, false);

	const running = await store.beginEvaluation(start('busy'));
	await assert.rejects(store.renameExperiment('busy', 'other'), /being run right now/);
	await assert.rejects(store.deleteExperiment('busy'), /being run right now/);
	await running.finish('completed');
	await assert.rejects(store.renameExperiment('busy', 'kept'), /already exists/);
	await assert.rejects(
		store.deleteExperiment('nope'),
		(error: Error) => error instanceof UnknownExperiment && /busy/.test(error.message) && /kept/.test(error.message),
	);
	await store.deleteExperiment('busy');
	assert.deepEqual(
		(await store.listExperiments()).map((e) => e.name),
		['kept'],
	);
});

test('names are data, never SQL: quotes, semicolons, emoji and 10,000 characters round-trip', async (t) => {
	const { store } = await freshStore(t);
	const names = [`it's "quoted"`, `x'; DROP TABLE doteval.samples; --`, 'emoji 🧪🚀 ünïcödé', 'n'.repeat(10_000), `%_\\ like wildcards`];
	for (const name of names) {
		const writer = await store.beginEvaluation(start(name, 'evalSentiment', { evalId: `${name}.eval.ts::evalSentiment` }));
		writer.recordSample({ ...sample(0), modelResponse: `${name}\u0000 with a NUL` });
		await writer.finish('completed');
	}
	const listed = (await store.listExperiments()).map((e) => e.name).sort();
	assert.deepEqual(listed, [...names].sort());
	for (const name of names) {
		assert.deepEqual(
			(await store.listExperiments(name)).map((e) => e.name),
			[name],
			`filter by ${name.slice(0, 30)}`,
		);
		const evaluation = (await store.getEvaluation(name, `${name}.eval.ts::evalSentiment`))!;
		assert.equal(evaluation.experiment, name);
		const [stored] = (await store.samples(name, evaluation.evalId, { search: name.slice(0, 200) })).samples;
		assert.equal(stored!.modelResponse, `${name}\uFFFD with a NUL`);
	}
	await store.renameExperiment(names[1]!, `${names[1]}🚀`);
	await store.deleteExperiment(names[0]!);
	assert.equal((await store.listExperiments()).length, names.length - 1);
});

test('the schema is versioned; a database from a newer doteval is refused with the fix', async (t) => {
	const { url } = await freshStore(t);
	const name = new URL(url).pathname.slice(1);
	assert.equal(
		server().psql(name, "SELECT string_agg(version::text, ',' ORDER BY version) FROM doteval.migrations").trim(),
		Array.from({ length: schemaVersion }, (_, i) => i + 1).join(','),
	);
	// Opening again migrates nothing and keeps the data.
	const again = await openPostgresStore(url, { env: server().env });
	await again.close();
	server().psql(name, `INSERT INTO doteval.migrations (version) VALUES (${schemaVersion + 1})`);
	await assert.rejects(
		openPostgresReader(url, { env: server().env }),
		(error: Error) => error instanceof StoreError && /newer doteval .*upgrade doteval/.test(error.message),
	);
});

test('a wrong password and an unreachable server are StoreErrors that never contain the password', async () => {
	const secret = 'hunter2-s3cr3t';
	const inUrl = server().url().replace('postgres@', `postgres:${secret}@`);
	for (const [url, env, expected] of [
		[inUrl, {}, /refused the login .*PGPASSWORD/],
		[server().url(), { PGPASSWORD: secret }, /refused the login/],
		[`postgres://someone:${secret}@127.0.0.1:1/db`, {}, /cannot reach the PostgreSQL server .*ECONNREFUSED/],
		[server().url('no_such_db'), server().env, /does not exist.*createdb/],
	] as const) {
		await assert.rejects(openPostgresStore(url, { env: { ...env }, connectTimeoutMs: 5000 }), (error: Error) => {
			assert.ok(error instanceof StoreError, String(error));
			assert.match(error.message, expected);
			assert.ok(!error.message.includes(secret), error.message);
			assert.ok(!error.message.includes(server().password), error.message);
			return true;
		});
	}
});
