/**
 * Opening a store by its location: a `postgres://` URL is the PostgreSQL team store (its driver
 * loaded only then), anything else the embedded store folder. Every reader (CLI, language server,
 * extension) opens stores through here, so each one can read either kind. (The embedded store is
 * imported statically: its errors must be the very classes the commands test for, also where the
 * sources run through tsx, whose dynamic import() loads a second copy of each module. It costs a
 * PostgreSQL process little: sql.js itself is loaded only when an embedded store is opened.)
 */
import type { StoreReader, StoreWriter } from './types.js';
import { isPostgresUrl } from '../contracts/storage.js';
import { openStore } from './writer.js';
import { openStoreReader, type StoreOpenOptions } from './store.js';

export interface OpenOptions extends StoreOpenOptions {
	/** What this process runs of each evaluation ('' all, 'i/n' a shard, 'join' a joined worker); PostgreSQL only. */
	part?: string;
	/** Where PGPASSWORD, PGPASSFILE, HOME, PGUSER… come from (PostgreSQL only; default process.env). */
	env?: NodeJS.ProcessEnv;
}

export async function openStoreAt(location: string, { part, env, ...embedded }: OpenOptions = {}): Promise<StoreWriter> {
	if (!isPostgresUrl(location)) return openStore(location, embedded);
	const { openPostgresStore } = await import('./postgres/index.js');
	return openPostgresStore(location, { part, env });
}

export async function openReaderAt(location: string, { part: _part, env, ...embedded }: OpenOptions = {}): Promise<StoreReader> {
	if (!isPostgresUrl(location)) return openStoreReader(location, embedded);
	const { openPostgresReader } = await import('./postgres/index.js');
	return openPostgresReader(location, { env });
}
