// The PostgreSQL team store, against a real server started for this benchmark (Debian's postgresql,
// test/postgres/server.mjs, fsync on like a real server):
//  - 2,000 samples × 50 ms: 4 `doteval run --workers-join` processes sharing one experiment against
//    1 process with the same per-process window (the whole CLI, start-up included);
//  - the PostgreSQL writer's throughput against the embedded store's writer, both until durable and
//    closed, each in a fresh process;
//  - an 8-sample `doteval run` into a database that already holds 1,000,000 samples against one into
//    an empty database (does a big team store slow a small run down?).
// As a script (`node bench/postgres.mjs --worker pg-write …`) it is the worker for one measurement.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate } from './lib/alternate.mjs';
import { bundleSource, buildDir, findSource, importBundle } from './lib/build.mjs';
import { cli, workDir } from './lib/snapshot.mjs';
import { measureProcess, runJsonScript } from './lib/proc.mjs';
import { evaluationStart, makeSample } from './lib/samples.mjs';

const self = fileURLToPath(import.meta.url);
const pgBundle = path.join(buildDir, 'postgres-store.mjs');
const storeBundle = path.join(buildDir, 'store.mjs');
const work = workDir('postgres');

// ---- worker side ---------------------------------------------------------------------------------

/** Record n samples the way a run produces them (the event loop turns between batches), then finish and close. */
async function writeAll(store, n) {
	const ev = await store.beginEvaluation(evaluationStart('bench', n));
	for (let i = 0; i < n; i++) {
		ev.recordSample(makeSample(i));
		if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
	}
	await ev.finish('completed');
	await store.close();
}

const workers = {
	async 'pg-write'({ n, url }) {
		const { openPostgresStore } = await importBundle(pgBundle);
		const t0 = performance.now();
		await writeAll(await openPostgresStore(url), n);
		return { ms: performance.now() - t0 };
	},
	async 'embedded-write'({ n, dir }) {
		const { openStore } = await importBundle(storeBundle);
		const t0 = performance.now();
		await writeAll(await openStore(path.join(dir, 'store.db')), n);
		return { ms: performance.now() - t0 };
	},
};

if (process.argv[1] === self) {
	const args = process.argv.slice(2);
	const opt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
	const dir = opt('dir');
	if (dir) {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
	}
	console.log(JSON.stringify(await workers[opt('worker')]({ n: Number(opt('n')), dir, url: opt('url') })));
}

// ---- orchestrator side ---------------------------------------------------------------------------

const sleepEval = (n, delayMs, window) => `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const data = Array.from({ length: ${n} }, (_, i) => i);
export const evalShared = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: ${window} }) })('n', data)(async ({ n }) => {
	await new Promise((resolve) => setTimeout(resolve, ${delayMs}));
	return new Result(exactMatch(String(n % 2), '0'));
});
`;

async function runCli(args, env) {
	const spawnedAt = Date.now();
	const r = await measureProcess(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, ...env } });
	if (r.code !== 0) throw new Error(`doteval ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr.slice(-1500)}`);
	return { ...r, spawnedAt };
}

/**
 * One worker's timeline from its `--reporter jsonl` stream (epoch ms): spawned, its first sample's
 * start, its last sample's end, exit; and the end time of each of its samples.
 */
function timeline(r) {
	const ends = r.stdout
		.split('\n')
		.filter((line) => line.startsWith('{"type":"sample-end"'))
		.map((line) => JSON.parse(line).timing);
	return {
		spawnedAt: r.spawnedAt,
		firstStart: Math.min(...ends.map((t) => t.startedAt)),
		lastEnd: Math.max(...ends.map((t) => t.finishedAt)),
		exitAt: r.spawnedAt + r.wallMs,
		finished: ends.map((t) => t.finishedAt),
	};
}

/**
 * Where a set of workers' time went: start-up (spawn → first sample, the mean), the tail (the last
 * sample's end → the last exit), and the throughput while every worker runs — from the last
 * worker's first sample to the first worker's last one, samples finished per second — which leaves
 * out the start-ups that compete for this machine's cores (on N machines they would not).
 */
function phases(lines) {
	const from = Math.max(...lines.map((l) => l.firstStart));
	const to = Math.min(...lines.map((l) => l.lastEnd));
	const inWindow = lines.reduce((n, l) => n + l.finished.filter((t) => t > from && t <= to).length, 0);
	return {
		startUpMs: lines.reduce((sum, l) => sum + (l.firstStart - l.spawnedAt), 0) / lines.length,
		tailMs: Math.max(...lines.map((l) => l.exitAt)) - Math.max(...lines.map((l) => l.lastEnd)),
		steadyPerSecond: to > from ? (inWindow * 1000) / (to - from) : NaN,
	};
}

/** 1,000,000 samples (and their scores) in one evaluation, generated by the server itself. */
function fillMillion(server, db, n) {
	server.psql(
		db,
		`INSERT INTO doteval.experiments (name, created_at) VALUES ('big', 0);
		INSERT INTO doteval.evaluations (experiment_id, eval_id, name, file, started_at, strategy_json, runtime_version, total)
			SELECT id, 'big.eval.ts::evalBig', 'evalBig', 'big.eval.ts', 0, '{"name":"Sequential","maxConcurrency":1}', 'bench', ${n} FROM doteval.experiments WHERE name = 'big';
		INSERT INTO doteval.runs (evaluation_id, uid, host, pid, part, status, started_at, finished_at, heartbeat_at, lease_ms, strategy_json)
			SELECT id, 'big', 'bench', 1, '', 'completed', 0, 1, 1, 30000, '{}' FROM doteval.evaluations WHERE eval_id = 'big.eval.ts::evalBig';
		INSERT INTO doteval.samples (evaluation_id, idx, row_json, prompt, model_response, passed, attempts, backoff_ms, started_at, finished_at, latency_ms)
			SELECT e.id, g, '{"text":"a stored row #' || g || '"}', 'prompt ' || g, 'positive', g % 3 <> 0, 1, 0, g, g + 40, 40
			FROM doteval.evaluations e, generate_series(0, ${n - 1}) g WHERE e.eval_id = 'big.eval.ts::evalBig';
		INSERT INTO doteval.scores (sample_id, ord, name, value, passed, metrics) SELECT id, 0, 'exactMatch', (idx % 3 <> 0)::int, idx % 3 <> 0, '["accuracy"]' FROM doteval.samples
			WHERE evaluation_id = (SELECT id FROM doteval.evaluations WHERE eval_id = 'big.eval.ts::evalBig');
		ANALYZE;`,
	);
}

export async function run(ctx) {
	const group = 'PostgreSQL team store';
	const { postgresUnavailable, startPostgres } = await import('../test/postgres/server.mjs');
	const why = postgresUnavailable();
	if (why) return [ctx.notMeasured(group, 'PostgreSQL store', why)];
	const entry = findSource('runtime/src/store/postgres/index.ts');
	if (!entry) return [ctx.notMeasured(group, 'PostgreSQL store', 'runtime/src/store/postgres/ not in the tree')];
	await bundleSource(entry, 'postgres-store');
	await bundleSource('runtime/src/store/index.ts', 'store');
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'bench-postgres', private: true, type: 'module' }));
	const server = await startPostgres({ fsync: true });
	const env = server.env;
	const rows = [];
	try {
		// 1. Workers sharing one experiment.
		const N = ctx.quick ? 400 : 2000;
		const window = 5;
		writeFileSync(path.join(work, 'shared.eval.ts'), sleepEval(N, 50, window));
		const rounds = ctx.quick ? 1 : Math.min(ctx.rounds, 3);
		// A database per measurement, a repeated one too (alternate repeats a run disturbed by other load).
		let made = 0;
		ctx.log(`postgres: ${N} samples × 50 ms, window ${window} per process: 4 joined workers vs 1 process`);
		const sh = await alternate(
			[
				{
					name: 'four',
					run: async () => {
						const database = `four_${made++}`;
						const url = server.createDatabase(database);
						const t0 = performance.now();
						const all = await Promise.all(
							[0, 1, 2, 3].map(() =>
								runCli(['run', 'shared.eval.ts', '--experiment', 'shared', '--workers-join', '--storage', url, '--reporter', 'jsonl'], env),
							),
						);
						const ms = performance.now() - t0;
						const [done, span] = server
							.psql(database, 'SELECT count(*), max(finished_at) - min(started_at) FROM doteval.samples')
							.trim()
							.split('|')
							.map(Number);
						if (done !== N) throw new Error(`4 workers stored ${done} of ${N} samples`);
						const p = phases(all.map(timeline));
						ctx.log(
							`  four: span ${span.toFixed(0)} ms, whole ${ms.toFixed(0)} ms, start-up ${p.startUpMs.toFixed(0)} ms, tail ${p.tailMs.toFixed(0)} ms, ${p.steadyPerSecond.toFixed(1)} samples/s while all run`,
						);
						return { value: span, wallMs: ms, ...p, otherCores: Math.max(...all.map((r) => r.otherCores ?? 0)) };
					},
				},
				{
					name: 'one',
					run: async () => {
						const database = `one_${made++}`;
						const url = server.createDatabase(database);
						const r = await runCli(['run', 'shared.eval.ts', '--experiment', 'shared', '--workers-join', '--storage', url, '--reporter', 'jsonl'], env);
						const span = Number(server.psql(database, 'SELECT max(finished_at) - min(started_at) FROM doteval.samples').trim());
						const p = phases([timeline(r)]);
						ctx.log(
							`  one: span ${span.toFixed(0)} ms, whole ${r.wallMs.toFixed(0)} ms, start-up ${p.startUpMs.toFixed(0)} ms, tail ${p.tailMs.toFixed(0)} ms, ${p.steadyPerSecond.toFixed(1)} samples/s`,
						);
						return { value: span, wallMs: r.wallMs, ...p, otherCores: r.otherCores };
					},
				},
			],
			{ rounds, log: ctx.log, maxOtherCores: 0.6 },
		);
		rows.push(
			ctx.row({
				group,
				name: `${N} samples × 50 ms: 4 \`--workers-join\` processes sharing one experiment / 1 process (window ${window} each) — speedup of the experiment`,
				figure: ctx.series(sh.four.values, 'ms'),
				baseline: ctx.series(sh.one.values, 'ms'),
				baselineLabel: '1 process',
				ratio: ctx.paired(sh.one.values, sh.four.values),
				goal: { op: '>=', value: 3.5, text: '≥ 3.5× faster' },
				otherCores: sh.otherCores,
				note: `time from the first sample's start to the last sample's end, as stored; ideal ${((N * 50) / window / 1000).toFixed(0)} s vs ${((N * 50) / window / 4000).toFixed(1)} s; ratio = 1 process / 4 workers`,
			}),
		);
		const wall = (v) => v.extras.map((e) => e.wallMs);
		rows.push(
			ctx.row({
				group,
				name: `the same, whole processes (start-up of 4 processes on this machine included) — speedup`,
				figure: ctx.series(wall(sh.four), 'ms'),
				baseline: ctx.series(wall(sh.one), 'ms'),
				baselineLabel: '1 process',
				ratio: ctx.paired(wall(sh.one), wall(sh.four)),
				otherCores: sh.otherCores,
				note: 'informational: 4 CLI start-ups (esbuild compile of the eval file each) compete for the cores here; on 4 machines they would not',
			}),
		);
		const of = (v, key) => v.extras.map((e) => e[key]);
		rows.push(
			ctx.row({
				group,
				name: 'the same, throughput while all 4 workers run (after the last start-up, before the first worker ends) / 1 process — samples/s',
				figure: ctx.series(of(sh.four, 'steadyPerSecond'), '/s'),
				baseline: ctx.series(of(sh.one, 'steadyPerSecond'), '/s'),
				baselineLabel: '1 process',
				ratio: ctx.paired(of(sh.four, 'steadyPerSecond'), of(sh.one, 'steadyPerSecond')),
				otherCores: sh.otherCores,
				note: `isolates the work sharing from start-up: ideal 4× (${((window * 1000) / 50).toFixed(0)}/s per process); samples finished in the window over its length`,
			}),
		);
		rows.push(
			ctx.row({
				group,
				name: 'the same, start-up of a worker (spawn → its first sample), 4 starting at once / 1 alone — ms',
				figure: ctx.series(of(sh.four, 'startUpMs'), 'ms'),
				baseline: ctx.series(of(sh.one, 'startUpMs'), 'ms'),
				baselineLabel: '1 process',
				ratio: ctx.paired(of(sh.four, 'startUpMs'), of(sh.one, 'startUpMs')),
				otherCores: sh.otherCores,
				note: `mean over the workers; 4 start-ups share this machine's cores. Tail (last sample → last exit): 4 workers ${ctx.fmtSeries(of(sh.four, 'tailMs'), 'ms')}, 1 process ${ctx.fmtSeries(of(sh.one, 'tailMs'), 'ms')}`,
			}),
		);

		// 2. Writer throughput.
		const W = ctx.quick ? 10_000 : 50_000;
		ctx.log(`postgres: writer throughput, ${W / 1000}k samples, PostgreSQL vs embedded`);
		let w = 0;
		const wr = await alternate(
			[
				{
					name: 'pg',
					run: async () => {
						const url = server.createDatabase(`write_${w++}`);
						const r = await runJsonScript(self, ['--worker', 'pg-write', '--n', W, '--url', url], { env: { ...process.env, ...env }, timeoutMs: 600_000 });
						return { ...r, value: (W / r.ms) * 1000 };
					},
				},
				{
					name: 'embedded',
					run: async () => {
						const r = await runJsonScript(self, ['--worker', 'embedded-write', '--n', W, '--dir', path.join(work, 'embedded')], { timeoutMs: 600_000 });
						return { ...r, value: (W / r.ms) * 1000 };
					},
				},
			],
			{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
		);
		rows.push(
			ctx.row({
				group,
				name: `PostgreSQL writer / embedded store writer, ${W / 1000}k samples until durable and closed — samples/s`,
				figure: ctx.series(wr.pg.values, '/s'),
				baseline: ctx.series(wr.embedded.values, '/s'),
				baselineLabel: 'embedded store',
				ratio: ctx.paired(wr.pg.values, wr.embedded.values),
				goal: { op: '>=', value: 0.5, text: '≥ 0.5×' },
				otherCores: wr.otherCores,
				note: 'beginEvaluation + recordSample × N + finish + close, fresh process each; PostgreSQL: batches of ≤ 500 in one transaction each, server fsync on; embedded: journal + final checkpoint',
			}),
		);

		// 3. A small run into a big store.
		const M = ctx.quick ? 100_000 : 1_000_000;
		ctx.log(`postgres: filling a database with ${M} samples`);
		const bigUrl = server.createDatabase('big');
		const emptyUrl = server.createDatabase('empty');
		// The schema first (a run creates it), then the generated rows.
		writeFileSync(path.join(work, 'small.eval.ts'), sleepEval(8, 1, 8));
		await runCli(['run', 'small.eval.ts', '--experiment', 'warm-up', '--storage', bigUrl], env);
		await runCli(['run', 'small.eval.ts', '--experiment', 'warm-up', '--storage', emptyUrl], env);
		fillMillion(server, 'big', M);
		let s = 0;
		const sm = await alternate(
			[
				{
					name: 'big',
					run: async () => {
						const r = await runCli(['run', 'small.eval.ts', '--experiment', `small-${s}`, '--storage', bigUrl], env);
						return { ...r, value: r.wallMs };
					},
				},
				{
					name: 'empty',
					run: async () => {
						const r = await runCli(['run', 'small.eval.ts', '--experiment', `small-${s++}`, '--storage', emptyUrl], env);
						return { ...r, value: r.wallMs };
					},
				},
			],
			{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
		);
		rows.push(
			ctx.row({
				group,
				name: `8-sample \`doteval run\` into a PostgreSQL store holding ${M / 1000}k samples / into an empty one — wall`,
				figure: ctx.series(sm.big.values, 'ms'),
				baseline: ctx.series(sm.empty.values, 'ms'),
				baselineLabel: 'empty store',
				ratio: ctx.paired(sm.big.values, sm.empty.values),
				goal: { op: '<=', value: 1.2, text: '≤ 1.2× wall' },
				otherCores: sm.otherCores,
				note: "whole CLI process; a new experiment each round; the big store's samples are in another experiment",
			}),
		);
	} finally {
		await server.stop();
	}
	return rows;
}
