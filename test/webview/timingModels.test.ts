// The timing panel's model stats (doteval/models): tokens/s next to samples/s, tokens, cost, cache
// hits, budget and judge time — present only when the evaluation made model calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimingView } from '../../client/src/panels/timingData.js';
import { renderStats } from '../../client/src/webview/timingRender.js';
import { fakeDocument, type FakeElement } from './fakeDom.js';
import { evaluation, sample } from './fixtures.js';

const statText = (root: FakeElement, key: string): string | undefined => {
	for (const el of root.walk()) if (el.attributes.get('data-stat') === key) return [...el.texts()].map((t) => t.data).join(' ');
	return undefined;
};

test('the timing panel shows tokens/s, tokens, cost, cache hits, budget and judge time of model calls', () => {
	const models = {
		calls: 16,
		cacheHits: 4,
		cachedSamples: 2,
		inputTokens: 1200,
		outputTokens: 300,
		costUsd: 0.0042,
		tokensPerSecond: 750,
		budgetMs: 1500,
		judgeMs: 420,
	};
	const view = buildTimingView(evaluation('exp', 'evalX', { wallMs: 2000, samplesPerSecond: 4, models }), [sample(0), sample(1)]);
	const root = renderStats(fakeDocument, view) as unknown as FakeElement;
	assert.match(statText(root, 'tokensPerSecond')!, /^750 tokens \/ s$/);
	assert.match(statText(root, 'tokens')!, /1200 \/ 300/);
	assert.match(statText(root, 'costUsd')!, /\$0\.0042/);
	assert.match(statText(root, 'cacheHits')!, /4 of 16 calls/);
	assert.ok(statText(root, 'budgetMs') && statText(root, 'judgeMs'));
	const unknown = renderStats(fakeDocument, { ...view, models: { ...models, costUsd: null } }) as unknown as FakeElement;
	assert.match(statText(unknown, 'costUsd')!, /unknown/);
});

test('without model calls the panel has no model stats', () => {
	const view = buildTimingView(evaluation('exp', 'evalY'), [sample(0)]);
	const root = renderStats(fakeDocument, view) as unknown as FakeElement;
	assert.equal(statText(root, 'tokensPerSecond'), undefined);
	assert.ok(statText(root, 'samplesPerSecond'));
});
