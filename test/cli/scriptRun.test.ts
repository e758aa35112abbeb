// run() from a plain `node` script (no CLI, no TypeScript loader): it stores into the same store as
// `doteval run`, under the same eval id, and resumes like it (completed samples skipped, errored
// and missing ones run again, an aborted run finished by the next one).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, repoRoot, runCli } from './helpers.ts';

before(ensureBuilt);

const evals = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const rows = Array.from({ length: 10 }, (_, i) => ({ n: i }));
export const evalParity = foreach('n', rows)(async ({ n }) => {
	if (process.env.FAIL_ON === String(n)) throw new Error('flaky ' + n);
	await new Promise((r) => setTimeout(r, 5));
	return new Result(exactMatch(n % 2, 0));
});
`;

// Options from the environment; ABORT_AFTER aborts through the signal once that many samples ended.
const script = `import { run } from 'doteval';
import { evalParity } from './evals.mjs';
const controller = new AbortController();
let ended = 0;
const result = await run(evalParity, {
	experiment: 'notebook', storage: 'results/store.db', concurrency: 2, signal: controller.signal,
	...(process.env.SAMPLES ? { samples: Number(process.env.SAMPLES) } : {}),
	onSample: () => { if (++ended === Number(process.env.ABORT_AFTER)) controller.abort(); },
});
console.log(JSON.stringify({
	evalId: result.evalId, status: result.status, alreadyDone: result.alreadyDone, ranNow: ended,
	records: result.records.map((r) => r.index), errored: result.records.filter((r) => r.error).map((r) => r.index),
	accuracy: result.summary.metrics[0]?.value, completed: result.summary.completed, storage: result.storage,
}));
`;

function project(): string {
	const dir = makeProject({ 'evals.mjs': evals, 'script.mjs': script });
	// A user's project: doteval installed in node_modules (here a link to this checkout's runtime).
	mkdirSync(path.join(dir, 'node_modules'));
	symlinkSync(path.join(repoRoot, 'runtime'), path.join(dir, 'node_modules', 'doteval'), 'dir');
	return dir;
}

function node(dir: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['script.mjs'], {
			cwd: dir,
			env: { ...process.env, DOTEVAL_STORAGE: '', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => {
			stdout += c;
		});
		child.stderr.on('data', (c: Buffer) => {
			stderr += c;
		});
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

test('run() stores the summary and records, and the next call resumes: errored rows again, done rows skipped', async () => {
	const dir = project();
	const first = await node(dir, { SAMPLES: '4', FAIL_ON: '2' });
	assert.equal(first.code, 0, first.stderr);
	const a = JSON.parse(first.stdout);
	assert.deepEqual([a.evalId, a.status, a.alreadyDone, a.records, a.errored, a.accuracy], ['evals.mjs::evalParity', 'completed', 0, [0, 1, 2, 3], [2], 0.25]);
	assert.ok(a.storage.startsWith(path.join(dir, 'results', 'store')), a.storage);

	const second = await node(dir); // all 10 rows now, nothing failing
	assert.equal(second.code, 0, second.stderr);
	const b = JSON.parse(second.stdout);
	assert.match(second.stderr, /resuming evals\.mjs::evalParity: 3 of 10 done/);
	assert.deepEqual([b.alreadyDone, b.ranNow, b.records, b.errored, b.accuracy, b.completed], [3, 7, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [], 0.5, 10]);

	// The CLI sees the same experiment and eval id, with nothing left to run.
	const cli = await runCli(['run', 'evals.mjs', '--experiment', 'notebook', '--storage', 'results/store.db', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(cli.code, ExitCode.Ok, cli.stderr);
	const start = cli.stdout
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l))
		.find((e) => e.type === 'eval-start');
	assert.deepEqual([start.evalId, start.alreadyDone], ['evals.mjs::evalParity', 10]);
});

test('an aborted run() stores what finished as interrupted; the next call finishes the rest', async () => {
	const dir = project();
	const aborted = await node(dir, { ABORT_AFTER: '3' });
	assert.equal(aborted.code, 0, aborted.stderr);
	const a = JSON.parse(aborted.stdout);
	assert.equal(a.status, 'interrupted');
	assert.ok(a.records.length >= 3 && a.records.length < 10, `stored ${a.records.length}`);
	const rest = JSON.parse((await node(dir)).stdout);
	assert.deepEqual([rest.status, rest.alreadyDone, rest.alreadyDone + rest.ranNow, rest.records.length], ['completed', a.records.length, 10, 10]);
});

test('run() refuses what is not an eval, and bad options, with a TypeError that says what it takes', async () => {
	const dir = project();
	const { run } = await import(path.join(repoRoot, 'runtime', 'dist', 'index.js'));
	await assert.rejects(
		run(() => 1),
		/run\(evalFn\): evalFn must be an eval made by foreach\(columns, dataset\)\(fn\); got the plain function/,
	);
	const { evalParity } = await import(path.join(dir, 'evals.mjs'));
	await assert.rejects(run(evalParity, { samples: 0 }), /samples must be a whole number ≥ 1; got 0/);
	await assert.rejects(run(evalParity, { experiment: ' ' }), /experiment must be a non-empty name/);
});
