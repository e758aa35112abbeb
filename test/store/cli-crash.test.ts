/**
 * The store under the real `doteval run` (the built CLI, runtime/dist): checkpoints during the run
 * (in the writer's thread for segmented evaluations, in a worker for one-file ones); kill -9 at random moments, then resume — every sample stored exactly
 * once and the database file always passes sqlite3's integrity check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openStoreReader, listJournals } from '../../runtime/src/store/index.js';
import { collect, storeIntegrity, tempDir } from './helpers.js';

// DOTEVAL_TEST_CLI: test another build (e.g. a copy, while others rebuild runtime/dist).
const cli = process.env.DOTEVAL_TEST_CLI ?? path.resolve(__dirname, '../../runtime/dist/cli.js');
const COUNT = 5000;

const evalSource = `
import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

function* rows() {
	for (let i = 0; i < ${COUNT}; i++) yield { text: 'review ' + i + ' ' + 'x'.repeat(120), expected: i % 3 ? 'positive' : 'negative' };
}

export const evalMany = foreach('text,expected', rows)(async ({ text, expected }) => {
	await new Promise((resolve) => setTimeout(resolve, 1));
	return new Result(exactMatch(text.length % 2 ? 'positive' : 'negative', expected), { prompt: text });
});
`;

interface Run {
	code: number | null;
	signal: NodeJS.Signals | null;
	stderr: string;
	stdout: string;
}

/** Runs the CLI; with `killAfterSamples`, kill -9 it once that many sample-end events were streamed. */
function doteval(cwd: string, args: string[], killAfterSamples?: number): Promise<Run> {
	return new Promise((resolve) => {
		const env: NodeJS.ProcessEnv = { ...process.env, DOTEVAL_CHECKPOINT_BYTES: String(160 * 1024), DOTEVAL_DEBUG_STORE: '1' };
		delete env.DOTEVAL_STORAGE;
		const proc = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const run: Run = { code: null, signal: null, stderr: '', stdout: '' };
		let ended = 0;
		proc.stdout.on('data', (chunk: Buffer) => {
			const text = chunk.toString();
			run.stdout += text;
			ended += text.split('"type":"sample-end"').length - 1;
			if (killAfterSamples !== undefined && ended >= killAfterSamples) proc.kill('SIGKILL');
		});
		proc.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
		proc.on('close', (code, signal) => resolve({ ...run, code, signal }));
	});
}

const integrity = storeIntegrity;
/** The debug lines (DOTEVAL_DEBUG_STORE) of a checkpoint during a run, in a worker or in the writer's thread. */
const midRunCheckpoint = /checkpoint (in a worker|during the run in the writer's thread)/;

test('doteval run killed with -9 at random moments, then resumed: every sample exactly once', async (t) => {
	assert.ok(existsSync(cli), `${cli} is missing: build first (node esbuild.mjs --no-types, or npm test)`);
	const project = tempDir(t);
	writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
	writeFileSync(path.join(project, 'eval_many.ts'), evalSource);
	const db = path.join(project, '.doteval');
	let killed = 0;
	let midRunCheckpoints = 0;
	for (let round = 0; round < 4; round++) {
		const run = await doteval(project, ['run', 'eval_many.ts', '--experiment', 'crash', '--reporter', 'jsonl'], 100 + Math.floor(Math.random() * 1400));
		midRunCheckpoints += run.stderr.split('\n').filter((line) => midRunCheckpoint.test(line)).length;
		if (run.signal !== 'SIGKILL') {
			assert.equal(run.code, 0, run.stderr);
			break;
		}
		killed++;
		if (existsSync(db)) assert.equal(integrity(db), 'ok', `the database is damaged after kill ${killed}`);
		// doteval run stores a sample before it streams its sample-end event: each one streamed is stored.
		const streamed = run.stdout.split('\n').flatMap((line) => {
			try {
				const event = JSON.parse(line) as { type: string; index: number };
				return event.type === 'sample-end' ? [event.index] : [];
			} catch {
				return []; // the line the kill cut short
			}
		});
		const reader = await openStoreReader(db);
		const page = await reader.samples('crash', 'evalMany', { limit: 0 });
		const stored = new Set((await collect(reader.allSamples('crash', 'evalMany'))).map((s) => s.index));
		await reader.close();
		const lost = streamed.filter((i) => !stored.has(i));
		assert.deepEqual(lost, [], `samples streamed before kill ${killed} but not stored`);
		t.diagnostic(
			`kill ${killed}: ${page.total} samples stored; ${
				run.stderr
					.trim()
					.split('\n')
					.filter((l) => l.includes('resuming'))
					.join('') || 'fresh start'
			}`,
		);
	}
	const last = await doteval(project, ['run', 'eval_many.ts', '--experiment', 'crash']);
	assert.equal(last.code, 0, last.stderr);
	midRunCheckpoints += last.stderr.split('\n').filter((line) => midRunCheckpoint.test(line)).length;
	t.diagnostic(`${killed} kills, ${midRunCheckpoints} checkpoints during the runs`);
	assert.ok(midRunCheckpoints > 0, 'no checkpoint ran during the runs');
	assert.equal(integrity(db), 'ok');
	const reader = await openStoreReader(db);
	const indexes = (await collect(reader.allSamples('crash', 'evalMany'))).map((s) => s.index);
	const evaluation = (await reader.getEvaluation('crash', 'evalMany'))!;
	await reader.close();
	assert.deepEqual(
		indexes,
		Array.from({ length: COUNT }, (_, i) => i),
	);
	assert.equal(evaluation.status, 'completed');
	assert.deepEqual(listJournals(db), []);
	const show = await doteval(project, ['show', 'crash']);
	assert.equal(show.code, 0, show.stderr);
	assert.match(show.stdout, new RegExp(`Samples\\s+${COUNT}( of ${COUNT})? stored, 0 errors`));
});
