/**
 * Loading sql.js and its wasm binary. The wasm file must be found both when the runtime runs from
 * runtime/dist (ESM, sql.js resolvable as a package) and from a CJS bundle in dist/ (the language
 * server / extension), where esbuild.mjs copies `sql-wasm.wasm` next to the bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/** Where to look for sql-wasm.wasm, most specific first. */
export function wasmCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
	const candidates: string[] = [];
	if (env.DOTEVAL_SQL_WASM) candidates.push(env.DOTEVAL_SQL_WASM);
	// A CJS bundle (dist/server.js, dist/extension.js): the wasm is copied next to it.
	if (typeof __filename !== 'undefined') candidates.push(path.join(path.dirname(__filename), 'sql-wasm.wasm'));
	const from = typeof __filename !== 'undefined' ? __filename : moduleUrl();
	if (from) {
		try {
			candidates.push(createRequire(from).resolve('sql.js/dist/sql-wasm.wasm'));
		} catch {
			// sql.js not resolvable from here (bundled without node_modules): rely on the copies above.
		}
	}
	return candidates;
}

function moduleUrl(): string | undefined {
	// In a CJS bundle esbuild turns import.meta into {}, so url is undefined there.
	return (import.meta as { url?: string }).url;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
	if (!loading) {
		const candidates = wasmCandidates();
		const wasm = candidates.find((file) => existsSync(file));
		if (!wasm) {
			return Promise.reject(new Error(`cannot find sql-wasm.wasm (looked in: ${candidates.join(', ')}); set DOTEVAL_SQL_WASM to its path`));
		}
		const binary = readFileSync(wasm);
		loading = initSqlJs({ wasmBinary: binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength) } as Parameters<typeof initSqlJs>[0]);
	}
	return loading;
}
