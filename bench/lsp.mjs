// Language server: cold index of 1,000 generated eval files (server/src/discovery `indexFiles`)
// against a raw `ts.createSourceFile` + walk loop over the same files; re-discovery of one edited
// 150-line file (`discoverEvals`, p95 of 200 edits) against a raw re-parse; CodeLens response time
// over a real LSP connection (the built `dist/server.js --stdio`, vscode-jsonrpc) after each edit, against a
// JSON-RPC round trip to the same server; the first CodeLens of a cold server against a plain
// vscode-languageserver answering the same request. Every measurement runs in a fresh process.
// As a script (`node bench/lsp.mjs --worker MODE …`) it is the worker for one measurement.
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate } from './lib/alternate.mjs';
import { bundleSource, buildDir, findSource } from './lib/build.mjs';
import { cli, serverJs, workDir } from './lib/snapshot.mjs';
import { measureProcess, runJsonScript } from './lib/proc.mjs';
import { median, quantile } from './lib/stats.mjs';
import { evalFileText, writeCorpus } from './lib/corpus.mjs';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const discoveryBundle = path.join(buildDir, 'discovery.cjs');
const corpusDir = workDir('lsp-corpus');
const lensDir = workDir('lsp-codelens');
// Bundled like dist/server.js (one file, its library inlined), so both start alike.
const plainServerSource = path.join(path.dirname(self), 'lib/plainLspServer.mjs');
const plainServer = path.join(buildDir, 'plain-lsp-server.cjs');
const EDITS = 200;

// ---- worker side ---------------------------------------------------------------------------------

/** The raw baseline of docs/design/baselines.md §4 (a): parse, walk, find `foreach(...)` callees with positions. */
function rawDiscover(ts, file, text) {
	const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
	const found = [];
	const visit = (node) => {
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'foreach') {
			found.push(sf.getLineAndCharacterOfPosition(node.getStart(sf)));
		}
		ts.forEachChild(node, visit);
	};
	visit(sf);
	return found;
}

/** An edit as a user makes it: a line typed into the middle of the file (the evals stay). */
const edited = (text, i) => text.replace('// Helpers used by the second eval', `// edit ${i}: a note typed here\n// Helpers used by the second eval`);

const workers = {
	'index-doteval'({ files }) {
		const d = require(discoveryBundle);
		d.loadTypeScript();
		const passes = [];
		let evals = 0;
		for (let p = 0; p < 4; p++) {
			const t0 = performance.now();
			evals = d.indexFiles(files).reduce((n, f) => n + f.evals.length, 0);
			passes.push(performance.now() - t0);
		}
		return { coldMs: passes[0], warmMs: median(passes.slice(1)), evals };
	},
	'index-raw'({ files }) {
		const ts = require('typescript');
		const passes = [];
		let evals = 0;
		for (let p = 0; p < 4; p++) {
			const t0 = performance.now();
			evals = 0;
			for (const file of files) evals += rawDiscover(ts, file, readFileSync(file, 'utf8')).length; // one `foreach(...)` callee per eval
			passes.push(performance.now() - t0);
		}
		return { coldMs: passes[0], warmMs: median(passes.slice(1)), evals };
	},
	'edit-doteval'({ files }) {
		const d = require(discoveryBundle);
		d.indexFiles(files.slice(0, 50)); // a server that has been up for a while
		const text = readFileSync(files[0], 'utf8');
		const times = [];
		for (let i = 0; i < EDITS; i++) {
			const t = edited(text, i);
			const t0 = performance.now();
			d.discoverEvals(files[0], t, corpusDir);
			times.push(performance.now() - t0);
		}
		return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
	},
	'edit-raw'({ files }) {
		const ts = require('typescript');
		for (const f of files.slice(0, 50)) rawDiscover(ts, f, readFileSync(f, 'utf8'));
		const text = readFileSync(files[0], 'utf8');
		const times = [];
		for (let i = 0; i < EDITS; i++) {
			const t = edited(text, i);
			const t0 = performance.now();
			rawDiscover(ts, files[0], t);
			times.push(performance.now() - t0);
		}
		return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
	},
	/**
	 * A cold start as the editor makes it: spawn the server, initialize, open the eval file, ask for
	 * its lenses. `firstMs`: spawn → the first answer with a Run lens; `resultMs` (doteval only):
	 * spawn → an answer with the last result from the store, asked again on each codeLens/refresh.
	 */
	async 'first-lens'({ server, waitForResult }) {
		const rpc = require('vscode-jsonrpc/node');
		const t0 = performance.now();
		const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
		const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
		const uri = pathToFileURL(path.join(lensDir, 'g0000.eval.ts')).href;
		const lensesNow = () => conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
		const hasResult = (lenses) => lenses.some((l) => /^\S+ \d+\/\d+ ·/.test(l.command?.title ?? ''));
		let resultMs;
		let refreshed = () => {};
		conn.onRequest((method) => {
			if (method === 'workspace/codeLens/refresh') refreshed();
			return null;
		});
		conn.onNotification(() => {});
		conn.listen();
		const rootUri = pathToFileURL(lensDir).href;
		await conn.sendRequest('initialize', {
			processId: process.pid,
			rootUri,
			capabilities: { workspace: { codeLens: { refreshSupport: true } } },
			workspaceFolders: [{ uri: rootUri, name: 'bench' }],
		});
		const initializeMs = performance.now() - t0;
		await conn.sendNotification('initialized', {});
		await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: evalFileText(0) } });
		const gotResult = new Promise((resolve) => {
			// A refresh may come while the connection shuts down (the server refreshes again once the
			// compiler has loaded): that request's rejection is expected, not a failure.
			refreshed = () =>
				void lensesNow().then(
					(l) => {
						if (hasResult(l)) resolve((resultMs ??= performance.now() - t0));
					},
					() => {},
				);
		});
		const first = await lensesNow();
		const firstMs = performance.now() - t0;
		if (!first.some((l) => l.command?.title === '▶ Run')) throw new Error(`no Run lens in the first answer: ${JSON.stringify(first)}`);
		if (hasResult(first)) resultMs = firstMs;
		else if (waitForResult) await Promise.race([gotResult, new Promise((r) => setTimeout(r, 30_000))]);
		await conn.sendRequest('shutdown', null);
		await conn.sendNotification('exit', null);
		conn.dispose();
		return { firstMs, initializeMs, resultMs: resultMs ?? null };
	},
	async codelens() {
		const rpc = require('vscode-jsonrpc/node');
		const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
		const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
		conn.onRequest(() => null); // workspace/configuration, client/registerCapability, …
		conn.onNotification(() => {});
		conn.listen();
		const rootUri = pathToFileURL(lensDir).href;
		await conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: 'bench' }] });
		await conn.sendNotification('initialized', {});
		const uri = pathToFileURL(path.join(lensDir, 'g0000.eval.ts')).href;
		const text = evalFileText(0);
		await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
		const first = await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
		const lens = [];
		const trip = [];
		for (let i = 0; i < 100; i++) {
			// The floor: a request the server answers at once (unknown method → MethodNotFound).
			let t0 = performance.now();
			await conn.sendRequest('bench/noSuchMethod', {}).catch(() => {});
			trip.push(performance.now() - t0);
			await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: edited(text, i) }] });
			t0 = performance.now();
			const lenses = await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
			lens.push(performance.now() - t0);
			if (!Array.isArray(lenses) || lenses.length === 0) throw new Error('the server returned no CodeLens for a file with 2 evals');
		}
		await conn.sendRequest('shutdown', null);
		await conn.sendNotification('exit', null);
		conn.dispose();
		return { p50: quantile(lens, 0.5), p95: quantile(lens, 0.95), tripP50: quantile(trip, 0.5), tripP95: quantile(trip, 0.95), lenses: first?.length ?? 0 };
	},
};

if (process.argv[1] === self) {
	const args = process.argv.slice(2);
	// An absent option is undefined (indexOf's -1 would otherwise read args[0]).
	const opt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
	const files = opt('worker') === 'first-lens' ? [] : writeCorpus(corpusDir, Number(opt('n')));
	console.log(JSON.stringify(await workers[opt('worker')]({ files, server: opt('server'), waitForResult: args.includes('--wait-for-result') })));
}

// ---- orchestrator side ---------------------------------------------------------------------------

export async function run(ctx) {
	const group = 'Language server';
	const rows = [];
	const entry = findSource('server/src/discovery/index.ts');
	if (!entry) return [ctx.notMeasured(group, 'discovery', 'server/src/discovery/ not in the tree yet', '≤ 1.2× raw parse')];
	await bundleSource(entry, 'discovery', { format: 'cjs' });
	const n = ctx.quick ? 200 : 1000;
	writeCorpus(corpusDir, n);
	const w = (mode) => async () => {
		const r = await runJsonScript(self, ['--worker', mode, '--n', n]);
		return { ...r, value: r.coldMs ?? r.p95 };
	};

	ctx.log(`lsp: cold index of ${n} files`);
	const idx = await alternate(
		[
			{ name: 'doteval', run: w('index-doteval') },
			{ name: 'raw', run: w('index-raw') },
		],
		{ rounds: ctx.rounds, log: ctx.log },
	);
	const found = idx.doteval.extras[0]?.evals;
	rows.push(
		ctx.row({
			group,
			name: `cold index of ${n} generated 150-line eval files (indexFiles) / raw ts.createSourceFile + walk loop`,
			figure: ctx.series(idx.doteval.values, 'ms'),
			baseline: ctx.series(idx.raw.values, 'ms'),
			baselineLabel: 'raw parse',
			ratio: ctx.paired(idx.doteval.values, idx.raw.values),
			goal: { op: '<=', value: 1.2, text: '≤ 1.2× raw parse' },
			otherCores: idx.otherCores,
			note: `${found} evals found (raw: ${idx.raw.extras[0]?.evals}); warm pass ${ctx.fmtSeries(
				idx.doteval.extras.map((e) => e.warmMs),
				'ms',
			)} vs raw ${ctx.fmtSeries(
				idx.raw.extras.map((e) => e.warmMs),
				'ms',
			)}; TypeScript load excluded from both`,
		}),
	);

	ctx.log(`lsp: re-discovery after an edit (${EDITS} edits per process)`);
	const ed = await alternate(
		[
			{ name: 'doteval', run: w('edit-doteval') },
			{ name: 'raw', run: w('edit-raw') },
		],
		{ rounds: ctx.rounds, log: ctx.log },
	);
	rows.push(
		ctx.row({
			group,
			name: 're-discovery after an edit of a 150-line file (discoverEvals), p95 of 200 edits',
			figure: ctx.series(ed.doteval.values, 'ms'),
			baseline: ctx.series(ed.raw.values, 'ms'),
			baselineLabel: 'raw re-parse p95',
			ratio: ctx.paired(ed.doteval.values, ed.raw.values),
			goal: { op: '<=', value: 5, on: 'figure', text: '≤ 5 ms p95' },
			otherCores: ed.otherCores,
			note: `p50 ${ctx.fmtSeries(
				ed.doteval.extras.map((e) => e.p50),
				'ms',
			)}`,
		}),
	);

	if (existsSync(serverJs)) {
		mkdirSync(lensDir, { recursive: true });
		writeFileSync(path.join(lensDir, 'package.json'), '{ "private": true, "type": "module" }\n');
		writeFileSync(path.join(lensDir, 'g0000.eval.ts'), evalFileText(0));
		// A store with a result for the file's first eval (the CLI of this bench's snapshot runs it).
		const ran = await measureProcess(process.execPath, [cli, 'run', 'g0000.eval.ts::evalExact0'], { cwd: lensDir });
		if (ran.code !== 0) throw new Error(`doteval run in ${lensDir} exited ${ran.code}:\n${ran.stderr.slice(-1500)}`);
		ctx.log('lsp: first CodeLens of a cold server, over a real LSP connection');
		await esbuild.build({
			entryPoints: [plainServerSource],
			outfile: plainServer,
			bundle: true,
			format: 'cjs',
			platform: 'node',
			target: 'node20',
			logLevel: 'error',
		});
		const cold =
			(server, ...extra) =>
			async () => {
				const r = await runJsonScript(self, ['--worker', 'first-lens', '--server', server, ...extra]);
				return { ...r, value: r.firstMs };
			};
		const fl = await alternate(
			[
				{ name: 'doteval', run: cold(serverJs, '--wait-for-result') },
				{ name: 'plain', run: cold(plainServer) },
			],
			{ rounds: ctx.rounds, log: ctx.log },
		);
		const dx = fl.doteval.extras;
		rows.push(
			ctx.row({
				group,
				name: 'first CodeLens of a cold server (spawn → initialize → didOpen → Run lens), over LSP / a plain vscode-languageserver answering the same request',
				figure: ctx.series(fl.doteval.values, 'ms'),
				baseline: ctx.series(fl.plain.values, 'ms'),
				baselineLabel: 'plain LSP server',
				ratio: ctx.paired(fl.doteval.values, fl.plain.values),
				otherCores: fl.otherCores,
				note:
					`initialize answered at ${ctx.fmtSeries(
						dx.map((e) => e.initializeMs),
						'ms',
					)} (plain ${ctx.fmtSeries(
						fl.plain.extras.map((e) => e.initializeMs),
						'ms',
					)}); ` +
					`the lens with the store's last result at ${ctx.fmtSeries(
						dx.map((e) => e.resultMs ?? NaN),
						'ms',
					)} (after a codeLens/refresh); the e2e figure (file visible → lens in code-server) is in the Extension group`,
			}),
		);

		ctx.log('lsp: CodeLens over a real LSP connection');
		const cl = await alternate([{ name: 'lens', run: w('codelens') }], { rounds: ctx.quick ? 1 : 3, log: ctx.log });
		const ex = cl.lens.extras;
		rows.push(
			ctx.row({
				group,
				name: 'CodeLens response after an edit, over LSP (dist/server.js --stdio), p95 of 100',
				figure: ctx.series(
					ex.map((e) => e.p95),
					'ms',
				),
				baseline: ctx.series(
					ex.map((e) => e.tripP95),
					'ms',
				),
				baselineLabel: 'JSON-RPC round trip p95',
				ratio: ctx.paired(
					ex.map((e) => e.p95),
					ex.map((e) => e.tripP95),
				),
				otherCores: cl.otherCores,
				note: `p50 ${ctx.fmtSeries(
					ex.map((e) => e.p50),
					'ms',
				)} (round trip ${ctx.fmtSeries(
					ex.map((e) => e.tripP50),
					'ms',
				)}); ${ex[0]?.lenses} lenses; no goal set by the issue`,
			}),
		);
	} else {
		rows.push(ctx.notMeasured(group, 'CodeLens response over LSP', 'dist/server.js not built'));
	}
	return rows;
}
