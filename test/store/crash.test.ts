/**
 * Crash safety and concurrency with real processes: kill -9 a writer at random moments (also in the
 * middle of checkpoints), resume, and check every sample is stored exactly once and the file always
 * opens; two writers on one store at once lose and duplicate nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { openStoreReader, listJournals } from '../../runtime/src/store/index.js';
import { tempDir } from './helpers.js';

const child = path.join(__dirname, 'fixtures', 'writer-child.ts');

interface ChildRun {
	indexes: Set<number>;
	done: boolean;
	code: number | null;
	signal: NodeJS.Signals | null;
	stderr: string;
}

/** Runs the writer child; with `killAfter`, kill -9 it once it has recorded that many samples. */
function runChild(args: string[], options: { killAfter?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ChildRun> {
	return new Promise((resolve) => {
		const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
		const result: ChildRun = { indexes: new Set(), done: false, code: null, signal: null, stderr: '' };
		let pending = '';
		proc.stdout.on('data', (chunk: Buffer) => {
			const lines = (pending + chunk.toString()).split('\n');
			pending = lines.pop()!;
			for (const line of lines) {
				if (line === 'done') result.done = true;
				else if (/^\d+$/.test(line)) {
					result.indexes.add(Number(line));
					if (options.killAfter !== undefined && result.indexes.size === options.killAfter) proc.kill('SIGKILL');
				}
			}
		});
		proc.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
		proc.on('close', (code, signal) => {
			Object.assign(result, { code, signal });
			resolve(result);
		});
	});
}

async function storedIndexes(db: string, experiment: string): Promise<{ indexes: number[]; errors: number }> {
	const reader = await openStoreReader(db);
	try {
		const indexes: number[] = [];
		let errors = 0;
		for await (const s of reader.allSamples(experiment, 'evals/sentiment.eval.ts::evalSentiment')) {
			indexes.push(s.index);
			if (s.error) errors++;
		}
		return { indexes, errors };
	} finally {
		await reader.close();
	}
}

test('kill -9 at random moments, then resume: every sample stored exactly once, the file always opens', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const count = 4000;
	// Tiny checkpoint threshold: checkpoints happen every few hundred samples, so kills hit them too.
	const env = { CHECKPOINT_BYTES: String(48 * 1024) };
	const handed = new Set<number>();
	let killed = 0;
	for (let round = 0; round < 5; round++) {
		const run = await runChild([db, 'crashy', String(count), '7'], { killAfter: 50 + Math.floor(Math.random() * 900), env });
		if (run.done) break;
		assert.equal(run.signal, 'SIGKILL', `child failed instead of being killed: ${run.stderr}`);
		killed++;
		for (const i of run.indexes) handed.add(i);
		// The store opens after every kill, and every sample handed to recordSample is there.
		const { indexes } = await storedIndexes(db, 'crashy');
		const stored = new Set(indexes);
		assert.equal(stored.size, indexes.length, 'a sample is stored twice');
		for (const i of run.indexes) assert.ok(stored.has(i), `sample ${i} was recorded before the kill but is missing`);
	}
	t.diagnostic(`killed ${killed} runs; ${handed.size} distinct samples recorded before kills`);
	assert.ok(killed >= 1, 'no run was killed');
	// Resume to the end (errored samples are retried: without errors this time).
	const last = await runChild([db, 'crashy', String(count), '0'], { env });
	assert.ok(last.done, `final run failed: ${last.stderr}`);
	const { indexes, errors } = await storedIndexes(db, 'crashy');
	assert.equal(indexes.length, count);
	assert.deepEqual(
		indexes,
		Array.from({ length: count }, (_, i) => i),
	);
	assert.equal(errors, 0, 'errored samples were re-run and replaced');
	assert.equal(listJournals(db).length, 0, 'every journal was checkpointed and removed');
	const reader = await openStoreReader(db);
	const evaluation = (await reader.getEvaluation('crashy', 'evalSentiment'))!;
	await reader.close();
	assert.equal(evaluation.status, 'completed');
	assert.equal(evaluation.summary.completed, count);
});

test('two writer processes on one store at once lose nothing and duplicate nothing', async (t) => {
	const db = path.join(tempDir(t), '.doteval');
	const env = { CHECKPOINT_BYTES: String(128 * 1024) };
	// Same experiment: one writer errors on every 5th sample, the other never does; plus another experiment.
	const [a, b, c] = await Promise.all([
		runChild([db, 'shared', '1500', '5'], { env }),
		runChild([db, 'shared', '1500', '0'], { env }),
		runChild([db, 'other', '800', '0'], { env }),
	]);
	for (const run of [a, b, c]) assert.ok(run.done, `writer failed: ${run.stderr}`);
	const shared = await storedIndexes(db, 'shared');
	assert.deepEqual(
		shared.indexes,
		Array.from({ length: 1500 }, (_, i) => i),
	);
	// Every index was recorded successfully by the second writer: a success is preferred over an error.
	const bothRecorded = [...a.indexes].filter((i) => i % 5 === 0 && b.indexes.has(i));
	assert.ok(shared.errors <= 300 - bothRecorded.length, `errors ${shared.errors} should have been replaced by successes`);
	const other = await storedIndexes(db, 'other');
	assert.equal(other.indexes.length, 800);
	assert.equal(listJournals(db).length, 0);
});
