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

/** One finished 1-sample evaluation of evalFirst in experiment `experiment`, written as the CLI does. */
async function recordResult(experiment: string, passed: boolean, wallMs: number): Promise<void> {
	const file = path.join(ws, 'checks', 'first.check.ts');
	const store = await openStore(path.join(ws, '.doteval'));
	const run = await store.beginEvaluation({
		experiment,
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
		scores: [{ name: 'exactMatch', value: passed, metrics: ['accuracy'], passed }],
		error: null,
		passed,
		attempts: 1,
		timing: { queuedAt: 0, startedAt: 0, finishedAt: wallMs, queueMs: 0, backoffMs: 0, latencyMs: wallMs },
	});
	await run.finish('completed', { wallMs });
	await store.close();
}

const firstUri = pathToFileURL(path.join(ws, 'checks', 'first.check.ts')).href;
const titles = async () => (await client.request('textDocument/codeLens', { textDocument: { uri: firstUri } })).map((l: any) => l.command.title);

test('a store created after start (first run ever) shows up on the lenses', async () => {
	await client.notify('textDocument/didOpen', { textDocument: { uri: firstUri, languageId: 'typescript', version: 1, text: evalSource('evalFirst') } });
	assert.deepEqual(await titles(), ['▶ Run', 'Debug', 'Run 10 samples']);
	await recordResult('first_run', false, 500);
	const after = await client.poll(titles, (t) => t.length === 4);
	assert.deepEqual(after, ['▶ Run', 'Debug', 'Run 10 samples', '✗ 0/1 · 0 % · 500 ms · first_run']);
});

test('storeChanged refreshes the lenses when they change, and only then', async () => {
	const refreshes = () => client.serverRequests.filter((m) => m === 'workspace/codeLens/refresh').length;
	// Let refreshes from the file created above arrive first (they are coalesced over 50 ms).
	let before = -1;
	while (before !== refreshes()) {
		before = refreshes();
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	// Nothing new in the store (the file events that echo a run's end): no refresh, since each one
	// restarts VS Code's lens debounce and so delays the lens that did change.
	await client.notify('doteval/storeChanged', { path: path.join(ws, '.doteval') });
	await new Promise((resolve) => setTimeout(resolve, 1500));
	assert.equal(refreshes(), before, 'a refresh for a store change that changes no lens');
	// A new result: one refresh, and the lens shows it.
	await recordResult('second_run', true, 250);
	await client.notify('doteval/storeChanged', { path: path.join(ws, '.doteval') });
	await client.poll(
		async () => refreshes(),
		(n) => n > before,
	);
	assert.deepEqual(await titles(), ['▶ Run', 'Debug', 'Run 10 samples', '✓ 1/1 · 100 % · 250 ms · second_run']);
	assert.equal(await client.stop(), 0);
});
