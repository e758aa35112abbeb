/**
 * Static discovery of doteval evals, the stable entry point for the server, the tests and the
 * benchmarks (`bench/`): pure functions over file text, plus `indexFiles` to index files on disk.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { EvalDefinition } from '../../../runtime/src/contracts/editorProtocol.js';
import { findProjectRoot } from '../../../runtime/src/contracts/evalId.js';
import { discoverFile } from './discoverFile';
import { mightHaveEvals } from './prefilter';

export { discoverFile, type EvalFacts, type FileFacts } from './discoverFile';
export { mightHaveEvals } from './prefilter';
export { loadTypeScript } from './typescript';

/** Every eval `fileName` defines, in source order. Never throws on bad syntax. */
export function discoverEvals(fileName: string, text: string, projectRoot: string): EvalDefinition[] {
	return discoverFile(fileName, text, projectRoot).evals.map((e) => e.definition);
}

/** Names declared with `fixture("name", …)` (imported from doteval) in `text`. */
export function discoverFixtures(text: string, fileName = 'doteval.fixtures.ts'): string[] {
	return discoverFile(fileName, text, '/').fixtures;
}

export interface IndexedFile {
	file: string;
	evals: EvalDefinition[];
}

/**
 * Discover the evals of files on disk (cold: read, prefilter, parse). Files without evals are
 * left out. Project roots are found once per folder.
 */
export function indexFiles(paths: readonly string[]): IndexedFile[] {
	const roots = new Map</* folder */ string, string>();
	const out: IndexedFile[] = [];
	for (const file of paths) {
		const text = readFileSync(file, 'utf8');
		if (!mightHaveEvals(text)) continue;
		const folder = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
		let root = roots.get(folder);
		if (root === undefined) roots.set(folder, (root = findProjectRoot(file, existsSync)));
		const evals = discoverEvals(file, text, root);
		if (evals.length) out.push({ file, evals });
	}
	return out;
}
