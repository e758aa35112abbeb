/**
 * Opening a store by its location: a `postgres://` URL is the PostgreSQL team store, anything else
 * the embedded store folder. Each kind's code is loaded only when a store of that kind is opened: a
 * process that writes to PostgreSQL never parses the embedded store (100 KB, and sql.js), and one
 * that writes to a folder never loads the driver. Every reader (CLI, language server, extension)
 * opens stores through here, so each one can read either kind.
 */
import type { StoreReader, StoreWriter } from './types.js';
import { isPostgresUrl } from '../contracts/storage.js';
import type { StoreOpenOptions } from './store.js';

export interface OpenOptions extends StoreOpenOptions {
	/** What this process runs of each evaluation ('' all, 'i/n' a shard, 'join' a joined worker); PostgreSQL only. */
	part?: string;
	/** Where PGPASSWORD, PGPASSFILE, HOME, PGUSER… come from (PostgreSQL only; default process.env). */
	env?: NodeJS.ProcessEnv;
}

export async function openStoreAt(location: string, { part, env, ...embedded }: OpenOptions = {}): Promise<StoreWriter> {
	if (!isPostgresUrl(location)) return (await import('./writer.js')).openStore(location, embedded);
	const { openPostgresStore } = await import('./postgres/index.js');
	return openPostgresStore(location, { part, env });
}

export async function openReaderAt(location: string, { part: _part, env, ...embedded }: OpenOptions = {}): Promise<StoreReader> {
	if (!isPostgresUrl(location)) return (await import('./store.js')).openStoreReader(location, embedded);
	const { openPostgresReader } = await import('./postgres/index.js');
	return openPostgresReader(location, { env });
}
