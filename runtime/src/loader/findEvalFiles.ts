/**
 * Which files `doteval run` loads. Arguments may be files, folders or globs (`evals/**\/*.ts`);
 * no argument means the current folder. Folders are walked for the default eval file names, skipping
 * node_modules and dot-folders. A file named explicitly is taken whatever its name.
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../cli/command.js';
import { globToRegExp, isEvalFileName, isSkippedFolder } from '../contracts/evalFiles.js';

/** Every file under dir (depth first, sorted) that passes accept, outside node_modules and dot-folders. */
export function walk(dir: string, accept: (file: string) => boolean): string[] {
	const found: string[] = [];
	const visit = (current: string) => {
		let entries;
		try {
			entries = readdirSync(current, { withFileTypes: true });
		} catch {
			return; // unreadable folder: nothing to load from it
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (!isSkippedFolder(entry.name)) visit(full);
			} else if ((entry.isFile() || entry.isSymbolicLink()) && accept(full)) {
				found.push(full);
			}
		}
	};
	visit(dir);
	return found;
}

const globChars = /[*?[{]/;

function expandGlob(glob: string, cwd: string): string[] {
	const normalized = glob.split(path.sep).join('/');
	const parts = normalized.split('/');
	const firstGlob = parts.findIndex((p) => globChars.test(p));
	const base = path.resolve(cwd, parts.slice(0, firstGlob).join('/') || '.');
	const pattern = globToRegExp(path.resolve(cwd, normalized).split(path.sep).join('/'));
	return walk(base, (file) => pattern.test(file.split(path.sep).join('/')));
}

/** Resolve the run's targets to absolute eval file paths (deduplicated, in a stable order). */
export function findEvalFiles(targets: string[], cwd: string): string[] {
	const files = new Set<string>();
	for (const target of targets.length ? targets : ['.']) {
		const resolved = path.resolve(cwd, target);
		if (existsSync(resolved)) {
			if (statSync(resolved).isDirectory()) {
				for (const file of walk(resolved, (f) => isEvalFileName(path.basename(f)))) files.add(file);
			} else files.add(resolved);
		} else if (globChars.test(target)) {
			for (const file of expandGlob(target, cwd)) files.add(file);
		} else {
			throw new UsageError(`no such file or folder: ${target}`);
		}
	}
	return [...files];
}
