/**
 * Where the store lives and how its companion files are named.
 *
 *   <project root>/.doteval/doteval.db            the SQLite database (replaced atomically)
 *   <db>.journals/<pid>-<time>-<rand>.jsonl       one append-only journal per writer process
 *   <db>.lock                                     held (O_EXCL) while a checkpoint rewrites the db
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { findProjectRoot } from '../evalId.js';
import { isPostgresUrl } from './postgres/location.js';

export const defaultStoreFile = path.join('.doteval', 'doteval.db');

export interface StorageOptions {
	/** --storage PATH (relative to cwd); a folder means `<folder>/doteval.db`. */
	storage?: string;
	cwd: string;
	env?: NodeJS.ProcessEnv;
}

/** --storage wins, then DOTEVAL_STORAGE, then `<project root>/.doteval/doteval.db`. */
export function resolveStoragePath({ storage, cwd, env = process.env }: StorageOptions): string {
	const given = storage ?? (env.DOTEVAL_STORAGE || undefined);
	if (given) {
		if (isPostgresUrl(given)) return given.trim();
		const full = path.resolve(cwd, given);
		const isDir = given.endsWith('/') || given.endsWith(path.sep) || (existsSync(full) && statSync(full).isDirectory());
		return isDir ? path.join(full, 'doteval.db') : full;
	}
	const root = findProjectRoot(path.join(cwd, 'any-file'), existsSync);
	return path.join(root, defaultStoreFile);
}

export const journalDir = (dbPath: string): string => `${dbPath}.journals`;
export const lockPath = (dbPath: string): string => `${dbPath}.lock`;

let lastJournalTime = 0;

/** A new journal's name; a process's journals sort in the order they were created (replay order). */
export function newJournalName(pid = process.pid): string {
	lastJournalTime = Math.max(Date.now(), lastJournalTime + 1);
	return `${pid}-${lastJournalTime}-${randomBytes(4).toString('hex')}.jsonl`;
}

/** The writer's pid, from a journal file name; NaN when the name is not ours. */
export function journalPid(fileName: string): number {
	const match = /^(\d+)-\d+-[0-9a-f]+\.jsonl$/.exec(fileName);
	return match ? Number(match[1]) : Number.NaN;
}

/** When the journal was created (epoch ms), from its name. */
export function journalTime(fileName: string): number {
	const match = /^\d+-(\d+)-[0-9a-f]+\.jsonl$/.exec(fileName);
	return match ? Number(match[1]) : Number.NaN;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDD_HHMMSS_xxxxxxxx` (local time + 8 random hex digits): the name of a run without --experiment. */
export function timestampExperimentName(now = new Date()): string {
	const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
	const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
	return `${date}_${time}_${randomBytes(4).toString('hex')}`;
}

export function isTimestampExperimentName(name: string): boolean {
	return /^\d{8}_\d{6}_[0-9a-f]{8}$/.test(name);
}

/**
 * Whether the writer that started at `since` (epoch ms) still runs as `pid`. After a crash and a
 * reboot the pid may belong to another process: one that started after the writer did is not it.
 */
export function writerAlive(pid: number, since: number): boolean {
	if (!processAlive(pid)) return false;
	const started = processStartedAt(pid);
	return started === undefined || !Number.isFinite(since) || started <= since + 5000;
}

/** A process's start time (epoch ms) on Linux, from /proc; undefined elsewhere. */
function processStartedAt(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[19]); // field 22, starttime, in clock ticks after boot
		const bootLine = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
		// USER_HZ is 100 on every Linux architecture Node supports.
		return bootLine && Number.isFinite(ticks) ? Number(bootLine[1]) * 1000 + ticks * 10 : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a process is alive on this machine (EPERM: alive but not ours). A zombie is not alive. */
export function processAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	// A killed process stays in the table until its parent reaps it (kill -9 under a parent that
	// never waits): its journal must still be adopted. Linux tells us through /proc.
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		return state !== 'Z' && state !== 'X';
	} catch {
		return true; // no /proc (macOS, Windows): trust kill(0)
	}
}
