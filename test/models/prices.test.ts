// Prices as a user sets them: a client's `prices` option wins over the default table, the cost in
// the run's events and in `doteval show` follows it, and a wrong table is refused with the fix.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode, type EvalEndEvent, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { defaultPrices, defaultPricesAsOf, modelFetch, modelMiddleware, setPrices } from '../../runtime/src/models/index.js';
import { ensureBuilt, makeProject, parseEvents, repoRoot, runCli } from '../cli/helpers.ts';

before(ensureBuilt);

const mockUrl = pathToFileURL(path.join(repoRoot, 'examples', 'mock', 'llmApi.mjs')).href;

const pricedEval = (prices: string) => `import { ForEach, fixture, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { modelFetch } from 'doteval/models';
import { startLlmApi } from ${JSON.stringify(mockUrl)};

fixture('api', () => startLlmApi({ answer: () => 'yes' }), { scope: 'run', teardown: (api) => api.close() });
const post = modelFetch({ provider: 'mock', prices: ${prices} });
export const evalPriced = new ForEach({ concurrency: 2 })('q', [['one'], ['two']])(async ({ q, api }) => {
	const res = await post(api.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini-2024-07-18', messages: [{ role: 'user', content: q }] }) });
	return new Result(exactMatch((await res.json()).choices[0].message.content, 'yes'));
});
`;

test("a client's prices option wins over the default table, in the run's events and in show", async () => {
	const dir = makeProject({ 'eval_priced.mjs': pricedEval(`{ 'gpt-4o-mini': { input: 1000, output: 2000 } }`) });
	try {
		const storage = path.join(dir, 'store');
		const r = await runCli(['run', 'eval_priced.mjs', '-e', 'priced', '--reporter', 'jsonl', '--storage', storage], { cwd: dir });
		assert.equal(r.code, ExitCode.Ok, r.stderr);
		const events = parseEvents(r.stdout);
		const samples = events.filter((e): e is SampleEndEvent => e.type === 'sample-end');
		assert.equal(samples.length, 2);
		assert.ok(
			samples.every((s) => s.passed),
			JSON.stringify(samples.map((s) => s.error)),
		);
		for (const s of samples) {
			const m = s.models!;
			assert.ok(m.inputTokens > 0 && m.outputTokens > 0);
			// The longest prefix (gpt-4o-mini) of the dated model id, at the client's price, not the default 0.15 / 0.60.
			assert.ok(Math.abs(m.costUsd! - (m.inputTokens * 1000 + m.outputTokens * 2000) / 1e6) < 1e-12, `cost ${m.costUsd}`);
		}
		const end = events.find((e): e is EvalEndEvent => e.type === 'eval-end')!;
		const total = samples.reduce((a, s) => a + s.models!.costUsd!, 0);
		assert.ok(Math.abs(end.summary.models!.costUsd! - total) < 1e-12);
		const shown = await runCli(['show', 'priced', '--storage', storage], { cwd: dir });
		assert.equal(shown.code, ExitCode.Ok, shown.stderr);
		assert.ok(shown.stdout.includes(`$${total.toPrecision(2)}`), `show prints the total cost $${total.toPrecision(2)}:\n${shown.stdout}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a wrong prices table is refused with the shape it needs', async () => {
	const dir = makeProject({ 'eval_priced.mjs': pricedEval(`{ 'gpt-4o-mini': { input: '0.15' } }`) });
	try {
		const r = await runCli(['run', 'eval_priced.mjs', '--storage', path.join(dir, 'store')], { cwd: dir });
		assert.notEqual(r.code, ExitCode.Ok);
		assert.match(
			r.stdout + r.stderr,
			/modelFetch: the price of gpt-4o-mini must be \{ input, output \} in USD per 1M tokens, both numbers ≥ 0; got \{"input":"0\.15"\}/,
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	assert.throws(() => modelMiddleware({ prices: [] as never }), /modelMiddleware: prices must be an object of model-id prefix/);
	assert.throws(() => modelFetch({ prices: { x: { input: -1, output: 1 } } }), /modelFetch: the price of x must be/);
	assert.throws(() => setPrices({ x: { input: 1, output: Number.NaN } }), /setPrices: the price of x must be/);
});

test('the default table says when it was written', () => {
	assert.match(defaultPricesAsOf, /^\d{4}-\d{2}-\d{2}$/);
	assert.ok(Object.isFrozen(defaultPrices));
});
