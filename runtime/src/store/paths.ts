/**
 * Where the store's files are, inside its folder (docs/store.md explains the layout and why):
 *
 *   catalog.db                               experiments, evaluations, runs and per-evaluation summaries
 *   listing.json                             what `doteval list` shows, written with the catalog
 *   evals/<key>.db                           the samples and scores of one evaluation
 *   journals/<pid>-<time>-<rand>.jsonl       one append-only journal per writer process
 *   quarantine/                              journals with lines that could not be applied, kept aside
 *   lock                                     held (O_EXCL) while a checkpoint rewrites files
 *   doteval.db.v1-backup                     a migrated single-file store of doteval ≤ 0.1
 *
 * Which folder is the store is the shared rule of contracts/storage.ts.
 */
import { readFileSync } from 'node:fs';
import { nodeCrypto } from './builtins.js';
import * as path from 'node:path';
import { legacyStoreFile } from '../contracts/storage.js';

export { resolveCliStore as resolveStoragePath, defaultStoreDir } from '../contracts/storage.js';

export interface StoreLayout {
	dir: string;
	catalog: string;
	/** The rows `doteval list` shows, written with the catalog (listing.ts). */
	listing: string;
	evals: string;
	journals: string;
	quarantine: string;
	lock: string;
	/** Where a store of doteval ≤ 0.1 may be, most likely first (migrated on first open). */
	legacy: string[];
	backup: string;
}

export function layoutOf(dir: string): StoreLayout {
	const full = path.resolve(dir);
	return {
		dir: full,
		catalog: path.join(full, 'catalog.db'),
		listing: path.join(full, 'listing.json'),
		evals: path.join(full, 'evals'),
		journals: path.join(full, 'journals'),
		quarantine: path.join(full, 'quarantine'),
		lock: path.join(full, 'lock'),
		legacy: [path.join(full, legacyStoreFile), `${full}.db`],
		backup: path.join(full, `${legacyStoreFile}.v1-backup`),
	};
}

export const evalFilePath = (layout: StoreLayout, key: string): string => path.join(layout.evals, `${key}.db`);

let lastJournalTime = 0;

/** A new journal's name; a process's journals sort in the order they were created (replay order). */
export function newJournalName(pid = process.pid): string {
	lastJournalTime = Math.max(Date.now(), lastJournalTime + 1);
	return `${pid}-${lastJournalTime}-${nodeCrypto().randomBytes(4).toString('hex')}.jsonl`;
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
	return `${date}_${time}_${nodeCrypto().randomBytes(4).toString('hex')}`;
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
