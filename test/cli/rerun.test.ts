/**
 * `doteval run --rerun`: the editor's "current" experiment, where running a sample again replaces
 * that sample and keeps the others, so the eval's headline stays the whole dataset's.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode, type EvalEndEvent, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { openStoreReader } from '../../runtime/src/store/index.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

// Passes for even n; with FLIP=1 every sample passes (a fixed prompt, say).
const flipEval = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
export const evalFlip = foreach('n', [0, 1, 2, 3, 4, 5])(({ n }) =>
	new Result(exactMatch(process.env.FLIP === '1' ? '0' : String(n % 2), '0'), { prompt: 'n=' + n }));
`;

async function storedPassed(dir: string, experiment: string): Promise<{ passed: boolean | null; index: number }[]> {
	const reader = await openStoreReader(path.join(dir, '.doteval'));
	try {
		return (await reader.samples(experiment, 'eval_flip.ts::evalFlip', { limit: 100 })).samples.map((s) => ({ index: s.index, passed: s.passed }));
	} finally {
		await reader.close();
	}
}

const ofType = <T extends { type: string }>(events: { type: string }[], type: string) => events.filter((e) => e.type === type) as T[];

test('--rerun replaces the samples it runs and keeps the others; without it a run into the experiment resumes', async () => {
	const dir = makeProject({ 'eval_flip.ts': flipEval });
	const run = (args: string[], env: Record<string, string> = {}) =>
		runCli(['run', '--reporter', 'jsonl', '--experiment', 'current', ...args], { cwd: dir, env });
	const first = await run([]);
	assert.equal(first.code, ExitCode.Ok, first.stderr);
	assert.deepEqual(
		(await storedPassed(dir, 'current')).map((s) => s.passed),
		[true, false, true, false, true, false],
	);

	// Without --rerun sample 1 is done: a resume skips it.
	const resumed = parseEvents((await run(['--only-samples', '1'], { FLIP: '1' })).stdout);
	assert.deepEqual(
		ofType<SampleEndEvent>(resumed, 'sample-end').map((e) => e.index),
		[],
	);
	assert.equal((await storedPassed(dir, 'current'))[1]!.passed, false);

	// With --rerun it runs again and its new result replaces the old one; the headline stays 6 samples.
	const rerun = await run(['--only-samples', '1', '--rerun'], { FLIP: '1' });
	assert.equal(rerun.code, ExitCode.Ok, rerun.stderr);
	const events = parseEvents(rerun.stdout);
	assert.deepEqual(
		ofType<SampleEndEvent>(events, 'sample-end').map((e) => e.index),
		[1],
	);
	const end = ofType<EvalEndEvent>(events, 'eval-end')[0]!;
	assert.equal(end.summary.total, 6, 'the evaluation still covers the whole dataset');
	assert.equal(end.summary.completed, 6);
	assert.equal(end.summary.metrics[0]!.value, 4 / 6, "the eval-end summary is the experiment's, with sample 1 replaced");
	assert.deepEqual(
		(await storedPassed(dir, 'current')).map((s) => s.passed),
		[true, true, true, false, true, false],
	);

	// --samples N --rerun replaces the first N; the stored total stays 6.
	const firstTwo = await run(['--samples', '2', '--rerun']);
	assert.equal(firstTwo.code, ExitCode.Ok, firstTwo.stderr);
	assert.deepEqual(
		ofType<SampleEndEvent>(parseEvents(firstTwo.stdout), 'sample-end')
			.map((e) => e.index)
			.sort(),
		[0, 1],
	);
	assert.deepEqual(
		(await storedPassed(dir, 'current')).map((s) => s.passed),
		[true, false, true, false, true, false],
	);
	const reader = await openStoreReader(path.join(dir, '.doteval'));
	try {
		const evaluation = await reader.getEvaluation('current', 'eval_flip.ts::evalFlip');
		assert.equal(evaluation?.summary.total, 6);
		assert.equal(evaluation?.summary.completed, 6);
		assert.equal((await reader.listExperiments()).length, 1, 'every run went into the one experiment');
	} finally {
		await reader.close();
	}
});

test('--rerun with --workers-join is refused with the reason', async () => {
	const dir = makeProject({ 'eval_flip.ts': flipEval });
	const result = await runCli(['run', '--rerun', '--workers-join', '--experiment', 'x'], { cwd: dir });
	assert.equal(result.code, ExitCode.Usage);
	assert.match(result.stderr, /--rerun replaces samples and --workers-join shares/);
});
