// Output into pipes: a reader that goes away (`doteval list | head`) ends the command quietly, and a
// slow reader never makes Node warn about a listener leak.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { cliPath, ensureBuilt, makeProject, runCli } from './helpers.ts';

before(ensureBuilt);

/** Runs the CLI, reads `keep` bytes of its stdout, then closes the pipe (as `head -c` does). */
function readThenClose(args: string[], cwd: string, keep: number): Promise<{ code: number | null; stderr: string }> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd,
		env: { ...process.env, DOTEVAL_STORAGE: '', DOTEVAL_LOG: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let got = 0;
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk;
	});
	child.stdout.on('data', (chunk: Buffer) => {
		got += chunk.length;
		if (got >= keep) child.stdout.destroy();
	});
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** Runs the CLI with a reader that takes 4 KiB every 5 ms; returns stderr and how much was read. */
function slowReader(args: string[], cwd: string): Promise<{ code: number | null; stderr: string; bytes: number }> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd,
		env: { ...process.env, DOTEVAL_STORAGE: '', DOTEVAL_LOG: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	let bytes = 0;
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk;
	});
	child.stdout.pause();
	const timer = setInterval(() => {
		let chunk: Buffer | null;
		let taken = 0;
		while (taken < 4096 && (chunk = child.stdout.read() as Buffer | null) !== null) {
			bytes += chunk.length;
			taken += chunk.length;
		}
	}, 5);
	return new Promise((resolve) =>
		child.on('close', (code) => {
			clearInterval(timer);
			resolve({ code, stderr, bytes });
		}),
	);
}

test('doteval list | head: past the pipe buffer, the closed pipe ends list quietly (exit 0, no EPIPE)', async () => {
	const dir = makeProject({
		'eval_one.ts': `import { foreach, Result } from 'doteval';\nimport { exactMatch } from 'doteval/evaluators';\nexport const evalOne = foreach('n', [1])(({ n }) => new Result(exactMatch(n, 1)));\n`,
	});
	const long = 'x'.repeat(100_000); // one list line longer than a pipe's buffer
	for (const name of [long, `${long}y`]) assert.equal((await runCli(['run', '--experiment', name], { cwd: dir })).code, ExitCode.Ok);
	for (const args of [['list'], ['list', '--json'], ['show', long], ['diff', long, `${long}y`]]) {
		const result = await readThenClose(args, dir, 100);
		assert.equal(result.code, ExitCode.Ok, `${args[0]}: ${result.stderr.slice(0, 400)}`);
		assert.doesNotMatch(result.stderr, /EPIPE|Unhandled|internal error/, args[0]);
	}
});

test('a slow reader of show --full and export: no MaxListenersExceededWarning', async () => {
	const rows = 4000;
	const dir = makeProject({
		'eval_many.ts': `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
export const evalMany = foreach('text', Array.from({ length: ${rows} }, (_, i) => 'row ' + i + ' '.repeat(200)))(({ text }) => new Result(exactMatch(text, text), { prompt: text }));
`,
	});
	assert.equal((await runCli(['run', '--experiment', 'many'], { cwd: dir })).code, ExitCode.Ok);
	for (const args of [
		['show', 'many', '--full'],
		['show', 'many', '--full', '--json'],
		['export', 'many', '--format', 'jsonl'],
		['export', 'many', '--format', 'csv'],
	]) {
		const result = await slowReader(args, dir);
		assert.equal(result.code, ExitCode.Ok, `${args.join(' ')}: ${result.stderr}`);
		assert.ok(result.bytes > rows * 60, `${args.join(' ')} wrote everything (${result.bytes} bytes)`);
		assert.doesNotMatch(result.stderr, /MaxListenersExceededWarning|memory leak/, args.join(' '));
	}
	assert.ok(path.isAbsolute(dir));
});

test('more than 10 samples in back-off at once: no MaxListenersExceededWarning', async () => {
	const dir = makeProject({
		'eval_backoff.ts': `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const tries = new Map();
class RateLimitError extends Error { status = 429; }
const each = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 30 }) });
export const evalBackoff = each('n', Array.from({ length: 30 }, (_, i) => i))(async ({ n }) => {
	tries.set(n, (tries.get(n) ?? 0) + 1);
	if (tries.get(n) === 1) throw new RateLimitError('slow down');
	return new Result(exactMatch(n, n));
});
`,
	});
	const result = await runCli(['run', '--experiment', 'backoff', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.equal(result.stdout.split('\n').filter((l) => l.includes('"sample-end"') && l.includes('"attempts":2')).length, 30, 'every sample retried once');
	assert.doesNotMatch(result.stderr, /MaxListenersExceededWarning|memory leak/);
});
