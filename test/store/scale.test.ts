/**
 * Scale: 100,000 samples. The resume skip set and `doteval show` must stay interactive (generous
 * bounds for a noisy 2-core machine; `npm run bench` has the precise figures), and the queries behind
 * them use the (evaluation_id, idx) index rather than scanning every sample of every evaluation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStore } from '../../runtime/src/store/index.js';
import { loadSqlJs } from '../../runtime/src/store/sqljs.js';
import { ExitCode } from '../../runtime/src/protocol/events.js';
import { runCommand, sample, start, tempDir } from './helpers.js';

test('100,000 samples: skip set and show stay fast; the hot queries use the index', async (t) => {
	const dir = tempDir(t);
	const db = path.join(dir, '.doteval');
	const N = 100_000;
	let store = await openStore(db);
	// A second evaluation, so that an unindexed query would have to skip its rows too.
	for (const name of ['evalOther', 'evalSentiment']) {
		const writer = await store.beginEvaluation(start('scale', name));
		for (let i = 0; i < (name === 'evalOther' ? 20_000 : N); i++)
			writer.recordSample(sample(i, { pass: i % 4 !== 0, error: i % 100 === 0 ? 'TimeoutError' : undefined }));
		await writer.finish('completed');
	}
	await store.close();

	let t0 = performance.now();
	store = await openStore(db);
	const writer = await store.beginEvaluation(start('scale'));
	const skipMs = performance.now() - t0;
	assert.equal(writer.completed.size, N - N / 100);
	await writer.finish('completed');
	await store.close();

	t0 = performance.now();
	const shown = await runCommand('show', ['scale', '--storage', db], { cwd: dir });
	const showMs = performance.now() - t0;
	assert.equal(shown.code, ExitCode.Ok, shown.stderr);
	assert.match(shown.stdout, /Samples\s+100000 stored, 1000 errors/);
	t.diagnostic(`open + skip set of ${writer.completed.size}: ${skipMs.toFixed(0)} ms; show: ${showMs.toFixed(0)} ms`);
	assert.ok(skipMs < 3000, `loading the skip set took ${skipMs.toFixed(0)} ms`);
	assert.ok(showMs < 10_000, `show took ${showMs.toFixed(0)} ms`);

	const SQL = await loadSqlJs();
	const { readFileSync, readdirSync } = await import('node:fs');
	const file = readdirSync(path.join(db, 'evals')).find((name) => name.startsWith('evalSentiment-'))!;
	const raw = new SQL.Database(readFileSync(path.join(db, 'evals', file)));
	const plan = (sql: string) => (raw.exec(`EXPLAIN QUERY PLAN ${sql}`)[0]?.values ?? []).map((r) => String(r[3])).join(' | ');
	assert.match(plan('SELECT idx FROM samples WHERE evaluation_id = 2 AND error_type IS NULL'), /USING INDEX sqlite_autoindex_samples_1/);
	assert.match(plan('SELECT * FROM samples s WHERE s.evaluation_id = 2 ORDER BY s.idx LIMIT 50 OFFSET 100'), /USING INDEX sqlite_autoindex_samples_1/);
	assert.match(plan('SELECT * FROM samples s JOIN scores sc ON sc.sample_id = s.id WHERE s.evaluation_id = 2'), /SEARCH sc USING PRIMARY KEY/);
	raw.close();
});
