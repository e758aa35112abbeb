/**
 * Loads an eval file (TypeScript or JavaScript) as an ES module, with no build step for the user.
 *
 * The file is bundled with esbuild (its local imports inlined, packages left as imports) into a
 * hidden temporary `.mjs` in the SAME folder, then imported. Measured the fastest way to run
 * TypeScript on Node 20 (docs/design/baselines.md §5). The same folder keeps `import.meta.url` and the
 * resolution of bare imports (`doteval`, the user's packages) exactly as for the original file; the
 * inline source map makes stack traces, and the definition site foreach records, point at the .ts.
 *
 * Each eval file is bundled on its own, so a local module imported by two eval files is evaluated
 * once per eval file. State meant to be shared belongs in a `doteval.fixtures.ts` file.
 */
import type { BuildFailure } from 'esbuild';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LoadError } from './loadError.js';
import { dotevalFallbackPlugin, hasInstalledDoteval, ownRuntimeDir } from './dotevalFallback.js';
import { cacheKey, fingerprintAll, readCached, writeCached } from './compileCache.js';
import { removeStaleBundles } from './staleBundles.js';

const require = createRequire(import.meta.url);
/**
 * The compiler package: native `esbuild` where it resolves (an npm install of doteval has it), else
 * `esbuild-wasm`, the same API with no native binary. The runtime bundled with the VS Code extension
 * ships only esbuild-wasm, so one .vsix runs evals on every platform VS Code runs on, with nothing
 * installed in the project.
 */
function esbuildPackage(): string {
	try {
		require.resolve('esbuild');
		return 'esbuild';
	} catch {
		return 'esbuild-wasm';
	}
}
// Loaded on the first compile only: an unchanged eval file comes from the compile cache. require, not
// import: importing this CommonJS package from ESM makes Node scan it for named exports (~20 ms).
let esbuildApi: typeof import('esbuild') | undefined;
const esbuild = () => (esbuildApi ??= require(esbuildPackage()) as typeof import('esbuild'));

let counter = 0;
const liveBundles = new Set<string>();
// A second Ctrl+C exits at once, possibly during an import: never leave a bundle behind.
process.on('exit', () => {
	for (const file of liveBundles) rmSync(file, { force: true });
});

/** The hidden temporary file a bundle of `file` is written to (never matches an eval file name). */
export function bundlePath(file: string): string {
	return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${counter++}.doteval.mjs`);
}

function isBuildFailure(error: unknown): error is BuildFailure {
	return !!error && typeof error === 'object' && Array.isArray((error as BuildFailure).errors);
}

/** What, besides the input files, decides the compiled output (part of the compile cache's key). */
function outputDeterminants(file: string): string[] {
	let esbuildVersion = 'unknown';
	try {
		const pkg = esbuildPackage();
		esbuildVersion = `${pkg}@${(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version}`;
	} catch {
		// an esbuild without a readable package.json: the key still holds everything else
	}
	const doteval = hasInstalledDoteval(path.dirname(file)) ? 'installed' : ownRuntimeDir();
	return ['loader-v2', esbuildVersion, doteval, process.env.DOTEVAL_NO_COMPILE_CACHE ?? ''];
}

/**
 * Compile the file to ESM JavaScript; a syntax error becomes a LoadError naming file:line:column.
 * The output does not depend on `outfile`'s name, only on its folder (the source map's paths), which
 * is always the eval file's own: so it can be cached across runs (`DOTEVAL_NO_COMPILE_CACHE=1` skips it).
 */
export async function bundleEvalFile(file: string, outfile: string): Promise<string> {
	const useCache = !process.env.DOTEVAL_NO_COMPILE_CACHE;
	const key = useCache ? cacheKey(file, outputDeterminants(file)) : '';
	const cached = useCache ? readCached(key) : undefined;
	if (cached !== undefined) return cached;
	const startedAt = Date.now();
	try {
		const result = await esbuild().build({
			entryPoints: [file],
			outfile,
			bundle: true,
			packages: 'external',
			format: 'esm',
			platform: 'node',
			target: 'node20',
			// Functions keep their source names: bundling renames a symbol that collides with another
			// (`withinBudget` → `withinBudget2`), and score names and eval names are read from fn.name.
			keepNames: true,
			sourcemap: 'inline',
			sourcesContent: false,
			write: false,
			metafile: useCache,
			logLevel: 'silent',
			plugins: [dotevalFallbackPlugin()],
		});
		const code = result.outputFiles[0]!.text;
		if (useCache && result.metafile) {
			const inputs = fingerprintAll(
				Object.keys(result.metafile.inputs)
					.filter((f) => !f.includes(':'))
					.map((f) => path.resolve(f)),
			);
			// A file saved while esbuild read it may be newer than what was compiled: do not cache that.
			if (inputs && inputs.every((input) => input.mtimeMs < startedAt)) writeCached(key, inputs, code);
		}
		return code;
	} catch (error) {
		if (isBuildFailure(error) && error.errors.length > 0) {
			const first = error.errors[0]!;
			const loc = first.location;
			const where = loc ? path.resolve(loc.file) : file;
			const more = error.errors.length > 1 ? ` (and ${error.errors.length - 1} more error${error.errors.length > 2 ? 's' : ''})` : '';
			return Promise.reject(new LoadError(where, first.text + more, loc?.line, loc ? loc.column + 1 : undefined));
		}
		throw new LoadError(file, (error as Error).message);
	}
}

const runtimeRoot = path.dirname(ownRuntimeDir()) + path.sep;

/** A load-time stack without the frames of Node's module loader and of doteval itself. */
export function userStack(stack: string): string {
	return stack
		.split('\n')
		.filter(
			(line) => !/^\s+at /.test(line) || !(line.includes('node:internal') || line.includes(runtimeRoot) || line.includes(pathToFileURL(runtimeRoot).href)),
		)
		.join('\n');
}

/**
 * Where `file`'s top level threw: the first frame of the (source-mapped) stack in that file, as
 * 1-based line and column; undefined when no frame names it (the error came from elsewhere).
 */
export function throwingLine(stack: string, file: string): { line: number; column: number } | undefined {
	const names = [file, pathToFileURL(file).href];
	for (const line of stack.split('\n')) {
		if (!/^\s+at /.test(line)) continue;
		for (const name of names) {
			const at = line.indexOf(`${name}:`);
			if (at < 0) continue;
			const match = /^:(\d+):(\d+)/.exec(line.slice(at + name.length));
			if (match) return { line: Number(match[1]), column: Number(match[2]) };
		}
	}
	return undefined;
}

/** A file compiled and ready to import (compiling never runs the user's code). */
export interface CompiledFile {
	file: string;
	outfile: string;
	code: string;
}

/** Compile one file; several can compile at once (esbuild works in parallel), then import in order. */
export async function compileEvalFile(file: string): Promise<CompiledFile> {
	const absolute = path.resolve(file);
	removeStaleBundles(path.dirname(absolute));
	const outfile = bundlePath(absolute);
	return { file: absolute, outfile, code: await bundleEvalFile(absolute, outfile) };
}

/** Import a compiled file; returns its module namespace (its exports). */
export async function importCompiled({ file, outfile, code }: CompiledFile): Promise<Record<string, unknown>> {
	liveBundles.add(outfile);
	writeFileSync(outfile, code);
	// Stack traces of eval files (bundled with inline source maps) point at the .ts source. Enabled
	// here, not at start-up: Node then reads and parses the map of every module loaded afterwards,
	// and doteval's own modules (loaded by now) would cost every process a parse of their maps.
	process.setSourceMapsEnabled(true);
	try {
		return (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
	} catch (error) {
		const err = error as Error;
		const stack = userStack(err?.stack ?? String(error)).replaceAll(outfile, file);
		const at = throwingLine(stack, file);
		throw new LoadError(file, stack, at?.line, at?.column);
	} finally {
		rmSync(outfile, { force: true });
		liveBundles.delete(outfile);
	}
}

/** Bundle and import one file; returns its module namespace (its exports). */
export async function loadEvalFile(file: string): Promise<Record<string, unknown>> {
	return importCompiled(await compileEvalFile(file));
}
