/** The store's files are real SQLite files: the sqlite3 command reads them, with the documented schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { openStore, schemaVersion } from '../../runtime/src/store/index.js';
import { sample, start, tempDir } from './helpers.js';

function sqlite3(db: string, sql: string): string {
	const probe = spawnSync('sqlite3', ['-version']);
	// Never pass silently: without the sqlite3 command this test cannot check anything.
	assert.equal(probe.error, undefined, 'the sqlite3 command is missing: install it (Debian: apt-get install -y sqlite3)');
	return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

test('sqlite3 reads the store: schema version, tables and numeric scores', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('cli'));
	for (let i = 0; i < 20; i++) writer.recordSample(sample(i, { pass: i < 15, error: i === 19 ? 'TimeoutError' : undefined, latencyMs: 10 + i }));
	await writer.finish('completed');
	await store.close();

	const catalog = path.join(db, 'catalog.db');
	assert.equal(sqlite3(catalog, 'PRAGMA integrity_check'), 'ok');
	assert.equal(sqlite3(catalog, 'PRAGMA user_version'), String(schemaVersion));
	assert.equal(
		sqlite3(catalog, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"),
		'evaluation_files,evaluations,experiments,runs,samples,scores,segments',
	);
	assert.equal(
		sqlite3(
			catalog,
			`SELECT x.name, e.eval_id, e.status, f.samples FROM experiments x JOIN evaluations e ON e.experiment_id = x.id JOIN evaluation_files f ON f.evaluation_id = e.id`,
		),
		'cli|evals/sentiment.eval.ts::evalSentiment|completed|20',
	);
	const key = sqlite3(catalog, 'SELECT file_key FROM evaluation_files');
	const file = path.join(db, 'evals', `${key}.db`);
	assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok');
	// Scores are numbers in a REAL column: aggregates need no JSON.
	assert.equal(sqlite3(file, `SELECT sc.name, count(*), sum(sc.value), typeof(sc.value) FROM scores sc GROUP BY sc.name`), 'exactMatch|19|15.0|real');
	assert.equal(sqlite3(file, `SELECT count(*), sum(error_type IS NOT NULL), max(latency_ms) FROM samples`), '20|1|29.0');
	// The recipe of docs/store.md: ATTACH an evaluation's file to the catalog and join.
	assert.equal(
		sqlite3(
			catalog,
			`ATTACH '${file}' AS ev; SELECT x.name, count(*) FROM ev.samples s JOIN evaluations e ON e.id = s.evaluation_id JOIN experiments x ON x.id = e.experiment_id GROUP BY x.name`,
		),
		'cli|20',
	);
});
