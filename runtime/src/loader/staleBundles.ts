/**
 * Bundles left by a killed run: the loader writes each compiled eval file next to its source
 * (`.<name>.<pid>-<n>.doteval.mjs`, see loadEvalFile.ts) and removes it right after the import, but
 * a kill -9 during that import leaves it behind. The next load in that folder removes those whose
 * process is gone; a bundle of a live process (a run in parallel) is left alone.
 */
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const bundleName = /^\..+\.(\d+)-\d+\.doteval\.mjs$/;
const cleaned = new Set<string>();

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
	}
}

/** Removes stale bundles in `dir`, once per folder and process; never throws (it is only tidying). */
export function removeStaleBundles(dir: string): void {
	if (cleaned.has(dir)) return;
	cleaned.add(dir);
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		const pid = Number(bundleName.exec(name)?.[1]);
		if (!pid || pid === process.pid || isAlive(pid)) continue;
		try {
			rmSync(path.join(dir, name), { force: true });
		} catch {
			// not ours to remove (permissions): harmless, it is never loaded
		}
	}
}
