/**
 * `doteval run --workers-join` resuming an experiment whose chunks an earlier run left behind: a run
 * over fewer samples must not wait for (or spin over) the chunks of samples it does not cover, and a
 * later run over more samples, with another chunk size, must run every missing sample and retry the
 * errored ones — like any resumed run. Joined workers report the whole experiment's progress, run
 * every trial of the rows they claim (and only the missing ones when joining again), and run() from
 * a script stores into PostgreSQL too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { parseEvents, repoRoot, runCli, startCli, waitFor, type CliResult } from './helpers.js';
import { dbName, ok, project, storedIndexes, usePostgres } from './postgresHelpers.js';

const server = usePostgres();

/** 40 numbers; with FAIL=1 the samples whose number ends in 3 throw. */
const evalFile = (delayMs: number) => `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const data = Array.from({ length: 40 }, (_, i) => i);
export const evalNumbers = new ForEach()('n', data)(async ({ n }) => {
	await new Promise((r) => setTimeout(r, ${delayMs}));
	if (process.env.FAIL === '1' && n % 10 === 3) throw new Error('flaky model ' + n);
	return new Result(exactMatch(String(n % 2), '0'));
});
`;

/** The CLI's result, or a failure (the process killed) when it has not ended within `ms`. */
async function withinMs(run: ReturnType<typeof startCli>, ms: number, what: string): Promise<CliResult> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>((resolve) => {
		timer = setTimeout(() => resolve('late'), ms);
	});
	const result = await Promise.race([run.done, late]);
	clearTimeout(timer);
	if (result === 'late') {
		run.child.kill('SIGKILL');
		const killed = await run.done;
		assert.fail(`${what} did not end within ${ms / 1000} s (killed); its log:\n${killed.stderr.slice(-1500)}`);
	}
	return result;
}

test('a joined run over the first samples ends, though a killed worker left chunks of later samples open', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': evalFile(150) });
	const env = { ...server().env, DOTEVAL_PG_LEASE_MS: '1000', DOTEVAL_CHUNK_SIZE: '4' };
	const args = ['run', '--experiment', 'partial', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const victim = startCli(args, { cwd: dir, env });
	await waitFor(() => victim.stdoutLines().filter((l) => l.includes('"sample-end"')).length >= 2, 60_000, 'the worker to finish 2 samples');
	victim.child.kill('SIGKILL');
	await victim.done;

	// Samples 0 … 9 only: the chunks of 10 … 39 stay open (and free, once the lease ran out).
	const first = ok(await withinMs(startCli([...args, '--samples', '10'], { cwd: dir, env }), 60_000, 'the run of 10 samples'), 'the run of 10 samples');
	const ran = parseEvents(first.stdout)
		.filter((e) => e.type === 'sample-end')
		.map((e) => (e as { index: number }).index);
	assert.ok(
		ran.every((i) => i < 10),
		`ran only samples below 10: ${ran}`,
	);
	assert.equal(Number(server().psql(new URL(url).pathname.slice(1), 'SELECT count(*) FROM doteval.samples WHERE idx < 10').trim()), 10);

	// The whole dataset afterwards: every sample, once.
	ok(await withinMs(startCli(args, { cwd: dir, env }), 90_000, 'the run of all 40'), 'the run of all 40');
	assert.deepEqual(storedIndexes(server(), url, 'partial'), { count: 40, distinct: 40, min: 0, max: 39, errors: 0 });
});

test('joining again runs the samples an earlier, shorter joined run did not cover and retries its errors, whatever chunk size each used', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': evalFile(1) });
	const args = ['run', '--experiment', 'resumed', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	ok(await runCli([...args, '--samples', '20'], { cwd: dir, env: { ...server().env, FAIL: '1', DOTEVAL_CHUNK_SIZE: '3' } }), 'the first 20, with errors');
	assert.deepEqual(storedIndexes(server(), url, 'resumed'), { count: 20, distinct: 20, min: 0, max: 19, errors: 2 });

	const again = ok(
		await withinMs(startCli(args, { cwd: dir, env: { ...server().env, DOTEVAL_CHUNK_SIZE: '7' } }), 90_000, 'the run of all 40'),
		'the run of all 40',
	);
	const ran = parseEvents(again.stdout)
		.filter((e) => e.type === 'sample-end')
		.map((e) => (e as { index: number }).index)
		.sort((a, b) => a - b);
	assert.deepEqual(ran, [3, 13, ...Array.from({ length: 20 }, (_, i) => 20 + i)], 'the two errors again and the 20 samples not run before');
	assert.deepEqual(storedIndexes(server(), url, 'resumed'), { count: 40, distinct: 40, min: 0, max: 39, errors: 0 });
	const end = parseEvents(again.stdout).find((e) => e.type === 'eval-end') as { summary: { completed: number; errors: number } };
	assert.equal(end.summary.completed, 40);
	assert.equal(end.summary.errors, 0);
});

test("each joined worker reports the whole experiment's progress (eval-progress), ending with every sample", async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': evalFile(60) });
	const args = ['run', '--experiment', 'progress', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const env = { ...server().env, DOTEVAL_CHUNK_SIZE: '2' };
	const results = await Promise.all([0, 1].map(() => withinMs(startCli(args, { cwd: dir, env }), 120_000, 'a worker')));
	for (const [w, result] of results.entries()) {
		const events = parseEvents(ok(result, `worker ${w + 1}`).stdout);
		const own = events.filter((e) => e.type === 'sample-end').length;
		const progress = events.filter((e) => e.type === 'eval-progress') as { stored: number; errors: number }[];
		assert.ok(progress.length >= 1, `worker ${w + 1} reported progress`);
		assert.deepEqual(progress.at(-1), { ...progress.at(-1), stored: 40, errors: 0 }, 'the last report: every sample, stored by both');
		assert.ok(own < 40 && progress.some((p) => p.stored > own), `the reports count the other worker's samples too (own ${own})`);
		const order = events.map((e) => e.type);
		assert.ok(order.lastIndexOf('eval-progress') < order.indexOf('eval-end'), 'progress comes before the eval ends');
	}
});

test('run() from a script stores into a PostgreSQL store given as storage, and `doteval show` reads it', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, {
		'evals.mjs': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
export const evalParity = foreach('n', Array.from({ length: 6 }, (_, i) => ({ n: i })))(async ({ n }) => new Result(exactMatch(n % 2, 0)));
`,
		'script.mjs': `import { run } from 'doteval';
import { evalParity } from './evals.mjs';
const result = await run(evalParity, { experiment: 'notebook', storage: process.env.STORE_URL });
console.log(JSON.stringify({ completed: result.summary.completed, records: result.records.length, storage: result.storage }));
`,
	});
	mkdirSync(path.join(dir, 'node_modules'));
	symlinkSync(path.join(repoRoot, 'runtime'), path.join(dir, 'node_modules', 'doteval'), 'dir');
	// The password in the URL here, to check that run() never hands it back.
	const withPassword = url.replace('postgres@', `postgres:${server().password}@`);
	const child = spawnSync(process.execPath, ['script.mjs'], {
		cwd: dir,
		encoding: 'utf8',
		env: { ...process.env, STORE_URL: withPassword, DOTEVAL_STORAGE: '' },
		timeout: 120_000,
	});
	assert.equal(child.status, 0, child.stderr);
	const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
	assert.equal(out.completed, 6);
	assert.equal(out.records, 6);
	assert.ok(!out.storage.includes(server().password), `the password is not in result.storage: ${out.storage}`);
	assert.deepEqual(storedIndexes(server(), url, 'notebook'), { count: 6, distinct: 6, min: 0, max: 5, errors: 0 });
	const shown = JSON.parse(ok(await runCli(['show', 'notebook', '--json', '--storage', url], { cwd: dir, env: server().env }), 'show').stdout);
	assert.equal(shown.evaluations[0].summary.completed, 6);
});

/** Every stored (row, trial) of the experiment: how many samples, how many distinct pairs, how many errors. */
function storedTrials(url: string, experiment: string): { count: number; distinct: number; errors: number } {
	const [count, distinct, errors] = server()
		.psql(
			dbName(url),
			`SELECT count(*), count(DISTINCT (s.idx, s.trial)), count(*) FILTER (WHERE s.error_type IS NOT NULL)
		FROM doteval.samples s JOIN doteval.evaluations e ON e.id = s.evaluation_id JOIN doteval.experiments x ON x.id = e.experiment_id
		WHERE x.name = '${experiment}'`,
		)
		.trim()
		.split('|')
		.map(Number);
	return { count: count!, distinct: distinct!, errors: errors! };
}

const sampleEnds = (stdout: string) => parseEvents(stdout).filter((e) => e.type === 'sample-end') as unknown as { index: number; trial?: number }[];

test('two joined workers run every trial of every row: each (row, trial) stored once, a row’s trials all by the worker that claimed it', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'k.eval.ts': evalFile(20).replace('new ForEach()', 'new ForEach({ trials: 3 })') });
	const args = ['run', '--experiment', 'trials', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const env = { ...server().env, DOTEVAL_CHUNK_SIZE: '4' };
	const results = await Promise.all([0, 1].map(() => withinMs(startCli(args, { cwd: dir, env }), 120_000, 'a worker')));
	const byWorker = results.map((r, w) => sampleEnds(ok(r, `worker ${w + 1}`).stdout));
	assert.deepEqual(storedTrials(url, 'trials'), { count: 120, distinct: 120, errors: 0 }, '40 rows × 3 trials, each once');
	assert.equal(byWorker[0]!.length + byWorker[1]!.length, 120, 'no (row, trial) ran twice');
	for (const [w, ends] of byWorker.entries()) {
		const rows = new Map<number, number[]>();
		for (const e of ends) rows.set(e.index, [...(rows.get(e.index) ?? []), e.trial ?? 0]);
		for (const [row, trials] of rows) assert.deepEqual(trials.sort(), [0, 1, 2], `worker ${w + 1} ran every trial of row ${row}`);
	}
	assert.equal(server().psql(dbName(url), 'SELECT count(*) FILTER (WHERE NOT done) FROM doteval.chunks').trim(), '0', 'every chunk done');
	const end = parseEvents(results[0]!.stdout).find((e) => e.type === 'eval-end') as { summary: { completed: number; trials: { k: number; rows: number } } };
	assert.equal(end.summary.completed, 120, "the whole experiment's summary");
	assert.deepEqual([end.summary.trials.k, end.summary.trials.rows], [3, 40]);
});

test('joining with more --trials runs only the new trials and the errored ones; done chunks are opened again for them', async (t) => {
	const url = server().createDatabase();
	const dir = project(t, { 'n.eval.ts': evalFile(1) });
	const args = ['run', '--experiment', 'grow', '--workers-join', '--storage', url, '--reporter', 'jsonl'];
	const env = { ...server().env, DOTEVAL_CHUNK_SIZE: '6' };
	ok(await runCli([...args, '--trials', '2'], { cwd: dir, env: { ...env, FAIL: '1' } }), 'two trials, with errors');
	assert.deepEqual(storedTrials(url, 'grow'), { count: 80, distinct: 80, errors: 8 }, 'rows 3, 13, 23, 33 errored in both trials');

	const again = ok(await withinMs(startCli([...args, '--trials', '3'], { cwd: dir, env }), 90_000, 'the run of 3 trials'), 'three trials');
	const ran = sampleEnds(again.stdout)
		.map((e) => `${e.index}/${e.trial ?? 0}`)
		.sort();
	const expected = [...[3, 13, 23, 33].flatMap((i) => [`${i}/0`, `${i}/1`]), ...Array.from({ length: 40 }, (_, i) => `${i}/2`)].sort();
	assert.deepEqual(ran, expected, 'the errored trials again, and trial 2 of every row');
	assert.deepEqual(storedTrials(url, 'grow'), { count: 120, distinct: 120, errors: 0 });
	const nothing = ok(await runCli([...args, '--trials', '3'], { cwd: dir, env }), 'a third join');
	assert.equal(sampleEnds(nothing.stdout).length, 0, 'everything done: nothing runs');
});
