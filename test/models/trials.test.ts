// Trials through the CLI, as a user runs them: `trials: k` / `--trials k` against the local mock API,
// each trial its own cache entries (a replay gives every trial its own recorded answer), resume that
// runs only the missing trials, and pass@k / pass^k / unstable rows in the summary, `show` and `diff`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode, type EvalEndEvent, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, repoRoot, runCli } from '../cli/helpers.ts';

before(ensureBuilt);

const mockUrl = pathToFileURL(path.join(repoRoot, 'examples', 'mock', 'llmApi.mjs')).href;

/**
 * Three rows against a mock whose answers depend on how often it was asked the same prompt:
 * "stable" is always right, "flaky" right on odd calls, "broken" never. With 3 trials: pass@3 = 2/3,
 * pass^3 = 1/3, one unstable row (#1). The fixture counts the calls that reach the API.
 */
function trialsEval(trials: number | undefined): string {
	return `import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { modelFetch } from 'doteval/models';
import { startLlmApi } from ${JSON.stringify(mockUrl)};

fixture('api', async () => {
	const calls = new Map();
	const api = await startLlmApi({ answer: (prompt) => {
		const n = (calls.get(prompt) ?? 0) + 1;
		calls.set(prompt, n);
		if (prompt.includes('broken')) return 'wrong';
		if (prompt.includes('flaky')) return n % 2 === 1 ? 'yes' : 'wrong';
		return 'yes';
	} });
	return api;
}, { scope: 'run', teardown: async (api) => { console.error('API_REQUESTS=' + api.stats.answered); await api.close(); } });

const post = modelFetch({ provider: 'mock' });
export const evalTrials = new ForEach({ concurrency: 3${trials ? `, trials: ${trials}` : ''} })('name', [['stable'], ['flaky'], ['broken']])(async ({ name, api }) => {
	const res = await post(api.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: name }] }) });
	const answer = (await res.json()).choices[0].message.content;
	return new Result(exactMatch(answer, 'yes'), { prompt: name, modelResponse: answer });
});
`;
}

const requests = (stderr: string): number => Number(/API_REQUESTS=(\d+)/.exec(stderr)?.[1] ?? NaN);

async function run(dir: string, args: string[]) {
	const result = await runCli(['run', 'eval_trials.mjs', '--reporter', 'jsonl', '--storage', path.join(dir, 'store'), ...args], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const events = parseEvents(result.stdout);
	return {
		samples: events.filter((e): e is SampleEndEvent => e.type === 'sample-end'),
		end: events.find((e): e is EvalEndEvent => e.type === 'eval-end')!,
		requests: requests(result.stderr),
	};
}

test('trials: k: each row runs k times; pass@k, pass^k and the unstable rows in the summary and in show', async () => {
	const dir = makeProject({ 'eval_trials.mjs': trialsEval(3) });
	try {
		const first = await run(dir, ['-e', 'three', '--cache', 'record']);
		assert.equal(first.samples.length, 9, 'three trials of three rows');
		assert.equal(first.requests, 9, 'every trial called the model');
		assert.deepEqual(first.samples.map((s) => `${s.index}/${s.trial ?? 0}`).sort(), ['0/0', '0/1', '0/2', '1/0', '1/1', '1/2', '2/0', '2/1', '2/2']);
		assert.equal(first.end.summary.total, 9, 'the evaluation covers rows × trials samples');
		assert.deepEqual(first.end.summary.trials, {
			k: 3,
			rows: 3,
			incomplete: 0,
			passAtK: 2 / 3,
			passHatK: 1 / 3,
			passAt1: 5 / 9,
			unstable: 1,
			unstableIndexes: [1],
		});

		const shown = await runCli(['show', 'three', '--full', '--storage', path.join(dir, 'store')], { cwd: dir });
		assert.equal(shown.code, ExitCode.Ok, shown.stderr);
		assert.match(shown.stdout, /Trials {4}3 per row · pass@3 66\.7% · pass\^3 33\.3% · pass@1 55\.6% \(over 3 rows\)/);
		assert.match(shown.stdout, /1 unstable row \(some trials pass, some fail\): #1\n/);
		// Which trial of the flaky row got its second (wrong) answer depends on the order the three
		// concurrent calls reached the mock: take it from the run's own events.
		const failedTrials = first.samples.filter((s) => s.index === 1 && s.passed === false).map((s) => s.trial ?? 0);
		assert.equal(failedTrials.length, 1, 'one trial of the flaky row failed');
		assert.match(shown.stdout, new RegExp(`#1/t${failedTrials[0]} +fail`), 'the sample lines name the trial');
		const json = JSON.parse((await runCli(['show', 'three', '--json', '--storage', path.join(dir, 'store')], { cwd: dir })).stdout);
		assert.deepEqual(json.evaluations[0].summary.trials, first.end.summary.trials, 'the stored summary agrees with the run');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('each trial has its own cache entries: a replay gives every trial the answer it recorded, without calls', async () => {
	const dir = makeProject({ 'eval_trials.mjs': trialsEval(3) });
	try {
		const recorded = await run(dir, ['-e', 'recorded', '--cache', 'record']);
		const cacheLines = readFileSync(path.join(dir, 'store', 'cache', 'responses.jsonl'), 'utf8')
			.trim()
			.split('\n');
		assert.equal(cacheLines.length, 9, 'one entry per (row, trial)');
		assert.equal(new Set(cacheLines.map((l) => JSON.parse(l).k)).size, 9, 'nine different keys');

		const replayed = await run(dir, ['-e', 'replayed', '--cache', 'replay']);
		assert.equal(replayed.requests, 0, 'no call reached the API');
		const answers = (r: typeof recorded) => r.samples.map((s) => `${s.index}/${s.trial ?? 0}=${s.modelResponse}`).sort();
		// With one key for every trial the flaky row would replay one answer three times (and be stable).
		assert.deepEqual(answers(replayed), answers(recorded));
		assert.ok(replayed.samples.every((s) => s.models?.cacheHits === 1));
		assert.equal(replayed.end.summary.trials?.unstable, 1);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('--trials resumes mid-trials: only the missing trials run; diff shows pass@k side by side', async () => {
	const dir = makeProject({ 'eval_trials.mjs': trialsEval(undefined) });
	try {
		const one = await run(dir, ['-e', 'grow', '--trials', '2']);
		assert.equal(one.samples.length, 6);
		assert.equal(one.end.summary.trials?.k, 2);
		const resumed = await run(dir, ['-e', 'grow', '--trials', '3']);
		assert.deepEqual(resumed.samples.map((s) => s.trial).sort(), [2, 2, 2], 'trials 0 and 1 were stored: only trial 2 ran');
		assert.equal(resumed.requests, 3);
		assert.equal(resumed.end.summary.completed, 9);
		assert.equal(resumed.end.summary.trials?.k, 3);
		assert.equal(resumed.end.summary.trials?.rows, 3);
		const again = await run(dir, ['-e', 'grow', '--trials', '3']);
		assert.equal(again.samples.length, 0, 'everything done: nothing runs');

		await run(dir, ['-e', 'single']);
		const diff = await runCli(['diff', 'single', 'grow', '--storage', path.join(dir, 'store')], { cwd: dir });
		assert.equal(diff.code, ExitCode.Ok, diff.stderr);
		assert.match(diff.stdout, /Trials {3}1 per row → 3 per row/);
		assert.match(diff.stdout, /pass\^k +— → +33\.3%/);
		assert.match(diff.stdout, /unstable {2}— → 1 \(#1\)/);
		assert.match(diff.stdout, /Paired samples 3 \(only in A: 0, only in B: 6\)/, 'trial t pairs with trial t');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('--trials rejects what is not a whole number from 1 to 1000, and trials: 0 names the fix', async () => {
	const dir = makeProject({
		'eval_trials.mjs': trialsEval(undefined),
		'eval_bad.mjs': `import { ForEach } from 'doteval';\nexport const evalBad = new ForEach({ trials: 0 })('n', [[1]])(async () => true);\n`,
	});
	try {
		for (const bad of ['0', '1.5', '5000']) {
			const r = await runCli(['run', 'eval_trials.mjs', '--trials', bad, '--storage', path.join(dir, 'store')], { cwd: dir });
			assert.equal(r.code, ExitCode.Usage, r.stderr);
			assert.match(r.stderr, /--trials expects/);
		}
		const r = await runCli(['run', 'eval_bad.mjs', '--storage', path.join(dir, 'store')], { cwd: dir });
		assert.notEqual(r.code, ExitCode.Ok);
		assert.match(r.stdout + r.stderr, /TypeError: trials must be an integer from 1 to 1000 \(how many times each row runs\); got the number 0/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a batch eval with trials: each trial of a batch is its own cache entry, and a replay gives each trial its answer', async () => {
	// One call per batch of two rows; the mock answers a prompt right on its odd calls only, so the
	// two trials of a batch get different answers when, and only when, each trial has its own key.
	const batchEval = `import { batch, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { modelFetch } from 'doteval/models';
import { startLlmApi } from ${JSON.stringify(mockUrl)};

fixture('api', async () => {
	const calls = new Map();
	const api = await startLlmApi({ answer: (prompt) => {
		const n = (calls.get(prompt) ?? 0) + 1;
		calls.set(prompt, n);
		return n % 2 === 1 ? 'yes' : 'wrong';
	} });
	return api;
}, { scope: 'run', teardown: async (api) => { console.error('API_REQUESTS=' + api.stats.answered); await api.close(); } });

const post = modelFetch({ provider: 'mock' });
export const evalBatchTrials = batch('name', [['a'], ['b'], ['c'], ['d']], { batchSize: 2, trials: 2, concurrency: 1 })(async ({ name, api }) => {
	const res = await post(api.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: name.join(',') }] }) });
	const answer = (await res.json()).choices[0].message.content;
	return name.map((n) => new Result(exactMatch(answer, 'yes'), { prompt: n, modelResponse: answer }));
});
`;
	const dir = makeProject({ 'eval_trials.mjs': batchEval });
	try {
		const recorded = await run(dir, ['-e', 'recorded', '--cache', 'record']);
		assert.equal(recorded.samples.length, 8, 'four rows × two trials');
		assert.equal(recorded.requests, 4, 'one call per batch and trial');
		const keys = readFileSync(path.join(dir, 'store', 'cache', 'responses.jsonl'), 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l).k);
		assert.equal(new Set(keys).size, 4, 'a cache entry per (batch, trial)');
		assert.equal(recorded.end.summary.trials?.unstable, 4, 'each row: one trial right, one wrong');

		const replayed = await run(dir, ['-e', 'replayed', '--cache', 'replay']);
		assert.equal(replayed.requests, 0, 'no call reached the API');
		const answers = (r: typeof recorded) => r.samples.map((s) => `${s.index}/${s.trial ?? 0}=${s.modelResponse}`).sort();
		assert.deepEqual(answers(replayed), answers(recorded));
		assert.equal(replayed.end.summary.trials?.unstable, 4);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
