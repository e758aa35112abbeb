/**
 * Loading sql.js and its wasm binary, wherever the store code runs:
 *  - runtime/dist (ESM, sql.js external): sql.js finds the wasm next to itself in node_modules;
 *  - a bundle that inlines sql.js (dist/server.js, dist/extension.js CJS; dist/runtime/chunks ESM with
 *    a __filename banner): esbuild.mjs copies sql-wasm.wasm to dist/, found by walking up from the bundle;
 *  - DOTEVAL_SQL_WASM overrides both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import { StoreError } from './errors.js';
import { chooseWasmTier } from './wasmTier.js';

let loading: Promise<SqlJsStatic> | undefined;

/** A compiled WebAssembly.Module (opaque here; a worker thread can be handed one). */
export type WasmModule = object;
/** The two WebAssembly calls used here: the runtime compiles without the DOM lib, which declares them. */
const wasmApi = (
	globalThis as unknown as {
		WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule>; instantiate(module: WasmModule, imports: object): Promise<object> };
	}
).WebAssembly;
let compiled: WasmModule | undefined;

/** SQLite's compiled wasm module, once loadSqlJs has compiled it (shared with worker threads). */
export function compiledSqlJs(): WasmModule | undefined {
	return compiled;
}

/** In a worker thread: instantiate the module the parent compiled instead of compiling it again. */
export function useCompiledSqlJs(module: WasmModule): void {
	compiled ??= module;
}
/** Where to look for sql-wasm.wasm before falling back to sql.js's own lookup, most specific first. */
export function wasmCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
	const candidates: string[] = [];
	if (env.DOTEVAL_SQL_WASM) candidates.push(path.resolve(env.DOTEVAL_SQL_WASM));
	// No import.meta here: this module is also bundled as CJS, where import.meta is empty.
	if (typeof __filename !== 'undefined') {
		for (let dir = path.dirname(__filename), up = 0; up < 3; up++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'sql-wasm.wasm'));
		try {
			candidates.push(createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm'));
		} catch {
			// sql.js is not installed next to this bundle: rely on the copies above.
		}
	}
	return candidates;
}

export function loadSqlJs(forFile?: string): Promise<SqlJsStatic> {
	if (!loading) {
		const restoreTier = chooseWasmTier(forFile);
		const candidates = wasmCandidates();
		const wasm = candidates.find((file) => existsSync(file));
		if (process.env.DOTEVAL_SQL_WASM && wasm !== candidates[0]) {
			return Promise.reject(new StoreError(`DOTEVAL_SQL_WASM points to ${process.env.DOTEVAL_SQL_WASM}, which does not exist`));
		}
		if (compiled || wasm) {
			// Compiled here rather than by sql.js, so that the checkpoint worker (background.ts) can be
			// handed the compiled module: it instantiates it without compiling SQLite a second time.
			const module = compiled ? Promise.resolve(compiled) : wasmApi.compile(readFileSync(wasm!));
			loading = module.then((m) => {
				compiled = m;
				return initSqlJs({
					instantiateWasm: (imports: object, done: (instance: object) => void) => {
						void wasmApi.instantiate(m, imports).then(done);
						return {};
					},
				} as Parameters<typeof initSqlJs>[0]);
			});
		} else {
			loading = initSqlJs();
		}
		loading = loading.catch((error: unknown) => {
			throw new StoreError(
				`cannot load SQLite's wasm binary (sql-wasm.wasm): ${(error as Error)?.message ?? String(error)}; looked in ${candidates.join(', ') || 'node_modules/sql.js'}; set DOTEVAL_SQL_WASM to its path`,
			);
		});
		// A failed load must not poison every later open in a long-lived process (the language server).
		loading.catch(() => (loading = undefined));
		loading.finally(restoreTier).catch(() => {});
	}
	return loading;
}
