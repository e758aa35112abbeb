/**
 * `doteval` as a process against a real PostgreSQL server (test/postgres/server.mjs): shards of one
 * experiment in parallel, workers sharing an experiment (one killed with SIGKILL mid-run), two
 * developers writing at once, every store command, merging embedded shard stores, and connection
 * failures that say what to fix without ever printing the password.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { startPostgres } from '../postgres/server.mjs';
import { ensureBuilt, makeProject, numbersEval, parseEvents, runCli, startCli, waitFor, type CliResult } from './helpers.js';

type Server = Awaited<ReturnType<typeof startPostgres>>;
let server: Server;

before(async () => {
	ensureBuilt();
	server = await startPostgres();
});
after(async () => {
	await server?.stop();
});

function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
	const dir = makeProject(files);
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

const dbName = (url: string) => new URL(url).pathname.slice(1);

function ok(result: CliResult, what: string): CliResult {
	assert.equal(result.code, 0, `${what} exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
	return result;
}

/** Every stored index of the experiment's one evaluation, with how often it is stored. */
function storedIndexes(url: string, experiment: string): { count: number; distinct: number; min: number; max: number } {
	const [count, distinct, min, max] = server.psql(dbName(url), `SELECT count(*), count(DISTINCT s.idx), min(s.idx), max(s.idx) FROM doteval.samples s
		JOIN doteval.evaluations e ON e.id = s.evaluation_id JOIN doteval.experiments x ON x.id = e.experiment_id WHERE x.name = '${experiment}'`).trim().split('|').map(Number);
	return { count: count!, distinct: distinct!, min: min!, max: max! };
}

test('4 shards in parallel write every sample of one experiment exactly once; a second round resumes across shards', async (t) => {
	const url = server.createDatabase();
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 60, 10, 3) });
	const env = { ...server.env, DOTEVAL_STORAGE: url };
	const shard = (i: number) => runCli(['run', '--experiment', 'nightly', '--shard', `${i}/4`, '--reporter', 'jsonl'], { cwd: dir, env });
	const results = await Promise.all([1, 2, 3, 4].map(shard));
	results.forEach((r, i) => ok(r, `shard ${i + 1}`));
	for (const [i, result] of results.entries()) {
		const ran = parseEvents(result.stdout).filter((e) => e.type === 'sample-end').map((e) => (e as { index: number }).index);
		assert.equal(ran.length, 15);
		assert.ok(ran.every((index) => index % 4 === i), `shard ${i + 1} ran only indexes ≡ ${i} mod 4`);
	}
	assert.deepEqual(storedIndexes(url, 'nightly'), { count: 60, distinct: 60, min: 0, max: 59 });
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
	assert.equal(storedIndexes(url, 'nightly').count, 60);
});

test('workers sharing one experiment: one of 4 is killed with SIGKILL mid-run, the others finish it, every sample stored once', async (t) => {
	const url = server.createDatabase();
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 120, 60, 2) });
	// Short lease and small chunks, so the killed worker's chunk is claimed again within seconds.
	const env = { ...server.env, DOTEVAL_PG_LEASE_MS: '2500', DOTEVAL_CHUNK_SIZE: '6' };
	const args = ['run', '--experiment', 'shared', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const workers = [0, 1, 2, 3].map(() => startCli(args, { cwd: dir, env }));
	const victim = workers[0]!;
	await waitFor(() => victim.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 3, 60_000, 'the first worker to finish 3 samples');
	victim.child.kill('SIGKILL');
	const victimResult = await victim.done;
	assert.equal(victimResult.signal, 'SIGKILL');
	const results = await Promise.all(workers.slice(1).map((w) => w.done));
	results.forEach((r, i) => ok(r, `worker ${i + 2}`));

	assert.deepEqual(storedIndexes(url, 'shared'), { count: 120, distinct: 120, min: 0, max: 119 });
	assert.equal(server.psql(dbName(url), 'SELECT count(*) FILTER (WHERE NOT done) FROM doteval.chunks').trim(), '0');
	// Every worker did a share, and together they ran each sample about once (a killed worker's
	// in-flight samples may run twice; they are still stored once).
	const ran = results.map((r) => parseEvents(r.stdout).filter((e) => e.type === 'sample-end').length);
	const victimRan = victimResult.stdout.split('\n').filter((l) => l.includes('"sample-end"')).length;
	assert.ok(ran.every((n) => n > 0), `every surviving worker ran samples: ${ran}`);
	assert.ok(ran.reduce((a, b) => a + b, 0) + victimRan <= 120 + 6 + 2, `samples ran ${ran} + ${victimRan} (killed)`);
	// Each worker's summary is the whole experiment's.
	const end = parseEvents(results[0]!.stdout).find((e) => e.type === 'eval-end') as { summary: { completed: number } };
	assert.equal(end.summary.completed, 120);
	const shown = JSON.parse(ok(await runCli(['show', 'shared', '--json', '--storage', url], { cwd: dir, env: server.env }), 'show').stdout);
	assert.equal(shown.experiment.status, 'completed');
});

test('two developers run into one database at once; list, show, diff, export, rename and delete read and change it', async (t) => {
	const url = server.createDatabase();
	const alice = project(t, { 'evals/n.eval.ts': numbersEval('evalNumbers', 30, 5, 4) });
	const bob = project(t, { 'evals/n.eval.ts': numbersEval('evalNumbers', 30, 3, 4) });
	const env = { ...server.env, DOTEVAL_STORAGE: url };
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
	const exported = ok(await runCli(['export', 'alice-baseline', '--format', 'jsonl'], { cwd: alice, env }), 'export').stdout.trim().split('\n');
	assert.equal(exported.length, 30);
	assert.equal(JSON.parse(exported[4]!).index, 4);
	ok(await runCli(['rename', 'alice-baseline', `alice's "baseline"; 🚀`], { cwd: alice, env }), 'rename');
	ok(await runCli(['delete', 'bob-prompt-v2', '--yes'], { cwd: alice, env }), 'delete');
	const json = JSON.parse(ok(await runCli(['list', '--json'], { cwd: bob, env }), 'list --json').stdout);
	assert.deepEqual(json.experiments.map((e: { name: string }) => e.name), [`alice's "baseline"; 🚀`]);
	assert.equal(json.storage, url, 'the store is named by its URL (it has no password to hide here)');
});

test('a wrong password, an unreachable server and a password in the URL: exit 4, a message that names the fix, the password never shown', async (t) => {
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 3, 1) });
	const secret = 'pa55-w0rd-secret';
	const withSecret = (url: string) => url.replace('postgres@', `postgres:${secret}@`);
	const cases: [string[], Record<string, string>, RegExp][] = [
		[['run', '--experiment', 'x', '--storage', withSecret(server.url())], {}, /refused the login.*PGPASSWORD/],
		[['run', '--experiment', 'x', '--storage', server.url()], { PGPASSWORD: secret }, /refused the login/],
		[['list', '--storage', withSecret(server.url())], {}, /refused the login/],
		[['show', 'x', '--storage', `postgres://dev:${secret}@127.0.0.1:1/evals`], {}, /cannot reach the PostgreSQL server.*ECONNREFUSED/],
		[['run', '--experiment', 'x'], { DOTEVAL_STORAGE: `postgres://dev:${secret}@127.0.0.1:1/evals` }, /cannot reach the PostgreSQL server/],
	];
	for (const [args, env, expected] of cases) {
		const result = await runCli(args, { cwd: dir, env });
		assert.equal(result.code, 4, `${args.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, expected);
		assert.ok(!(result.stdout + result.stderr).includes(secret), result.stderr);
	}
	// The right password in the URL works, and the event stream shows the URL without it.
	const url = server.createDatabase();
	const run = ok(await runCli(['run', '--experiment', 'x', '--storage', url.replace('postgres@', `postgres:${server.password}@`), '--reporter', 'jsonl'], { cwd: dir, env: {} }), 'run');
	assert.ok(!(run.stdout + run.stderr).includes(server.password));
	const start = parseEvents(run.stdout).find((e) => e.type === 'run-start') as { storage: string };
	assert.equal(start.storage, url.replace('postgres@', 'postgres:***@'));
	assert.equal(server.psql(dbName(url), `SELECT count(*) FROM doteval.runs r, doteval.evaluations e WHERE strpos(r.strategy_json || e.file || e.strategy_json, '${server.password}') > 0`).trim(), '0');
});

test('--workers-join without the PostgreSQL store is a usage error that names the alternative', async (t) => {
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 3, 1) });
	const result = await runCli(['run', '--experiment', 'x', '--workers-join'], { cwd: dir });
	assert.equal(result.code, 2);
	assert.match(result.stderr, /--workers-join needs the PostgreSQL store.*--shard I\/N and doteval merge/);
	const noName = await runCli(['run', '--shard', '1/2'], { cwd: dir });
	assert.equal(noName.code, 2);
	assert.match(noName.stderr, /--shard needs --experiment NAME/);
	const bad = await runCli(['run', '--experiment', 'x', '--shard', '5/4'], { cwd: dir });
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /--shard expects i\/n/);
});

/** show --json without what differs between runs by nature (times, run ids, file paths). */
function comparable(json: string): unknown {
	const drop = new Set(['createdAt', 'updatedAt', 'startedAt', 'finishedAt', 'timing', 'wallMs', 'samplesPerSecond', 'latency', 'speedup', 'maxInFlight', 'file']);
	return JSON.parse(json, (key, value) => (drop.has(key) ? undefined : value));
}

test('merge: 3 SQLite shard stores give the same show --json as one unsharded run; other datasets are refused', async (t) => {
	const evalFile = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const data = Array.from({ length: 20 }, (_, i) => i);
export const evalNumbers = new ForEach()('n', data)(async ({ n }) => {
	if (n % 7 === 3) throw new Error('flaky ' + n);
	return new Result(exactMatch(String(n % 3), '0'), { prompt: 'n=' + n });
});
`;
	const dir = project(t, { 'n.eval.ts': evalFile });
	ok(await runCli(['run', '--experiment', 'whole', '--storage', 'whole/'], { cwd: dir }), 'whole run');
	for (const i of [1, 2, 3]) ok(await runCli(['run', '--experiment', 'whole', '--shard', `${i}/3`, '--storage', `shard-${i}/`], { cwd: dir }), `shard ${i}`);
	const merged = ok(await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--into', 'merged/'], { cwd: dir }), 'merge');
	assert.match(merged.stdout, /Merged 20 samples of 1 experiment/);
	const show = async (storage: string) => ok(await runCli(['show', 'whole', '--json', '--full', '--storage', storage], { cwd: dir }), `show ${storage}`).stdout;
	assert.deepEqual(comparable(await show('merged/')), comparable(await show('whole/')));

	// The same shards into PostgreSQL: the same result again.
	const url = server.createDatabase();
	ok(await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--into', url], { cwd: dir, env: server.env }), 'merge into postgres');
	const fromPg = ok(await runCli(['show', 'whole', '--json', '--full', '--storage', url], { cwd: dir, env: server.env }), 'show pg').stdout;
	assert.deepEqual(comparable(fromPg), comparable(await show('whole/')));

	// A shard of another dataset: refused, nothing written.
	const other = project(t, { 'n.eval.ts': evalFile.replace('length: 20', 'length: 21') });
	ok(await runCli(['run', '--experiment', 'whole', '--shard', '1/3', '--storage', path.join(dir, 'other/')], { cwd: other }), 'other dataset');
	const refused = await runCli(['merge', 'shard-1', 'other', '--into', 'refused/'], { cwd: dir });
	assert.equal(refused.code, 1, refused.stderr);
	assert.match(refused.stderr, /ran on different datasets.*fingerprint/);
	const none = await runCli(['list', '--storage', 'refused/'], { cwd: dir });
	assert.doesNotMatch(none.stdout, /whole/);
});
