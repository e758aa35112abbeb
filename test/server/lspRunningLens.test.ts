/**
 * The result lens of an evaluation that is running ticks: the server asks the editor for fresh
 * lenses about once a second while one it showed runs (`workspace/codeLens/refresh`), and each answer
 * shows the wall time so far — growing between store writes — then stops asking once it finished.
 * Over a real LSP connection, against a store this test writes to as a run would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../../runtime/src/store/index';
import type { EvaluationWriter, StoreWriter } from '../../runtime/src/store/types';
import { ensureServerBuilt, LspClient } from './lspClient';

const ws = mkdtempSync(path.join(tmpdir(), 'doteval-lsp-tick-'));
const evalFile = path.join(ws, 'eval_tick.ts');
const uri = pathToFileURL(evalFile).href;
const source = `import { foreach, Result } from 'doteval';\nexport const evalTick = foreach('n', [1, 2, 3, 4])(async ({ n }) => new Result());\n`;
let client: LspClient;
let store: StoreWriter;
let writer: EvaluationWriter;

before(async () => {
	ensureServerBuilt();
	mkdirSync(ws, { recursive: true });
	writeFileSync(path.join(ws, 'package.json'), '{ "name": "lsp-tick" }');
	writeFileSync(evalFile, source);
	// A run in progress: begun, one sample stored, not finished (this process is its live writer).
	store = await openStore(path.join(ws, '.doteval'));
	writer = await store.beginEvaluation({
		experiment: 'current',
		evalId: 'eval_tick.ts::evalTick',
		name: 'evalTick',
		file: evalFile,
		strategy: { name: 'Sequential' },
		gitCommit: null,
		runtimeVersion: 'test',
		datasetFingerprint: null,
		total: 4,
	});
	const now = Date.now();
	writer.recordSample({
		index: 0,
		row: { n: 1 },
		prompt: null,
		modelResponse: null,
		scores: [{ name: 'ok', value: true, metrics: ['accuracy'], passed: true }],
		error: null,
		passed: true,
		attempts: 1,
		timing: { queuedAt: now, startedAt: now, finishedAt: now + 5, queueMs: 0, backoffMs: 0, latencyMs: 5 },
	});
	await store.flush();
	client = LspClient.start();
	await client.request('initialize', {
		processId: process.pid,
		rootUri: pathToFileURL(ws).href,
		workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
		capabilities: { workspace: { codeLens: { refreshSupport: true } } },
	});
	await client.notify('initialized', {});
	await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: source } });
});

after(async () => {
	client?.proc.kill();
	await store?.close().catch(() => {});
	rmSync(ws, { recursive: true, force: true });
});

const refreshes = () => client.serverRequests.filter((m) => m === 'workspace/codeLens/refresh').length;
const resultLens = async () =>
	((await client.request('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string } }[]).find(
		(l) => l.command.command === 'doteval.openResults',
	)?.command.title;
/** Seconds in a lens title (`… · 2.01 s · current`, `… · 850 ms · …`, `… · 1 min 5 s · …`). */
function seconds(title: string): number {
	const m = /· (?:(\d+) min )?([\d.]+) (s|ms) ·/.exec(title);
	assert.ok(m, title);
	return Number(m[1] ?? 0) * 60 + Number(m[2]) / (m[3] === 'ms' ? 1000 : 1);
}

async function waitForRefresh(after: number, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (refreshes() <= after) {
		if (Date.now() > deadline) throw new Error(`no codeLens/refresh within ${timeoutMs} ms\n${client.stderr}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

test("while the evaluation runs, the server asks for lenses again and again, and the lens's time grows", async () => {
	// The first answer may come before the store is read: ask until the running result is there.
	const first = await client.poll(resultLens, (t) => !!t && t.startsWith('◌'), 30_000);
	assert.ok(first?.startsWith('◌'), `a running lens, got ${first}`);
	// Two ticks later (each answer that shows a running result asks for the next refresh).
	for (let tick = 0; tick < 2; tick++) {
		const seen = refreshes();
		await waitForRefresh(seen);
		await resultLens();
	}
	const later = (await resultLens())!;
	assert.ok(later.startsWith('◌'), later);
	assert.ok(seconds(later) >= seconds(first!) + 1, `the timer moved on by at least a second: ${first} → ${later}`);
});

test('once the evaluation finished, the lens shows its final time and the ticking stops', async () => {
	await writer.finish('completed', { wallMs: 1234, maxInFlight: 1 });
	await client.notify('doteval/storeChanged', { path: path.join(ws, '.doteval') });
	const done = await client.poll(resultLens, (t) => !!t && !t.startsWith('◌'), 30_000);
	assert.match(done ?? '', /1\.23 s · current$/);
	// At most the one tick already scheduled is still to come; then none.
	await new Promise((r) => setTimeout(r, 1500));
	const settled = refreshes();
	await new Promise((r) => setTimeout(r, 3000));
	assert.equal(refreshes(), settled, 'no refresh asked once nothing shown runs');
});
