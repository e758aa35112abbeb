// doteval side by side with promptfoo 0.121.20 and evalite 0.19.0 on the same workload: the
// tutorial's 8 sentiment rows repeated to N, a mock model that waits LAT ms and classifies by keywords,
// exact-match scoring, each tool's default storage. Whole-process wall time and peak RSS, the three
// tools run alternately; one unmeasured warm-up run per tool first (creates each tool's database).
// Workload files: bench/peers/workloads/<tool>/; they run from bench/peers/work/<tool>-<case>/.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { alternate } from './lib/alternate.mjs';
import { measureProcess } from './lib/proc.mjs';
import { repoRoot } from './lib/build.mjs';
import { cli, workDir as snapshotWork } from './lib/snapshot.mjs';

const peersDir = path.join(repoRoot, 'bench/peers');
const workloads = path.join(peersDir, 'workloads');
const ROWS = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film, nothing special', 'neutral'],
	['Great cinematography and excellent story', 'positive'],
	['Bad writing and terrible direction', 'negative'],
	['Average movie with decent performances', 'neutral'],
	['Amazing visuals and great soundtrack', 'positive'],
	['Awful script and bad character development', 'negative'],
];

function workDir(tool, c) {
	// doteval runs next to the bench snapshot of the runtime; the peers next to bench/peers/node_modules.
	const dir = tool === 'doteval' ? snapshotWork(`peers-doteval-${c.n}x${c.lat}`) : path.join(peersDir, 'work', String(process.pid), `${tool}-${c.n}x${c.lat}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	cpSync(path.join(workloads, tool), dir, { recursive: true });
	return dir;
}

/** The command line of each tool for one case, from a fresh work folder. */
const tools = {
	doteval(c) {
		const cwd = workDir('doteval', c);
		writeFileSync(path.join(cwd, 'package.json'), '{ "private": true, "type": "module" }\n');
		return { cwd, args: [cli, 'run', 'sentiment.eval.ts'] };
	},
	promptfoo(c) {
		const cwd = workDir('promptfoo', c);
		const csv = ['text,expected', ...Array.from({ length: c.n }, (_, i) => `"${ROWS[i % 8][0]} #${i}",${ROWS[i % 8][1]}`)];
		writeFileSync(path.join(cwd, 'data.csv'), `${csv.join('\n')}\n`);
		const bin = path.join(peersDir, 'node_modules/promptfoo/dist/src/entrypoint.js');
		return { cwd, args: [bin, 'eval', '-c', 'promptfooconfig.yaml', '-j', String(c.conc), '--no-cache', '--no-progress-bar', '--no-table'] };
	},
	evalite(c) {
		const cwd = workDir('evalite', c);
		writeFileSync(path.join(cwd, 'package.json'), '{ "private": true, "type": "module" }\n');
		return { cwd, args: [path.join(peersDir, 'node_modules/evalite/dist/bin.js'), 'run'] };
	},
};

function env(c, cwd) {
	return {
		...process.env,
		N: String(c.n),
		LAT_MS: String(c.lat),
		CONC: String(c.conc),
		NO_COLOR: '1',
		DO_NOT_TRACK: '1',
		// promptfoo offline: no telemetry, no update check, its home (database, config) inside the work folder.
		PROMPTFOO_DISABLE_TELEMETRY: '1',
		PROMPTFOO_DISABLE_UPDATE: '1',
		PROMPTFOO_CONFIG_DIR: path.join(cwd, '.promptfoo'),
	};
}

export async function run(ctx) {
	const group = 'Peers';
	if (!existsSync(path.join(peersDir, 'node_modules/promptfoo')) || !existsSync(path.join(peersDir, 'node_modules/evalite'))) {
		ctx.log('peers: not installed — run `npm run bench:peers` (installs promptfoo and evalite into bench/peers/node_modules)');
		return [ctx.notMeasured(group, 'promptfoo and evalite', 'peers not installed; run `npm run bench:peers` first', "≤ 1/20 of each peer's wall time")];
	}
	const present = ['promptfoo', 'evalite', ...(existsSync(cli) ? ['doteval'] : [])];
	const cases = [
		{ n: 8, lat: 1000, conc: 4 },
		{ n: 2000, lat: 10, conc: 100 },
	];
	const rows = [];
	for (const c of cases) {
		const label = `N=${c.n}, ${c.lat} ms, concurrency ${c.conc}`;
		ctx.log(`peers: ${label} (${present.join(', ')})`);
		const variants = present.map((tool) => {
			const { cwd, args } = tools[tool](c);
			const once = async () => {
				const r = await measureProcess(process.execPath, args, { cwd, env: env(c, cwd), timeoutMs: 300_000 });
				if (r.code !== 0) throw new Error(`${tool} exited ${r.code ?? r.signal} in ${cwd}:\n${(r.stderr || r.stdout).slice(-1500)}`);
				return { ...r, value: r.wallMs };
			};
			return { name: tool, run: once };
		});
		for (const v of variants) await v.run(); // warm-up: databases created, files cached
		const res = await alternate(variants, { rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.5 });
		const wall = (t) => res[t].values.map((ms) => ms / 1000);
		const rss = (t) => res[t].extras.map((e) => e.peakRssMb);
		const tree = (t) =>
			ctx.fmtSeries(
				res[t].extras.map((e) => e.treeRssMb),
				'MB',
			);
		for (const peer of ['promptfoo', 'evalite']) {
			if (!present.includes('doteval')) {
				rows.push(
					ctx.row({
						group,
						name: `${peer} ${label}: wall time, peak RSS`,
						figure: ctx.series(wall(peer), 's'),
						note: `peak RSS ${ctx.fmtSeries(rss(peer), 'MB')} (tree ${tree(peer)}); doteval not measured: runtime/dist/cli.js not built`,
						otherCores: res.otherCores,
					}),
				);
				continue;
			}
			rows.push(
				ctx.row({
					group,
					name: `${label}: doteval wall time / ${peer}`,
					figure: ctx.series(wall('doteval'), 's'),
					baseline: ctx.series(wall(peer), 's'),
					baselineLabel: peer,
					ratio: ctx.paired(wall('doteval'), wall(peer)),
					goal: { op: '<=', value: 1 / 20, text: '≤ 0.05× (1/20)' },
					otherCores: res.otherCores,
				}),
			);
			rows.push(
				ctx.row({
					group,
					name: `${label}: doteval peak RSS / ${peer}`,
					figure: ctx.series(rss('doteval'), 'MB'),
					baseline: ctx.series(rss(peer), 'MB'),
					baselineLabel: peer,
					ratio: ctx.paired(rss('doteval'), rss(peer)),
					goal: peer === 'promptfoo' ? { op: '<=', value: 1 / 3, text: '≤ 0.33× (1/3)' } : null,
					otherCores: res.otherCores,
					note: `largest process (like GNU time %M); whole tree: doteval ${tree('doteval')}, ${peer} ${tree(peer)}`,
				}),
			);
		}
	}
	rmSync(path.join(peersDir, 'work', String(process.pid)), { recursive: true, force: true });
	return rows;
}
