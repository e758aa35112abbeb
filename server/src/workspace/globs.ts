/**
 * Which files are eval files: the CLI's default globs, or the user's `doteval.evalGlobs`, in the
 * CLI's glob dialect (both from contracts/evalFiles.ts), matched against paths relative to the
 * workspace folder with `/` separators.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { defaultEvalGlobs, globToRegExp, isSkippedFolder } from '../../../runtime/src/contracts/evalFiles.js';

export class EvalFileMatcher {
	private readonly patterns: RegExp[];

	constructor(globs: readonly string[] = defaultEvalGlobs) {
		this.patterns = (globs.length ? globs : defaultEvalGlobs).map(globToRegExp);
	}

	/** `relative`: path inside the workspace folder. Files under node_modules or dot-folders never match. */
	matches(relative: string): boolean {
		const rel = relative.split(path.sep).join('/');
		if (rel.startsWith('../') || rel.split('/').slice(0, -1).some(isSkippedFolder)) return false;
		return this.patterns.some((p) => p.test(rel));
	}
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
				if (!isSkippedFolder(entry.name)) visit(full);
			} else if (entry.isFile() && matcher.matches(path.relative(folder, full))) {
				out.push(full);
			}
		}
	};
	visit(folder);
	return out.sort();
}
