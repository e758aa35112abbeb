/**
 * A PostgreSQL store's location: a `postgres://` (or `postgresql://`) URL. A password may be given in
 * the URL, but it never leaves this module: every message, log line and stored field shows the URL
 * without it, and users are told to prefer PGPASSWORD or ~/.pgpass (a URL shows in `ps` and in
 * shell history).
 */
import { parse } from 'pg-connection-string';

export { isPostgresUrl, redactUrl } from '../../contracts/storage.js';
import { isPostgresUrl, redactUrl } from '../../contracts/storage.js';

/** Removes the URL's password (as written and URL-decoded) from any text, e.g. a driver's error. */
export function redactText(text: string, url: string): string {
	if (!isPostgresUrl(url)) return text;
	let out = text.split(url).join(redactUrl(url));
	const password = passwordOf(url);
	if (password) {
		for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
	}
	return out;
}

export function passwordOf(url: string): string | undefined {
	try {
		return parse(url).password || undefined;
	} catch {
		return undefined;
	}
}

export interface ServerAddress {
	host: string;
	port: number;
	database: string;
	user: string;
}

/** Host, port, database and user, with libpq's defaults and PG* environment variables. */
export function addressOf(url: string, env: NodeJS.ProcessEnv = process.env): ServerAddress {
	const parsed = parse(url);
	const user = parsed.user || env.PGUSER || env.USER || 'postgres';
	return {
		host: parsed.host || env.PGHOST || 'localhost',
		port: Number(parsed.port || env.PGPORT || 5432),
		database: parsed.database || env.PGDATABASE || user,
		user,
	};
}

/** `user@host:port/database`, for messages. */
export function describeAddress(address: ServerAddress): string {
	return `${address.user}@${address.host.startsWith('/') ? `[socket ${address.host}]` : address.host}:${address.port}/${address.database}`;
}
