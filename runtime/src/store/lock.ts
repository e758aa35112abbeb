/**
 * The checkpoint lock: a file created with O_EXCL that holds the owner's pid and start time. Only
 * checkpoints (and rename/delete, migration) take it; readers never do.
 *
 *  - A lock whose writer is gone is stale and broken. "Gone" uses the start time too, so a pid the
 *    system has since given to another process does not keep the lock for ever.
 *  - Breaking is atomic: under a second, short-lived lock (`<lock>.break`), the breaker reads the
 *    lock again and removes it only if it is still the stale one, so two writers that judged the
 *    same lock stale never remove the fresh lock one of them has just taken.
 *  - A lock that cannot be read or removed (a folder, another user's file in a shared folder) is
 *    waited for with back-off until the deadline, then reported with its path and the fix.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive, writerAlive } from './paths.js';
import { StoreError } from './errors.js';

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number): void => void Atomics.wait(sleepBuffer, 0, 0, ms);

/** An empty lock is one being written right now, unless it stays empty this long. */
const emptyGraceMs = 500;
/** A breaker lock is held for microseconds; one this old belongs to a breaker that died. */
const breakerGraceMs = 5_000;

const defaultTimeoutMs = (): number => {
	const fromEnv = Number(process.env.DOTEVAL_LOCK_TIMEOUT_MS);
	return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 60_000;
};

function tryCreate(file: string): boolean {
	try {
		const fd = openSync(file, 'wx');
		try {
			writeSync(fd, `${process.pid} ${Date.now()}\n`);
		} catch (error) {
			// Created but not written (a full disk): not a lock anyone holds.
			closeSync(fd);
			unlinkSync(file);
			throw error;
		}
		closeSync(fd);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') return false;
		const fix =
			code === 'ENOSPC' || code === 'EDQUOT'
				? '; the disk is full: free some space, then run again (every sample recorded so far is kept in the journals and is written at the next open)'
				: '';
		throw new StoreError(`cannot create the store's lock ${file}: ${(error as Error).message}${fix}`);
	}
}

export function withLock<T>(file: string, body: () => T, timeoutMs = defaultTimeoutMs()): T {
	const deadline = Date.now() + timeoutMs;
	let wait = 5;
	let holder = 'another doteval process';
	for (;;) {
		if (tryCreate(file)) break;
		const state = lockState(file);
		if (state.kind === 'stale' && breakStale(file, state.content)) continue;
		if (state.kind === 'held') holder = `process ${state.pid}`;
		if (state.kind === 'unreadable') holder = `an unreadable lock (${state.why})`;
		if (Date.now() > deadline) {
			throw new StoreError(`the store is locked by ${holder}: ${file}. If no doteval is running, remove the lock (rm -rf '${file}') and run again.`);
		}
		sleepSync(wait);
		wait = Math.min(wait * 2, 250);
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

type LockState = { kind: 'held'; pid: number } | { kind: 'stale'; content: string } | { kind: 'gone' } | { kind: 'unreadable'; why: string };

function lockState(file: string): LockState {
	let content: string;
	try {
		content = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT' ? { kind: 'gone' } : { kind: 'unreadable', why: code ?? (error as Error).message };
	}
	const [pidText, sinceText] = content.trim().split(/\s+/);
	const pid = Number.parseInt(pidText ?? '', 10);
	if (Number.isNaN(pid)) {
		let age: number;
		try {
			age = Date.now() - statSync(file).mtimeMs;
		} catch {
			return { kind: 'gone' };
		}
		return age > emptyGraceMs ? { kind: 'stale', content } : { kind: 'held', pid: 0 };
	}
	const since = Number(sinceText);
	const alive = Number.isFinite(since) ? writerAlive(pid, since) : processAlive(pid);
	return alive ? { kind: 'held', pid } : { kind: 'stale', content };
}

/** Remove the lock if it still holds `content` (the stale one), under the breaker lock. */
function breakStale(file: string, content: string): boolean {
	const breaker = `${file}.break`;
	if (!tryCreate(breaker)) {
		try {
			if (Date.now() - statSync(breaker).mtimeMs > breakerGraceMs) unlinkSync(breaker);
		} catch {
			// gone meanwhile
		}
		return false;
	}
	try {
		let now: string;
		try {
			now = readFileSync(file, 'utf8');
		} catch {
			return true; // gone: try to take it
		}
		if (now !== content) return false; // someone took it meanwhile: it is not the stale lock any more
		try {
			unlinkSync(file);
			return true;
		} catch {
			return false; // cannot remove it (not ours): wait for the deadline and say so
		}
	} finally {
		try {
			unlinkSync(breaker);
		} catch {
			// nothing to release
		}
	}
}
