// Persistence: the store's writer (openStore → beginEvaluation → recordSample × N → finish → close)
// against a raw append-only JSONL journal (writeSync per sample, fsync every 100) in the same run;
// resume (loading the skip set of 100,000 samples) against a raw sql.js load of the same file;
// `doteval show` on 100,000 samples against a bare sql.js aggregate process; and the cost per
// 100,000 samples at 100k, 500k and 1M (is persistence linear?). Each measurement is a fresh process.
// As a script (`node bench/store.mjs --worker MODE …`) it is the worker for one measurement.
import {
	closeSync,
	cpSync,
	existsSync,
	fsync,
	fsyncSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate } from './lib/alternate.mjs';
import { bundleSource, buildDir, findSource, importBundle } from './lib/build.mjs';
import { cli, serverJs, workDir } from './lib/snapshot.mjs';
import { quantile } from './lib/stats.mjs';
import { measureProcess, runJsonScript } from './lib/proc.mjs';
import { evaluationStart, makeSample } from './lib/samples.mjs';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const storeBundle = path.join(buildDir, 'store.mjs');
const workRoot = workDir('store');
const EXPERIMENT = 'bench';
/** The eval of bench/lib/samples.mjs's evaluationStart (bench/store.eval.ts::evalStore), as the editor shows it. */
const lspEvalText = `import { foreach, Result } from 'doteval';

export const evalStore = foreach('text,expected', [['a', 'a']])(({ text, expected }) => new Result(text === expected));
`;

// ---- worker side ---------------------------------------------------------------------------------

const workers = {
	/** The store's writer: record N samples, then close (the final checkpoint into SQLite). */
	async 'store-write'({ n, dir }) {
		const { openStore } = await importBundle(storeBundle);
		const t0 = performance.now();
		const store = await openStore(path.join(dir, 'store'));
		const ev = await store.beginEvaluation(evaluationStart(EXPERIMENT, n));
		for (let i = 0; i < n; i++) ev.recordSample(makeSample(i));
		await ev.finish('completed');
		const recordMs = performance.now() - t0;
		store.close();
		const totalMs = performance.now() - t0;
		return { recordMs, closeMs: totalMs - recordMs, totalMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
	},
	/**
	 * The floor: the same records appended to a JSONL file, one writeSync each, with the store's
	 * durability: an fsync every 100 on the thread pool while appending goes on (one in flight; a
	 * batch due meanwhile is synced when it ends), and one waited for at the end.
	 */
	async 'raw-journal'({ n, dir }) {
		const t0 = performance.now();
		const fd = openSync(path.join(dir, 'raw.jsonl'), 'a');
		let inFlight = false;
		let due = false;
		const syncInBackground = () => {
			if (inFlight) return void (due = true);
			inFlight = true;
			fsync(fd, () => {
				inFlight = false;
				if (due) ((due = false), syncInBackground());
			});
		};
		for (let i = 0; i < n; i++) {
			writeSync(fd, `${JSON.stringify({ t: 's', run: 'r', s: makeSample(i) })}\n`);
			if (i % 100 === 99) syncInBackground();
		}
		fsyncSync(fd);
		closeSync(fd);
		return { recordMs: performance.now() - t0 };
	},
	/** Another experiment of n samples into an existing store (the small one `show` is compared with). */
	async 'add-experiment'({ n, db, name }) {
		const { openStore } = await importBundle(storeBundle);
		const store = await openStore(db);
		const ev = await store.beginEvaluation(evaluationStart(name, n));
		for (let i = 0; i < n; i++) ev.recordSample(makeSample(i));
		await ev.finish('completed');
		await store.close();
		return { n };
	},
	/** Resume: open a copy of the 100k store and load the skip set of the evaluation. */
	async resume({ db, dir }) {
		const copy = path.join(dir, 'store');
		cpSync(db, copy, { recursive: true });
		const { openStore } = await importBundle(storeBundle);
		const t0 = performance.now();
		const store = await openStore(copy);
		const ev = await store.beginEvaluation(evaluationStart(EXPERIMENT, null));
		const ms = performance.now() - t0;
		return { ms, completed: ev.completed.size };
	},
	/** Floor for resume: sql.js init, read the file, SELECT the completed indexes into a Set. */
	async 'raw-resume'({ db }) {
		const t0 = performance.now();
		const { default: initSqlJs } = await import('sql.js');
		const SQL = await initSqlJs();
		const database = new SQL.Database(readFileSync(largestEvalFile(db)));
		const stmt = database.prepare('SELECT idx FROM samples WHERE error_type IS NULL');
		const done = new Set();
		while (stmt.step()) done.add(stmt.get()[0]);
		stmt.free();
		return { ms: performance.now() - t0, completed: done.size };
	},
	/**
	 * The results panel's store read: open the store, the evaluation's headline and its first page of
	 * 100 samples (what the extension asks for when the panel opens), and a page in the middle.
	 */
	async 'first-page'({ db }) {
		const { openStoreReader } = await importBundle(storeBundle);
		const t0 = performance.now();
		const reader = await openStoreReader(db);
		const evaluation = await reader.getEvaluation(EXPERIMENT, 'bench/store.eval.ts::evalStore');
		const page = await reader.samples(EXPERIMENT, evaluation.evalId, { offset: 0, limit: 100 });
		const firstMs = performance.now() - t0;
		const t1 = performance.now();
		const middle = await reader.samples(EXPERIMENT, evaluation.evalId, { offset: Math.floor(page.total / 2), limit: 100 });
		const middleMs = performance.now() - t1;
		await reader.close();
		return { firstMs, middleMs, total: page.total, shown: page.samples.length + middle.samples.length, maxRssMb: process.resourceUsage().maxRSS / 1024 };
	},
	/**
	 * The language server over a real LSP connection (the built dist/server.js --stdio) in a workspace
	 * whose default store (.doteval, a link) is `db`: spawn, initialize, open the eval file the store
	 * has results for, wait for the lens with its last result; then 50 rounds of an edit + codeLens and
	 * a hover on the eval; the server's RSS (now and peak) at the end.
	 */
	async 'lsp-history'({ db, dir }) {
		const rpc = require('vscode-jsonrpc/node');
		const ws = path.join(dir, 'ws');
		mkdirSync(path.join(ws, 'bench'), { recursive: true });
		writeFileSync(path.join(ws, 'package.json'), '{ "private": true, "type": "module" }\n');
		const file = path.join(ws, 'bench/store.eval.ts');
		const text = lspEvalText;
		writeFileSync(file, text);
		symlinkSync(db, path.join(ws, '.doteval'));
		const t0 = performance.now();
		const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
		const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
		conn.onRequest(() => null);
		conn.onNotification(() => {});
		conn.listen();
		const rootUri = pathToFileURL(ws).href;
		const uri = pathToFileURL(file).href;
		await conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: 'bench' }] });
		await conn.sendNotification('initialized', {});
		await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
		const lenses = () => conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
		const hasResult = (list) => Array.isArray(list) && list.some((l) => l.command?.command === 'doteval.openResults');
		let resultMs;
		for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
			if (hasResult(await lenses())) {
				resultMs = performance.now() - t0;
				break;
			}
		}
		if (resultMs === undefined) throw new Error('the server never showed the stored result on the lens');
		const at = text.split('\n').findIndex((l) => l.includes('evalStore'));
		const position = { line: at, character: text.split('\n')[at].indexOf('evalStore') + 2 };
		const lens = [];
		const hover = [];
		for (let i = 0; i < 50; i++) {
			await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: `${text}// edit ${i}\n` }] });
			let t = performance.now();
			const got = await lenses();
			lens.push(performance.now() - t);
			if (!hasResult(got)) throw new Error('the lens lost its stored result after an edit');
			t = performance.now();
			const h = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
			hover.push(performance.now() - t);
			if (!/bench/.test(h?.contents?.value ?? '')) throw new Error(`the hover shows no result of experiment 'bench': ${JSON.stringify(h).slice(0, 300)}`);
		}
		const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
		const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? NaN);
		await conn.sendRequest('shutdown', null);
		await conn.sendNotification('exit', null);
		conn.dispose();
		return { resultMs, lensP95: quantile(lens, 0.95), hoverP95: quantile(hover, 0.95), rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
	},
	/** Floor for `show`: a bare process that loads the file and aggregates plain columns. */
	async 'raw-report'({ db }) {
		const { default: initSqlJs } = await import('sql.js');
		const SQL = await initSqlJs();
		const database = new SQL.Database(readFileSync(largestEvalFile(db)));
		const r = database.exec(`SELECT evaluation_id, COUNT(*), AVG(passed), SUM(error_type IS NOT NULL), AVG(latency_ms) FROM samples GROUP BY evaluation_id`);
		const lat = database.exec('SELECT latency_ms FROM samples ORDER BY latency_ms');
		return { rows: r[0].values.length, latencies: lat[0].values.length };
	},
};

if (process.argv[1] === self) {
	const args = process.argv.slice(2);
	// An absent option is undefined (indexOf's -1 would otherwise read args[0]).
	const opt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
	const mode = opt('worker');
	const dir = opt('dir');
	if (dir) {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
	}
	console.log(JSON.stringify(await workers[mode]({ n: Number(opt('n')), dir, db: opt('db'), name: opt('name') })));
}

// ---- orchestrator side ---------------------------------------------------------------------------

/** The biggest evaluation file of a store folder (the raw baselines load that one file, as the store does). */
function largestEvalFile(store) {
	const dir = path.join(store, 'evals');
	return readdirSync(dir)
		.filter((n) => n.endsWith('.db'))
		.map((n) => path.join(dir, n))
		.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

const worker = (mode, args) => runJsonScript(self, ['--worker', mode, ...args.map(String)], { timeoutMs: 900_000 });

export async function run(ctx) {
	const group = 'Persistence';
	const entry = findSource('runtime/src/store/index.ts');
	if (!entry) return [ctx.notMeasured(group, 'store', 'runtime/src/store/ not in the tree yet')];
	await bundleSource(entry, 'store');
	mkdirSync(workRoot, { recursive: true });
	const rows = [];
	const N = ctx.quick ? 20_000 : 100_000;
	const k = `${N / 1000}k`;

	ctx.log(`store: ${k} samples, store writer vs raw JSONL journal`);
	const tp = await alternate(
		[
			{
				name: 'store',
				run: async () => {
					const r = await worker('store-write', ['--n', N, '--dir', path.join(workRoot, 'write')]);
					return { ...r, value: r.recordMs };
				},
			},
			{
				name: 'raw',
				run: async () => {
					const r = await worker('raw-journal', ['--n', N, '--dir', path.join(workRoot, 'raw')]);
					return { ...r, value: r.recordMs };
				},
			},
		],
		{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
	);
	const perSec = (msList) => msList.map((ms) => (N / ms) * 1000);
	const storeRecord = tp.store.values;
	const storeTotal = tp.store.extras.map((e) => e.totalMs);
	rows.push(
		ctx.row({
			group,
			name: `store writer, ${k} samples recorded (durable journal) / raw JSONL journal — samples/s`,
			figure: ctx.series(perSec(storeRecord), '/s'),
			baseline: ctx.series(perSec(tp.raw.values), '/s'),
			baselineLabel: 'raw journal',
			ratio: ctx.paired(perSec(storeRecord), perSec(tp.raw.values)),
			goal: { op: '>=', value: 0.5, text: '≥ 0.5× raw journal' },
			otherCores: tp.otherCores,
			note: 'recordSample × N + finish; writeSync per sample, fsync per 100 on the thread pool (one in flight) in both',
		}),
	);
	rows.push(
		ctx.row({
			group,
			name: `store writer incl. final checkpoint into SQLite (close) / raw JSONL journal — samples/s`,
			figure: ctx.series(perSec(storeTotal), '/s'),
			baseline: ctx.series(perSec(tp.raw.values), '/s'),
			baselineLabel: 'raw journal',
			ratio: ctx.paired(perSec(storeTotal), perSec(tp.raw.values)),
			otherCores: tp.otherCores,
			note: `whole persistence cost of a run; checkpoint ${ctx.fmtSeries(
				tp.store.extras.map((e) => e.closeMs),
				'ms',
			)}; informational (the baselines' journal + import design gave 0.40×)`,
		}),
	);

	// The 100k store for resume and show (the last store-write run left it in place).
	const db = path.join(workRoot, 'write/store');
	ctx.log(`store: resume skip set of ${k} samples`);
	const rs = await alternate(
		[
			{
				name: 'resume',
				run: async () => {
					const r = await worker('resume', ['--db', db, '--dir', path.join(workRoot, 'resume')]);
					return { ...r, value: r.ms };
				},
			},
			{
				name: 'raw',
				run: async () => {
					const r = await worker('raw-resume', ['--db', db]);
					return { ...r, value: r.ms };
				},
			},
		],
		{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
	);
	rows.push(
		ctx.row({
			group,
			name: `resume: load the skip set of ${k} samples (openStore + beginEvaluation)`,
			figure: ctx.series(rs.resume.values, 'ms'),
			baseline: ctx.series(rs.raw.values, 'ms'),
			baselineLabel: 'bare sql.js load + SELECT',
			ratio: ctx.paired(rs.resume.values, rs.raw.values),
			goal: { op: '<=', value: 1000, on: 'figure', text: '< 1 s ("well under a second")' },
			otherCores: rs.otherCores,
			note: `skip set size ${rs.resume.extras[0]?.completed} (1 in 50 samples is an error and reruns)`,
		}),
	);

	if (existsSync(cli)) {
		ctx.log(`store: doteval show on ${k} samples`);
		const sh = await alternate(
			[
				{
					name: 'show',
					run: async () => {
						const r = await measureProcess(process.execPath, [cli, 'show', EXPERIMENT, '--storage', db], { cwd: workRoot });
						if (r.code !== 0) throw new Error(`doteval show exited ${r.code}: ${r.stderr.slice(-800)}`);
						return { ...r, value: r.wallMs };
					},
				},
				{
					name: 'raw',
					run: async () => {
						const r = await measureProcess(process.execPath, [self, '--worker', 'raw-report', '--db', db], { cwd: workRoot });
						return { ...r, value: r.wallMs };
					},
				},
			],
			{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
		);
		rows.push(
			ctx.row({
				group,
				name: `\`doteval show\` on ${k} samples, whole process`,
				figure: ctx.series(sh.show.values, 'ms'),
				baseline: ctx.series(sh.raw.values, 'ms'),
				baselineLabel: 'bare sql.js load + aggregate process',
				ratio: ctx.paired(sh.show.values, sh.raw.values),
				goal: { op: '<=', value: 1200, on: 'figure', text: '≈ 1 s (≤ 1.2 s)' },
				otherCores: sh.otherCores,
				note: `peak RSS ${ctx.fmtSeries(
					sh.show.extras.map((e) => e.peakRssMb),
					'MB',
				)}`,
			}),
		);
	} else {
		rows.push(ctx.notMeasured(group, `\`doteval show\` on ${k} samples`, 'runtime/dist/cli.js not built (CLI not in the tree yet)', '≈ 1 s'));
	}

	// Linear growth: cost per 100k samples (record + final checkpoint) at 100k, 500k, 1M; one run each above 100k.
	const sizes = ctx.quick ? [100_000, 200_000] : [500_000, 1_000_000];
	const per100k = (ms, n) => ms / (n / 100_000);
	const base = ctx.quick ? null : storeTotal.map((ms) => per100k(ms, N));
	const growth = [];
	for (const n of sizes) {
		ctx.log(`store: ${n / 1000}k samples in one run (linear growth)`);
		const r = await worker('store-write', ['--n', n, '--dir', path.join(workRoot, `grow-${n}`)]);
		// The biggest one stays: the history store of the rows below.
		if (n !== sizes.at(-1)) rmSync(path.join(workRoot, `grow-${n}`), { recursive: true, force: true });
		growth.push({ n, ms: per100k(r.totalMs, n), rss: r.maxRssMb, close: r.closeMs });
	}
	const first = base ? { n: N, ms: ctx.series(base, '').median } : growth.shift();
	for (const g of growth) {
		rows.push(
			ctx.row({
				group,
				name: `persistence time per 100k samples at ${g.n / 1000}k / at ${first.n / 1000}k (linear growth)`,
				figure: ctx.series([g.ms], 'ms'),
				baseline: ctx.series([first.ms], 'ms'),
				baselineLabel: `at ${first.n / 1000}k`,
				ratio: ctx.series([g.ms / first.ms], ''),
				goal: { op: '<=', value: 1.5, text: '≤ 1.5× (linear)' },
				note: `one run; record + final checkpoint; checkpoint ${Math.round(g.close)} ms; writer process peak RSS ${Math.round(g.rss)} MB`,
			}),
		);
	}
	if (existsSync(cli)) rows.push(...(await historyRows(ctx, group, db, path.join(workRoot, `grow-${sizes.at(-1)}`, 'store'), sizes.at(-1))));
	return rows;
}

const eightSamples = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
export const evalEight = foreach('text,expected', Array.from({ length: 8 }, (_, i) => ['t' + i, 'a']))(({ text, expected }) => new Result(exactMatch('a', expected), { prompt: text }));
`;

/**
 * Issue 9's rows: what a command costs when the store holds a large history. Whole processes of the
 * built CLI, measured side by side: a run into the history store / into an empty one, `list` on it /
 * `--version`, `show` of the 100k experiment's headline / of a 10-sample one in the same store.
 */
async function historyRows(ctx, group, store100k, history, historySize) {
	const rows = [];
	const project = path.join(workRoot, 'eight');
	mkdirSync(project, { recursive: true });
	writeFileSync(path.join(project, 'package.json'), '{"type":"module"}');
	writeFileSync(path.join(project, 'eval_eight.ts'), eightSamples);
	const h = `${historySize / 1000}k`;
	let round = 0;
	const doteval = async (args) => {
		const r = await measureProcess(process.execPath, [cli, ...args], { cwd: project });
		if (r.code !== 0) throw new Error(`doteval ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-800)}`);
		return { ...r, value: r.wallMs };
	};
	ctx.log(`store: 8-sample run into a store of ${h} samples / into an empty store`);
	const runs = await alternate(
		[
			{ name: 'history', run: () => doteval(['run', 'eval_eight.ts', '--experiment', `h${round++}`, '--storage', history]) },
			{
				name: 'empty',
				run: () => {
					const empty = path.join(workRoot, 'empty-store');
					rmSync(empty, { recursive: true, force: true });
					return doteval(['run', 'eval_eight.ts', '--experiment', 'e', '--storage', empty]);
				},
			},
		],
		{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
	);
	const rss = (r) => r.extras.map((e) => e.peakRssMb);
	rows.push(
		ctx.row({
			group,
			name: `8-sample \`doteval run\` into a store holding ${h} samples / into an empty store — wall`,
			figure: ctx.series(runs.history.values, 'ms'),
			baseline: ctx.series(runs.empty.values, 'ms'),
			baselineLabel: 'empty store',
			ratio: ctx.paired(runs.history.values, runs.empty.values),
			goal: { op: '<=', value: 1.15, text: '≤ 1.15×' },
			otherCores: runs.otherCores,
			note: historySize < 1_000_000 ? `quick: ${h} of history (the goal is stated at 1M)` : 'whole process',
		}),
	);
	rows.push(
		ctx.row({
			group,
			name: `8-sample \`doteval run\` into a store holding ${h} samples / into an empty store — peak RSS`,
			figure: ctx.series(rss(runs.history), 'MB'),
			baseline: ctx.series(rss(runs.empty), 'MB'),
			baselineLabel: 'empty store',
			ratio: ctx.paired(rss(runs.history), rss(runs.empty)),
			goal: { op: '<=', value: 1.2, text: '≤ 1.2×' },
			otherCores: runs.otherCores,
			note: 'peak RSS of the CLI process',
		}),
	);

	ctx.log(`store: doteval list on a store of ${h} samples / doteval --version`);
	const list = await alternate(
		[
			{ name: 'list', run: () => doteval(['list', '--storage', history]) },
			{ name: 'version', run: () => doteval(['--version']) },
		],
		{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
	);
	rows.push(
		ctx.row({
			group,
			name: `\`doteval list\` on a store holding ${h} samples / \`doteval --version\`, whole process`,
			figure: ctx.series(list.list.values, 'ms'),
			baseline: ctx.series(list.version.values, 'ms'),
			baselineLabel: 'doteval --version',
			ratio: ctx.paired(list.list.values, list.version.values),
			goal: { op: '<=', value: 1.5, text: '≤ 1.5×' },
			otherCores: list.otherCores,
			note: `peak RSS ${ctx.fmtSeries(rss(list.list), 'MB')}`,
		}),
	);

	ctx.log(`store: results panel first page of the ${h}-sample evaluation (store read)`);
	const pages = [];
	for (let i = 0; i < ctx.rounds; i++) pages.push(await worker('first-page', ['--db', history]));
	if (pages.some((p) => p.total !== historySize || p.shown !== 200)) throw new Error(`first-page read ${pages[0].total} samples, showed ${pages[0].shown}`);
	rows.push(
		ctx.row({
			group,
			name: `results panel: first page (100 samples) of a ${h}-sample evaluation — store read (open + headline + page)`,
			figure: ctx.series(
				pages.map((p) => p.firstMs),
				'ms',
			),
			goal: { op: '<=', value: 1000, on: 'figure', text: '≤ 1 s' },
			note: `${historySize < 1_000_000 ? `quick: ${h} (the goal is stated at 1M); ` : ''}a page in the middle ${ctx.fmtSeries(
				pages.map((p) => p.middleMs),
				'ms',
			)}; reader peak RSS ${ctx.fmtSeries(
				pages.map((p) => p.maxRssMb),
				'MB',
			)}; the editor's figure is in the e2e log`,
		}),
	);

	if (existsSync(serverJs)) {
		// The baseline: the same eval with one 10-sample result (the same lens and hover, no history).
		const small = path.join(workRoot, 'lsp-small-store');
		rmSync(small, { recursive: true, force: true });
		await worker('add-experiment', ['--n', 10, '--db', small, '--name', EXPERIMENT]);
		ctx.log(`store: language server over LSP, the ${h}-sample store / a store of one 10-sample result`);
		const lspRun = (name, db) => async () => {
			const r = await worker('lsp-history', ['--db', db, '--dir', path.join(workRoot, `lsp-${name}`)]);
			return { ...r, value: r.rssMb };
		};
		const lsp = await alternate(
			[
				{ name: 'history', run: lspRun('history', history) },
				{ name: 'small', run: lspRun('small', small) },
			],
			{ rounds: ctx.quick ? 2 : 3, log: ctx.log, maxOtherCores: 0.6 },
		);
		const of = (r, key) => r.extras.map((e) => e[key]);
		rows.push(
			ctx.row({
				group,
				name: `language server RSS with a ${h}-sample store open / with a store of one 10-sample result (lens and hover shown)`,
				figure: ctx.series(lsp.history.values, 'MB'),
				baseline: ctx.series(lsp.small.values, 'MB'),
				baselineLabel: '10-sample store',
				ratio: ctx.paired(lsp.history.values, lsp.small.values),
				goal: { op: '<=', value: 1.3, text: '≤ 1.3×' },
				otherCores: lsp.otherCores,
				note:
					`dist/server.js --stdio over vscode-jsonrpc, after 50 edits + lenses + hovers; peak RSS ${ctx.fmtSeries(of(lsp.history, 'peakRssMb'), 'MB')} / ${ctx.fmtSeries(of(lsp.small, 'peakRssMb'), 'MB')}; ` +
					`spawn → lens with the stored result ${ctx.fmtSeries(of(lsp.history, 'resultMs'), 'ms')} / ${ctx.fmtSeries(of(lsp.small, 'resultMs'), 'ms')}`,
			}),
		);
		for (const [key, what] of [
			['hoverP95', 'hover on the eval'],
			['lensP95', 'CodeLens after an edit'],
		]) {
			rows.push(
				ctx.row({
					group,
					name: `language server with a ${h}-sample store: ${what}, p95 of 50, over LSP`,
					figure: ctx.series(of(lsp.history, key), 'ms'),
					baseline: ctx.series(of(lsp.small, key), 'ms'),
					baselineLabel: '10-sample store',
					ratio: ctx.paired(of(lsp.history, key), of(lsp.small, key)),
					goal: { op: '<=', value: 50, on: 'figure', text: '≤ 50 ms p95' },
					otherCores: lsp.otherCores,
					note: "the lens and hover show the store's last result of the eval (from the catalog's summary)",
				}),
			);
		}
	} else {
		rows.push(ctx.notMeasured(group, 'language server RSS with the history store open', 'dist/server.js not built', '≤ 1.3×'));
	}

	await worker('add-experiment', ['--n', 10, '--db', store100k, '--name', 'ten']);
	ctx.log('store: doteval show (headline) of a 100k-sample experiment / of a 10-sample one');
	const show = await alternate(
		[
			{ name: 'big', run: () => doteval(['show', EXPERIMENT, '--storage', store100k]) },
			{ name: 'small', run: () => doteval(['show', 'ten', '--storage', store100k]) },
		],
		{ rounds: ctx.rounds, log: ctx.log, maxOtherCores: 0.6 },
	);
	rows.push(
		ctx.row({
			group,
			name: '`doteval show` (headline) of a 100k-sample experiment / of a 10-sample one in the same store',
			figure: ctx.series(show.big.values, 'ms'),
			baseline: ctx.series(show.small.values, 'ms'),
			baselineLabel: '10-sample experiment',
			ratio: ctx.paired(show.big.values, show.small.values),
			goal: { op: '<=', value: 1.5, text: '≤ 1.5×' },
			otherCores: show.otherCores,
			note: `peak RSS ${ctx.fmtSeries(rss(show.big), 'MB')} / ${ctx.fmtSeries(rss(show.small), 'MB')}`,
		}),
	);
	return rows;
}
