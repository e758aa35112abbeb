/**
 * The checkpoint lock: a file created with O_EXCL that holds the owner's pid. Only checkpoints (and
 * rename/delete) take it; readers never do. A lock whose pid is gone is stale and broken.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive } from './paths.js';
import { StoreError } from './errors.js';

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number): void => void Atomics.wait(sleepBuffer, 0, 0, ms);

export function withLock<T>(file: string, body: () => T, timeoutMs = 120_000): T {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			if (breakIfStale(file)) continue;
			if (Date.now() > deadline) {
				throw new StoreError(`the store is locked by another doteval process (${file}); if no doteval is running, delete that file`);
			}
			sleepSync(25);
		}
	}
	try {
		return body();
	} finally {
		try {
			unlinkSync(file);
		} catch {
			// Already gone: someone judged it stale; nothing to release.
		}
	}
}

function breakIfStale(file: string): boolean {
	try {
		const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
		// An empty file is a lock being written right now, unless it has been empty for a while.
		const stale = Number.isNaN(pid) ? Date.now() - statSync(file).mtimeMs > 5000 : !processAlive(pid);
		if (stale) unlinkSync(file);
		return stale;
	} catch {
		return true; // vanished between open and read: try again
	}
}
