/**
 * Reading and atomically replacing the SQLite file. A database that is not a valid SQLite file, or is
 * shorter than its header says, is refused with a StoreError that names the file and the way out; it
 * is never overwritten.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { StoreError } from './errors.js';
import { migrate } from './schema.js';
import { journalDir } from './paths.js';

const magic = 'SQLite format 3\0';

function corrupt(file: string, why: string): StoreError {
	return new StoreError(
		`the doteval store ${file} is corrupt (${why}). It has been left as it is. ` +
			`To start a fresh store, move it aside (mv '${file}' '${file}.corrupt'); ` +
			`samples of runs that had not been checkpointed yet are still in ${journalDir(file)}/ and are loaded into the new store at its next open.`,
	);
}

/** The database at `file`, migrated in memory; a fresh empty one when the file does not exist (or is empty). */
export function readDatabase(SQL: SqlJsStatic, file: string): { db: Database; size: number } {
	let bytes: Buffer | undefined;
	try {
		bytes = readFileSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT') throw new StoreError(`cannot read the doteval store ${file}: ${(error as Error).message}`);
	}
	if (!bytes || bytes.length === 0) {
		const db = new SQL.Database();
		migrate(db);
		return { db, size: 0 };
	}
	if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== magic) throw corrupt(file, 'not an SQLite database');
	const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
	const pageCount = bytes.readUInt32BE(28);
	if (pageCount > 0 && bytes.length < pageSize * pageCount) {
		throw corrupt(file, `truncated: ${bytes.length} bytes, its header says ${pageSize * pageCount}`);
	}
	const db = new SQL.Database(bytes);
	try {
		db.exec('SELECT count(*) FROM sqlite_master');
		migrate(db);
	} catch (error) {
		db.close();
		throw corrupt(file, (error as Error).message);
	}
	return { db, size: bytes.length };
}

/** Write to a temporary file, fsync it, rename it over `file`, fsync the folder: never a torn file. */
export function replaceFileAtomically(file: string, bytes: Uint8Array): void {
	mkdirSync(path.dirname(file), { recursive: true });
	const temp = `${file}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
	try {
		const fd = openSync(temp, 'w');
		try {
			let written = 0;
			while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, file);
	} catch (error) {
		try {
			unlinkSync(temp);
		} catch {
			// nothing was created
		}
		throw error;
	}
	try {
		const dir = openSync(path.dirname(file), 'r');
		fsyncSync(dir);
		closeSync(dir);
	} catch {
		// Some file systems refuse fsync on a folder; the rename itself is still atomic.
	}
}
