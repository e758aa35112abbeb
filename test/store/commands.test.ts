/** list/show/rename/delete/diff/export on a store written through the writer API. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../runtime/src/store/index.js';
import { ExitCode } from '../../runtime/src/protocol/events.js';
import { runCommand, sample, start, tempDir } from './helpers.js';

/** Two experiments of 40 samples: in "after", 2 and 5 went pass→fail and 0, 3, 6 … fail→pass. */
async function fixture(t: { after(fn: () => void): void }): Promise<{ db: string; dir: string }> {
	const dir = tempDir(t);
	const db = path.join(dir, '.doteval');
	const store = await openStore(db);
	for (const experiment of ['before', 'after']) {
		const writer = await store.beginEvaluation(start(experiment, 'evalSentiment', { total: 40 }));
		for (let i = 0; i < 40; i++) {
			const pass = experiment === 'before' ? i % 3 !== 0 : i !== 2 && i !== 5;
			writer.recordSample(sample(i, { pass, error: experiment === 'before' && i === 39 ? 'RateLimitError' : undefined, latencyMs: 100 + i }));
		}
		await writer.finish('completed', { wallMs: 1100, maxInFlight: 4 });
	}
	await store.close();
	return { db, dir };
}

test('list shows experiments with kind, evaluation count and status', async (t) => {
	const { db, dir } = await fixture(t);
	const r = await runCommand('list', ['--storage', db], { cwd: dir });
	assert.equal(r.code, ExitCode.Ok);
	const lines = r.stdout.trim().split('\n');
	assert.match(lines[0]!, /^EXPERIMENT\s+KIND\s+EVALS\s+STATUS\s+UPDATED$/);
	assert.match(r.stdout, /^after\s+named\s+1\s+completed\s+\d{4}-\d\d-\d\d /m);
	assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when not a terminal');
	const filtered = await runCommand('list', ['--name', 'bef', '--storage', db], { cwd: dir });
	assert.doesNotMatch(filtered.stdout, /after/);
	const json = JSON.parse((await runCommand('list', ['--json', '--storage', db], { cwd: dir })).stdout);
	assert.deepEqual(json.experiments.map((e: { name: string }) => e.name).sort(), ['after', 'before']);
});

test('show prints metrics with intervals, errors by type and timing; --errors, --full and --json', async (t) => {
	const { db, dir } = await fixture(t);
	const r = await runCommand('show', ['before', '--storage', db], { cwd: dir });
	assert.equal(r.code, ExitCode.Ok, r.stderr);
	assert.match(r.stdout, /evals\/sentiment\.eval\.ts::evalSentiment\s+completed/);
	assert.match(r.stdout, /Samples\s+40 of 40 stored, 1 error/);
	// 26 of 39 pass, the error counts as a failure: 26/40 = 0.650; excluding errors 26/39 = 0.667.
	assert.match(r.stdout, /exactMatch\s+accuracy\s+0\.650\s+\[0\.\d{3}, 0\.\d{3}\]\s+0\.667/);
	assert.match(r.stdout, /Errors\s+1\/40 \(2\.5%\): RateLimitError 1/);
	assert.match(r.stdout, /wall 1\.10 s · 36\.36 samples\/s · latency p50 119 ms, p90 135 ms, p99 139 ms/);
	assert.match(r.stdout, /SlidingWindow\(maxConcurrency=4\), max in flight 4 · speedup 4\.35×/);
	const errors = await runCommand('show', ['before', '--errors', '--storage', db], { cwd: dir });
	assert.match(errors.stdout, /#39\s+error.*row \{"text":"review number 39","expected":"positive"\}.*RateLimitError: RateLimitError on sample 39/);
	const full = await runCommand('show', ['before', '--full', '--storage', db], { cwd: dir });
	assert.equal(full.stdout.split('\n').filter((l) => /^\s+#\d+/.test(l)).length, 40);
	const json = JSON.parse((await runCommand('show', ['before', '--json', '--errors', '--storage', db], { cwd: dir })).stdout);
	assert.equal(json.evaluations[0].summary.errors, 1);
	assert.deepEqual(
		json.evaluations[0].samples.map((s: { index: number }) => s.index),
		[39],
	);
	const unknown = await runCommand('show', ['befor', '--storage', db], { cwd: dir });
	assert.equal(unknown.code, ExitCode.EvalFailed);
	assert.match(unknown.stderr, /no experiment named 'befor'; experiments: (after, before|before, after)/);
	const badEval = await runCommand('show', ['before', '--evaluation', 'nope', '--storage', db], { cwd: dir });
	assert.match(badEval.stderr, /has no evaluation 'nope'; it has: evals\/sentiment\.eval\.ts::evalSentiment/);
});

test('diff pairs samples by index: deltas, McNemar, pass→fail and fail→pass lists', async (t) => {
	const { db, dir } = await fixture(t);
	const r = await runCommand('diff', ['before', 'after', '--storage', db], { cwd: dir });
	assert.equal(r.code, ExitCode.Ok, r.stderr);
	assert.match(r.stdout, /Paired samples 40/);
	// before 26/40 (error as 0), after 38/40.
	assert.match(r.stdout, /exactMatch\s+0\.650\s+0\.950\s+\+0\.300\s+\[\+0\.\d{3}, \+0\.\d{3}\]/);
	assert.match(r.stdout, /pass → fail \(2\): #2 #5\n/);
	assert.match(r.stdout, /fail → pass \(14\): #0 #3 #6 #9 #12 #15 #18 #21 #24 #27 #30 #33 #36 #39\n/);
	// McNemar exact on 2 vs 14: p = 2·P(X ≤ 2 | n = 16) = 2·137/65536.
	const json = JSON.parse((await runCommand('diff', ['before', 'after', '--json', '--storage', db], { cwd: dir })).stdout);
	assert.ok(Math.abs(json.comparisons[0].mcnemarP - (2 * 137) / 65536) < 1e-12);
	const missing = await runCommand('diff', ['before', 'nope', '--storage', db], { cwd: dir });
	assert.equal(missing.code, ExitCode.EvalFailed);
	assert.match(missing.stderr, /no experiment named 'nope'/);
});

test('export as jsonl and csv, to stdout or a file', async (t) => {
	const { db, dir } = await fixture(t);
	const jsonl = await runCommand('export', ['before', '--format', 'jsonl', '--storage', db], { cwd: dir });
	const lines = jsonl.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l));
	assert.equal(lines.length, 40);
	assert.deepEqual(Object.keys(lines[0]).slice(0, 4), ['experiment', 'evalId', 'evaluation', 'index']);
	assert.equal(lines[39].error.type, 'RateLimitError');
	const out = await runCommand('export', ['before', '--format', 'csv', '--output', 'out.csv', '--storage', db], { cwd: dir });
	assert.equal(out.code, ExitCode.Ok);
	assert.match(out.stderr, /Exported 40 samples/);
	const csv = readFileSync(path.join(dir, 'out.csv'), 'utf8').trimEnd().split('\r\n');
	assert.equal(csv.length, 41);
	assert.match(csv[0]!, /^experiment,eval_id,index,row,.*,score:exactMatch$/);
	assert.match(csv[1]!, /^before,evals\/sentiment\.eval\.ts::evalSentiment,0,"\{""text"":""review number 0"",""expected"":""positive""\}",/);
	const bad = await runCommand('export', ['before', '--storage', db], { cwd: dir }).catch((e: Error) => e);
	assert.match((bad as Error).message, /--format jsonl, csv or sqlite is required/);
});

test('rename, and delete: asks on a terminal, refuses in a script without --yes', async (t) => {
	const { db, dir } = await fixture(t);
	const renamed = await runCommand('rename', ['before', 'baseline', '--storage', db], { cwd: dir });
	assert.equal(renamed.code, ExitCode.Ok, renamed.stderr);
	let list = (await runCommand('list', ['--storage', db], { cwd: dir })).stdout;
	assert.match(list, /^baseline\s/m);
	assert.doesNotMatch(list, /^before\s/m);
	const clash = await runCommand('rename', ['baseline', 'after', '--storage', db], { cwd: dir });
	assert.equal(clash.code, ExitCode.EvalFailed);
	assert.match(clash.stderr, /'after' already exists/);

	const script = await runCommand('delete', ['baseline', '--storage', db], { cwd: dir });
	assert.equal(script.code, ExitCode.Usage);
	assert.match(script.stderr, /pass --yes/);
	const declined = await runCommand('delete', ['baseline', '--storage', db], { cwd: dir, isTTY: true, input: 'n\n' });
	assert.match(declined.stdout, /Delete experiment 'baseline' \(1 evaluation, 40 samples\)\? \[y\/N\] Nothing deleted/);
	const confirmed = await runCommand('delete', ['baseline', '--storage', db], { cwd: dir, isTTY: true, input: 'y\n' });
	assert.equal(confirmed.code, ExitCode.Ok);
	const yes = await runCommand('delete', ['after', '--yes', '--storage', db], { cwd: dir });
	assert.match(yes.stdout, /Deleted experiment 'after'/);
	list = (await runCommand('list', ['--storage', db], { cwd: dir })).stdout;
	assert.match(list, /No experiments yet/);
	const gone = await runCommand('delete', ['after', '--yes', '--storage', db], { cwd: dir });
	assert.match(gone.stderr, /no experiment named 'after'; the store has no experiments yet/);
});

test('rename and delete refuse an experiment that a live process is writing', async (t) => {
	const { db, dir } = await fixture(t);
	// This process is a live writer of 'before' (its journal is not checkpointed yet).
	const store = await openStore(db);
	const writer = await store.beginEvaluation(start('before'));
	writer.recordSample(sample(40));
	for (const [name, argv] of [
		['rename', ['before', 'b2']],
		['delete', ['before', '--yes']],
	] as const) {
		const r = await runCommand(name, [...argv, '--storage', db], { cwd: dir });
		assert.equal(r.code, ExitCode.EvalFailed, `${name} should refuse`);
		assert.match(r.stderr, new RegExp(`experiment 'before' is being run right now \\(process ${process.pid}\\)`));
	}
	await writer.finish('completed');
	await store.close();
	const renamed = await runCommand('rename', ['before', 'b2', '--storage', db], { cwd: dir });
	assert.equal(renamed.code, ExitCode.Ok, renamed.stderr);
});

test('export --format sqlite writes chosen experiments into one ordinary SQLite file', async (t) => {
	const { db, dir } = await fixture(t);
	const { execFileSync } = await import('node:child_process');
	const out = path.join(dir, 'one.db');
	const r = await runCommand('export', ['--format', 'sqlite', '--output', out, '--storage', db], { cwd: dir });
	assert.equal(r.code, ExitCode.Ok, r.stderr);
	assert.match(r.stderr, /Exported 2 experiments \(80 samples\) to /);
	const sql = (q: string) => execFileSync('sqlite3', [out, q], { encoding: 'utf8' }).trim();
	assert.equal(sql('PRAGMA integrity_check'), 'ok');
	assert.equal(
		sql(`SELECT x.name, count(*), sum(s.error_type IS NOT NULL), sum(sc.value) FROM samples s JOIN evaluations e ON e.id = s.evaluation_id
		JOIN experiments x ON x.id = e.experiment_id LEFT JOIN scores sc ON sc.sample_id = s.id GROUP BY x.name ORDER BY x.name`),
		'after|40|0|38.0\nbefore|40|1|26.0',
	);
	const one = await runCommand('export', ['before', '--format', 'sqlite', '--output', out, '--storage', db], { cwd: dir });
	assert.equal(one.code, ExitCode.Ok, one.stderr);
	assert.equal(sql('SELECT group_concat(name) FROM experiments'), 'before');
	await assert.rejects(runCommand('export', ['--format', 'sqlite', '--storage', db], { cwd: dir }), /--output FILE is required/);
	const unknown = await runCommand('export', ['nope', '--format', 'sqlite', '--output', out, '--storage', db], { cwd: dir });
	assert.equal(unknown.code, ExitCode.EvalFailed);
});
