/**
 * A real LSP client for tests: spawns `node dist/server.js --stdio` and speaks JSON-RPC to it,
 * recording every notification so tests can wait for one (no sleeps).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const repoRoot = path.resolve(__dirname, '../..');
const serverJs = path.join(repoRoot, 'dist/server.js');

function newestMtime(dir: string): number {
	return Math.max(
		...readdirSync(dir, { withFileTypes: true }).map((e) => {
			const full = path.join(dir, e.name);
			return e.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
		}),
	);
}

/**
 * `npm test` builds first (`node esbuild.mjs`); a lone `run-tests.mjs server` run after an edit
 * rebuilds the server bundle only, with esbuild.mjs's options for it. Not the whole esbuild.mjs:
 * that deletes runtime/dist, which tests running in parallel use. Written to a temporary file and
 * renamed, so test files building at the same time never see half a bundle.
 */
export function ensureServerBuilt(): void {
	const newest = Math.max(newestMtime(path.join(repoRoot, 'server/src')), newestMtime(path.join(repoRoot, 'runtime/src')));
	if (existsSync(serverJs) && statSync(serverJs).mtimeMs >= newest && existsSync(path.join(repoRoot, 'dist/sql-wasm.wasm'))) return;
	const tmp = path.join(repoRoot, 'dist', `.server.${process.pid}.js`);
	const script = `require('esbuild').buildSync({ entryPoints: ['server/src/server.ts'], outfile: ${JSON.stringify(tmp)}, bundle: true, target: 'node20', format: 'cjs', platform: 'node', mainFields: ['module', 'main'], logLevel: 'error' });
		require('fs').copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');`;
	mkdirSync(path.join(repoRoot, 'dist'), { recursive: true });
	const built = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' });
	if (built.status !== 0) throw new Error(`building dist/server.js failed:\n${built.stderr}`);
	renameSync(tmp, serverJs);
}

export interface Notification {
	method: string;
	params: any;
}

export class LspClient {
	readonly notifications: Notification[] = [];
	readonly serverRequests: string[] = [];
	private waiters: Array<() => void> = [];
	stderr = '';

	private constructor(
		readonly proc: ChildProcess,
		readonly conn: MessageConnection,
	) {}

	static start(): LspClient {
		const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
		const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
		const client = new LspClient(proc, conn);
		proc.stderr!.on('data', (d) => (client.stderr += String(d)));
		conn.onNotification((method, params) => {
			client.notifications.push({ method, params });
			client.wake();
		});
		conn.onRequest((method) => {
			client.serverRequests.push(method);
			client.wake();
			return null;
		});
		conn.listen();
		return client;
	}

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}

	/** Resolve with the first notification (from index `from` on) that matches. */
	async waitFor(method: string, match: (params: any) => boolean = () => true, from = 0, timeoutMs = 15_000): Promise<any> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.notifications.slice(from).find((n) => n.method === method && match(n.params));
			if (found) return found.params;
			if (Date.now() > deadline)
				throw new Error(`no ${method} within ${timeoutMs} ms; got: ${this.notifications.map((n) => n.method).join(', ')}\nstderr: ${this.stderr}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 200);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** Retry a request until its answer satisfies `ok` (for effects that arrive through fs.watch). */
	async poll<T>(request: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await request();
			if (ok(value) || Date.now() > deadline) return value;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	request<T = any>(method: string, params: unknown): Promise<T> {
		return this.conn.sendRequest(method, params) as Promise<T>;
	}

	notify(method: string, params: unknown): Promise<void> {
		return this.conn.sendNotification(method, params);
	}

	async stop(): Promise<number | null> {
		const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
		await this.request('shutdown', null);
		await this.notify('exit', null);
		const code = await exited;
		this.conn.dispose();
		return code;
	}
}
