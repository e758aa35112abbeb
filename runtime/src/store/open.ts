/**
 * Opening a store by its location: a `postgres://` URL is the PostgreSQL team store (its driver
 * loaded only then), anything else the embedded store at that path. Every reader (CLI, language
 * server, extension) opens stores through here, so each one can read either kind.
 */
import type { StoreReader, StoreWriter } from './types.js';
import { isPostgresUrl } from './postgres/location.js';
import { openStore } from './writer.js';
import { openStoreReader } from './store.js';

export interface OpenOptions {
	/** What this process runs of each evaluation ('' all, 'i/n' a shard, 'join' a joined worker); PostgreSQL only. */
	part?: string;
	env?: NodeJS.ProcessEnv;
}

export async function openStoreAt(location: string, options: OpenOptions = {}): Promise<StoreWriter> {
	if (!isPostgresUrl(location)) return openStore(location);
	const { openPostgresStore } = await import('./postgres/index.js');
	return openPostgresStore(location, options);
}

export async function openReaderAt(location: string, options: OpenOptions = {}): Promise<StoreReader> {
	if (!isPostgresUrl(location)) return openStoreReader(location);
	const { openPostgresReader } = await import('./postgres/index.js');
	return openPostgresReader(location, options);
}
