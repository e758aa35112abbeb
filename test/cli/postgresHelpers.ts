/**
 * What the CLI tests against a real PostgreSQL server share: one server per test file (started by
 * `usePostgres()` in the file's before/after hooks), throwaway projects, and looks into the database.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { usePostgresServer, type PostgresServer } from '../postgres/usePostgresServer.js';
import { ensureBuilt, makeProject, type CliResult } from './helpers.js';

export type Server = PostgresServer;

/** Starts a server for this test file (after building the CLI); the returned getter gives it to the tests. */
export function usePostgres(): () => Server {
	return usePostgresServer({ beforeStart: ensureBuilt });
}

/** A project folder removed when the test ends. */
export function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
	const dir = makeProject(files);
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

export const dbName = (url: string) => new URL(url).pathname.slice(1);

export function ok(result: CliResult, what: string): CliResult {
	assert.equal(result.code, 0, `${what} exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
	return result;
}

/** Every stored index of the experiment's one evaluation, with how often it is stored, and how many are errors. */
export function storedIndexes(server: Server, url: string, experiment: string): { count: number; distinct: number; min: number; max: number; errors: number } {
	const [count, distinct, min, max, errors] = server
		.psql(
			dbName(url),
			`SELECT count(*), count(DISTINCT s.idx), min(s.idx), max(s.idx), count(*) FILTER (WHERE s.error_type IS NOT NULL)
		FROM doteval.samples s JOIN doteval.evaluations e ON e.id = s.evaluation_id JOIN doteval.experiments x ON x.id = e.experiment_id
		WHERE x.name = '${experiment.replaceAll("'", "''")}'`,
		)
		.trim()
		.split('|')
		.map(Number);
	return { count: count!, distinct: distinct!, min: min!, max: max!, errors: errors! };
}
