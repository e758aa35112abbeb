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

/** Split `file.ts::name` (the CLI accepts it as a selector); no `::` means no name. */
export function splitEvalSelector(selector: string): { file: string; name?: string } {
	const at = selector.lastIndexOf('::');
	return at < 0 ? { file: selector } : { file: selector.slice(0, at), name: selector.slice(at + 2) };
}
