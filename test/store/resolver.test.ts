/**
 * One store for one setting: the CLI (as a process, with --storage as a user types it and as the
 * extension passes it), the language server's settings and the extension's store access resolve
 * the same folder, including `doteval.storagePath: "results"` (once a file for the CLI and a folder
 * for the lenses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { normalizeSettings, storePathFor } from '../../server/src/settings';
import { storeFolderFor } from '../../client/src/store/storePath';
import { ensureBuilt, runCli } from '../cli/helpers.js';
import { tempDir } from './helpers.js';

ensureBuilt();

test('the CLI, the language server and the extension resolve the same store for the same settings', async (t) => {
	const ws = tempDir(t);
	writeFileSync(path.join(ws, 'package.json'), '{"type":"module"}');
	mkdirSync(path.join(ws, 'evals'));
	const evalFile = path.join(ws, 'evals', 'a.eval.ts');
	writeFileSync(evalFile, '');
	const cases: [string | undefined, string][] = [
		[undefined, path.join(ws, '.doteval')],
		['results', path.join(ws, 'results')],
		['results/', path.join(ws, 'results')],
		['out/mine.db', path.join(ws, 'out', 'mine')],
		['.doteval/doteval.db', path.join(ws, '.doteval')],
		[path.join(ws, 'abs-store'), path.join(ws, 'abs-store')],
	];
	for (const [setting, expected] of cases) {
		const server = storePathFor(normalizeSettings({ storagePath: setting ?? '' }), ws, ws);
		const client = storeFolderFor(evalFile, ws, setting);
		const typed = await runCli(['list', '--json', ...(setting ? ['--storage', setting] : [])], { cwd: ws });
		// What the extension's runner passes: the setting resolved against the workspace folder.
		const passed = await runCli(['list', '--json', ...(setting ? ['--storage', path.resolve(ws, setting)] : [])], { cwd: path.join(ws, 'evals') });
		assert.equal(typed.code, 0, typed.stderr);
		const cli = JSON.parse(typed.stdout).storage as string;
		const cliFromEditor = JSON.parse(passed.stdout).storage as string;
		assert.deepEqual({ setting, server, client, cli, cliFromEditor }, { setting, server: expected, client: expected, cli: expected, cliFromEditor: expected });
	}
});
