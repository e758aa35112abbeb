/**
 * Which files are eval files: the CLI's default globs (`runtime/src/loader/findEvalFiles.ts`), or
 * the user's `doteval.evalGlobs`. A small glob dialect is enough: `**`, `*`, `?` and `{a,b}`,
 * matched against paths relative to the workspace folder with `/` separators.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export const defaultEvalGlobs = ['**/*.eval.{ts,mts,js,mjs}', '**/eval_*.{ts,mts,js,mjs}'];

export function globToRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i]!;
		if (c === '*' && glob[i + 1] === '*') {
			// `**/` matches zero or more folders; a trailing `**` matches anything.
			if (glob[i + 2] === '/') {
				re += '(?:.*/)?';
				i += 2;
			} else {
				re += '.*';
				i += 1;
			}
		} else if (c === '*') re += '[^/]*';
		else if (c === '?') re += '[^/]';
		else if (c === '{') re += '(?:';
		else if (c === '}') re += ')';
		else if (c === ',' && glob.lastIndexOf('{', i) > glob.lastIndexOf('}', i)) re += '|';
		else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${re}$`);
}

export class EvalFileMatcher {
	private readonly patterns: RegExp[];

	constructor(globs: readonly string[] = defaultEvalGlobs) {
		this.patterns = (globs.length ? globs : defaultEvalGlobs).map(globToRegExp);
	}

	/** `relative`: path inside the workspace folder. Files under node_modules or dot-folders never match. */
	matches(relative: string): boolean {
		const rel = relative.split(path.sep).join('/');
		if (rel.startsWith('../') || rel.split('/').slice(0, -1).some(skipFolder)) return false;
		return this.patterns.some((p) => p.test(rel));
	}
}

export function skipFolder(name: string): boolean {
	return name === 'node_modules' || name.startsWith('.');
}

/** Every eval file under `folder` (absolute paths, sorted), skipping node_modules and dot-folders. */
export function findEvalFiles(folder: string, matcher: EvalFileMatcher): string[] {
	const out: string[] = [];
	const visit = (dir: string): void => {
		let entries;
		try {
			entries = readdirSync(dir, { withFileTypes: true });
		} catch {
			return; // unreadable or vanished folder: nothing to index there
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (!skipFolder(entry.name)) visit(full);
			} else if (entry.isFile() && matcher.matches(path.relative(folder, full))) {
				out.push(full);
			}
		}
	};
	visit(folder);
	return out.sort();
}
