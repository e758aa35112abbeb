// One build for the whole repository: the runtime library and CLI (ESM, into runtime/dist so the
// package can be packed and installed on its own), the language server and the extension client
// (CJS bundles for the extension host, into dist/), and the webviews (browser bundles).
// `tsc` only type-checks (npm run typecheck); runtime declarations are emitted for package users.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync, rmSync, chmodSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const skipTypes = process.argv.includes('--no-types') || process.env.DOTEVAL_BUILD_NO_TYPES === '1';
const require = createRequire(import.meta.url);
const present = (entries) => Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

const runtimeEntries = present({
	index: 'runtime/src/index.ts',
	evaluators: 'runtime/src/evaluators/index.ts',
	concurrency: 'runtime/src/concurrency/index.ts',
	datasets: 'runtime/src/datasets/index.ts',
	models: 'runtime/src/models/index.ts',
	events: 'runtime/src/protocol/events.ts',
	runner: 'runtime/src/runner/index.ts',
	cli: 'runtime/src/cli/main.ts',
});

const webviewDir = 'client/src/webview';
const webviewEntries = existsSync(webviewDir)
	? Object.fromEntries(
			readdirSync(webviewDir)
				.filter((f) => f.endsWith('.main.ts'))
				.map((f) => [f.replace('.main.ts', ''), path.join(webviewDir, f)]),
		)
	: {};

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'node20' };

mkdirSync('dist', { recursive: true });

// Outputs are overwritten in place and files of an older build removed afterwards (chunk names carry
// a hash), so that processes already running from the output folder never see it missing.
function removeStale(result, dirs) {
	const outputs = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
	for (const dir of dirs) {
		if (!existsSync(dir)) continue;
		for (const f of readdirSync(dir)) if (/\.js(\.map)?$/.test(f) && !outputs.has(path.resolve(dir, f))) rmSync(path.join(dir, f), { force: true });
	}
}

// CommonJS packages that runtime/dist (where packages stay external) requires instead of importing.
// Imported from ESM, Node lexes a CommonJS file for named exports before it loads it, and compiles it
// apart from the CommonJS loader's cache. Each one is also required only when first used:
//  - sql.js: its 100 KB glue, about 50 ms of CPU measured on `doteval list`, is required at the
//    first initSqlJs() call, so a run into PostgreSQL (or `doteval --version`) never loads it;
//  - pg: at load time it asks whether it runs in a Cloudflare Worker, on Node 20 (no `navigator`)
//    by constructing a `Response`, which loads Node's whole fetch implementation (undici): about
//    60 ms of CPU in every process that opens a PostgreSQL store. While pg loads, a `navigator` like
//    Node 21's own (`userAgent` 'Node.js/…') answers the question instead; it is removed right after,
//    synchronously, so no other code sees it. Where Node has one, nothing is changed.
const requiredPackages = {
	'sql.js': `import { createRequire } from 'node:module';
		export default (...args) => createRequire(import.meta.url)('sql.js')(...args);`,
	pg: `import { createRequire } from 'node:module';
		let pg;
		if ('navigator' in globalThis) pg = createRequire(import.meta.url)('pg');
		else {
			Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js/' + process.version.slice(1) }, configurable: true, writable: true });
			try { pg = createRequire(import.meta.url)('pg'); } finally { delete globalThis.navigator; }
		}
		export default pg;`,
};
const requireCommonJs = {
	name: 'require-commonjs',
	setup(build) {
		const filter = new RegExp(
			`^(${Object.keys(requiredPackages)
				.map((name) => name.replace('.', '\\.'))
				.join('|')})$`,
		);
		build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'require-commonjs' }));
		build.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, (args) => ({ contents: requiredPackages[args.path], loader: 'js' }));
	},
};

const builds = [];
if (Object.keys(runtimeEntries).length) {
	builds.push(
		esbuild
			.build({
				...common,
				sourcemap: true,
				minify: false,
				entryPoints: runtimeEntries,
				outdir: 'runtime/dist',
				format: 'esm',
				platform: 'node',
				splitting: true,
				chunkNames: 'chunks/[name]-[hash]',
				packages: 'external',
				plugins: [requireCommonJs],
				metafile: true,
			})
			.then((result) => removeStale(result, ['runtime/dist', 'runtime/dist/chunks'])),
	);
}
if (existsSync('server/src/server.ts')) {
	// The TypeScript compiler (most of the server's code) is a file of its own, dist/typescript.js, that
	// the server requires on first use: Node starts the server and answers `initialize` without parsing
	// it, and loads it while the editor sends the open document.
	const typescriptApart = {
		name: 'typescript-apart',
		setup(build) {
			build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
		},
	};
	builds.push(
		esbuild.build({
			...common,
			entryPoints: { server: 'server/src/server.ts' },
			outdir: 'dist',
			format: 'cjs',
			platform: 'node',
			mainFields: ['module', 'main'],
			plugins: [typescriptApart],
		}),
	);
	builds.push(
		esbuild.build({
			...common,
			sourcemap: false,
			entryPoints: { typescript: require.resolve('typescript') },
			outdir: 'dist',
			format: 'cjs',
			platform: 'node',
		}),
	);
}
if (existsSync('client/src/extension.ts')) {
	builds.push(
		esbuild.build({
			...common,
			entryPoints: { extension: 'client/src/extension.ts' },
			outdir: 'dist',
			format: 'cjs',
			platform: 'node',
			external: ['vscode'],
			mainFields: ['module', 'main'],
		}),
	);
}
// The runtime bundled with the extension (dist/runtime), the fallback for projects that do not install
// doteval (client/src/runner/resolveRuntime.ts): the same entries with their dependencies inlined, so the
// eval loader's `doteval` fallback finds index.js etc. next to cli.js. The loader compiles eval files with
// esbuild-wasm when no native esbuild resolves (runtime/src/loader/loadEvalFile.ts): it is copied below as
// a package into dist/runtime/node_modules, so one .vsix runs evals on every platform, with no binary.
const bundledRuntime = Object.keys(runtimeEntries).includes('cli') && existsSync('client/src/extension.ts');
if (bundledRuntime) {
	// Same content in dev and --production builds (no minify, no maps), so chunk names are stable and
	// files are overwritten in place; files of an older build are removed afterwards.
	builds.push(
		esbuild
			.build({
				...common,
				sourcemap: false,
				minify: false,
				metafile: true,
				entryPoints: runtimeEntries,
				outdir: 'dist/runtime',
				format: 'esm',
				platform: 'node',
				splitting: true,
				chunkNames: 'chunks/[name]-[hash]',
				// CJS dependencies (sql.js, esbuild's API) use require and __dirname; give the ESM output real ones.
				banner: {
					js:
						"import { createRequire as __dotevalRequire } from 'node:module'; import { fileURLToPath as __dotevalPath } from 'node:url'; " +
						"const require = __dotevalRequire(import.meta.url); const __filename = __dotevalPath(import.meta.url); const __dirname = __dotevalPath(new URL('.', import.meta.url));",
				},
			})
			.then((result) => removeStale(result, ['dist/runtime', 'dist/runtime/chunks'])),
	);
}
if (Object.keys(webviewEntries).length) {
	builds.push(
		esbuild.build({
			...common,
			target: 'es2022',
			entryPoints: webviewEntries,
			outdir: 'dist/webview',
			format: 'iife',
			platform: 'browser',
		}),
	);
}
await Promise.all(builds);

// sql.js loads its wasm next to the bundle that uses it; copy it for the server/extension bundles.
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
if (existsSync('runtime/dist/cli.js')) chmodSync('runtime/dist/cli.js', 0o755);
if (bundledRuntime) {
	// ESM files in the extension (whose package.json has no "type"); name + version for runtimeVersion().
	const { version } = JSON.parse(readFileSync('runtime/package.json', 'utf8'));
	writeFileSync('dist/runtime/package.json', JSON.stringify({ name: 'doteval', version, type: 'module', private: true }) + '\n');
	const wasmPackage = path.dirname(require.resolve('esbuild-wasm/package.json'));
	for (const file of ['package.json', 'lib/main.js', 'bin/esbuild', 'esbuild.wasm', 'wasm_exec.js', 'wasm_exec_node.js', 'LICENSE.md']) {
		const to = path.join('dist/runtime/node_modules/esbuild-wasm', file);
		mkdirSync(path.dirname(to), { recursive: true });
		copyFileSync(path.join(wasmPackage, file), to);
	}
	for (const stale of ['esbuild', 'esbuild.exe']) rmSync(path.join('dist/runtime', stale), { force: true });
}

// The extension's page in the Extensions view is docs/extension.md (written for a VS Code user, not
// the repository's developer README): vsce packs it from dist/README.md as the package's readme, at the
// extension's root, so links into ../media/ become media/.
if (existsSync('docs/extension.md')) {
	writeFileSync('dist/README.md', readFileSync('docs/extension.md', 'utf8').replaceAll('](../media/', '](media/'));
}

if (!skipTypes && existsSync('runtime/src/index.ts')) {
	execFileSync(
		process.execPath,
		[require.resolve('typescript/bin/tsc'), '-p', 'runtime', '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', 'runtime/dist/types'],
		{ stdio: 'inherit' },
	);
}
console.error(
	`built ${Object.keys(runtimeEntries).length} runtime entries, server: ${existsSync('dist/server.js')}, client: ${existsSync('dist/extension.js')}, webviews: ${Object.keys(webviewEntries).length}`,
);
