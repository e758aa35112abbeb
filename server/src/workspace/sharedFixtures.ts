/**
 * Fixture names visible to an eval file: those declared in `doteval.fixtures.{ts,mts,js,mjs}` in
 * its folder or any ancestor up to the project root (as the runtime loads them).
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFixtures } from '../discovery/index';

export const fixtureFileNames = ['doteval.fixtures.ts', 'doteval.fixtures.mts', 'doteval.fixtures.js', 'doteval.fixtures.mjs'];

export function isFixtureFile(file: string): boolean {
	return fixtureFileNames.includes(path.basename(file));
}

export class SharedFixtures {
	private readonly cache = new Map</* file */ string, { key: string; names: string[] }>();

	/** `openText` gives the unsaved text of an open document, so edits count before saving. */
	constructor(private readonly openText: (file: string) => { version: number; text: string } | undefined) {}

	namesFor(evalFile: string, projectRoot: string): Set<string> {
		const names = new Set<string>();
		for (let dir = path.dirname(evalFile); ; dir = path.dirname(dir)) {
			for (const name of fixtureFileNames) for (const n of this.namesIn(path.join(dir, name))) names.add(n);
			if (dir === projectRoot || path.dirname(dir) === dir || !dir.startsWith(projectRoot)) break;
		}
		return names;
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
