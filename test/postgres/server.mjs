// A real, throwaway PostgreSQL server for tests, benchmarks and e2e scenarios: Debian's `postgresql`
// binaries (scripts/postgres-setup.sh installs them), a fresh cluster made by initdb in a temporary
// directory, listening on a free 127.0.0.1 port and on a unix socket in that directory. PostgreSQL
// refuses to run as root, so as root the cluster belongs to a dedicated system user (`doteval-pg`,
// created when missing) and every server command runs through `runuser`.
//
// The superuser `postgres` has a random password (scram-sha-256 over TCP), so tests exercise real
// password authentication; `env` holds it as PGPASSWORD, the way users are told to pass it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const serverUser = process.env.DOTEVAL_PG_USER || 'doteval-pg';

/** The newest installed PostgreSQL's bin folder (PG_BIN overrides), or undefined when none is. */
export function postgresBinDir() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/** Why no test server can start here (a message naming the fix), or undefined when one can. */
export function postgresUnavailable() {
	return postgresBinDir() ? undefined : "PostgreSQL is not installed: run `bash scripts/postgres-setup.sh` (installs Debian's postgresql package)";
}

const isRoot = () => process.getuid?.() === 0;

function ensureServerUser() {
	if (!isRoot()) return undefined;
	if (spawnSync('id', ['-u', serverUser]).status !== 0) {
		execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', serverUser], { stdio: 'pipe' });
	}
	return {
		uid: Number(execFileSync('id', ['-u', serverUser]).toString().trim()),
		gid: Number(execFileSync('id', ['-g', serverUser]).toString().trim()),
	};
}

/** Runs a PostgreSQL binary as the server user (through runuser when we are root). */
function asServerUser(bin, args, options = {}) {
	const [command, argv] = isRoot() ? ['runuser', ['-u', serverUser, '--', bin, ...args]] : [bin, args];
	const result = spawnSync(command, argv, { encoding: 'utf8', cwd: '/', ...options });
	if (result.status !== 0) {
		throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const running = new Set();
// A test file that crashes must not leave servers behind.
process.once('exit', () => {
	for (const server of running) server.stopSync();
});

/**
 * Start a server. Returns { host, port, socketDir, user, password, env, url(db), stop() }.
 * `options.fsync` (default false): tests do not need durability against power loss; benchmarks
 * that compare with the embedded store's fsynced journal turn it on.
 */
export async function startPostgres(options = {}) {
	const bin = postgresBinDir();
	if (!bin) throw new Error(postgresUnavailable());
	const owner = ensureServerUser();
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-pg-'));
	const data = path.join(dir, 'data');
	const password = randomBytes(12).toString('hex');
	const pwfile = path.join(dir, 'pwfile');
	writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
	if (owner) {
		chownSync(dir, owner.uid, owner.gid);
		chownSync(pwfile, owner.uid, owner.gid);
	}
	chmodSync(dir, 0o755);
	try {
		asServerUser(path.join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			'postgres',
			`--pwfile=${pwfile}`,
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
			'--no-sync',
		]);
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	rmSync(pwfile, { force: true });
	let port;
	for (let attempt = 0; ; attempt++) {
		port = await freePort();
		const settings = [
			`-p ${port}`,
			`-k ${dir}`,
			"-c listen_addresses='127.0.0.1'",
			`-c fsync=${options.fsync ? 'on' : 'off'}`,
			`-c synchronous_commit=${options.fsync ? 'on' : 'off'}`,
			'-c max_connections=200',
			'-c shared_buffers=64MB',
		].join(' ');
		try {
			asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
			break;
		} catch (error) {
			// Another process took the port between our probe and the server's bind: try another one.
			if (attempt >= 3) {
				rmSync(dir, { recursive: true, force: true });
				throw error;
			}
		}
	}
	const server = {
		host: '127.0.0.1',
		port,
		socketDir: dir,
		user: 'postgres',
		password,
		/** What a user sets: the password in PGPASSWORD, never in the URL. */
		env: { PGPASSWORD: password },
		url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
		/** The same server through its unix socket (no password: local connections are trusted). */
		socketUrl: (database = 'postgres') => `postgres://postgres@/${database}?host=${encodeURIComponent(dir)}`,
		/** A new, empty database; returns its URL. */
		createDatabase(name = `db_${randomBytes(4).toString('hex')}`) {
			asServerUser(path.join(bin, 'psql'), [
				'-h',
				dir,
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				'postgres',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				`CREATE DATABASE "${name.replaceAll('"', '""')}"`,
			]);
			return server.url(name);
		},
		/** Runs SQL with psql over the socket (tests that inspect the database directly). */
		psql(database, sql) {
			return asServerUser(path.join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
		},
		stopSync() {
			if (!running.has(server)) return;
			running.delete(server);
			spawnSync(
				isRoot() ? 'runuser' : path.join(bin, 'pg_ctl'),
				[...(isRoot() ? ['-u', serverUser, '--', path.join(bin, 'pg_ctl')] : []), '-D', data, '-m', 'immediate', '-w', 'stop'],
				{ stdio: 'ignore', cwd: '/' },
			);
			rmSync(dir, { recursive: true, force: true });
		},
		async stop() {
			server.stopSync();
		},
	};
	running.add(server);
	return server;
}
