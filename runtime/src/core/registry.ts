/**
 * The registry of evals and fixtures defined in this process. It lives on
 * `globalThis[Symbol.for('doteval.registry')]`, not in module state, so that the CLI's copy of the
 * runtime sees evals registered through the user's copy (an eval file may import a different
 * installation of `doteval` than the one running it), exported or not.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalDefinitionRuntime } from './types.js';
import type { FixtureDefinition } from '../fixtures/types.js';

/** The brand on every eval object: `evalObject[EVAL_BRAND]` is its `EvalDefinitionRuntime`. */
export const EVAL_BRAND: unique symbol = Symbol.for('doteval.eval') as never;
const REGISTRY_KEY = Symbol.for('doteval.registry');

export interface RegistryState {
	evals: EvalDefinitionRuntime[];
	fixtures: FixtureDefinition[];
	/** Set by the loader around each eval/fixtures file import. */
	loadingFile: string | null;
}

export function registryState(): RegistryState {
	const g = globalThis as unknown as Record<symbol, RegistryState | undefined>;
	return (g[REGISTRY_KEY] ??= { evals: [], fixtures: [], loadingFile: null });
}

export function registerEval(def: EvalDefinitionRuntime): void {
	registryState().evals.push(def);
}

/** Every eval registered so far, in definition order. */
export function registeredEvals(): readonly EvalDefinitionRuntime[] {
	return registryState().evals;
}

/** Evals whose definition site is `file` (absolute path). */
export function evalsDefinedIn(file: string): EvalDefinitionRuntime[] {
	const wanted = path.resolve(file);
	return registryState().evals.filter((d) => d.definedAt && path.resolve(d.definedAt.file) === wanted);
}

/** The loader calls this before importing an eval or fixtures file: the fallback definition site. */
export function beginFileLoad(file: string): void {
	registryState().loadingFile = path.resolve(file);
}

/** Ends the file load begun by `beginFileLoad`. */
export function endFileLoad(): void {
	registryState().loadingFile = null;
}

/** Forget every registered eval and fixture (tests; a watch-mode reload). */
export function clearRegistry(): void {
	const state = registryState();
	state.evals.length = 0;
	state.fixtures.length = 0;
	state.loadingFile = null;
}

/** The definition behind an eval object (from any runtime copy), or undefined. */
export function getEvalDefinition(x: unknown): EvalDefinitionRuntime | undefined {
	if ((typeof x !== 'function' && typeof x !== 'object') || x === null) return undefined;
	const def = (x as Record<symbol, unknown>)[EVAL_BRAND];
	return def && typeof def === 'object' ? (def as EvalDefinitionRuntime) : undefined;
}

/** True for what `foreach(...)(fn)` returns (from any copy of the runtime). */
export function isEval(x: unknown): boolean {
	return getEvalDefinition(x) !== undefined;
}

// The runtime package's own folder: stack frames inside it are not the user's definition site. It is
// the nearest ancestor with a package.json (runtime/ from src or dist; node_modules/doteval installed).
const ownRoot = (() => {
	// import.meta.url is empty when a CJS bundle (the language server) includes this module.
	const here = (import.meta as { url?: string }).url;
	if (!here) return null;
	let dir = path.dirname(fileURLToPath(here));
	for (;;) {
		if (existsSync(path.join(dir, 'package.json'))) return dir + path.sep;
		const parent = path.dirname(dir);
		if (parent === dir) return null;
		dir = parent;
	}
})();

const FRAME = /\(?((?:file:\/\/|\/|[A-Za-z]:[\\/])[^()]*?):(\d+):\d+\)?\s*$/;

/**
 * Where the user called into the runtime: the first stack frame outside this package. Falls back to
 * the file being loaded (`beginFileLoad`) when the frame has no usable path (data: URLs, eval). The
 * line is right when the file is loaded with source maps (tsx, or the CLI's esbuild loader).
 */
export function captureDefinitionSite(boundary?: (...args: never[]) => unknown): { file: string; line: number } | null {
	// Frames above `boundary` (the public API function the user called) are the runtime's own; cutting
	// them off by identity works whatever path the runtime was loaded from (symlinks, bundles, source maps).
	const previous = Error.stackTraceLimit;
	Error.stackTraceLimit = 40;
	const holder: { stack?: string } = {};
	Error.captureStackTrace(holder, boundary ?? captureDefinitionSite);
	const stack = holder.stack ?? '';
	Error.stackTraceLimit = previous;
	const loading = registryState().loadingFile;
	for (const line of stack.split('\n').slice(1)) {
		const m = FRAME.exec(line);
		if (!m) {
			if (loading && /\bat\b.*(data:|<anonymous>|\beval\b)/.test(line) && /:(\d+):\d+\)?\s*$/.test(line)) {
				return { file: loading, line: Number(/:(\d+):\d+\)?\s*$/.exec(line)![1]) };
			}
			continue;
		}
		const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
		if (ownRoot && file.startsWith(ownRoot)) continue;
		// Without source maps a loader's compiled copy (".<name>.<suffix>" next to the file) shows up
		// instead of the file itself; name the file being loaded.
		if (loading && file !== loading && path.dirname(file) === path.dirname(loading) && path.basename(file).startsWith(`.${path.basename(loading)}.`)) {
			return { file: loading, line: Number(m[2]) };
		}
		return { file, line: Number(m[2]) };
	}
	return loading ? { file: loading, line: 0 } : null;
}
