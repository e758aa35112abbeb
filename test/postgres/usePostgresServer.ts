/**
 * One real PostgreSQL server per test file (test/postgres/server.mjs), started in the file's
 * `before` hook and stopped in its `after` hook; the returned getter gives it to the tests.
 */
import { before, after } from 'node:test';
import { startPostgres, type PostgresServer } from './server.mjs';

export type { PostgresServer } from './server.mjs';

/** `beforeStart` runs first in the same hook (the CLI tests build the CLI there). */
export function usePostgresServer(options: { beforeStart?: () => void } = {}): () => PostgresServer {
	let server: PostgresServer | undefined;
	before(async () => {
		options.beforeStart?.();
		server = await startPostgres();
	});
	after(async () => {
		await server?.stop();
	});
	return () => {
		if (!server)
			throw new Error('the PostgreSQL test server is not started: call usePostgresServer() at the top level of the test file and use its getter inside tests');
		return server;
	};
}
