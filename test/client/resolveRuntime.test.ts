import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveRuntime, RuntimeNotFoundError } from '../../client/src/runner/resolveRuntime';

/** A real folder layout on disk, resolved with Node's own resolution. */
function layout(files: Record<string, string>): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doteval-resolve-'));
	for (const [rel, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
		fs.writeFileSync(path.join(root, rel), text);
	}
	return root;
}

const runtimePkg = JSON.stringify({ name: 'doteval', version: '9.9.9', bin: { doteval: './dist/cli.js' }, exports: { './package.json': './package.json' } });

test('the workspace copy the eval file would import wins over the bundled one', (t) => {
	const root = layout({
		'node_modules/doteval/package.json': runtimePkg,
		'node_modules/doteval/dist/cli.js': '',
		'evals/deep/x.eval.ts': '',
		'bundled/cli.js': '',
	});
	t.after(() => fs.rmSync(root, { recursive: true }));
	const resolved = resolveRuntime({
		target: path.join(root, 'evals/deep/x.eval.ts'),
		runtimePath: '',
		baseDir: root,
		bundledCli: path.join(root, 'bundled/cli.js'),
		bundledVersion: '0.1.0',
	});
	assert.deepEqual(resolved, { cli: path.join(root, 'node_modules/doteval/dist/cli.js'), source: 'workspace', version: '9.9.9', env: {} });
});

test('without a workspace copy the bundled CLI is used', (t) => {
	const root = layout({ 'x.eval.ts': '', 'bundled/cli.js': '' });
	t.after(() => fs.rmSync(root, { recursive: true }));
	const resolved = resolveRuntime({
		target: path.join(root, 'x.eval.ts'),
		runtimePath: '',
		baseDir: root,
		bundledCli: path.join(root, 'bundled/cli.js'),
		bundledVersion: '0.1.0',
	});
	assert.deepEqual(resolved, {
		cli: path.join(root, 'bundled/cli.js'),
		source: 'bundled',
		version: '0.1.0',
		env: { DOTEVAL_SQL_WASM: path.join(root, 'sql-wasm.wasm') },
	});
});

test('the runtimePath setting accepts a package folder or a script, relative to the workspace', (t) => {
	const root = layout({ 'vendor/dt/package.json': runtimePkg, 'vendor/dt/dist/cli.js': '', 'tools/cli.mjs': '' });
	t.after(() => fs.rmSync(root, { recursive: true }));
	const base = { target: path.join(root, 'x.ts'), baseDir: root, bundledCli: '/none', bundledVersion: null };
	assert.deepEqual(resolveRuntime({ ...base, runtimePath: 'vendor/dt' }), {
		cli: path.join(root, 'vendor/dt/dist/cli.js'),
		source: 'setting',
		version: '9.9.9',
		env: {},
	});
	assert.deepEqual(resolveRuntime({ ...base, runtimePath: 'tools/cli.mjs' }), {
		cli: path.join(root, 'tools/cli.mjs'),
		source: 'setting',
		version: null,
		env: {},
	});
	assert.throws(() => resolveRuntime({ ...base, runtimePath: 'missing' }), RuntimeNotFoundError);
});

test('nothing found at all names the fix', (t) => {
	const root = layout({ 'x.eval.ts': '' });
	t.after(() => fs.rmSync(root, { recursive: true }));
	assert.throws(
		() =>
			resolveRuntime({ target: path.join(root, 'x.eval.ts'), runtimePath: '', baseDir: root, bundledCli: path.join(root, 'nope.js'), bundledVersion: null }),
		/npm install doteval/,
	);
});

test('in this repository the examples resolve to the runtime workspace package', () => {
	const repo = path.resolve(import.meta.dirname, '../..');
	const resolved = resolveRuntime(
		{ target: path.join(repo, 'examples', 'x.ts'), runtimePath: '', baseDir: repo, bundledCli: '/none', bundledVersion: null },
		{
			exists: () => true,
			readJson: (p) => JSON.parse(fs.readFileSync(p, 'utf8')),
			resolve: (request, fromDir) => require.resolve(request, { paths: [fromDir] }),
		},
	);
	assert.equal(resolved.source, 'workspace');
	assert.equal(resolved.cli, path.join(repo, 'runtime', 'bin', 'doteval.js'));
});
