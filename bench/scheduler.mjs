// Scheduler efficiency and per-task overhead: doteval's executor (SlidingWindow, no-op store) against
// raw p-limit and a hand-written worker pool, each variant in its own fresh process, run alternately.
//   latency:  2,000 tasks × 10 ms at 100 in flight — efficiency = ideal (200 ms) / wall.
//   overhead: 100,000 trivial tasks (`await Promise.resolve()`) at 100 in flight — µs per task.
// As a script (`node bench/scheduler.mjs --worker VARIANT …`) it is the worker measuring one variant.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { alternate } from './lib/alternate.mjs';
import { runJsonScript } from './lib/proc.mjs';
import { median } from './lib/stats.mjs';
import { loadDoteval, prepareDoteval } from './lib/doteval.mjs';

const self = fileURLToPath(import.meta.url);

// ---- worker side ---------------------------------------------------------------------------------

async function pLimitRun(n, k, task) {
	const { default: pLimit } = await import('p-limit');
	const limit = pLimit(k);
	const items = Array.from({ length: n }, (_, i) => i);
	await Promise.all(items.map((i) => limit(() => task(i))));
}

async function poolRun(n, k, task) {
	let next = 0;
	const worker = async () => {
		while (next < n) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(k, n) }, worker));
}

async function dotevalRun(n, k, lat, dt) {
	const rows = Array.from({ length: n }, (_, i) => [i]);
	const fn =
		lat > 0
			? async ({ i }) => {
					await sleep(lat);
					return new dt.Result(dt.exactMatch(i, i));
				}
			: async ({ i }) => {
					await Promise.resolve();
					return new dt.Result(dt.exactMatch(i, i));
				};
	await dt.runEval({ columns: 'i', rows, fn, maxConcurrency: k });
}

async function worker(args) {
	const opt = (name, dflt) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? Number(args[i + 1]) : dflt;
	};
	const variant = args[args.indexOf('--worker') + 1];
	const [n, k, lat, warmups, runs] = [opt('n', 2000), opt('k', 100), opt('lat', 10), opt('warmups', 2), opt('runs', 3)];
	const task =
		lat > 0
			? () => sleep(lat)
			: async (i) => {
					await Promise.resolve();
					return i;
				};
	const dt = variant === 'doteval' ? await loadDoteval() : null;
	const once = variant === 'plimit' ? () => pLimitRun(n, k, task) : variant === 'pool' ? () => poolRun(n, k, task) : () => dotevalRun(n, k, lat, dt);
	const times = [];
	for (let r = 0; r < warmups + runs; r++) {
		globalThis.gc?.();
		const t0 = performance.now();
		await once();
		if (r >= warmups) times.push(performance.now() - t0);
	}
	console.log(JSON.stringify({ wallMs: median(times), times }));
}

if (process.argv[1] === self) await worker(process.argv.slice(2));

// ---- orchestrator side ---------------------------------------------------------------------------

export async function run(ctx) {
	const rows = [];
	const haveDoteval = await prepareDoteval();
	const latencyVariants = ['plimit', ...(haveDoteval.ok ? ['doteval'] : [])];
	const variants = ['plimit', 'pool', ...(haveDoteval.ok ? ['doteval'] : [])];
	const spawnVariant = (variant, extra) => async () => {
		const r = await runJsonScript(self, ['--worker', variant, ...extra]);
		return { ...r, value: r.wallMs };
	};

	// Latency-bound: efficiency against the ideal, doteval against p-limit.
	const n = 2000,
		k = 100,
		lat = 10,
		ideal = (n / k) * lat;
	const latArgs = ['--n', n, '--k', k, '--lat', lat, '--warmups', 2, '--runs', ctx.quick ? 2 : 3].map(String);
	ctx.log(`scheduler: ${n} × ${lat} ms at ${k} in flight (${latencyVariants.join(', ')})`);
	const latency = await alternate(
		latencyVariants.map((v) => ({ name: v, run: spawnVariant(v, latArgs) })),
		{ rounds: ctx.rounds, log: ctx.log },
	);
	const eff = (name) => latency[name].values.map((ms) => ideal / ms);
	const idealSeries = ctx.series([ideal], 'ms');
	const efficiency = (name) => ctx.series(eff(name), '');
	rows.push(
		ctx.row({
			group: 'Scheduler',
			name: `p-limit, ${n} × ${lat} ms @ ${k}: wall vs ideal (ratio = efficiency)`,
			figure: ctx.series(latency.plimit.values, 'ms'),
			baseline: idealSeries,
			baselineLabel: 'ideal',
			ratio: efficiency('plimit'),
			otherCores: latency.otherCores,
			note: 'reference; the baselines measured 0.920',
		}),
	);
	if (haveDoteval.ok) {
		rows.push(
			ctx.row({
				group: 'Scheduler',
				name: `doteval executor (SlidingWindow 100, no-op store): wall vs ideal`,
				figure: ctx.series(latency.doteval.values, 'ms'),
				baseline: idealSeries,
				baselineLabel: 'ideal',
				ratio: efficiency('doteval'),
				goal: { op: '>=', value: 0.92, text: '≥ 0.92 of ideal' },
				otherCores: latency.otherCores,
			}),
		);
		rows.push(
			ctx.row({
				group: 'Scheduler',
				name: 'doteval efficiency / p-limit efficiency',
				figure: efficiency('doteval'),
				baseline: efficiency('plimit'),
				baselineLabel: 'p-limit',
				ratio: ctx.paired(eff('doteval'), eff('plimit')),
				goal: { op: '>=', value: 0.98, text: '≥ 0.98× p-limit' },
				otherCores: latency.otherCores,
			}),
		);
	} else {
		rows.push(ctx.notMeasured('Scheduler', 'doteval efficiency / p-limit efficiency', haveDoteval.why, '≥ 0.98× p-limit'));
	}

	// CPU-bound: per-task overhead of trivial tasks.
	const N = ctx.quick ? 20_000 : 100_000;
	const ovArgs = ['--n', N, '--k', k, '--lat', 0, '--warmups', 2, '--runs', ctx.quick ? 2 : 3].map(String);
	ctx.log(`scheduler: ${N} trivial tasks at ${k} in flight (${variants.join(', ')})`);
	const overhead = await alternate(
		variants.map((v) => ({ name: v, run: spawnVariant(v, ovArgs) })),
		{ rounds: ctx.rounds, log: ctx.log },
	);
	const us = (name) => overhead[name].values.map((ms) => (ms * 1000) / N);
	rows.push(
		ctx.row({
			group: 'Scheduler',
			name: `p-limit µs per trivial task (N=${N / 1000}k @ ${k}) / hand-written pool`,
			figure: ctx.series(us('plimit'), 'µs'),
			baseline: ctx.series(us('pool'), 'µs'),
			baselineLabel: 'pool',
			ratio: ctx.paired(us('plimit'), us('pool')),
			otherCores: overhead.otherCores,
			note: 'reference: the baselines measured 16.8× at K=100',
		}),
	);
	if (haveDoteval.ok) {
		rows.push(
			ctx.row({
				group: 'Scheduler',
				name: `doteval executor µs per trivial task / p-limit`,
				figure: ctx.series(us('doteval'), 'µs'),
				baseline: ctx.series(us('plimit'), 'µs'),
				baselineLabel: 'p-limit',
				ratio: ctx.paired(us('doteval'), us('plimit')),
				otherCores: overhead.otherCores,
				note: 'includes building each sample record (timing, scores); informational, no goal',
			}),
		);
	} else {
		rows.push(ctx.notMeasured('Scheduler', 'doteval executor µs per trivial task / p-limit', haveDoteval.why));
	}
	return rows;
}
