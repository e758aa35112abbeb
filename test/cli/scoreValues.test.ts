// Scores a metric cannot take (NaN, ±Infinity, a string, an accuracy of 2) are error records of
// their samples that name the score — never dropped from the metric or averaged in without a word.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

const samplesOf = (stdout: string) =>
	parseEvents(stdout)
		.flatMap((e) => (e.type === 'sample-end' ? [e] : []))
		.sort((a, b) => a.index - b.index);

test('4 of 5 scores NaN/±Infinity: 4 error records naming the score; the mean is not 0.5 of one value', async () => {
	const dir = makeProject({
		'eval_nan.ts': `import { foreach, Result, Score } from 'doteval';
import { mean } from 'doteval/evaluators';
export const evalNan = foreach('v', [0.5, NaN, Infinity, -Infinity, NaN])(({ v }) => new Result(new Score('ratio', v, [mean])));
`,
	});
	const result = await runCli(['run', '--experiment', 'nan', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const samples = samplesOf(result.stdout);
	assert.equal(samples[0]!.error, null);
	for (const s of samples.slice(1)) {
		assert.equal(s.error?.type, 'InvalidScoreError', JSON.stringify(s));
		assert.match(s.error!.message, /score 'ratio' is (NaN|Infinity|-Infinity) and feeds mean/);
	}
	const end = parseEvents(result.stdout).find((e) => e.type === 'eval-end');
	assert.ok(end?.type === 'eval-end');
	assert.equal(end.summary.errors, 4);
	assert.deepEqual(end.summary.errorsByType, { InvalidScoreError: 4 });
	const metric = end.summary.metrics.find((m) => m.metric === 'mean')!;
	assert.equal(metric.valueExcludingErrors, 0.5);
	assert.equal(metric.value, 0.1, 'the errors count, as errors do');
	const pretty = await runCli(['run', '--experiment', 'nan2'], { cwd: dir });
	assert.match(pretty.stdout, /4 errors/);
	assert.match(pretty.stdout, /InvalidScoreError ×4/);
});

test('accuracy fed 2, or a string, is refused with a message naming the score', async () => {
	const dir = makeProject({
		'eval_acc.ts': `import { foreach, Result, Score } from 'doteval';
import { accuracy } from 'doteval/evaluators';
export const evalAcc = foreach('v', [1, 2, 'yes', true, 0])(({ v }) => new Result(new Score('judge', v, [accuracy])));
`,
	});
	const result = await runCli(['run', '--experiment', 'acc', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const samples = samplesOf(result.stdout);
	assert.deepEqual(
		samples.map((s) => s.error?.type ?? null),
		[null, 'InvalidScoreError', 'InvalidScoreError', null, null],
	);
	assert.match(samples[1]!.error!.message, /score 'judge' is 2 and feeds accuracy, which takes true\/false or 1\/0/);
	assert.match(samples[2]!.error!.message, /score 'judge' is the string "yes" and feeds accuracy/);
	const show = await runCli(['show', 'acc'], { cwd: dir });
	assert.doesNotMatch(show.stdout, /2\.000/);
	assert.match(show.stdout, /InvalidScoreError 2/);
});

test('a score without metrics may hold any value', async () => {
	const dir = makeProject({
		'eval_free.ts': `import { foreach, Result, Score } from 'doteval';
export const evalFree = foreach('v', [NaN, 'text', 7])(({ v }) => new Result(new Score('note', v)));
`,
	});
	const result = await runCli(['run', '--experiment', 'free', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	assert.ok(samplesOf(result.stdout).every((s) => s.error === null));
});
