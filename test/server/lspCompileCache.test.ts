/**
 * The compiler's code cache: given a folder in `initialize` (the extension's global storage), the
 * server writes V8's compiled TypeScript there, and the next server starts from it with the same
 * answers. Without a folder nothing is written anywhere.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt, LspClient } from './lspClient';

const ws = mkdtempSync(path.join(tmpdir(), 'doteval-lsp-cache-'));
const cacheDir = path.join(ws, 'storage'); // does not exist yet: the server makes it
const file = path.join(ws, 'first.eval.ts');
const source = `import { foreach } from 'doteval';\nexport const evalFirst = foreach('q', [1])(async ({ q }) => q);\n`;

after(() => rmSync(ws, { recursive: true, force: true }));

async function lensTitles(initializationOptions: object): Promise<string[]> {
	const client = LspClient.start();
	try {
		await client.request('initialize', {
			processId: process.pid,
			workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
			initializationOptions,
			capabilities: {},
		});
		await client.notify('initialized', {});
		const uri = pathToFileURL(file).href;
		await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: source } });
		const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
		return lenses.map((l: any) => l.command.title);
	} finally {
		await client.stop();
	}
}

test('the first server writes the code cache at the latest on shutdown; the next one answers alike from it', async () => {
	ensureServerBuilt();
	writeFileSync(path.join(ws, 'package.json'), '{ "name": "cache" }');
	writeFileSync(file, source);
	const expected = ['▶ Run', 'Debug', 'Run 10 samples'];
	assert.deepEqual(await lensTitles({ compileCacheDir: cacheDir }), expected);
	const written = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
	assert.equal(written.filter((f) => f.endsWith('.v8cache')).length, 1, `cache folder holds: ${written.join(', ')}`);
	assert.deepEqual(await lensTitles({ compileCacheDir: cacheDir }), expected);
	assert.deepEqual(readdirSync(cacheDir), written, 'a start from the cache writes nothing new');
});

test('a relative or missing cache folder is ignored (nothing written in the working folder)', async () => {
	assert.deepEqual(await lensTitles({ compileCacheDir: 'relative/storage' }), ['▶ Run', 'Debug', 'Run 10 samples']);
	assert.ok(!existsSync(path.join(process.cwd(), 'relative')));
});
