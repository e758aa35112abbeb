/**
 * `doteval` as a process against a real PostgreSQL server (test/postgres/server.mjs): shards of one
 * experiment in parallel, workers sharing an experiment (one killed with SIGKILL mid-run), two
 * developers writing at once, and every store command. More in postgresCommands.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numbersEval, parseEvents, runCli, startCli, waitFor } from './helpers.js';
import { dbName, ok, project, storedIndexes, usePostgres } from './postgresHelpers.js';

const server = usePostgres();

test('4 shards in parallel write every sample of one experiment exactly once; a second round resumes across shards', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 60, 10, 3) });
	const env = { ...server().env, DOTEVAL_STORAGE: url };
	const shard = (i: number) => runCli(['run', '--experiment', 'nightly', '--shard', `${i}/4`, '--reporter', 'jsonl'], { cwd: dir, env });
	const results = await Promise.all([1, 2, 3, 4].map(shard));
	results.forEach((r, i) => ok(r, `shard ${i + 1}`));
	for (const [i, result] of results.entries()) {
		const ran = parseEvents(result.stdout)
			.filter((e) => e.type === 'sample-end')
			.map((e) => (e as { index: number }).index);
		assert.equal(ran.length, 15);
		assert.ok(
			ran.every((index) => index % 4 === i),
			`shard ${i + 1} ran only indexes ≡ ${i} mod 4`,
		);
	}
	assert.deepEqual(storedIndexes(server(), url, 'nightly'), { count: 60, distinct: 60, min: 0, max: 59, errors: 0 });
	const shown = JSON.parse(ok(await runCli(['show', 'nightly', '--json'], { cwd: dir, env }), 'show').stdout);
	assert.equal(shown.experiment.status, 'completed');
	assert.equal(shown.evaluations[0].summary.completed, 60);
	assert.equal(shown.evaluations[0].summary.total, 60);

	// Resume: every shard finds its samples done and runs nothing.
	const again = await Promise.all([1, 2, 3, 4].map(shard));
	for (const result of again) {
		const events = parseEvents(ok(result, 'shard again').stdout);
		assert.equal(events.filter((e) => e.type === 'sample-end').length, 0);
		assert.equal((events.find((e) => e.type === 'eval-start') as { alreadyDone: number }).alreadyDone, 15);
	}
	assert.equal(storedIndexes(server(), url, 'nightly').count, 60);
});

test('workers sharing one experiment: one of 4 is killed with SIGKILL mid-run, the others finish it, every sample stored once', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 120, 60, 2) });
	// Short lease and small chunks, so the killed worker's chunk is claimed again within seconds.
	const env = { ...server().env, DOTEVAL_PG_LEASE_MS: '2500', DOTEVAL_CHUNK_SIZE: '6' };
	const args = ['run', '--experiment', 'shared', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const workers = [0, 1, 2, 3].map(() => startCli(args, { cwd: dir, env }));
	const victim = workers[0]!;
	await waitFor(() => victim.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 3, 60_000, 'the first worker to finish 3 samples');
	victim.child.kill('SIGKILL');
	const victimResult = await victim.done;
	assert.equal(victimResult.signal, 'SIGKILL');
	const results = await Promise.all(workers.slice(1).map((w) => w.done));
	results.forEach((r, i) => ok(r, `worker ${i + 2}`));

	assert.deepEqual(storedIndexes(server(), url, 'shared'), { count: 120, distinct: 120, min: 0, max: 119, errors: 0 });
	assert.equal(server().psql(dbName(url), 'SELECT count(*) FILTER (WHERE NOT done) FROM doteval.chunks').trim(), '0');
	// Every worker did a share, and together they ran each sample about once (a killed worker's
	// in-flight samples may run twice; they are still stored once).
	const ran = results.map((r) => parseEvents(r.stdout).filter((e) => e.type === 'sample-end').length);
	const victimRan = victimResult.stdout.split('\n').filter((l) => l.includes('"sample-end"')).length;
	assert.ok(
		ran.every((n) => n > 0),
		`every surviving worker ran samples: ${ran}`,
	);
	assert.ok(ran.reduce((a, b) => a + b, 0) + victimRan <= 120 + 6 + 2, `samples ran ${ran} + ${victimRan} (killed)`);
	// Each worker's summary is the whole experiment's.
	const end = parseEvents(results[0]!.stdout).find((e) => e.type === 'eval-end') as { summary: { completed: number } };
	assert.equal(end.summary.completed, 120);
	const shown = JSON.parse(ok(await runCli(['show', 'shared', '--json', '--storage', url], { cwd: dir, env: server().env }), 'show').stdout);
	assert.equal(shown.experiment.status, 'completed');
});

test('two developers run into one database at once; list, show, diff, export, rename and delete read and change it', async (t) => {
	const url = server().createDatabase();
	const alice = project(t, { 'evals/n.eval.ts': numbersEval('evalNumbers', 30, 5, 4) });
	const bob = project(t, { 'evals/n.eval.ts': numbersEval('evalNumbers', 30, 3, 4) });
	const env = { ...server().env, DOTEVAL_STORAGE: url };
	const [a, b] = await Promise.all([
		runCli(['run', '--experiment', 'alice-baseline'], { cwd: alice, env }),
		runCli(['run', '--experiment', 'bob-prompt-v2'], { cwd: bob, env }),
	]);
	ok(a, 'alice');
	ok(b, 'bob');

	const list = ok(await runCli(['list'], { cwd: alice, env }), 'list').stdout;
	assert.match(list, /alice-baseline/);
	assert.match(list, /bob-prompt-v2/);
	const show = ok(await runCli(['show', 'bob-prompt-v2'], { cwd: alice, env }), 'show').stdout;
	assert.match(show, /Errors +0\/30/);
	const diff = ok(await runCli(['diff', 'alice-baseline', 'bob-prompt-v2'], { cwd: alice, env }), 'diff').stdout;
	assert.match(diff, /Paired samples 30/);
	const exported = ok(await runCli(['export', 'alice-baseline', '--format', 'jsonl'], { cwd: alice, env }), 'export')
		.stdout.trim()
		.split('\n');
	assert.equal(exported.length, 30);
	assert.equal(JSON.parse(exported[4]!).index, 4);
	ok(await runCli(['rename', 'alice-baseline', `alice's "baseline"; 🚀`], { cwd: alice, env }), 'rename');
	ok(await runCli(['delete', 'bob-prompt-v2', '--yes'], { cwd: alice, env }), 'delete');
	const json = JSON.parse(ok(await runCli(['list', '--json'], { cwd: bob, env }), 'list --json').stdout);
	assert.deepEqual(
		json.experiments.map((e: { name: string }) => e.name),
		[`alice's "baseline"; 🚀`],
	);
	assert.equal(json.storage, url, 'the store is named by its URL (it has no password to hide here)');
});
