/**
 * The language server through a real LSP connection: a JSON-RPC client talking to
 * `node dist/server.js --stdio` over a temporary workspace with a store that has results.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../../runtime/src/store/index';
import { ensureServerBuilt, LspClient } from './lspClient';

const ws = mkdtempSync(path.join(tmpdir(), 'doteval-lsp-'));
const evalFile = path.join(ws, 'evals', 'sentiment.eval.ts');
const otherFile = path.join(ws, 'evals', 'eval_other.ts');
const uri = pathToFileURL(evalFile).href;
const storePath = path.join(ws, '.doteval');

const sentimentSource = `import { foreach, ForEach, Result } from 'doteval';
import { SlidingWindow } from 'doteval/concurrency';

const sentimentData = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
	['It was an okay film', 'neutral', 'extra'],
];

export const evalSentiment = foreach('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {
	return new Result();
});

export const evalTypo = foreach('text,expected', sentimentData)(async ({ text, expectd }) => new Result());

const fc = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 0 }) });
export const evalSync = fc('text', ['a'])(({ text }) => new Result());

const clash = foreach('text', [])(async function evalTypo({ text }) { return new Result(); });
`;

async function recordRun(experiment: string, passedOf8: number): Promise<void> {
	const store = await openStore(storePath);
	const run = await store.beginEvaluation({
		experiment,
		evalId: 'evals/sentiment.eval.ts::evalSentiment',
		name: 'evalSentiment',
		file: evalFile,
		strategy: { name: 'SlidingWindow', maxConcurrency: 10 },
		gitCommit: null,
		runtimeVersion: 'test',
		datasetFingerprint: null,
		total: 8,
	});
	for (let index = 0; index < 8; index++) {
		const passed = index < passedOf8;
		run.recordSample({
			index,
			row: { text: `t${index}`, expected: 'positive' },
			prompt: `t${index}`,
			modelResponse: passed ? 'positive' : 'negative',
			scores: [{ name: 'exactMatch', value: passed, metrics: ['accuracy'], passed }],
			error: null,
			passed,
			attempts: 1,
			timing: { queuedAt: 1000, startedAt: 1000 + index, finishedAt: 1250 + index, queueMs: 0, backoffMs: 0, latencyMs: 250 },
		});
	}
	await run.finish('completed', { wallMs: 2010, maxInFlight: 8 });
	await store.close();
}

let client: LspClient;

before(async () => {
	ensureServerBuilt();
	mkdirSync(path.join(ws, 'evals'), { recursive: true });
	mkdirSync(path.join(ws, 'node_modules', 'pkg'), { recursive: true });
	writeFileSync(path.join(ws, 'package.json'), '{ "name": "lsp-test" }');
	writeFileSync(path.join(ws, 'doteval.fixtures.ts'), `import { fixture } from 'doteval';\nfixture('asyncModel', async () => ({}));\n`);
	writeFileSync(evalFile, sentimentSource);
	writeFileSync(otherFile, `import { foreach } from 'doteval';\nexport const evalOther = foreach('q', [1, 2])(async ({ q }) => q);\n`);
	writeFileSync(
		path.join(ws, 'node_modules', 'pkg', 'x.eval.ts'),
		`import { foreach } from 'doteval';\nexport const evalHidden = foreach('q', [])(async ({ q }) => q);\n`,
	);
	await recordRun('concurrent_test', 7);
	client = LspClient.start();
	await client.request('initialize', {
		processId: process.pid,
		rootUri: pathToFileURL(ws).href,
		workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
		capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: true } } },
	});
	await client.notify('initialized', {});
});

after(() => {
	client?.proc.kill();
	rmSync(ws, { recursive: true, force: true });
});

test('lists the workspace evals (default globs, node_modules skipped)', async () => {
	const files = await client.request('doteval/listEvals', {});
	assert.deepEqual(
		files.map((f: any) => [path.relative(ws, f.file), f.evals.map((e: any) => e.id)]),
		[
			['evals/eval_other.ts', ['evals/eval_other.ts::evalOther']],
			[
				'evals/sentiment.eval.ts',
				[
					'evals/sentiment.eval.ts::evalSentiment',
					'evals/sentiment.eval.ts::evalTypo',
					'evals/sentiment.eval.ts::evalSync',
					'evals/sentiment.eval.ts::evalTypo',
				],
			],
		],
	);
	assert.ok(client.serverRequests.includes('client/registerCapability'), 'file watchers are registered with the client');
});

test('open a document: diagnostics', async () => {
	const from = client.notifications.length;
	await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: sentimentSource } });
	const { diagnostics } = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, from);
	const summary = diagnostics.map((d: any) => `${d.range.start.line + 1}:${d.code}:${d.severity}`).sort();
	assert.deepEqual(
		summary,
		['14:duplicate-id:1', '14:unknown-name:2', '16:max-concurrency:1', '17:sync-sliding-window:2', '19:duplicate-id:1', '7:row-arity:1'].sort(),
	);
	const unknown = diagnostics.find((d: any) => d.code === 'unknown-name');
	assert.match(unknown.message, /"expectd" is neither a column of this eval \(text, expected\) nor a known fixture/);
	assert.ok(!diagnostics.some((d: any) => d.message.includes('"asyncModel"')), 'asyncModel is a fixture from doteval.fixtures.ts');
});

test('CodeLens: run, debug, run 10 samples at once, then the last result from the store after a refresh', async () => {
	const refreshes = () => client.serverRequests.filter((m) => m === 'workspace/codeLens/refresh').length;
	const before = refreshes();
	// The first answer does not wait for the store to be read (it is not open yet: no hover or lens asked).
	const first = await client.request('textDocument/codeLens', { textDocument: { uri } });
	assert.deepEqual(
		first.filter((l: any) => l.range.start.line === 9).map((l: any) => l.command.title),
		['▶ Run', 'Debug', 'Run 10 samples'],
	);
	// The read it started ends with a codeLens/refresh; the editor's next request has the result.
	for (let i = 0; i < 150 && refreshes() === before; i++) await new Promise((r) => setTimeout(r, 100));
	assert.ok(refreshes() > before, 'the server asks for a lens refresh once the store is read');
	// Another refresh (the workspace scan ending) may come first: ask again, as the editor would on the next one.
	let lenses: any[] = [];
	let onSentiment: string[] = [];
	for (let i = 0; i < 150; i++) {
		lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
		onSentiment = lenses.filter((l: any) => l.range.start.line === 9).map((l: any) => l.command.title);
		if (onSentiment.length > 3) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.deepEqual(onSentiment, ['▶ Run', 'Debug', 'Run 10 samples', '✗ 7/8 · 87.5 % · 2.01 s · concurrent_test']);
	const run = lenses.find((l: any) => l.command.title === 'Run 10 samples');
	assert.deepEqual(run.command, {
		title: 'Run 10 samples',
		command: 'doteval.runSamples',
		arguments: [{ evalId: 'evals/sentiment.eval.ts::evalSentiment', file: evalFile, samples: 10 }],
	});
	assert.equal(lenses.filter((l: any) => l.command.command === 'doteval.openResults').length, 1, 'only evalSentiment has results');
});

test('hover on an eval: its results per experiment', async () => {
	const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 16 } });
	const md: string = hover.contents.value;
	assert.match(md, /\*\*evalSentiment\*\* · `evals\/sentiment.eval.ts::evalSentiment`/);
	assert.match(md, /\| concurrent_test \| ✗ completed, 7\/8 passed \| exactMatch.accuracy 87.5 %/);
	assert.match(md, /\| 2.01 s \|/);
	const nothing = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 0 } });
	assert.equal(nothing, null);
});

test('document and workspace symbols', async () => {
	const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
	assert.deepEqual(
		symbols.map((s: any) => s.name),
		['evalSentiment', 'evalTypo', 'evalSync', 'evalTypo'],
	);
	const found = await client.request('workspace/symbol', { query: 'other' });
	assert.deepEqual(
		found.map((s: any) => s.name),
		['evalOther'],
	);
});

test('edit the document: evalsChanged, new diagnostics and lenses', async () => {
	const from = client.notifications.length;
	const fixed =
		sentimentSource.replace('expectd', 'expected').replace("'neutral', 'extra'", "'neutral'") +
		`export const evalNew = foreach('q', [1])(async ({ q }) => q);\n`;
	await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
	const changed = await client.waitFor('doteval/evalsChanged', (p) => p.uri === uri, from);
	assert.deepEqual(
		changed.evals.map((e: any) => e.name),
		['evalSentiment', 'evalTypo', 'evalSync', 'evalTypo', 'evalNew'],
	);
	// The last publish for the document after the edit is what the editor shows (a store reload may
	// publish in between, so wait for the publish of the edited text rather than the first one).
	const expectedCodes = ['duplicate-id', 'duplicate-id', 'max-concurrency', 'sync-sliding-window'];
	const codesOf = (p: any) => p.diagnostics.map((d: any) => d.code).sort();
	const published = await client
		.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && JSON.stringify(codesOf(p)) === JSON.stringify(expectedCodes), from)
		.catch(
			() =>
				client.notifications
					.slice(from)
					.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri)
					.at(-1)?.params,
		);
	assert.deepEqual(published && codesOf(published), expectedCodes);
	const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
	assert.ok(lenses.some((l: any) => l.command.arguments[0].evalId === 'evals/sentiment.eval.ts::evalNew'));
	for (let i = 0; i < 50 && !client.serverRequests.includes('workspace/codeLens/refresh'); i++) await new Promise((r) => setTimeout(r, 100));
	assert.ok(client.serverRequests.includes('workspace/codeLens/refresh'));
	// An edit inside a function body leaves the evals as they are: no notification.
	const quiet = client.notifications.length;
	await client.notify('textDocument/didChange', {
		textDocument: { uri, version: 3 },
		contentChanges: [{ text: fixed.replace('return new Result();', 'return new Result(); // ok') }],
	});
	await client.request('textDocument/codeLens', { textDocument: { uri } });
	assert.equal(client.notifications.slice(quiet).filter((n) => n.method === 'doteval/evalsChanged').length, 0);
});

test('a file created on disk: didChangeWatchedFiles → evalsChanged', async () => {
	const from = client.notifications.length;
	const created = path.join(ws, 'evals', 'created.eval.mts');
	writeFileSync(created, `import * as dt from 'doteval';\nexport default dt.foreach('q', [])(async ({ q }) => q);\n`);
	await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(created).href, type: 1 }] });
	const changed = await client.waitFor('doteval/evalsChanged', (p) => p.file === created, from);
	assert.deepEqual(
		changed.evals.map((e: any) => e.id),
		['evals/created.eval.mts::default'],
	);
	rmSync(created);
	await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(created).href, type: 3 }] });
	const removed = await client.waitFor('doteval/evalsChanged', (p) => p.file === created && p.evals.length === 0, from);
	assert.deepEqual(removed.evals, []);
});

test("the store changes while the server runs: hovers and lenses follow the client's storeChanged", async () => {
	await recordRun('second_try', 8);
	const refreshes = () => client.serverRequests.filter((m) => m === 'workspace/codeLens/refresh').length;
	const before = refreshes();
	// The extension is the one that watches stores (file and run events); the server reloads when told.
	await client.notify('doteval/storeChanged', { path: storePath });
	// While the store is read again the lens keeps a result (the previous reader answers): no flicker.
	const during = await client.request('textDocument/codeLens', { textDocument: { uri } });
	assert.ok(
		during.some((l: any) => l.command.command === 'doteval.openResults'),
		'a lens keeps its result while the store reloads',
	);
	// The reload is done without waiting for a request, and ends with a lens refresh.
	for (let i = 0; i < 150 && refreshes() === before; i++) await new Promise((r) => setTimeout(r, 100));
	assert.ok(refreshes() > before, 'the server asks for a lens refresh once the changed store is read');
	const hover = await client.poll(
		() => client.request('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 16 } }),
		(h: any) => h.contents.value.includes('second_try'),
	);
	assert.match(hover.contents.value, /\| second_try \| ✓ completed, 8\/8 passed/);
	const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
	assert.ok(
		lenses.some((l: any) => l.command.title === '✓ 8/8 · 100 % · 2.01 s · second_try'),
		'the lens shows the newest result',
	);
});

test('an unsaved (untitled) document and a file that is not TypeScript at all', async () => {
	const untitled = 'untitled:Untitled-1';
	await client.notify('textDocument/didOpen', {
		textDocument: {
			uri: untitled,
			languageId: 'typescript',
			version: 1,
			text: `import { foreach } from 'doteval';\nexport const evalDraft = foreach('q', [1])(async ({ q }) => q);\n`,
		},
	});
	const lenses = await client.request('textDocument/codeLens', { textDocument: { uri: untitled } });
	assert.deepEqual(
		lenses.map((l: any) => l.command.title),
		['▶ Run', 'Debug', 'Run 10 samples'],
	);
	const listed = await client.request('doteval/listEvals', {});
	assert.ok(
		listed.every((f: any) => f.uri.startsWith('file:')),
		'unsaved documents are not workspace eval files',
	);
	const binary = pathToFileURL(path.join(ws, 'evals', 'blob.eval.js')).href;
	await client.notify('textDocument/didOpen', {
		textDocument: { uri: binary, languageId: 'javascript', version: 1, text: '\u0000\u0001 doteval foreach(((( \uFFFF' },
	});
	assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: binary } }), []);
});

test('shutdown and exit', async () => {
	assert.equal(await client.stop(), 0);
});
