/**
 * The TypeScript compiler API, loaded once with `require`: importing the 9 MB CommonJS package
 * through `import()` makes Node scan it for named exports and costs about 2.5× more
 * (docs/design/baselines.md §4). Only the parser is used; no Program is ever built.
 *
 * The bundled server has the compiler beside it as dist/typescript.js (esbuild.mjs). Given a cache
 * folder (the extension's global storage), it is compiled through V8's code cache: the first start
 * writes the compiled code, later starts read it instead of compiling 9 MB again (about half the
 * load time). Node 20 has no built-in compile cache for CommonJS (module.enableCompileCache is 22).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import type * as TS from 'typescript';

let loaded: typeof TS | undefined;
let loadMs: number | undefined;
let cacheDir: string | undefined;
let writeCache: (() => void) | undefined;

/** Where to keep the compiled compiler; set before the first load (the client's storage folder). */
export function useCompileCache(dir: string | undefined): void {
	cacheDir = dir;
}

export function loadTypeScript(): typeof TS {
	if (!loaded) {
		const started = performance.now();
		const beside = typeof __dirname === 'string' ? path.join(__dirname, 'typescript.js') : undefined;
		loaded =
			cacheDir && beside && existsSync(beside)
				? loadCached(beside, cacheDir)
				: // eslint-disable-next-line @typescript-eslint/no-require-imports
					(require('typescript') as typeof TS);
		loadMs = performance.now() - started;
	}
	return loaded;
}

/** How long loading the compiler took, once it is loaded (the server logs it at start-up). */
export function typeScriptLoadMs(): number | undefined {
	return loadMs;
}

/** Write the code cache if this start compiled without one (also at shutdown, for short sessions). */
export function saveCompileCache(): void {
	const write = writeCache;
	writeCache = undefined;
	try {
		write?.();
	} catch {
		// A read-only or full disk: the next start compiles again, nothing else changes.
	}
}

function loadCached(file: string, dir: string): typeof TS {
	const source = readFileSync(file, 'utf8');
	// V8 checks the cache against its own version and flags and the source's length; the name
	// adds the Node version and the file's size so that an update never even tries an old cache.
	const cacheFile = path.join(dir, `typescript-${process.version}-${process.arch}-${source.length}.v8cache`);
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(cacheFile);
	} catch {
		cachedData = undefined;
	}
	const script = new Script(wrap(source), { filename: file, cachedData });
	const module = { exports: {} as typeof TS };
	(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
	if (!cachedData || script.cachedDataRejected) {
		writeCache = () => {
			mkdirSync(dir, { recursive: true });
			const tmp = `${cacheFile}.${process.pid}.tmp`;
			writeFileSync(tmp, script.createCachedData());
			renameSync(tmp, cacheFile); // whole or not at all: a second server may start right now
		};
		// Once the first answers are out: by then the parser's functions are compiled too, so the
		// cache covers them, and nobody waits for the write.
		setTimeout(saveCompileCache, 3000).unref();
	}
	return module.exports;
}

export type { TS };

/**
 * The trees parsed last, by file, oldest first. An edit of one of them is parsed incrementally, as
 * TypeScript's own language service does: the nodes outside the changed span are reused, which
 * costs a fraction of a whole parse while the user types. Only a few files: indexing a workspace
 * parses each file once, and a tree holds on to its text.
 */
const recent = new Map</* file */ string, TS.SourceFile>();
const recentFiles = 8;

/**
 * Parse without JSDoc (discovery does not read it) and, for a new file, without parent pointers (it
 * keeps its own ancestors). The tree returned is good until the next `parse` of the same file: an
 * incremental parse takes the old tree's nodes.
 */
export function parse(fileName: string, text: string): TS.SourceFile {
	const ts = loadTypeScript();
	const old = recent.get(fileName);
	const sf =
		old === undefined
			? ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false)
			: old.text === text
				? old
				: ts.updateSourceFile(old, text, changeRange(old.text, text));
	recent.delete(fileName);
	recent.set(fileName, sf);
	if (recent.size > recentFiles) recent.delete(recent.keys().next().value!);
	return sf;
}

/** The one span where `after` differs from `before` (their common prefix and suffix left out). Pure. */
export function changeRange(before: string, after: string): TS.TextChangeRange {
	const shorter = Math.min(before.length, after.length);
	let start = 0;
	while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	let end = 0;
	while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
	return { span: { start, length: before.length - start - end }, newLength: after.length - start - end };
}
