import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Budget, QuotaExhaustedError } from '../../runtime/src/models/budget/budget.js';
import { learnedLimits, parseDuration, retryAfterHeaderMs } from '../../runtime/src/models/budget/headers.js';
import { budgetFor, resetBudgets } from '../../runtime/src/models/budget/registry.js';

const headers = (h: Record<string, string>) => new Headers(h);

test('rpm paces calls one interval apart, first come first served', async () => {
	const b = new Budget('t', { rpm: 600 }); // one call per 100 ms
	const t0 = performance.now();
	const order: number[] = [];
	const at: number[] = [];
	await Promise.all(
		[0, 1, 2, 3, 4].map((i) =>
			b.acquire(0).then(() => {
				order.push(i);
				at.push(performance.now() - t0);
			}),
		),
	);
	assert.deepEqual(order, [0, 1, 2, 3, 4]);
	assert.ok(at[4]! >= 380, `the fifth call waited for its slot (${at[4]!.toFixed(0)} ms)`);
});

test('a pause holds every waiter until it ends; exhaustion rejects them all at once', async () => {
	const b = new Budget('t', { rpm: 60_000 });
	b.rateLimited(300);
	const t0 = performance.now();
	const waits = await Promise.all([1, 2, 3].map(() => b.acquire(0)));
	assert.ok(
		waits.every((w) => w >= 250),
		`all waited for the pause: ${waits.map((w) => w.toFixed(0))}`,
	);
	assert.ok(performance.now() - t0 >= 250);
	b.rateLimited(10_000);
	const pending = [b.acquire(0), b.acquire(0)];
	b.exhaust('quota gone');
	for (const p of pending) await assert.rejects(p, QuotaExhaustedError);
	await assert.rejects(b.acquire(0), /quota gone/);
});

test('without configured limits the first call goes alone; its answer releases the rest', async () => {
	const b = new Budget('t');
	await b.acquire(0);
	let released = false;
	const second = b.acquire(0).then(() => {
		released = true;
	});
	await new Promise((r) => setTimeout(r, 50));
	assert.equal(released, false, 'held until the first answer');
	b.answered();
	await second;
	assert.equal(released, true);
});

test('an aborted waiter leaves the queue', async () => {
	const b = new Budget('t', { rpm: 60 });
	await b.acquire(0);
	const controller = new AbortController();
	const waiting = b.acquire(0, controller.signal);
	controller.abort(new Error('cancelled'));
	await assert.rejects(waiting, /cancelled/);
});

test('one budget per provider and key; the key is never in its name; the stricter limit wins', () => {
	resetBudgets();
	const a = budgetFor('openai', 'sk-secret-1', { rpm: 500 });
	assert.equal(budgetFor('openai', 'sk-secret-1', { rpm: 300 }), a);
	assert.notEqual(budgetFor('openai', 'sk-secret-2'), a);
	assert.ok(!a.name.includes('secret'));
	assert.equal(a.limits.rpm, 300);
	resetBudgets();
});

test('headers: OpenAI and Anthropic limits, durations, retry-after-ms before retry-after', () => {
	assert.deepEqual(learnedLimits(headers({ 'x-ratelimit-limit-requests': '5000', 'x-ratelimit-limit-tokens': '2000000' })), { rpm: 5000, tpm: 2000000 });
	assert.deepEqual(learnedLimits(headers({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-input-tokens-limit': '40000' })), {
		rpm: 50,
		tpm: 40000,
	});
	assert.deepEqual(
		[parseDuration('6m0s'), parseDuration('1s'), parseDuration('20ms'), parseDuration('1h2m3.5s'), parseDuration('soon')],
		[360000, 1000, 20, 3723500, undefined],
	);
	assert.equal(retryAfterHeaderMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
	assert.equal(retryAfterHeaderMs(headers({ 'retry-after': '2' })), 2000);
	assert.equal(retryAfterHeaderMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), Date.parse('2026-01-01T00:00:00Z')), 3000);
	assert.equal(retryAfterHeaderMs(headers({})), undefined);
});
