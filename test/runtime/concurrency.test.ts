import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foreach, ForEach, Result } from '../../runtime/src/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { SlidingWindow, Adaptive, AdaptiveController, type AdaptiveOptions } from '../../runtime/src/concurrency/index.js';
import { run, delay, inFlightProbe } from './helpers.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => i);

test('async evals run sequentially by default, in dataset order (the tutorial)', async () => {
	const probe = inFlightProbe();
	const order: number[] = [];
	const e = foreach(
		'i',
		items(6),
	)(async ({ i }) =>
		probe.around(async () => {
			order.push(i);
			await delay(5);
			return new Result(exactMatch(i, i));
		}),
	);
	const { outcome, samples } = await run(e);
	assert.equal(probe.max, 1);
	assert.equal(outcome.summary.maxInFlight, 1);
	assert.deepEqual(order, items(6));
	assert.deepEqual(
		samples.map((s) => s.index),
		items(6),
	);
	assert.equal(outcome.summary.strategy.name, 'Sequential');
});

test('SlidingWindow keeps exactly n in flight and reports the maximum', async () => {
	for (const n of [2, 4]) {
		const probe = inFlightProbe();
		const e = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: n }) })(
			'i',
			items(12),
		)(async ({ i }) =>
			probe.around(async () => {
				await delay(10);
				return new Result(exactMatch(i, i));
			}),
		);
		const { outcome, samples } = await run(e);
		assert.equal(probe.max, n);
		assert.equal(outcome.summary.maxInFlight, n);
		assert.equal(samples.length, 12);
		assert.deepEqual(outcome.summary.strategy, { name: 'SlidingWindow', maxConcurrency: n });
	}
});

test('SlidingWindow is a continuous window: a slot refills as soon as one sample finishes', async () => {
	// Sample 0 is slow; with batch barriers samples 2.. would wait for it. With a window they flow past it.
	const e = new ForEach({ concurrency: 2 })(
		'i',
		items(6),
	)(async ({ i }) => {
		await delay(i === 0 ? 150 : 10);
		return new Result(exactMatch(i, i));
	});
	const { samples } = await run(e);
	const finishOrder = samples.map((s) => s.index);
	assert.equal(finishOrder[finishOrder.length - 1], 0, `slow sample finishes last: ${finishOrder}`);
	assert.deepEqual(finishOrder.slice(0, 5), [1, 2, 3, 4, 5], 'results arrive in completion order');
});

test('tutorial ratios: 8 samples, window 4 ≈ 2 units, window 8 ≈ 1 unit, default ≈ 8 units', async () => {
	const unit = 40;
	const timeWith = async (concurrency?: number) => {
		const fe = concurrency ? new ForEach({ concurrency }) : foreach;
		const e = fe(
			'i',
			items(8),
		)(async ({ i }) => {
			await delay(unit);
			return new Result(exactMatch(i, i));
		});
		return (await run(e)).outcome.summary.wallMs / unit;
	};
	const [sequential, four, eight] = [await timeWith(), await timeWith(4), await timeWith(8)];
	// Lower bounds are physics; upper bounds as ratios, which late timers on a busy machine do not skew.
	assert.ok(sequential >= 7.5, `default ${sequential} units`);
	assert.ok(four >= 1.9 && eight >= 0.95, `window 4: ${four}, window 8: ${eight} units`);
	assert.ok(sequential / four > 3 && sequential / four < 5, `default / window 4 = ${sequential / four}`);
	assert.ok(sequential / eight > 5.5 && sequential / eight < 10, `default / window 8 = ${sequential / eight}`);
});

test('errors do not stop the queue under a window', async () => {
	const e = new ForEach({ concurrency: 3, retries: false })(
		'i',
		items(9),
	)(async ({ i }) => {
		await delay(2);
		if (i < 3) throw new Error(`fail ${i}`);
		return new Result(exactMatch(i, i));
	});
	const { samples, outcome } = await run(e);
	assert.equal(samples.length, 9);
	assert.equal(outcome.summary.errors, 3);
	assert.equal(outcome.status, 'completed');
});

test('--concurrency N overrides the strategy; on a sync eval it warns and stays sequential', async () => {
	const probe = inFlightProbe();
	const e = foreach('i', items(8))(async ({ i }) => probe.around(async () => (await delay(5), new Result(exactMatch(i, i)))));
	const { outcome } = await run(e, { concurrencyOverride: 4 });
	assert.equal(probe.max, 4);
	assert.deepEqual(outcome.summary.strategy, { name: 'SlidingWindow', maxConcurrency: 4 });
	const sync = foreach(
		'i',
		items(3),
	)(function evalSyncOverride({ i }) {
		return new Result(exactMatch(i, i));
	});
	const syncRun = await run(sync, { concurrencyOverride: 4 });
	assert.equal(syncRun.outcome.summary.maxInFlight, 1);
	assert.match(syncRun.outcome.warnings!.join('\n'), /--concurrency 4 has no effect on evalSyncOverride: it is synchronous/);
	const bad = await run(e, { concurrencyOverride: 0 });
	assert.equal(bad.outcome.status, 'failed');
	assert.match(bad.outcome.failure!.message, /N must be an integer ≥ 1/);
});

test('Adaptive grows while throughput holds (original algorithm), observed in flight', async () => {
	const probe = inFlightProbe();
	const e = new ForEach({ concurrency: new Adaptive({ initialConcurrency: 2, adaptationIntervalMs: 15, stabilityWindow: 2, increaseThreshold: 0.5 }) })(
		'i',
		items(400),
	)(async ({ i }) =>
		probe.around(async () => {
			await delay(3);
			return new Result(exactMatch(i, i));
		}),
	);
	const { outcome } = await run(e);
	assert.ok(outcome.summary.maxInFlight > 2, `grew to ${outcome.summary.maxInFlight}`);
	// The eval body saw the growth; the executor counts a sample in flight a moment before its body starts.
	assert.ok(probe.max > 2 && probe.max <= outcome.summary.maxInFlight, `the body saw ${probe.max} at once, the executor ${outcome.summary.maxInFlight}`);
	const final = (outcome.summary.strategy.options as { final: { history: Array<{ reason: string }> } }).final;
	assert.ok(final.history.some((h) => h.reason === 'increase'));
});

test('Adaptive shrinks at once on HTTP 429 and at the next round on errors', () => {
	const strategy = new Adaptive({ initialConcurrency: 20, adaptationIntervalMs: 100 });
	const c = strategy.start() as AdaptiveController;
	let t = performance.now();
	c.onAttempt({ ok: false, status: 429, error: {}, at: (t += 1), latencyMs: 1 });
	assert.equal(c.limit, 14, '20 × 0.7');
	c.onAttempt({ ok: false, status: 429, error: {}, at: (t += 1), latencyMs: 1 });
	assert.equal(c.limit, 14, 'one burst of 429s counts once');
	c.onAttempt({ ok: false, status: 429, error: {}, at: (t += 30), latencyMs: 1 });
	assert.equal(c.limit, 9);
	// Two plain errors, then a round: × 0.7².
	c.onAttempt({ ok: false, error: new Error('x'), at: (t += 1), latencyMs: 1 });
	c.onAttempt({ ok: false, error: new Error('y'), at: (t += 1), latencyMs: 1 });
	assert.equal(c.limit, 9);
	c.onAttempt({ ok: true, at: (t += 200), latencyMs: 1 });
	assert.equal(c.limit, 4);
	assert.deepEqual(
		c.history.map((h) => h.reason),
		['rate-limited', 'rate-limited', 'errors'],
	);
	// Never below the minimum.
	for (let i = 0; i < 10; i++) c.onAttempt({ ok: false, status: 429, error: {}, at: (t += 100), latencyMs: 1 });
	assert.equal(c.limit, 1);
});

test('Adaptive shrinks a real run that hits 429s', async () => {
	let calls = 0;
	const e = new ForEach({ concurrency: new Adaptive({ initialConcurrency: 16, adaptationIntervalMs: 20 }), retries: false })(
		'i',
		items(60),
	)(async ({ i }) => {
		await delay(2);
		if (++calls <= 20) throw Object.assign(new Error('rate limited'), { status: 429 });
		return new Result(exactMatch(i, i));
	});
	const { outcome } = await run(e);
	const final = (outcome.summary.strategy.options as { final: { currentConcurrency: number } }).final;
	assert.ok(final.currentConcurrency < 16, `shrank to ${final.currentConcurrency}`);
	assert.equal(outcome.summary.errorsByType.Error, 20);
});

test('Adaptive follows the original increase schedule under steady throughput (deterministic clock)', () => {
	// The original algorithm: no slow start, 2-second rounds.
	const c = new AdaptiveController(new Adaptive({ slowStart: false, adaptationIntervalMs: 2000 }).options, 0);
	const levels: number[] = [c.limit];
	// 50 completions per second, steady: the ratio stays 1.0 (> 0.98), so every 3 rounds of 2 s it grows.
	for (let t = 0; t <= 80_000; t += 20) {
		c.onAttempt({ ok: true, at: t, latencyMs: 20 });
		if (c.limit !== levels[levels.length - 1]) levels.push(c.limit);
	}
	assert.deepEqual(levels.slice(0, 9), [5, 7, 9, 11, 13, 15, 18, 21, 25]);
});

test('Adaptive decreases after three falling rounds', () => {
	const c = new AdaptiveController(new Adaptive({ initialConcurrency: 50, slowStart: false, adaptationIntervalMs: 2000 }).options, 0);
	let t = 0;
	let gap = 10;
	// Throughput halves every round: completions get sparser.
	for (let round = 0; round < 6; round++) {
		const end = t + 2000;
		for (; t < end; t += gap) c.onAttempt({ ok: true, at: t, latencyMs: 1 });
		gap *= 2;
	}
	assert.ok(c.limit < 50, `decreased to ${c.limit}`);
	assert.equal(c.limit, Math.floor(50 * 0.8));
});

/**
 * A simulated provider with a rate limit of `rps` in front of 50 ms calls: `window` samples in flight
 * complete min(window / 50 ms, rps) calls a second, and once the window asks for more than the limit,
 * calls wait for the budget. Returns the window Adaptive settles on and when.
 */
function simulate(rps: number, initial?: number, options: AdaptiveOptions = {}) {
	const c = new AdaptiveController(new Adaptive({ ...(initial ? { initialConcurrency: initial } : {}), ...options }).options, 0);
	let t = 0;
	const windows: number[] = [];
	while (t < 10_000) {
		const unlimited = c.limit * (1000 / 50);
		const rate = Math.min(unlimited, rps);
		// The budget holds every call but the first until the first answer (its headers state the
		// limits): the calls of the first 50 ms all waited, whatever the window.
		const waitedMs = unlimited > rps || t < 50 ? 30 : 0;
		t += 1000 / rate;
		c.onAttempt({ ok: true, at: t, latencyMs: 50, waitedMs });
		windows.push(c.limit);
	}
	return { final: c.limit, history: c.history };
}

test("Adaptive converges on a rate limit from below: slow start, then the window the limit needs (Little's law)", () => {
	for (const rps of [100, 300, 1000]) {
		const needed = (rps * 50) / 1000; // throughput × latency
		const { final, history } = simulate(rps);
		assert.ok(final >= needed && final <= Math.ceil(needed * 1.25) + 1, `${rps} req/s: settled on ${final} (needs ${needed})`);
		const settledAt = history.find((h) => h.concurrency >= needed)?.atMs ?? Infinity;
		assert.ok(settledAt < 1500, `${rps} req/s: reached the window the limit needs after ${settledAt} ms`);
	}
});

test('Adaptive converges on a rate limit from above: a window far beyond the limit is cut to what it needs', () => {
	const { final, history } = simulate(100, 100);
	assert.ok(final >= 5 && final <= 8, `settled on ${final}`);
	assert.equal(history[0]!.reason, 'budget-bound');
});

test('Adaptive grows a budget-bound window that is too small for the limit (from below, after slow start)', () => {
	// No slow start, 15 in flight at 1000 req/s × 50 ms: calls wait for the budget in bursts, yet the
	// limit needs 50; the window grows to what the measured throughput and latency need.
	const c = new AdaptiveController(new Adaptive({ initialConcurrency: 15, slowStart: false }).options, 0);
	let t = 0;
	const limits: number[] = [];
	for (let k = 0; k < 3000 && t < 5000; k++) {
		const rate = Math.min(1000, c.limit * 20);
		t += 1000 / rate;
		c.onAttempt({ ok: true, at: t, latencyMs: 50, waitedMs: 5 });
		limits.push(c.limit);
	}
	assert.ok(c.limit >= 50 && c.limit <= Math.ceil(50 * 1.25) + 1, `settled on ${c.limit}`);
	assert.ok(Math.max(...limits) <= 64, 'never far beyond the need');
});
