// Quality gates as a user meets them: `doteval run` as a process with an eval's own threshold,
// --fail-under and --baseline; each passes (exit 0) and fails (exit 6, GateFailed) with its message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode, type EvalEndEvent, type RunEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

/** 20 rows; samples with n < PASS_UNTIL pass. `threshold` is the eval's own option (source text). */
function gatedEval(threshold = "{ 'exactMatch.accuracy': 0.8 }"): string {
	return `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
const until = Number(process.env.PASS_UNTIL ?? '20');
const data = Array.from({ length: 20 }, (_, i) => i);
const gated = new ForEach({ threshold: ${threshold} });
export const evalGated = gated('n', data)(async ({ n }) => new Result(exactMatch(n < until ? 'y' : 'n', 'y')));
`;
}

const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
	runCli(['run', '--storage', path.join(dir, 'store.db'), ...args], { cwd: dir, env });

test("an eval's own threshold passes at or above the minimum and fails below it with exit 6", async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval() });
	const pass = await run(dir, ['--experiment', 'a'], { PASS_UNTIL: '16' }); // 0.8 exactly: passes
	assert.equal(pass.code, ExitCode.Ok, pass.stderr);
	assert.match(pass.stdout, /gate ✓ +exactMatch\.accuracy 0\.800 \(95% CI [\d.]+–[\d.]+\) ≥ 0\.8 \(threshold\)/);

	const fail = await run(dir, ['--experiment', 'b', '--reporter', 'jsonl'], { PASS_UNTIL: '15' });
	assert.equal(fail.code, ExitCode.GateFailed, fail.stderr);
	assert.equal(ExitCode.GateFailed, 6);
	assert.match(fail.stderr, /quality gate failed \(exit 6\):\n {2}eval_gated\.ts::evalGated: exactMatch\.accuracy 0\.750 .*< 0\.8 \(threshold\)/);
	const events = parseEvents(fail.stdout);
	const end = events.find((e): e is EvalEndEvent => e.type === 'eval-end')!;
	assert.deepEqual(
		end.gates?.map((g) => [g.kind, g.source, g.passed, g.metric, g.value, g.min]),
		[['threshold', 'eval', false, 'exactMatch.accuracy', 0.75, 0.8]],
	);
	const runEnd = events.at(-1) as RunEndEvent;
	assert.deepEqual([runEnd.status, runEnd.exitCode], ['failed', 6]);
});

test('a threshold naming a metric the eval does not report fails instead of passing silently', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval("{ 'exactMatch.acuracy': 0.5 }") });
	const result = await run(dir, ['--experiment', 'typo']);
	assert.equal(result.code, ExitCode.GateFailed, result.stderr);
	assert.match(result.stderr, /threshold exactMatch\.acuracy ≥ 0\.5: the evaluation reports no such metric \(it reports: exactMatch\.accuracy\)/);
});

test('a malformed threshold option is a load error (exit 3) naming the accepted forms', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval("'high'") });
	const result = await run(dir, []);
	assert.equal(result.code, ExitCode.LoadError, result.stderr);
	assert.match(
		result.stdout,
		/threshold must be a number \(every metric of the eval must reach it\) or minimums by metric, such as \{ 'exactMatch\.accuracy': 0\.8 \}; got "high"/,
	);
});

test('--fail-under gates every eval reporting the metric; a bad spec is a usage error; a metric no eval reports fails', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval('0') });
	const pass = await run(dir, ['--fail-under', 'exactMatch.accuracy=0.5'], { PASS_UNTIL: '10' });
	assert.equal(pass.code, ExitCode.Ok, pass.stderr);
	const fail = await run(dir, ['--fail-under', 'accuracy=0.9'], { PASS_UNTIL: '17' });
	assert.equal(fail.code, ExitCode.GateFailed, fail.stderr);
	assert.match(fail.stderr, /exactMatch\.accuracy 0\.850 .*< 0\.9 \(--fail-under\)/);
	const repeated = await run(dir, ['--fail-under', 'accuracy=0.5', '--fail-under', 'exactMatch.accuracy=0.9,accuracy=0.1'], { PASS_UNTIL: '17' });
	assert.equal(repeated.code, ExitCode.GateFailed, repeated.stderr);
	assert.match(repeated.stdout, /gate ✓ +exactMatch\.accuracy 0\.850 .*≥ 0\.5/);
	assert.match(repeated.stdout, /gate ✗ +exactMatch\.accuracy 0\.850 .*< 0\.9/);

	const unknown = await run(dir, ['--fail-under', 'f1=0.5']);
	assert.equal(unknown.code, ExitCode.GateFailed, unknown.stderr);
	assert.match(unknown.stderr, /--fail-under f1=0\.5: no evaluation reports this metric \(reported: exactMatch\.accuracy\)/);

	for (const bad of ['accuracy', 'accuracy=high', '=0.5', 'exactMatch.=1']) {
		const usage = await run(dir, ['--fail-under', bad]);
		assert.equal(usage.code, ExitCode.Usage, `${bad}: ${usage.stderr}`);
		assert.match(usage.stderr, /--fail-under expects METRIC=MIN or SCORE\.METRIC=MIN, e\.g\. 'exactMatch\.accuracy=0\.8'/);
	}
});

test('--baseline fails on a significant paired drop with the effect and its interval, passes on noise, refuses an unknown baseline', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval('0') });
	assert.equal((await run(dir, ['--experiment', 'main'], { PASS_UNTIL: '20' })).code, ExitCode.Ok);

	// Two of 20 flipped: a drop within the noise of 20 pairs, so the gate passes and says so.
	const noise = await run(dir, ['--experiment', 'pr1', '--baseline', 'main'], { PASS_UNTIL: '18' });
	assert.equal(noise.code, ExitCode.Ok, noise.stderr);
	assert.match(
		noise.stdout,
		/gate ✓ +exactMatch no significant drop against baseline main: 1\.000 → 0\.900, Δ −0\.100 \[95% CI −0\.244, \+0\.044\] over 20 paired samples; McNemar p = 0\.500 \(2 pass→fail, 0 fail→pass\)/,
	);

	const drop = await run(dir, ['--experiment', 'pr2', '--baseline', 'main'], { PASS_UNTIL: '10' });
	assert.equal(drop.code, ExitCode.GateFailed, drop.stderr);
	assert.match(
		drop.stderr,
		/eval_gated\.ts::evalGated: exactMatch dropped against baseline main: 1\.000 → 0\.500, Δ −0\.500 \[95% CI −0\.740, −0\.260\] over 20 paired samples; McNemar p = 0\.002 \(10 pass→fail, 0 fail→pass\)/,
	);

	const missing = await run(dir, ['--experiment', 'pr3', '--baseline', 'nope']);
	assert.equal(missing.code, ExitCode.Usage, missing.stderr);
	assert.match(missing.stderr, /--baseline: no experiment named 'nope' in .*store(\.db)?; experiments: pr2, pr1, main/);
});

test('--baseline refuses to pair a changed dataset, and fails when no eval of the run is in the baseline', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval('0') });
	assert.equal((await run(dir, ['--experiment', 'main'])).code, ExitCode.Ok);
	const changed = makeProject({ 'eval_gated.ts': gatedEval('0').replace('length: 20', 'length: 21') });
	const refused = await runCli(
		['run', '--storage', path.join(dir, 'store.db'), '--experiment', 'pr', '--baseline', 'main', path.join(changed, 'eval_gated.ts')],
		{ cwd: changed },
	);
	// The other project's eval has the same id (same relative path and name) but other rows.
	assert.equal(refused.code, ExitCode.GateFailed, refused.stderr);
	assert.match(refused.stderr, /the dataset changed since the baseline ran \(fingerprint \w+ → \w+\), so its samples cannot be paired by index/);

	const other = makeProject({ 'eval_other.ts': gatedEval('0').replace('evalGated', 'evalOther') });
	const none = await runCli(['run', '--storage', path.join(dir, 'store.db'), '--baseline', 'main'], { cwd: other });
	assert.equal(none.code, ExitCode.GateFailed, none.stderr);
	assert.match(none.stdout, /not in baseline main: nothing to compare \(a new evaluation\)/);
	assert.match(none.stderr, /--baseline main: none of the evaluations that ran is in that experiment, so nothing was compared/);
});

test('a load error outranks a failed gate: exit 3, the gate still reported', async () => {
	const dir = makeProject({ 'eval_gated.ts': gatedEval(), 'eval_broken.ts': 'export const x = (;\n' });
	const result = await run(dir, [], { PASS_UNTIL: '0' });
	assert.equal(result.code, ExitCode.LoadError, result.stderr);
	assert.match(result.stdout, /gate ✗/);
});
