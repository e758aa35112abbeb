/**
 * The file being edited is answered first: while the server indexes a large workspace, a lens
 * request for an open document is answered before the index (and so the eval list) is complete.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { evalFileText, writeCorpus } from './corpus';
import { ensureServerBuilt, LspClient } from './lspClient';

const ws = mkdtempSync(path.join(tmpdir(), 'doteval-lsp-big-'));
let client: LspClient | undefined;

after(() => {
	client?.proc.kill();
	rmSync(ws, { recursive: true, force: true });
});

test('a lens for the open document comes back before the workspace index is done', async () => {
	ensureServerBuilt();
	const files = writeCorpus(ws, 600);
	client = LspClient.start();
	await client.request('initialize', { processId: process.pid, workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'big' }], capabilities: {} });
	await client.notify('initialized', {});
	const order: string[] = [];
	const listing = client.request('doteval/listEvals', {}).then((list: any[]) => {
		order.push('listEvals');
		return list;
	});
	const uri = pathToFileURL(files[0]!).href;
	await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: evalFileText(0) } });
	const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
	order.push('codeLens');
	assert.equal(lenses.length, 6, 'two evals, three lenses each');
	const list = await listing;
	assert.equal(list.length, 600);
	assert.deepEqual(order, ['codeLens', 'listEvals']);
	assert.equal(await client.stop(), 0);
});
