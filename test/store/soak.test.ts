/**
 * Soak (issue 10): kill -9 at random points of runs of fast (sub-millisecond) samples, with frequent
 * checkpoints in a worker; after every kill `show`, `list` (as processes) and the reader API, and at
 * the end a resume, each finish within a deadline: no command can spin. Then every sample is stored
 * exactly once and every file passes sqlite3's integrity check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openStoreReader } from '../../runtime/src/store/index.js';
import { ensureBuilt, startCli, type CliResult } from '../cli/helpers.js';
import { collect, storeIntegrity, tempDir } from './helpers.js';

ensureBuilt();

const COUNT = 20_000;
const source = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
function* rows() { for (let i = 0; i < ${COUNT}; i++) yield { n: i }; }
export const evalFast = foreach('n', rows)(({ n }) => new Result(exactMatch(n % 5 === 0 ? 'a' : 'b', 'b'), { prompt: 'p' + n }));
`;
const env = { DOTEVAL_CHECKPOINT_BYTES: String(256 * 1024) };

/** Runs the CLI with a deadline; killAfter sends SIGKILL on purpose once that many samples streamed; past the deadline it is a failure. */
async function run(args: string[], cwd: string, deadlineMs: number, killAfter?: number): Promise<CliResult> {
	const { child, done } = startCli(args, { cwd, env });
	let spun = false;
	let ended = 0;
	if (killAfter !== undefined) {
		child.stdout!.on('data', (chunk: Buffer) => {
			ended += chunk.toString().split('"type":"sample-end"').length - 1;
			if (ended >= killAfter) child.kill('SIGKILL');
		});
	}
	const deadline = setTimeout(() => {
		spun = true;
		child.kill('SIGKILL');
	}, deadlineMs);
	const result = await done;
	clearTimeout(deadline);
	assert.ok(!spun, `doteval ${args.join(' ')} did not finish within ${deadlineMs} ms\n${result.stderr.slice(-2000)}`);
	return result;
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

test('soak: kill -9 at random points of fast runs; show, list, the reader and resume always finish', async (t) => {
	const project = tempDir(t);
	writeFileSync(path.join(project, 'package.json'), '{"type":"module"}');
	writeFileSync(path.join(project, 'eval_fast.ts'), source);
	const store = path.join(project, '.doteval');
	let kills = 0;
	for (let round = 0; round < 8; round++) {
		const result = await run(
			['run', 'eval_fast.ts', '--experiment', 'soak', '--reporter', 'jsonl'],
			project,
			120_000,
			1 + Math.floor(Math.random() * COUNT * 0.4),
		);
		if (result.signal !== 'SIGKILL') {
			assert.equal(result.code, 0, result.stderr);
			break;
		}
		kills++;
		const show = await run(['show', 'soak'], project, 60_000);
		assert.ok(show.code === 0 || /no experiment named 'soak'/.test(show.stderr), show.stderr);
		assert.equal((await run(['list'], project, 60_000)).code, 0);
		const reader = await within(openStoreReader(store), 60_000, 'openStoreReader');
		const evaluation = await within(reader.getEvaluation('soak', 'evalFast'), 60_000, 'getEvaluation');
		if (evaluation) await within(reader.samples('soak', 'evalFast', { filter: 'failed', limit: 10 }), 60_000, 'a page of samples');
		await reader.close();
		assert.equal(storeIntegrity(store), 'ok', `after kill ${kills}`);
		t.diagnostic(`kill ${kills}: ${evaluation?.summary.completed ?? 0} stored, status ${evaluation?.status ?? 'none'}`);
	}
	const resume = await run(['run', 'eval_fast.ts', '--experiment', 'soak'], project, 180_000);
	assert.equal(resume.code, 0, resume.stderr);
	const reader = await openStoreReader(store);
	const indexes = (await collect(reader.allSamples('soak', 'evalFast'))).map((s) => s.index);
	const evaluation = (await reader.getEvaluation('soak', 'evalFast'))!;
	await reader.close();
	assert.equal(indexes.length, COUNT, 'no sample lost or duplicated');
	assert.deepEqual(
		indexes,
		Array.from({ length: COUNT }, (_, i) => i),
	);
	assert.equal(evaluation.status, 'completed');
	assert.equal(evaluation.summary.completed, COUNT);
	assert.equal(storeIntegrity(store), 'ok');
	t.diagnostic(`${kills} kills`);
	assert.ok(kills > 0, 'no run was killed: the kills came too late to test anything');
});
