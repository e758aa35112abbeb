/**
 * Reading and atomically replacing one SQLite file of the store (the catalog, or an evaluation's
 * file). A file that is not a valid SQLite database, is shorter than its header says, or fails
 * `PRAGMA quick_check` (a damaged page anywhere) is refused with a StoreError that names the file
 * and the way out; it is never overwritten. A file without write permission is never replaced.
 *
 * Each file the store writes carries a CRC-32 of its bytes in its header (see checksum.ts): a
 * file whose bytes still match it is the very file a checkpoint wrote from a checked database, and
 * is not checked again (quick_check reads every page: about 200 ms of a 2 MB segment, the most of
 * what a results page or a checkpoint costs). Any other file (changed by sqlite3, damaged, written
 * by an older doteval) is checked as before.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { nodeCrypto } from './builtins.js';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { StoreError } from './errors.js';
import { migrate } from './schema.js';
import { processAlive } from './paths.js';
import { checksumMatches, stampChecksum } from './checksum.js';
import { emptyImageDeflatedBase64 } from './emptyImage.js';
import { inflateRawSync } from 'node:zlib';

const magic = 'SQLite format 3\0';

/** What a corrupt file means for the user, and how to get going again (said in the message). */
export type FileRole = 'catalog' | 'evaluation';

function corrupt(file: string, role: FileRole, why: string): StoreError {
	const consequence =
		role === 'catalog'
			? `The catalog lists the store's experiments; the samples of each evaluation are in evals/ beside it and are not affected.`
			: `Only this evaluation's samples are affected; every other evaluation of the store stays readable.`;
	return new StoreError(
		`the doteval store file ${file} is corrupt (${why}). It has been left as it is. ${consequence} ` +
			`To go on, move it aside (mv '${file}' '${file}.corrupt') or restore it from a backup; ` +
			`samples of runs not yet checkpointed are still in the journals/ folder and are loaded again at the next open.`,
	);
}

/** An empty database at the current schema, per sql.js instance: a run creates one per segment. */
const emptyImages = new WeakMap<SqlJsStatic, Uint8Array>();

export function emptyDatabase(SQL: SqlJsStatic): Database {
	let image = emptyImages.get(SQL);
	if (!image) {
		// From the prebuilt image (emptyImage.ts says why), brought up to date if a migration is newer.
		const db = new SQL.Database(inflateRawSync(Buffer.from(emptyImageDeflatedBase64, 'base64')));
		migrate(db);
		emptyImages.set(SQL, (image = db.export()));
		db.close();
	}
	const db = new SQL.Database(image.slice());
	migrate(db); // at the current version: only sets the connection's pragmas
	return db;
}

/** The database at `file`, verified and migrated in memory; a fresh empty one when the file does not exist (or is empty). */
export function readDatabase(SQL: SqlJsStatic, file: string, role: FileRole): { db: Database; size: number } {
	let bytes: Buffer | undefined;
	try {
		bytes = readFileSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EISDIR')
			throw new StoreError(`the doteval store file ${file} is a folder; move it aside (mv '${file}' '${file}.aside') so that doteval can create the file`);
		if (code !== 'ENOENT') throw new StoreError(`cannot read the doteval store file ${file}: ${(error as Error).message}`);
	}
	if (!bytes || bytes.length === 0) return { db: emptyDatabase(SQL), size: 0 };
	if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== magic) throw corrupt(file, role, 'not an SQLite database');
	const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
	const pageCount = bytes.readUInt32BE(28);
	if (pageCount > 0 && bytes.length < pageSize * pageCount) {
		throw corrupt(file, role, `truncated: ${bytes.length} bytes, its header says ${pageSize * pageCount}`);
	}
	// Before sql.js opens it: sql.js keeps these bytes as its in-memory file and writes into them.
	const verified = checksumMatches(bytes);
	let db: Database;
	try {
		db = new SQL.Database(bytes);
	} catch (error) {
		throw corrupt(file, role, (error as Error).message);
	}
	try {
		// Every page, bounded by the file's size: a damaged page in the middle would otherwise show up
		// as an internal error in one query and be carried into the next checkpoint. A file that
		// matches the checksum its checkpoint wrote was checked before it was written.
		if (!verified) {
			const check = db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
			if (check.length !== 1 || check[0] !== 'ok') throw new Error(`quick_check: ${check.slice(0, 3).join('; ')}`);
		}
		migrate(db);
	} catch (error) {
		db.close();
		if (error instanceof StoreError) throw error;
		throw corrupt(file, role, (error as Error).message);
	}
	return { db, size: bytes.length };
}

/** A store file or folder without write permission is the user's decision: refuse, do not replace. */
export function assertWritable(target: string, what = 'file'): void {
	let mode: number;
	try {
		mode = statSync(target).mode;
	} catch {
		return; // not there yet: created with default permissions
	}
	// Checked on the mode bits, not with access(): root may write anything, but 0444 still means "keep".
	if ((mode & 0o222) === 0) {
		throw new StoreError(
			`the doteval store ${what} ${target} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); doteval does not write to it. ` +
				`Make it writable (chmod u+w '${target}') or store elsewhere with --storage PATH.`,
		);
	}
}

/**
 * Write an SQLite image (stamped with its checksum) to a temporary file, fsync it, rename it over
 * `file`, fsync the folder: never a torn file.
 */
export function replaceFileAtomically(file: string, image: Uint8Array): void {
	const bytes = stampChecksum(image);
	assertWritable(file);
	mkdirSync(path.dirname(file), { recursive: true });
	assertWritable(path.dirname(file), 'folder');
	const temp = `${file}.tmp-${process.pid}-${nodeCrypto().randomBytes(3).toString('hex')}`;
	try {
		const fd = openSync(temp, 'w');
		try {
			let written = 0;
			while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		crashPoint(file);
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

/**
 * For the crash tests: with DOTEVAL_TEST_CRASH_POINT set to a pattern, a checkpoint that has written
 * the temporary of a matching file says so on stderr and waits there (to be killed), before the rename.
 */
export function crashPoint(file: string): void {
	const pattern = process.env.DOTEVAL_TEST_CRASH_POINT;
	if (!pattern || !new RegExp(pattern).test(path.basename(file))) return;
	process.stderr.write(`doteval: crash point before replacing ${file}\n`);
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

const temporary = /\.tmp-(\d+)-[0-9a-f]+$/;

/** Remove temporaries left by checkpoints that were killed (their pid is gone); returns how many. */
export function removeStaleTemporaries(dirs: string[]): number {
	let removed = 0;
	for (const dir of dirs) {
		let names: string[];
		try {
			names = readdirSync(dir);
		} catch {
			continue;
		}
		for (const name of names) {
			const match = temporary.exec(name);
			if (!match || processAlive(Number(match[1]))) continue;
			try {
				unlinkSync(path.join(dir, name));
				removed++;
			} catch {
				// another process removed it first
			}
		}
	}
	return removed;
}
