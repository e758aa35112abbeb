/**
 * Trials in both store backends (the embedded folder store and a real PostgreSQL server): a sample is
 * one (index, trial); resume skips done trials per trial; samples read in (index, trial) order across
 * pages; both compute the same pass@k summary; and stores written before trials migrate, keeping
 * every sample (as trial 0) and its scores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { usePostgresServer } from '../postgres/usePostgresServer.js';
import { openPostgresStore } from '../../runtime/src/store/postgres/index.js';
import { migrations as pgMigrations } from '../../runtime/src/store/postgres/schema.js';
import { openStore, type StoreWriter } from '../../runtime/src/store/index.js';
import { migrate, migrations, userVersion } from '../../runtime/src/store/schema.js';
import { loadSqlJs } from '../../runtime/src/store/sqljs.js';
import { sample, start, tempDir } from './helpers.js';

const server = usePostgresServer();

/** Row i's trial t passes per the pattern: row 0 always, row 1 on trial 1 only, row 2 never. */
const passes = (i: number, t: number) => (i === 0 ? true : i === 1 ? t === 1 : false);
const trialSample = (i: number, t: number) => ({ ...sample(i, { pass: passes(i, t) }), ...(t > 0 ? { trial: t } : {}) });

async function backends(t: { after(fn: () => Promise<void> | void): void }): Promise<Array<[string, StoreWriter]>> {
	const pg = await openPostgresStore(server().createDatabase(), { env: server().env });
	const embedded = await openStore(path.join(tempDir(t), 'store'));
	return [
		['postgres', pg],
		['embedded', embedded],
	];
}

test('both backends: one sample per (index, trial), resume per trial, pages in (index, trial) order, the same pass@k', async (t) => {
	const summaries: unknown[] = [];
	const stores = await backends(t);
	for (const [name, store] of stores) {
		const first = await store.beginEvaluation(start('trials', 'evalSentiment', { total: 9 }));
		for (let i = 0; i < 3; i++) for (let k = 0; k < 2; k++) first.recordSample(trialSample(i, k));
		first.recordSample({ ...sample(2, { error: 'Timeout' }), trial: 2 });
		await first.finish('interrupted');

		const second = await store.beginEvaluation(start('trials', 'evalSentiment', { total: 9 }));
		assert.deepEqual([...second.completed].sort(), [0, 1, 2], `${name}: trial 0 done for every row`);
		assert.deepEqual(
			[0, 1, 2].map((k) => [...(second.completedTrials?.[k] ?? [])].sort()),
			[[0, 1, 2], [0, 1, 2], []],
			`${name}: the errored trial 2 runs again`,
		);
		for (let i = 0; i < 3; i++) second.recordSample(trialSample(i, 2));
		second.recordSample({ ...trialSample(0, 1), passed: false }); // a late duplicate never replaces a stored success
		await second.finish('completed');

		const order = [];
		for await (const s of store.allSamples('trials', 'evalSentiment', 4)) order.push(`${s.index}/${s.trial ?? 0}:${s.passed}`);
		assert.deepEqual(order, ['0/0:true', '0/1:true', '0/2:true', '1/0:false', '1/1:true', '1/2:false', '2/0:false', '2/1:false', '2/2:false'], name);
		const page = await store.samples('trials', 'evalSentiment', { offset: 3, limit: 3 });
		assert.deepEqual(
			page.samples.map((s) => [s.index, s.trial ?? 0]),
			[
				[1, 0],
				[1, 1],
				[1, 2],
			],
		);
		const summary = (await store.getEvaluation('trials', 'evalSentiment'))!.summary;
		assert.equal(summary.completed, 9);
		assert.equal(summary.errors, 0, `${name}: the error was replaced by its retry`);
		assert.deepEqual(
			summary.trials,
			{ k: 3, rows: 3, incomplete: 0, passAtK: 2 / 3, passHatK: 1 / 3, passAt1: 4 / 9, unstable: 1, unstableIndexes: [1] },
			name,
		);
		summaries.push(summary.trials);
	}
	assert.deepEqual(summaries[0], summaries[1], 'the same figures from both backends');
	for (const [, store] of stores) await store.close(); // before tempDir's cleanup removes the folder
});

test('an embedded store file of schema 3 migrates to trials: every sample is trial 0, its scores stay attached', async () => {
	const SQL = await loadSqlJs();
	const db = new SQL.Database();
	for (const [v, sql] of migrations.slice(0, 3).entries()) db.exec(`${sql}; PRAGMA user_version = ${v + 1}`);
	db.exec(`INSERT INTO experiments (id, name, created_at) VALUES (1, 'old', 0);
		INSERT INTO evaluations (id, experiment_id, eval_id, name, file, status, started_at, strategy_json, runtime_version) VALUES (1, 1, 'e::x', 'x', 'e.ts', 'completed', 0, '{}', '0.1.0');
		INSERT INTO samples (id, evaluation_id, idx, row_json, attempts, backoff_ms, passed, model_json, cached) VALUES (7, 1, 0, '{}', 1, 0, 1, '{"models":{"calls":1}}', 1);
		INSERT INTO scores (sample_id, ord, name, value, passed, metrics) VALUES (7, 0, 'exactMatch', 1, 1, '["accuracy"]');`);
	assert.equal(migrate(db), true);
	assert.equal(userVersion(db), migrations.length);
	assert.deepEqual(db.exec('SELECT id, idx, trial, model_json, cached FROM samples')[0]!.values, [[7, 0, 0, '{"models":{"calls":1}}', 1]]);
	assert.deepEqual(db.exec('SELECT sample_id, name FROM scores')[0]!.values, [[7, 'exactMatch']]);
	// The new key: a second trial of the same row is a second sample; the same trial twice is refused.
	db.run(`INSERT INTO samples (evaluation_id, idx, trial, row_json, attempts, backoff_ms) VALUES (1, 0, 1, '{}', 1, 0)`);
	assert.throws(() => db.run(`INSERT INTO samples (evaluation_id, idx, trial, row_json, attempts, backoff_ms) VALUES (1, 0, 1, '{}', 1, 0)`), /UNIQUE/);
	assert.equal(db.exec('PRAGMA foreign_keys')[0]!.values[0]![0], 1, 'foreign keys are on again after migrating');
	db.close();
});

test('a PostgreSQL store of schema 1 migrates to trials in place: its samples are trial 0', async () => {
	const url = server().createDatabase();
	const name = new URL(url).pathname.slice(1);
	server().psql(
		name,
		`CREATE SCHEMA doteval; CREATE TABLE doteval.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
		${pgMigrations[0]} INSERT INTO doteval.migrations (version) VALUES (1);
		INSERT INTO doteval.experiments (id, name, created_at) VALUES (1, 'old', 0);
		INSERT INTO doteval.evaluations (id, experiment_id, eval_id, name, file, started_at, strategy_json, runtime_version) VALUES (1, 1, 'e::x', 'x', 'e.ts', 0, '{}', '0.1.0');
		INSERT INTO doteval.samples (id, evaluation_id, idx, row_json, attempts, backoff_ms, passed) VALUES (7, 1, 0, '{}', 1, 0, true);`,
	);
	const store = await openPostgresStore(url, { env: server().env });
	try {
		assert.equal(server().psql(name, 'SELECT id, idx, trial FROM doteval.samples').trim(), '7|0|0');
		const writer = await store.beginEvaluation({ ...start('old', 'x'), evalId: 'e::x' });
		assert.deepEqual([...writer.completed], [0]);
		writer.recordSample({ ...sample(0), trial: 1 });
		await writer.finish('completed');
		assert.equal(server().psql(name, "SELECT string_agg(idx || '/' || trial, ',' ORDER BY trial) FROM doteval.samples").trim(), '0/0,0/1');
	} finally {
		await store.close();
	}
});
