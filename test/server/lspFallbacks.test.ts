/**
 * A client without file events and with its own settings: the server polls the disk, applies
 * `doteval.evalGlobs` from the initialization options, and refreshes lenses on storeChanged.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../../runtime/src/store/index';
import { ensureServerBuilt, LspClient } from './lspClient';

const ws = mkdtempSync(path.join(tmpdir(), 'doteval-lsp-poll-'));
let client: LspClient;

const evalSource = (name: string) => `import { foreach } from 'doteval';\nexport const ${name} = foreach('q', [1])(async ({ q }) => q);\n`;

before(async () => {
	ensureServerBuilt();
	mkdirSync(path.join(ws, 'checks'), { recursive: true });
	writeFileSync(path.join(ws, 'package.json'), '{ "name": "poll" }');
	writeFileSync(path.join(ws, 'checks', 'first.check.ts'), evalSource('evalFirst'));
	writeFileSync(path.join(ws, 'checks', 'ignored.eval.ts'), evalSource('evalIgnored'));
	client = LspClient.start();
	await client.request('initialize', {
		processId: process.pid,
		workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
		initializationOptions: { settings: { evalGlobs: ['**/*.check.ts'] } },
		capabilities: { workspace: { codeLens: { refreshSupport: true } } },
	});
	await client.notify('initialized', {});
});

after(() => {
	client?.proc.kill();
	rmSync(ws, { recursive: true, force: true });
});

test('doteval.evalGlobs replaces the default globs', async () => {
	const files = await client.request('doteval/listEvals', {});
	assert.deepEqual(
		files.flatMap((f: any) => f.evals.map((e: any) => e.id)),
		['checks/first.check.ts::evalFirst'],
	);
});

test('without didChangeWatchedFiles the server notices new files on disk by itself', async () => {
	const from = client.notifications.length;
	const created = path.join(ws, 'checks', 'second.check.ts');
	writeFileSync(created, evalSource('evalSecond'));
	const changed = await client.waitFor('doteval/evalsChanged', (p) => p.file === created, from);
	assert.deepEqual(
		changed.evals.map((e: any) => e.id),
		['checks/second.check.ts::evalSecond'],
	);
});

test('a store created after start (first run ever) shows up on the lenses', async () => {
	const file = path.join(ws, 'checks', 'first.check.ts');
	const uri = pathToFileURL(file).href;
	await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: evalSource('evalFirst') } });
	const titles = async () => (await client.request('textDocument/codeLens', { textDocument: { uri } })).map((l: any) => l.command.title);
	assert.deepEqual(await titles(), ['▶ Run', 'Debug', 'Run 10 samples']);
	const store = await openStore(path.join(ws, '.doteval'));
	const run = await store.beginEvaluation({
		experiment: 'first_run',
		evalId: 'checks/first.check.ts::evalFirst',
		name: 'evalFirst',
		file,
		strategy: { name: 'Sequential' },
		gitCommit: null,
		runtimeVersion: 'test',
		datasetFingerprint: null,
		total: 1,
	});
	run.recordSample({
		index: 0,
		row: { q: 1 },
		prompt: null,
		modelResponse: null,
		scores: [{ name: 'exactMatch', value: false, metrics: ['accuracy'], passed: false }],
		error: null,
		passed: false,
		attempts: 1,
		timing: { queuedAt: 0, startedAt: 0, finishedAt: 500, queueMs: 0, backoffMs: 0, latencyMs: 500 },
	});
	await run.finish('completed', { wallMs: 500 });
	await store.close();
	const after = await client.poll(titles, (t) => t.length === 4);
	assert.deepEqual(after, ['▶ Run', 'Debug', 'Run 10 samples', '✗ 0/1 · 0 % · 500 ms · first_run']);
});

test('storeChanged from the client refreshes the lenses', async () => {
	const refreshes = () => client.serverRequests.filter((m) => m === 'workspace/codeLens/refresh').length;
	// Let refreshes from the file created above arrive first (they are coalesced over 50 ms).
	let before = -1;
	while (before !== refreshes()) {
		before = refreshes();
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	await client.notify('doteval/storeChanged', { path: path.join(ws, '.doteval') });
	const lenses = await client.poll(
		async () => refreshes(),
		(n) => n > before,
	);
	assert.ok(lenses > before);
	assert.equal(await client.stop(), 0);
});
