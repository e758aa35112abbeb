/**
 * Crash safety of sealed segments with real processes and real files: kill -9 in the middle of a
 * checkpoint that rewrites a sealed segment, and of one that replaces the catalog (the process is
 * stopped after writing the temporary, before the rename, by DOTEVAL_TEST_CRASH_POINT); two and three
 * writers into one experiment at once. Every file must pass `PRAGMA integrity_check` afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listJournals, openStoreReader } from '../../runtime/src/store/index.js';
import { tempDir } from './helpers.js';

const child = path.join(__dirname, 'fixtures', 'writer-child.ts');
const id = 'evals/sentiment.eval.ts::evalSentiment';
const span = 100;

interface ChildRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	crashedAt?: string;
}

/** The writer child (see fixtures/writer-child.ts); with `crashPoint`, killed -9 once it waits there. */
function runChild(args: string[], crashPoint?: string): Promise<ChildRun> {
	return new Promise((resolve) => {
		const env = {
			...process.env,
			DOTEVAL_SEGMENT_SAMPLES: String(span),
			CHECKPOINT_BYTES: String(64 * 1024),
			...(crashPoint ? { DOTEVAL_TEST_CRASH_POINT: crashPoint } : {}),
		};
		const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const result: ChildRun = { code: null, signal: null, stdout: '', stderr: '' };
		proc.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
		proc.stderr.on('data', (chunk: Buffer) => {
			result.stderr += chunk.toString();
			const match = /crash point before replacing (\S+)/.exec(result.stderr);
			if (match && !result.crashedAt) {
				result.crashedAt = match[1];
				proc.kill('SIGKILL');
			}
		});
		proc.on('close', (code, signal) => resolve(Object.assign(result, { code, signal })));
	});
}

const sqlite3 = (db: string, sql: string): string => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();

/** Every SQLite file of the store (catalog and segments), with a hash of its bytes. */
function storeFiles(dir: string): Map<string, string> {
	const files = [
		path.join(dir, 'catalog.db'),
		...readdirSync(path.join(dir, 'evals'))
			.filter((n) => n.endsWith('.db'))
			.map((n) => path.join(dir, 'evals', n)),
	];
	return new Map(files.map((file) => [file, createHash('sha256').update(readFileSync(file)).digest('hex')]));
}

function assertIntegrity(dir: string): void {
	for (const file of storeFiles(dir).keys()) assert.equal(sqlite3(file, 'PRAGMA integrity_check'), 'ok', file);
}

async function stored(dir: string, experiment: string): Promise<{ indexes: number[]; errors: number }> {
	const reader = await openStoreReader(dir);
	try {
		const indexes: number[] = [];
		let errors = 0;
		for await (const s of reader.allSamples(experiment, id)) {
			indexes.push(s.index);
			if (s.error) errors++;
		}
		return { indexes, errors };
	} finally {
		await reader.close();
	}
}

for (const [what, pattern] of [
	['a sealed segment', '^evalSentiment-[0-9a-f]+\\.db$'],
	['the catalog', '^catalog\\.db$'],
] as const) {
	test(`kill -9 while a checkpoint replaces ${what}: the previous files are intact, the resume completes, every file passes integrity_check`, async (t) => {
		const dir = path.join(tempDir(t), '.doteval');
		// 450 samples in 5 segments; every 7th errors, so the resume rewrites sealed segment 0 (and the others).
		const first = await runChild([dir, 'big', '450', '7']);
		assert.equal(first.code, 0, first.stderr);
		assert.ok(readdirSync(path.join(dir, 'evals')).length >= 5);
		const before = storeFiles(dir);

		const crashed = await runChild([dir, 'big', '450', '0'], pattern);
		assert.equal(crashed.signal, 'SIGKILL', `the child was not stopped at the crash point: ${crashed.stderr}`);
		assert.match(path.basename(crashed.crashedAt!), new RegExp(pattern));
		// The file being replaced is untouched (its new version was only a temporary); journals are kept.
		assert.equal(storeFiles(dir).get(crashed.crashedAt!), before.get(crashed.crashedAt!), `${crashed.crashedAt} changed`);
		assertIntegrity(dir);
		assert.ok(listJournals(dir).length > 0, 'the journals of the killed checkpoint are kept');
		const meanwhile = await stored(dir, 'big');
		assert.deepEqual(
			meanwhile.indexes,
			Array.from({ length: 450 }, (_, i) => i),
			'readers see every sample after the kill',
		);

		const resumed = await runChild([dir, 'big', '450', '0']);
		assert.equal(resumed.code, 0, resumed.stderr);
		const after = await stored(dir, 'big');
		assert.deepEqual(
			after.indexes,
			Array.from({ length: 450 }, (_, i) => i),
			'0 lost, 0 duplicated',
		);
		assert.equal(after.errors, 0, 'the errored samples were retried and replaced');
		assert.equal(listJournals(dir).length, 0);
		assertIntegrity(dir);
		assert.deepEqual(
			readdirSync(path.join(dir, 'evals')).filter((n) => n.includes('.tmp-')),
			[],
			'the temporary of the killed checkpoint is removed',
		);
	});
}

for (const writers of [2, 3]) {
	test(`${writers} writer processes into one experiment at once: every index stored once across segments, every file passes integrity_check`, async (t) => {
		const dir = path.join(tempDir(t), '.doteval');
		// Each writer records all 700 indexes (7 segments); the first errors on every 4th sample.
		const runs = await Promise.all(Array.from({ length: writers }, (_, w) => runChild([dir, 'shared', '700', w === 0 ? '4' : '0'])));
		for (const run of runs) assert.equal(run.code, 0, run.stderr);
		const { indexes, errors } = await stored(dir, 'shared');
		assert.deepEqual(
			indexes,
			Array.from({ length: 700 }, (_, i) => i),
			'0 lost, 0 duplicated',
		);
		// A success recorded by another writer is never replaced by an error; an error gives way to a success.
		assert.ok(errors < 175, `${errors} errors left although other writers stored successes`);
		const reader = await openStoreReader(dir);
		const evaluation = (await reader.getEvaluation('shared', id))!;
		await reader.close();
		assert.equal(evaluation.summary.completed, 700);
		assert.equal(evaluation.summary.errors, errors);
		assert.equal(sqlite3(path.join(dir, 'catalog.db'), 'SELECT sum(samples), count(*) FROM segments'), '700|7');
		assert.equal(listJournals(dir).length, 0);
		assertIntegrity(dir);
	});
}
