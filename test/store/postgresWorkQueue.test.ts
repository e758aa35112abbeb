/**
 * The chunks that `--workers-join` workers claim (store/postgres/workQueue.ts), against a real
 * server: a claim takes exactly one chunk, workers claiming at once get different chunks, and a
 * chunk is done once its samples are recorded and written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePostgresServer } from '../postgres/usePostgresServer.js';
import { openPostgresStore, type PgEvaluationWriter, type PgStoreWriter } from '../../runtime/src/store/postgres/index.js';
import { sample, start } from './helpers.js';

const server = usePostgresServer();

const dbName = (url: string) => new URL(url).pathname.slice(1);

/** chunk owner → how many chunks it holds (open ones), '' for free. */
function owners(url: string, evaluationId: number): Map<string, number> {
	const out = new Map<string, number>();
	for (const line of server()
		.psql(dbName(url), `SELECT coalesce(owner, ''), count(*) FROM doteval.chunks WHERE evaluation_id = ${evaluationId} AND NOT done GROUP BY 1`)
		.trim()
		.split('\n')
		.filter(Boolean)) {
		const [owner, n] = line.split('|');
		out.set(owner!, Number(n));
	}
	return out;
}

test('a claim takes one chunk: workers joining at once each get their own, and the rest stay free', async (t) => {
	const url = server().createDatabase();
	const stores: PgStoreWriter[] = [];
	t.after(() => Promise.all(stores.map((s) => s.close())));
	// A store with history: earlier joined experiments' chunks, and statistics that say so (the
	// planner's choice, which once let one claim take every chunk, depends on them).
	const history = await openPostgresStore(url, { env: server().env, part: 'join' });
	t.after(() => history.close());
	for (let e = 0; e < 8; e++)
		await ((await history.beginEvaluation(start(`older-${e}`, 'evalShared', { total: 1000 }))) as PgEvaluationWriter).joinWork(1000, 4);
	server().psql(dbName(url), 'UPDATE doteval.chunks SET done = true; ANALYZE');
	const workers: PgEvaluationWriter[] = [];
	for (let w = 0; w < 4; w++) {
		const store = await openPostgresStore(url, { env: server().env, part: 'join' });
		stores.push(store);
		workers.push((await store.beginEvaluation(start('shared', 'evalShared', { total: 400 }))) as PgEvaluationWriter);
	}
	const queues = await Promise.all(workers.map((w) => w.joinWork(400, 4)));
	assert.equal(owners(url, workers[0]!.evaluationId).get(''), 100, '100 free chunks of 4 samples');

	// Every worker asks for sample 0 at once: one gets chunk 0, the others the next free ones. The one
	// that entered chunk 0 claims one more ahead, in the background; the others have entered none yet.
	const mine = await Promise.all(queues.map((q) => q.take(0)));
	assert.equal(mine.filter(Boolean).length, 1, 'one worker has sample 0');
	await Promise.all(queues.map((q) => q.idle()));
	const held = owners(url, workers[0]!.evaluationId);
	assert.equal(held.get(''), 95, `each claim took one chunk: ${JSON.stringify([...held])}`);
	for (const [i, w] of workers.entries())
		assert.equal(held.get(w.runId), mine[i] ? 2 : 1, 'a worker holds the chunk it claimed, and one ahead once it entered one');

	// The worker holding chunk 0 records its samples and moves on to the chunk it claimed ahead (the
	// others' chunks in between are not its own): chunk 0 is done with that batch, and entering the
	// chunk ahead claims the next one.
	const first = queues[mine.indexOf(true)]!;
	const writer = workers[mine.indexOf(true)]!;
	const chunksOf = (runId: string) =>
		server()
			.psql(dbName(url), `SELECT first_idx FROM doteval.chunks WHERE evaluation_id = ${writer.evaluationId} AND owner = '${runId}' ORDER BY 1`)
			.trim()
			.split('\n')
			.map(Number);
	const [zero, ahead] = chunksOf(writer.runId);
	assert.equal(zero, 0);
	assert.ok(ahead! > 0 && ahead! <= 16, `the chunk ahead is among the first five: ${ahead}`);
	for (const i of [1, 2, 3]) assert.equal(await first.take(i), true);
	for (const i of [0, 1, 2, 3]) writer.recordSample(sample(i, { pass: true }));
	for (let i = 4; i < ahead!; i++) assert.equal(await first.take(i), false, `sample ${i} is another worker's`);
	assert.equal(await first.take(ahead!), true);
	await first.idle();
	await stores[mine.indexOf(true)]!.flush();
	assert.equal(server().psql(dbName(url), `SELECT done FROM doteval.chunks WHERE evaluation_id = ${writer.evaluationId} AND first_idx = 0`).trim(), 't');
	assert.equal(owners(url, workers[0]!.evaluationId).get(''), 94, 'one more chunk claimed ahead');
	const now = chunksOf(writer.runId);
	assert.equal(now.length, 2, `it holds the chunk it runs and one ahead: ${now.join(', ')}`);
	assert.equal(now[0], ahead);
});

test('with trials a chunk is done only once every trial of its rows is written; joining again counts only the trials missing', async (t) => {
	const url = server().createDatabase();
	const store = await openPostgresStore(url, { env: server().env, part: 'join' });
	t.after(() => store.close());
	const done = (evaluationId: number) =>
		server()
			.psql(
				dbName(url),
				`SELECT string_agg(first_idx || ':' || CASE WHEN done THEN 't' ELSE 'f' END, ',' ORDER BY first_idx) FROM doteval.chunks WHERE evaluation_id = ${evaluationId}`,
			)
			.trim();
	const writer = (await store.beginEvaluation(start('trials', 'evalTrials', { total: 16 }))) as PgEvaluationWriter;
	const queue = await writer.joinWork(8, 4, 2);
	assert.equal(done(writer.evaluationId), '0:f,4:f', 'chunks of rows, not of samples: 8 rows in two chunks');
	for (const i of [0, 1, 2, 3]) assert.equal(await queue.take(i), true);
	for (const i of [0, 1, 2, 3]) writer.recordSample(sample(i, { pass: true }));
	assert.equal(await queue.take(4), true, 'the executor moves past chunk 0');
	await queue.idle();
	await store.flush();
	assert.equal(done(writer.evaluationId), '0:f,4:f', 'trial 1 of rows 0 … 3 is not written yet: chunk 0 stays open');
	for (const i of [0, 1, 2, 3]) writer.recordSample({ ...sample(i, i === 2 ? { error: 'Timeout' } : {}), trial: 1 });
	await store.flush();
	assert.equal(done(writer.evaluationId), '0:t,4:f', 'every trial of chunk 0 recorded (an error too): done');
	await writer.finish('interrupted');

	// Joining again: chunk 0 lacks one success (row 2, trial 1), so it is opened again, and its rows'
	// pending samples are that one trial: recording it finishes the chunk.
	const again = (await store.beginEvaluation(start('trials', 'evalTrials', { total: 16 }))) as PgEvaluationWriter;
	const resumed = await again.joinWork(8, 4, 2);
	assert.equal(done(again.evaluationId), '0:f,4:f', 'chunk 0 opened again for its errored trial');
	for (const i of [0, 1, 2, 3]) assert.equal(await resumed.take(i), true);
	again.recordSample({ ...sample(2, { pass: true }), trial: 1 });
	await resumed.idle();
	resumed.endPass(); // the pass ends (chunk 4 is still the first run's, until its lease runs out)
	await store.flush();
	assert.equal(done(again.evaluationId), '0:t,4:f', 'the one missing trial finished chunk 0');
});
