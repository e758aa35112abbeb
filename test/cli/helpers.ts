/**
 * Runs the built CLI (runtime/dist/cli.js) as a real process, and makes throw-away eval projects.
 * Builds the runtime once when cli.js is missing (npm test builds before running tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEventLine, type RunEvent } from '../../runtime/src/protocol/events.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** DOTEVAL_TEST_CLI runs the tests against another build of the CLI (e.g. a copy outside the tree). */
export const cliPath = process.env.DOTEVAL_TEST_CLI || path.join(repoRoot, 'runtime', 'dist', 'cli.js');

export function ensureBuilt(): void {
	if (existsSync(cliPath)) return;
	const result = spawnSync(process.execPath, ['esbuild.mjs', '--no-types'], { cwd: repoRoot, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('node esbuild.mjs --no-types failed');
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface CliOptions {
	cwd: string;
	env?: Record<string, string>;
}

export function startCli(args: string[], { cwd, env = {} }: CliOptions): { child: ChildProcess; done: Promise<CliResult>; stdoutLines: () => string[] } {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd,
		env: { ...process.env, DOTEVAL_STORAGE: '', DOTEVAL_LOG: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString('utf8');
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString('utf8');
	});
	const done = new Promise<CliResult>((resolve) => {
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
	return { child, done, stdoutLines: () => stdout.split('\n').filter(Boolean) };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
	return startCli(args, options).done;
}

export function parseEvents(stdout: string): RunEvent[] {
	return stdout.split('\n').filter(Boolean).map(parseEventLine);
}

/**
 * A temporary project folder (package.json with "type": "module") holding the given files. It has
 * no node_modules: `import … from 'doteval'` resolves to the CLI's own runtime (the fallback).
 */
export function makeProject(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-cli-'));
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cli-test', private: true, type: 'module' }));
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
		writeFileSync(path.join(dir, name), text);
	}
	return dir;
}

/** An eval file over `rows` numbers whose samples each wait `delayMs` (async) and pass when even. */
export function numbersEval(name: string, rows: number, delayMs: number, window = 1): string {
	return `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const data = Array.from({ length: ${rows} }, (_, i) => i);
const each = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: ${window} }) });
export const ${name} = each('n', data)(async ({ n }) => {
	await new Promise((r) => setTimeout(r, ${delayMs}));
	return new Result(exactMatch(String(n % 2), '0'), { prompt: 'n=' + n });
});
`;
}

/** Polls until check() is true (or throws after timeoutMs). */
export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
