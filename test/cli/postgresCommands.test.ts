/**
 * `doteval` as a process against a real PostgreSQL server (test/postgres/server.mjs), continued from
 * postgres.test.ts (split so that each file stays well inside the runner's per-file timeout on a
 * loaded machine): connection failures that say what to fix without ever printing the password,
 * usage errors of --shard/--workers-join, and merging embedded shard stores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { numbersEval, parseEvents, runCli } from './helpers.js';
import { dbName, ok, project, usePostgres } from './postgresHelpers.js';

const server = usePostgres();

test('a wrong password, an unreachable server and a password in the URL: exit 4, a message that names the fix, the password never shown', async (t) => {
	const dir = project(t, { 'n.eval.ts': numbersEval('evalNumbers', 3, 1) });
	const secret = 'pa55-w0rd-secret';
	const withSecret = (url: string) => url.replace('postgres@', `postgres:${secret}@`);
	const cases: [string[], Record<string, string>, RegExp][] = [
		[['run', '--experiment', 'x', '--storage', withSecret(server().url())], {}, /refused the login.*PGPASSWORD/],
		[['run', '--experiment', 'x', '--storage', server().url()], { PGPASSWORD: secret }, /refused the login/],
		[['list', '--storage', withSecret(server().url())], {}, /refused the login/],
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
	const url = server().createDatabase();
	const run = ok(
		await runCli(['run', '--experiment', 'x', '--storage', url.replace('postgres@', `postgres:${server().password}@`), '--reporter', 'jsonl'], {
			cwd: dir,
			env: {},
		}),
		'run',
	);
	assert.ok(!(run.stdout + run.stderr).includes(server().password));
	const start = parseEvents(run.stdout).find((e) => e.type === 'run-start') as { storage: string };
	assert.equal(start.storage, url.replace('postgres@', 'postgres:***@'));
	assert.equal(
		server()
			.psql(
				dbName(url),
				`SELECT count(*) FROM doteval.runs r, doteval.evaluations e WHERE strpos(r.strategy_json || e.file || e.strategy_json, '${server().password}') > 0`,
			)
			.trim(),
		'0',
	);
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
	const drop = new Set([
		'createdAt',
		'updatedAt',
		'startedAt',
		'finishedAt',
		'timing',
		'wallMs',
		'samplesPerSecond',
		'latency',
		'speedup',
		'maxInFlight',
		'file',
	]);
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
	const url = server().createDatabase();
	ok(await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--into', url], { cwd: dir, env: server().env }), 'merge into postgres');
	const fromPg = ok(await runCli(['show', 'whole', '--json', '--full', '--storage', url], { cwd: dir, env: server().env }), 'show pg').stdout;
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
