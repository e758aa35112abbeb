/**
 * Fixture names visible to an eval file: those declared in `doteval.fixtures.{ts,mts,js,mjs}` in
 * its folder or any ancestor up to the project root (as the runtime loads them).
 */
import { readFileSync, statSync } from 'node:fs';
import { fixtureFilesFor } from '../../../runtime/src/contracts/evalFiles.js';
import { discoverFixtures } from '../discovery/index';

export class SharedFixtures {
	private readonly cache = new Map</* file */ string, { key: string; names: string[] }>();

	/** `openText` gives the unsaved text of an open document, so edits count before saving. */
	constructor(private readonly openText: (file: string) => { version: number; text: string } | undefined) {}

	namesFor(evalFile: string, projectRoot: string): Set<string> {
		// Every candidate file, saved or not: namesIn reads an open document's unsaved text, and finds nothing in a missing file.
		return new Set(fixtureFilesFor(evalFile, projectRoot, () => true).flatMap((file) => this.namesIn(file)));
	}

	private namesIn(file: string): string[] {
		const open = this.openText(file);
		let key: string;
		if (open) {
			key = `v${open.version}`;
		} else {
			try {
				const stat = statSync(file);
				key = `m${stat.mtimeMs}:${stat.size}`;
			} catch {
				this.cache.delete(file);
				return [];
			}
		}
		const cached = this.cache.get(file);
		if (cached?.key === key) return cached.names;
		let names: string[];
		try {
			names = discoverFixtures(open ? open.text : readFileSync(file, 'utf8'), file);
		} catch {
			names = [];
		}
		this.cache.set(file, { key, names });
		return names;
	}
}
