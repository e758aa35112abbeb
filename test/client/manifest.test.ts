// The extension manifest (package.json `contributes`) and the code agree: every command a menu or
// the palette shows is declared and registered, every registered command is declared, settings exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../runtime/src/contracts/editorProtocol.js';

const repo = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) return e.name === 'webview' ? [] : sources(full);
		return e.name.endsWith('.ts') ? [fs.readFileSync(full, 'utf8')] : [];
	});
}

const code = sources(path.join(repo, 'client', 'src')).join('\n');
const registered = new Set([
	...[...code.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]),
	...[...code.matchAll(/registerCommand\(\s*Commands\.(\w+)/g)].map((m) => Commands[m[1] as keyof typeof Commands]),
]);
const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));

test('every registered command is declared, and every declared command is registered', () => {
	assert.ok(registered.size >= 15, `found only ${registered.size} registered commands: the scan is broken`);
	assert.deepEqual(
		[...registered].filter((c) => !declared.has(c)),
		[],
	);
	assert.deepEqual(
		[...declared].filter((c) => !registered.has(c)),
		[],
	);
	// The protocol's list is the manifest's list: neither side can add a command the other lacks.
	assert.deepEqual(new Set(Object.values(Commands)), declared);
});

test('menus only name declared commands and existing views', () => {
	const views = new Set(
		Object.values(contributes.views)
			.flat()
			.map((v) => (v as { id: string }).id),
	);
	for (const [menu, items] of Object.entries(contributes.menus) as [string, { command: string; when?: string }[]][]) {
		for (const item of items) {
			assert.ok(declared.has(item.command), `${menu}: ${item.command} is declared`);
			for (const view of item.when?.matchAll(/view == ([\w.]+)/g) ?? []) assert.ok(views.has(view[1]), `${menu}: view ${view[1]} exists`);
		}
	}
	assert.ok(views.has('doteval.history'));
	assert.ok(code.includes("registerTreeDataProvider('doteval.history'"));
});

test('settings the code reads are contributed, with defaults that need no configuration', () => {
	const props = contributes.configuration.properties;
	for (const key of ['evalGlobs', 'storagePath', 'runtimePath']) {
		assert.ok(props[`doteval.${key}`], `doteval.${key} is contributed`);
		assert.ok(code.includes(`'${key}'`), `the code reads ${key}`);
	}
	assert.deepEqual(props['doteval.storagePath'].default, '');
	assert.deepEqual(props['doteval.runtimePath'].default, '');
});

test('the manifest installs into code-server 4.100.3 and declares limited untrusted support', () => {
	assert.equal(manifest.engines.vscode, '^1.100.0');
	assert.equal(manifest.main, './dist/extension.js');
	assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
	assert.ok(fs.existsSync(path.join(repo, contributes.viewsContainers.activitybar[0].icon)));
});
