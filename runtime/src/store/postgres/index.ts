/**
 * The PostgreSQL team store: `--storage postgres://user@host:port/db`. One database holds everyone's
 * experiments; many processes on many machines write into it at once. See docs/postgres.md.
 */
import { createPool, connectionError, type ConnectOptions } from './connect.js';
import { redactUrl } from './location.js';
import { migrate } from './schema.js';
import { StoreError } from '../errors.js';
import { PgStoreReader } from './reader.js';
import { PgStoreWriter, type PgWriterOptions } from './writer.js';

export { isPostgresUrl, redactUrl, redactText } from './location.js';
export { PgStoreReader } from './reader.js';
export { PgStoreWriter, type PgEvaluationWriter, type PgWriterOptions } from './writer.js';
export { WorkQueue } from './workQueue.js';
export { schemaVersion } from './schema.js';

export type OpenPostgresOptions = ConnectOptions & PgWriterOptions;

async function connect(url: string, options: ConnectOptions) {
	const pool = createPool(url, options);
	try {
		const client = await pool.connect();
		try {
			await migrate(client);
		} finally {
			client.release();
		}
	} catch (error) {
		await pool.end().catch(() => {});
		throw error instanceof StoreError ? error : connectionError(error, url, options.env);
	}
	return pool;
}

/** Open for writing: connects, creates or migrates the schema. Errors are StoreErrors without the password. */
export async function openPostgresStore(url: string, options: OpenPostgresOptions = {}): Promise<PgStoreWriter> {
	return new PgStoreWriter(redactUrl(url), await connect(url, options), url, options);
}

/** Open for reading (the schema is still brought up to date: a reader may be the first to connect). */
export async function openPostgresReader(url: string, options: ConnectOptions = {}): Promise<PgStoreReader> {
	return new PgStoreReader(redactUrl(url), await connect(url, options), url);
}
