/**
 * Eval ids: `<path relative to the project root>::<name>`, with `/` separators on every OS.
 * The runtime (at run time) and the language server (statically) must produce the same ids, so
 * both call these pure functions.
 *
 * The project root of a file is the nearest ancestor folder that holds a package.json; a file with
 * none above it uses the folder it is in.
 */
import * as path from 'node:path';

export function findProjectRoot(file: string, exists: (p: string) => boolean): string {
	const start = path.dirname(path.resolve(file));
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (exists(path.join(dir, 'package.json'))) return dir;
		if (path.dirname(dir) === dir) return start;
	}
}

export function makeEvalId(projectRoot: string, file: string, name: string): string {
	const rel = path.relative(projectRoot, path.resolve(file)).split(path.sep).join('/');
	return `${rel}::${name}`;
}

/**
 * The file part and the name of an eval id: `evals/a.eval.ts::accuracy` → `evals/a.eval.ts` and
 * `accuracy`. The last `::` separates (a file name may hold `::`, an eval name cannot). A string
 * without `::` is taken as a bare name.
 */
export function parseEvalId(id: string): { file: string; name: string } {
	const at = id.lastIndexOf('::');
	return at < 0 ? { file: '', name: id } : { file: id.slice(0, at), name: id.slice(at + 2) };
}

/** Split `file.ts::name` (the CLI accepts it as a selector); no `::` means a whole file, no name. */
export function splitEvalSelector(selector: string): { file: string; name?: string } {
	return selector.includes('::') ? parseEvalId(selector) : { file: selector };
}
