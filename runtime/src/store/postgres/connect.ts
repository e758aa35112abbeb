// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- programs that compile this file as a root (the type tests) do not include the folder, so the declaration is referenced here
/// <reference path="./pgpass.d.ts" />
/**
 * Connecting to the PostgreSQL store: a pool of connections with the password from the URL, else
 * PGPASSWORD, else ~/.pgpass (or PGPASSFILE). Driver failures become StoreErrors that say what to fix
 * and never contain the password.
 */
import pg from 'pg';
import { parse } from 'pg-connection-string';
import pgpass from 'pgpass';
import { StoreError } from '../errors.js';
import { addressOf, describeAddress, passwordOf, redactText, redactUrl, type ServerAddress } from './location.js';

// Numeric columns come back as numbers: bigint (int8) holds epoch milliseconds and counts here,
// far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

export interface ConnectOptions {
	env?: NodeJS.ProcessEnv;
	/** Connections this process keeps open (default 4). */
	poolSize?: number;
	/** Give up connecting after this long (default 10 s). */
	connectTimeoutMs?: number;
}

export function createPool(url: string, options: ConnectOptions = {}): pg.Pool {
	const env = options.env ?? process.env;
	const { password: _inUrl, ...parsed } = parse(url);
	const address = addressOf(url, env);
	const pool = new pg.Pool({
		...(parsed as pg.PoolConfig),
		host: address.host,
		port: address.port,
		database: address.database,
		user: address.user,
		// A function, so the driver never holds a password it did not need, and a missing one is an
		// authentication failure (which we explain) instead of the driver's crash on `undefined`.
		password: () => findPassword(url, env),
		max: options.poolSize ?? 4,
		connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
		idleTimeoutMillis: 10_000,
		application_name: 'doteval',
	});
	// An idle connection that the server closes must not crash the process; the next query reconnects.
	pool.on('error', () => {});
	return pool;
}

/** Where libpq looks: the URL, then PGPASSWORD, then the password file (PGPASSFILE, else ~/.pgpass). */
async function findPassword(url: string, env: NodeJS.ProcessEnv): Promise<string> {
	const inUrl = passwordOf(url);
	if (inUrl) return inUrl;
	if (env.PGPASSWORD) return env.PGPASSWORD;
	const address = addressOf(url, env);
	const found = await fromPasswordFile(address, env);
	if (found) return found;
	// The server asked for a password and there is none: say where to put one (not the driver's
	// "client password must be a string").
	throw Object.assign(new Error('no password given'), { code: '28P01' });
}

/** The pgpass package reads process.env (PGPASSFILE, HOME, and skips the file when PGPASSWORD is set, even empty): give it ours. */
function fromPasswordFile(address: ServerAddress, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	const saved = { PGPASSFILE: process.env.PGPASSFILE, HOME: process.env.HOME, PGPASSWORD: process.env.PGPASSWORD };
	const set = (name: keyof typeof saved, value: string | undefined) => {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	};
	set('PGPASSFILE', env.PGPASSFILE || undefined);
	set('HOME', env.HOME ?? saved.HOME);
	set('PGPASSWORD', undefined);
	return new Promise((resolve) => {
		pgpass({ host: address.host, port: address.port, database: address.database, user: address.user }, (password) => {
			for (const [name, value] of Object.entries(saved)) set(name as keyof typeof saved, value);
			resolve(password || undefined);
		});
	});
}

/** A driver or network error as a StoreError that names the fix (and never the password). */
export function connectionError(error: unknown, url: string, env: NodeJS.ProcessEnv = process.env): StoreError {
	const e = error as Error & { code?: string };
	const where = describeAddress(addressOf(url, env));
	const detail = redactText(e?.message ?? String(error), url);
	switch (e?.code) {
		case '28P01':
		case '28000':
			return new StoreError(
				`PostgreSQL refused the login ${where}: ${detail}. Check the user, and set the password in PGPASSWORD or a ~/.pgpass line (not in the URL)`,
			);
		case '3D000':
			return new StoreError(
				`the PostgreSQL database in ${redactUrl(url)} does not exist (${detail}); create it with \`createdb\` or CREATE DATABASE, then run again`,
			);
		case 'ECONNREFUSED':
		case 'ENOTFOUND':
		case 'EHOSTUNREACH':
		case 'ETIMEDOUT':
		case 'ENOENT':
		case 'EAI_AGAIN':
			return new StoreError(`cannot reach the PostgreSQL server ${where} (${e.code}): is it running, and are the host and port in ${redactUrl(url)} right?`);
		default:
			if (/timeout/i.test(detail)) return new StoreError(`cannot reach the PostgreSQL server ${where}: ${detail}; is it running and reachable from here?`);
			return new StoreError(`PostgreSQL store ${redactUrl(url)}: ${detail}`);
	}
}
