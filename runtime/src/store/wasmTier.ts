/**
 * Which V8 tier compiles SQLite's wasm. V8 optimizes hot wasm functions on background threads, and a
 * process cannot exit until they finish: 100–200 ms after the last line of a short command (seen with
 * strace: the main thread joins the platform's worker threads). For a small store the baseline
 * compiler is fast enough, so a short-lived process (the CLI) that opens one skips the optimizing tier;
 * a large store (`show` on 100k samples) keeps it, where it pays for itself. Long-lived processes (the
 * language server, the extension) never call preferFastExit and keep the default.
 */
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const optimizeAboveBytes = 8 * 1024 * 1024;
let shortLived = false;

export function preferFastExit(): void {
	shortLived = true;
}

/**
 * Called once, before sql.js compiles its wasm, with the store file about to be opened. Returns the
 * function that restores the default once sql.js is compiled, so wasm that evals load keeps it.
 */
export function chooseWasmTier(forFile: string | undefined): () => void {
	const restore = () => {};
	if (!shortLived) return restore;
	let size = 0;
	try {
		size = forFile ? statSync(forFile).size : 0;
	} catch {
		// no store yet: small
	}
	if (size >= optimizeAboveBytes) return restore;
	setFlagsFromString('--liftoff-only');
	return () => setFlagsFromString('--no-liftoff-only');
}
