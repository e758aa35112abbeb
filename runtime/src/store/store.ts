/**
 * Opening the store folder for reading (`openStoreReader`); writing is writer.ts.
 *
 * Durability model: during a run every record goes to this process's append-only journal (see
 * journal.ts), never through sql.js. A checkpoint (checkpoint.ts: at close, and when the journal
 * outgrows a fraction of what it rewrites) takes the lock and writes the journals into the files of
 * the evaluations they touch and into the catalog, each replaced atomically, then retires them.
 */
import { statSync } from 'node:fs';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from './sqljs.js';
import { layoutOf, type StoreLayout } from './paths.js';
import { migrateLegacyStore } from './migrateV1.js';
import { loadSnapshot } from './snapshot.js';
import { SqlStoreReader } from './reader.js';
import { StoreError } from './errors.js';

export interface StoreOpenOptions {
	/** One-line notices (a migration, a quarantined journal); default: printed to stderr as `doteval: …`. */
	onNotice?: (message: string) => void;
	lockTimeoutMs?: number;
}

export const defaultNotice = (message: string): void => void process.stderr.write(`doteval: ${message}\n`);

/** The folder's layout, after refusing a path that is a file (a store of doteval 0.1 under a folder's name). */
export function storeLayout(dir: string): StoreLayout {
	const layout = layoutOf(dir);
	let isFile = false;
	try {
		isFile = !statSync(layout.dir).isDirectory();
	} catch {
		// not there yet: created by the first write
	}
	if (isFile) {
		throw new StoreError(
			`the doteval store ${layout.dir} is a file, not a folder. If it is a store of doteval 0.1, rename it ` +
				`(mv '${layout.dir}' '${layout.dir}.db') and doteval migrates it into the folder ${layout.dir} at the next open; otherwise pass --storage with another path.`,
		);
	}
	return layout;
}

/** sql.js, and the migration of a single-file store if this folder has one (a notice says so). */
export async function prepareStore(layout: StoreLayout, options: StoreOpenOptions): Promise<SqlJsStatic> {
	const SQL = await loadSqlJs(layout.catalog);
	const notice = migrateLegacyStore(SQL, layout, options.lockTimeoutMs);
	if (notice) (options.onNotice ?? defaultNotice)(notice);
	return SQL;
}

/** A read-only view of the store: nothing is written, not even a missing folder (except a migration). */
export async function openStoreReader(dir: string, options: StoreOpenOptions = {}): Promise<SqlStoreReader> {
	const layout = storeLayout(dir);
	const SQL = await prepareStore(layout, options);
	return new SqlStoreReader(layout.dir, loadSnapshot(SQL, layout));
}
