/**
 * Opening the store for reading (`openStoreReader`) and for writing (`openStore`).
 *
 * Durability model: during a run every record goes to this process's append-only journal (see
 * journal.ts), never through sql.js. A checkpoint (at close, and when the journal outgrows a fraction
 * of the database) takes the lock, loads the SQLite file, applies this process's journal and the
 * journals of writers that died, writes the result to a temporary file, fsyncs and renames it over the
 * database, then deletes the journals it applied. The total cost of a run is linear in its samples
 * (each checkpoint costs the database size, and checkpoints are spaced by a growing journal).
 */
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { loadSqlJs } from './sqljs.js';
import { readDatabase, replaceFileAtomically } from './file.js';
import { Applier } from './apply.js';
import { readJournal } from './journal.js';
import { journalDir, journalPid, journalTime, writerAlive } from './paths.js';
import { SqlStoreReader } from './reader.js';
import { StoreError } from './errors.js';

export interface JournalFile {
	file: string;
	pid: number;
	/** Its writer process is gone (crashed or killed): the next checkpoint adopts it. */
	orphaned: boolean;
}

export function listJournals(dbPath: string): JournalFile[] {
	const dir = journalDir(dbPath);
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	return names
		.filter((name) => !Number.isNaN(journalPid(name)))
		.sort()
		.map((name) => {
			const pid = journalPid(name);
			return { file: path.join(dir, name), pid, orphaned: !writerAlive(pid, journalTime(name)) };
		});
}

/** Apply journals to a database in one transaction; returns how many unreadable lines were skipped. */
export function replayJournals(db: Database, files: string[]): number {
	const applier = new Applier(db);
	let bad = 0;
	db.exec('BEGIN');
	try {
		for (const file of files) bad += readJournal(file, (record) => applier.apply(record)).bad;
		applier.settle();
		db.exec('COMMIT');
	} catch (error) {
		db.exec('ROLLBACK');
		throw error;
	} finally {
		applier.free();
	}
	return bad;
}

function fileStamp(file: string): string {
	try {
		const s = statSync(file);
		return `${s.ino}:${s.size}:${s.mtimeMs}`;
	} catch {
		return 'none';
	}
}

/**
 * The database with every journal replayed (running writers' too, so a run shows while it runs).
 * If a checkpoint replaced the file while we replayed, start again: a checkpoint deletes journals it
 * has written into the file, and we must not miss them.
 */
export function loadSnapshot(SQL: SqlJsStatic, dbPath: string): { db: Database; size: number } {
	for (let attempt = 0; ; attempt++) {
		const before = fileStamp(dbPath);
		const { db, size } = readDatabase(SQL, dbPath);
		replayJournals(db, listJournals(dbPath).map((j) => j.file));
		if (fileStamp(dbPath) === before || attempt >= 4) return { db, size };
		db.close();
	}
}

/** A read-only view of the store (nothing is written, not even a missing folder). */
export async function openStoreReader(dbPath: string): Promise<SqlStoreReader> {
	const SQL = await loadSqlJs(path.resolve(dbPath));
	const { db } = loadSnapshot(SQL, path.resolve(dbPath));
	return new SqlStoreReader(path.resolve(dbPath), db);
}

/**
 * Under the lock: load the file, adopt orphaned journals (plus `own`), let `change` edit the database,
 * write it atomically, delete the adopted journals. Returns the new database (still open) and its size.
 */
export function rewriteDatabase(
	SQL: SqlJsStatic,
	dbPath: string,
	own: string[],
	change?: (db: Database) => void,
): { db: Database; size: number; adopted: string[] } {
	mkdirSync(path.dirname(dbPath), { recursive: true });
	const { db } = readDatabase(SQL, dbPath);
	try {
		const adopted = [...own, ...listJournals(dbPath).filter((j) => j.orphaned && !own.includes(j.file)).map((j) => j.file)];
		replayJournals(db, adopted);
		change?.(db);
		const bytes = db.export();
		db.exec('PRAGMA foreign_keys = ON'); // export() reopens the database with default pragmas
		replaceFileAtomically(dbPath, bytes);
		for (const file of adopted) {
			try {
				unlinkSync(file);
			} catch {
				// Already adopted by another checkpoint: its content is in the file either way.
			}
		}
		return { db, size: bytes.length, adopted };
	} catch (error) {
		db.close();
		// File system failures become StoreErrors; refusals from `change` pass through as they are.
		if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
		throw new StoreError(`cannot write the doteval store ${dbPath}: ${(error as Error).message}`);
	}
}
