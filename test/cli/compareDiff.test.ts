// Comparing variants as processes: `doteval compare EXP…` (one side-by-side table) and
// `doteval diff A::evalX B::evalY` (two evals over one dataset, paired by index; refused otherwise).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, runCli } from './helpers.ts';

before(ensureBuilt);

// Two prompt variants written as separate evals over the same rows, and a third over other rows.
const variants = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const rows = Array.from({ length: 12 }, (_, i) => ({ n: i }));
export const evalPromptA = foreach('n', rows)(async ({ n }) => new Result(exactMatch(n % 3 === 0 ? 'x' : 'y', 'y')));
export const evalPromptB = foreach('n', rows)(async ({ n }) => new Result(exactMatch(n === 0 ? 'x' : 'y', 'y')));
export const evalOtherRows = foreach('n', rows.slice(0, 10))(async ({ n }) => new Result(exactMatch('y', 'y')));
export const evalGenerated = foreach('n', function* () { for (let n = 0; n < 12; n++) yield { n }; })(async ({ n }) => new Result(exactMatch('y', 'y')));
`;

async function project() {
	const dir = makeProject({ 'eval_variants.ts': variants });
	const storage = path.join(dir, 'store.db');
	const a = await runCli(
		[
			'run',
			'eval_variants.ts::evalPromptA',
			'eval_variants.ts::evalOtherRows',
			'eval_variants.ts::evalGenerated',
			'--experiment',
			'prompt_a',
			'--storage',
			storage,
		],
		{ cwd: dir },
	);
	assert.equal(a.code, ExitCode.Ok, a.stderr);
	const b = await runCli(['run', 'eval_variants.ts::evalPromptB', '--experiment', 'prompt_b', '--storage', storage], { cwd: dir });
	assert.equal(b.code, ExitCode.Ok, b.stderr);
	return { dir, storage };
}

test('diff A::evalX B::evalY pairs two evals over the same rows by index, with the paired statistics', async () => {
	const { dir, storage } = await project();
	const result = await runCli(['diff', 'prompt_a::evalPromptA', 'prompt_b::evalPromptB', '--storage', storage], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	// A fails n = 0, 3, 6, 9; B fails only n = 0: three fail→pass, none pass→fail.
	assert.match(result.stdout, /^Diff prompt_a::eval_variants\.ts::evalPromptA → prompt_b::eval_variants\.ts::evalPromptB\n/);
	assert.match(result.stdout, /Paired samples 12\n/);
	assert.match(result.stdout, /exactMatch {2}0\.667 {2}0\.917 {5}\+0\.250 {2}\[-0\.037, \+0\.537\]/);
	assert.match(result.stdout, /Pass\/fail {2}0 pass→fail, 3 fail→pass of 12 pairs · McNemar exact p = 0\.250/);
	assert.match(result.stdout, /fail → pass \(3\): #3 #6 #9/);
	// Ids work as well as names; JSON says which evals were paired.
	const json = await runCli(['diff', 'prompt_a::eval_variants.ts::evalPromptA', 'prompt_b::evalPromptB', '--json', '--storage', storage], { cwd: dir });
	assert.equal(json.code, ExitCode.Ok, json.stderr);
	const parsed = JSON.parse(json.stdout);
	assert.deepEqual(
		[parsed.comparisons[0].evalId, parsed.comparisons[0].evalIdB, parsed.comparisons[0].paired],
		['eval_variants.ts::evalPromptA', 'eval_variants.ts::evalPromptB', 12],
	);
	// Within one experiment too.
	const same = await runCli(['diff', 'prompt_a::evalPromptA', 'prompt_a::evalGenerated', '--storage', storage], { cwd: dir });
	assert.equal(same.code, ExitCode.EvalFailed);
	assert.match(same.stderr, /the dataset of prompt_a::eval_variants\.ts::evalGenerated has no fingerprint \(it is a generator or a function, read once\)/);
});

test('diff across evals over different rows is refused with the reason (exit 1); an unknown eval names the ones there are', async () => {
	const { dir, storage } = await project();
	const refused = await runCli(['diff', 'prompt_a::evalOtherRows', 'prompt_b::evalPromptB', '--storage', storage], { cwd: dir });
	assert.equal(refused.code, ExitCode.EvalFailed, refused.stderr);
	assert.equal(refused.stdout, '');
	assert.match(
		refused.stderr,
		/cannot pair prompt_a::eval_variants\.ts::evalOtherRows with prompt_b::eval_variants\.ts::evalPromptB by index: they scored different datasets \(fingerprint \w{12} vs \w{12}\)/,
	);
	const unknown = await runCli(['diff', 'prompt_a::evalNope', 'prompt_b::evalPromptB', '--storage', storage], { cwd: dir });
	assert.equal(unknown.code, ExitCode.EvalFailed);
	assert.match(
		unknown.stderr,
		/experiment 'prompt_a' has no evaluation 'evalNope'; it has: eval_variants\.ts::evalPromptA, eval_variants\.ts::evalOtherRows, eval_variants\.ts::evalGenerated/,
	);
	// Two experiments without evals named: the evaluations they share, as before (none here).
	const plain = await runCli(['diff', 'prompt_a', 'prompt_b', '--storage', storage], { cwd: dir });
	assert.equal(plain.code, ExitCode.EvalFailed);
	assert.match(plain.stderr, /no evaluation is in both 'prompt_a' and 'prompt_b'/);
});

test('compare EXP… prints one table of metrics, timing and dataset for every evaluation of the experiments', async () => {
	const { dir, storage } = await project();
	const result = await runCli(['compare', 'prompt_a', 'prompt_b', '--storage', storage], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const lines = result.stdout.split('\n');
	assert.equal(lines[0], 'Compare prompt_a, prompt_b');
	assert.match(
		lines[2]!,
		/^Experiment +Evaluation +Status +exactMatch\.accuracy +Samples +Errors +Wall +Samples\/s +p50 +p95 +Concurrency +Speedup +vs 1st +Dataset$/,
	);
	const row = (id: string) => lines.find((l) => l.includes(id))!;
	assert.match(
		row('::evalPromptA'),
		/^prompt_a +eval_variants\.ts::evalPromptA +completed +0\.667 \[0\.\d{3}, 0\.\d{3}\] +12\/12 +0 +[\d.]+ m?s +[\d.]+ +[\d.]+ m?s +[\d.]+ m?s +Sequential +[\d.]+× +1\.00× +([0-9a-f]{8})$/,
	);
	assert.match(row('::evalPromptB'), /^prompt_b +eval_variants\.ts::evalPromptB +completed +0\.917 /);
	const fingerprint = (id: string) => / ([0-9a-f]{8}|—)$/.exec(row(id))![1];
	assert.equal(fingerprint('::evalPromptA'), fingerprint('::evalPromptB'), 'same rows, same fingerprint');
	assert.notEqual(fingerprint('::evalOtherRows'), fingerprint('::evalPromptA'));
	assert.equal(fingerprint('::evalGenerated'), '—');

	const json = await runCli(['compare', 'prompt_a', 'prompt_b', '--evaluation', 'evalPromptB', '--json', '--storage', storage], { cwd: dir });
	assert.equal(json.code, ExitCode.Ok, json.stderr);
	assert.deepEqual(
		JSON.parse(json.stdout).rows.map((r: { experiment: string }) => r.experiment),
		['prompt_b'],
	);

	const missing = await runCli(['compare', 'prompt_a', 'nope', '--storage', storage], { cwd: dir });
	assert.equal(missing.code, ExitCode.EvalFailed);
	assert.match(missing.stderr, /nope/);
	const none = await runCli(['compare', '--storage', storage], { cwd: dir });
	assert.equal(none.code, ExitCode.Usage);
});
