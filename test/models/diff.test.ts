// Tokens and cost in `doteval diff`, as a user compares two runs: per evaluation and, over several
// evaluations, each experiment's totals, A → B with the delta; --json carries the same figures.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode, type EvalEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, repoRoot, runCli } from '../cli/helpers.ts';

before(ensureBuilt);

const mockUrl = pathToFileURL(path.join(repoRoot, 'examples', 'mock', 'llmApi.mjs')).href;

// PROMPT_PAD makes B's prompts longer: more input tokens, more cost. Prices are fixed for the test.
const evalFile = `import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { modelFetch } from 'doteval/models';
import { startLlmApi } from ${JSON.stringify(mockUrl)};

fixture('api', () => startLlmApi({ answer: () => 'yes' }), { scope: 'run', teardown: (api) => api.close() });
const post = modelFetch({ provider: 'mock', prices: { 'gpt-4o-mini': { input: 1000, output: 2000 } } });
const ask = async (api, q) => {
	const content = q + ' ' + 'word '.repeat(Number(process.env.PROMPT_PAD ?? 0));
	const res = await post(api.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }) });
	return new Result(exactMatch((await res.json()).choices[0].message.content, 'yes'));
};
export const evalFirst = new ForEach({ concurrency: 2 })('q', [['one'], ['two']])(async ({ q, api }) => ask(api, q));
export const evalSecond = new ForEach({ concurrency: 2 })('q', [['three']])(async ({ q, api }) => ask(api, q));
`;

test('doteval diff shows calls, tokens and cost A → B with deltas, per evaluation and per experiment', async () => {
	const dir = makeProject({ 'eval_usage.mjs': evalFile });
	try {
		const storage = path.join(dir, 'store');
		const ends: Record<string, EvalEndEvent[]> = {};
		for (const [name, pad] of [
			['short', '0'],
			['long', '20'],
		] as const) {
			const r = await runCli(['run', 'eval_usage.mjs', '-e', name, '--reporter', 'jsonl', '--storage', storage], { cwd: dir, env: { PROMPT_PAD: pad } });
			assert.equal(r.code, ExitCode.Ok, r.stderr);
			ends[name] = parseEvents(r.stdout).filter((e): e is EvalEndEvent => e.type === 'eval-end');
		}
		const m = (name: string, id: string) => ends[name]!.find((e) => e.evalId.endsWith(id))!.summary.models!;
		const [a1, b1] = [m('short', 'evalFirst'), m('long', 'evalFirst')];
		assert.ok(b1.inputTokens > a1.inputTokens, 'the longer prompts used more input tokens');

		const diff = await runCli(['diff', 'short', 'long', '--storage', storage], { cwd: dir });
		assert.equal(diff.code, ExitCode.Ok, diff.stderr);
		const out = diff.stdout;
		const int = (n: number) => n.toLocaleString('en-US');
		assert.match(out, /Models {3}A → B \(B − A\)/);
		assert.match(out, new RegExp(`tokens in +${int(a1.inputTokens)} → +${int(b1.inputTokens)}  \\(\\+${int(b1.inputTokens - a1.inputTokens)}\\)`), out);
		assert.match(out, /calls +2 → +2 {2}\(±0\)/);
		const totalIn = (name: string) => m(name, 'evalFirst').inputTokens + m(name, 'evalSecond').inputTokens;
		const totals = out.slice(out.indexOf('Experiment totals'));
		assert.match(totals, /Experiment totals \(2 evaluations with model calls\)/, out);
		assert.match(
			totals,
			new RegExp(`tokens in +${int(totalIn('short'))} → +${int(totalIn('long'))}  \\(\\+${int(totalIn('long') - totalIn('short'))}\\)`),
			totals,
		);
		assert.match(totals, /calls +3 → +3 {2}\(±0\)/);
		assert.match(totals, /cost +\$\S+ → +\$\S+ {2}\(\+\$\S+\)/);

		const json = JSON.parse((await runCli(['diff', 'short', 'long', '--json', '--storage', storage], { cwd: dir })).stdout);
		const first = json.comparisons.find((c: { evalId: string }) => c.evalId.endsWith('evalFirst'));
		// The stored summary's counts, as the run reported them (its rates are recomputed from stored wall times).
		const counts = (x: typeof a1) => ({ calls: x.calls, cacheHits: x.cacheHits, inputTokens: x.inputTokens, outputTokens: x.outputTokens, costUsd: x.costUsd });
		assert.deepEqual(counts(first.models.a), counts(a1));
		assert.deepEqual(counts(first.models.b), counts(b1));
		assert.equal(json.totals.models.a.inputTokens, totalIn('short'));
		assert.equal(json.totals.models.b.inputTokens, totalIn('long'));
		const cost = (name: string) => m(name, 'evalFirst').costUsd! + m(name, 'evalSecond').costUsd!;
		assert.ok(Math.abs(json.totals.models.b.costUsd - cost('long')) < 1e-12);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
