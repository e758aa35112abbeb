/** The store is a real SQLite file: the sqlite3 command reads it, with the documented schema. */
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
	const db = path.join(tempDir(t), 'doteval.db');
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('cli'));
	for (let i = 0; i < 20; i++) writer.recordSample(sample(i, { pass: i < 15, error: i === 19 ? 'TimeoutError' : undefined, latencyMs: 10 + i }));
	await writer.finish('completed');
	store.close();

	assert.equal(sqlite3(db, 'PRAGMA integrity_check'), 'ok');
	assert.equal(sqlite3(db, 'PRAGMA user_version'), String(schemaVersion));
	assert.equal(sqlite3(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"), 'evaluations,experiments,runs,samples,scores');
	assert.equal(sqlite3(db, `SELECT x.name, e.eval_id, e.status FROM experiments x JOIN evaluations e ON e.experiment_id = x.id`), 'cli|evals/sentiment.eval.ts::evalSentiment|completed');
	// Scores are numbers in a REAL column: aggregates need no JSON.
	assert.equal(sqlite3(db, `SELECT sc.name, count(*), sum(sc.value), typeof(sc.value) FROM scores sc GROUP BY sc.name`), 'exactMatch|19|15.0|real');
	assert.equal(sqlite3(db, `SELECT count(*), sum(error_type IS NOT NULL), max(latency_ms) FROM samples`), '20|1|29.0');
});
