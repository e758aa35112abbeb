/** Shared helpers for the store tests: temporary stores, generated samples, commands run in-process. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command, CommandContext } from '../../runtime/src/cli/command.js';
import list from '../../runtime/src/cli/commands/list.js';
import show from '../../runtime/src/cli/commands/show.js';
import rename from '../../runtime/src/cli/commands/rename.js';
import del from '../../runtime/src/cli/commands/delete.js';
import diff from '../../runtime/src/cli/commands/diff.js';
import exportCommand from '../../runtime/src/cli/commands/export.js';

const commands: Record<string, Command> = { list, show, rename, delete: del, diff, export: exportCommand };
import type { EvaluationStart, SampleInfo } from '../../runtime/src/store/index.js';

export function tempDir(t: { after(fn: () => void): void }): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-store-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

export function start(experiment: string, evalName = 'evalSentiment', extra: Partial<EvaluationStart> = {}): EvaluationStart {
	return {
		experiment,
		evalId: `evals/sentiment.eval.ts::${evalName}`,
		name: evalName,
		file: '/project/evals/sentiment.eval.ts',
		strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
		gitCommit: null,
		runtimeVersion: '0.1.0',
		datasetFingerprint: 'fp-1',
		total: null,
		...extra,
	};
}

/** Sample `index`: passes unless `fail` says otherwise; an error when `error` is given. */
export function sample(index: number, options: { pass?: boolean; error?: string; latencyMs?: number; at?: number } = {}): SampleInfo {
	const pass = options.pass ?? true;
	const at = options.at ?? 1_700_000_000_000 + index * 10;
	const latencyMs = options.latencyMs ?? 40;
	return {
		index,
		row: { text: `review number ${index}`, expected: 'positive' },
		prompt: `Classify: review number ${index}`,
		modelResponse: options.error ? null : pass ? 'positive' : 'negative',
		scores: options.error ? [] : [{ name: 'exactMatch', value: pass, metrics: ['accuracy'], passed: pass }],
		error: options.error ? { type: options.error, message: `${options.error} on sample ${index}` } : null,
		passed: options.error ? false : pass,
		attempts: 1,
		timing: { queuedAt: at, startedAt: at, finishedAt: at + latencyMs, queueMs: 0, backoffMs: 0, latencyMs },
	};
}

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs `doteval <name> ...argv` in this process, as main.ts would, with captured streams. */
export async function runCommand(
	name: string,
	argv: string[],
	options: { cwd: string; isTTY?: boolean; input?: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
	const command = commands[name]!;
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const stdin = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	if (options.input !== undefined) stdin.end(options.input);
	const ctx: CommandContext = { cwd: options.cwd, env: options.env ?? {}, stdin, stdout, stderr, isTTY: options.isTTY ?? false };
	const code = await command.run(argv, ctx);
	return { code, stdout: out, stderr: err };
}

/** Every item of an async iterable (Array.fromAsync is Node 22+). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const all: T[] = [];
	for await (const item of items) all.push(item);
	return all;
}

/** `PRAGMA integrity_check` by the real sqlite3 command on every SQLite file of a store folder: 'ok', or what failed where. */
export function storeIntegrity(store: string): string {
	const files = [
		path.join(store, 'catalog.db'),
		...(existsSync(path.join(store, 'evals'))
			? readdirSync(path.join(store, 'evals'))
					.filter((n) => n.endsWith('.db'))
					.map((n) => path.join(store, 'evals', n))
			: []),
	].filter((file) => existsSync(file));
	const problems: string[] = [];
	for (const file of files) {
		const result = spawnSync('sqlite3', [file, 'PRAGMA integrity_check']);
		if (result.error) throw new Error('the sqlite3 command is missing: install it (Debian: apt-get install -y sqlite3)');
		const text = result.stdout.toString().trim();
		if (text !== 'ok') problems.push(`${file}: ${text}`);
	}
	return problems.length ? problems.join('\n') : 'ok';
}
