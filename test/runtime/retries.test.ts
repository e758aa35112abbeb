import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForEach, Result } from '../../runtime/src/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { isRetryableByDefault, retryAfterMs, httpStatusOf, createRetryPolicy } from '../../runtime/src/retry/index.js';
import { run } from './helpers.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test('default classification: connection errors, fetch failures, timeouts, 429 and 5xx; not 4xx or plain errors', () => {
	for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']) {
		assert.equal(isRetryableByDefault(withCode(code)), true, code);
	}
	assert.equal(isRetryableByDefault(new TypeError('fetch failed', { cause: withCode('ECONNRESET') })), true);
	assert.equal(isRetryableByDefault(new TypeError('fetch failed', { cause: new Error('other side closed') })), true);
	assert.equal(isRetryableByDefault(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), true);
	assert.equal(isRetryableByDefault(Object.assign(new Error('x'), { name: 'AbortError' })), true);
	assert.equal(isRetryableByDefault(Object.assign(new Error('rate'), { status: 429 })), true);
	assert.equal(isRetryableByDefault(Object.assign(new Error('bad gateway'), { statusCode: 502 })), true);
	assert.equal(isRetryableByDefault(Object.assign(new Error('axios'), { response: { status: 503 } })), true);
	assert.equal(isRetryableByDefault(Object.assign(new Error('bad request'), { status: 400 })), false);
	assert.equal(isRetryableByDefault(Object.assign(new Error('unauthorized'), { status: 401, code: 'ECONNRESET' })), false, 'an HTTP status decides');
	assert.equal(isRetryableByDefault(new TypeError('x is not a function')), false);
	assert.equal(isRetryableByDefault('string thrown'), false);
	assert.equal(httpStatusOf({ response: { statusCode: '504' } }), 504);
});

test('Retry-After: seconds, HTTP date, retry-after-ms; headers as object or Headers', () => {
	const now = Date.parse('2026-01-01T00:00:00Z');
	assert.equal(retryAfterMs({ headers: { 'Retry-After': '2' } }, now), 2000);
	assert.equal(retryAfterMs({ headers: new Headers({ 'retry-after': '1.5' }) }, now), 1500);
	assert.equal(retryAfterMs({ response: { headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' } } }, now), 3000);
	assert.equal(retryAfterMs({ headers: { 'retry-after-ms': '250', 'retry-after': '9' } }, now), 250);
	assert.equal(retryAfterMs({ headers: {} }, now), undefined);
	assert.equal(retryAfterMs(new Error('no headers'), now), undefined);
});

test('back-off is exponential with jitter and capped; Retry-After wins', () => {
	const policy = createRetryPolicy({ initialDelayMs: 100, maxDelayMs: 300 }, () => 1);
	assert.deepEqual(
		[1, 2, 3, 4].map((a) => policy.delayMs(new Error('x'), a)),
		[100, 200, 300, 300],
	);
	const low = createRetryPolicy({ initialDelayMs: 100 }, () => 0);
	assert.equal(low.delayMs(new Error('x'), 1), 50, 'equal jitter: at least half the delay');
	assert.equal(policy.delayMs({ headers: { 'retry-after': '7' } }, 1), 7000);
	assert.equal(createRetryPolicy({ maxRetryAfterMs: 1000 }).delayMs({ headers: { 'retry-after': '7' } }, 1), 1000);
	assert.equal(policy.shouldRetry(withCode('ECONNRESET'), 4), false, 'maxAttempts 4 by default');
});

test('a 429 with Retry-After is retried after the asked delay; attempts and back-off are recorded, kept out of latency', async () => {
	let calls = 0;
	const e = new ForEach({ retries: { initialDelayMs: 1 } })('q', ['a'])(async ({ q }) => {
		calls++;
		if (calls === 1) throw Object.assign(new Error('Rate limit reached'), { status: 429, headers: { 'retry-after': '0.2' } });
		return new Result(exactMatch(q, 'a'));
	});
	const { samples, starts, outcome } = await run(e);
	const s = samples[0]!;
	assert.equal(s.error, null);
	assert.equal(s.attempts, 2);
	assert.deepEqual(starts, [
		[0, 1],
		[0, 2],
	]);
	assert.ok(s.timing.backoffMs >= 180, `backoff ${s.timing.backoffMs}`);
	assert.ok(s.timing.latencyMs < 100, `latency ${s.timing.latencyMs} excludes back-off`);
	assert.equal(outcome.summary.retries, 1);
	assert.ok(outcome.summary.backoffMs >= 180);
	assert.ok(outcome.summary.latency!.max < 100);
});

test('ECONNRESET is retried until it succeeds; exhausted retries record the last error', async () => {
	const failures = new Map<string, number>([
		['flaky', 2],
		['dead', 99],
	]);
	const e = new ForEach({ retries: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 } })('name', ['flaky', 'dead'])(async ({ name }) => {
		const left = failures.get(name)!;
		failures.set(name, left - 1);
		if (left > 0) throw withCode('ECONNRESET');
		return new Result(exactMatch(name, name));
	});
	const { samples } = await run(e);
	const flaky = samples.find((s) => s.row.name === 'flaky')!;
	const dead = samples.find((s) => s.row.name === 'dead')!;
	assert.deepEqual([flaky.attempts, flaky.error, flaky.passed], [3, null, true]);
	assert.equal(dead.attempts, 3);
	assert.deepEqual([dead.error!.type, dead.error!.message], ['Error', 'connect ECONNRESET']);
	assert.ok(dead.timing.backoffMs >= 5);
});

test('non-retryable errors fail on the first attempt; retries: false and custom retryOn', async () => {
	let calls = 0;
	const bug = new ForEach()(
		'x',
		[1],
	)(async () => {
		calls++;
		throw new TypeError('cannot read properties of undefined');
	});
	const r1 = await run(bug);
	assert.deepEqual([calls, r1.samples[0]!.attempts, r1.samples[0]!.error!.type], [1, 1, 'TypeError']);
	calls = 0;
	const off = new ForEach({ retries: false })(
		'x',
		[1],
	)(async () => {
		calls++;
		throw withCode('ECONNRESET');
	});
	await run(off);
	assert.equal(calls, 1);
	calls = 0;
	const custom = new ForEach({ retries: { retryOn: (e) => (e as Error).message === 'again', initialDelayMs: 0 } })(
		'x',
		[1],
	)(async () => {
		calls++;
		throw new Error('again');
	});
	const r3 = await run(custom);
	assert.equal(calls, 4);
	assert.equal(r3.samples[0]!.attempts, 4);
});

test('abort during back-off stops retrying and reports the last error at once', async () => {
	const controller = new AbortController();
	const e = new ForEach({ retries: { initialDelayMs: 60_000, maxDelayMs: 60_000 } })(
		'x',
		[1, 2],
	)(async () => {
		setTimeout(() => controller.abort(), 20);
		throw withCode('ETIMEDOUT');
	});
	const started = performance.now();
	const { samples, outcome } = await run(e, { signal: controller.signal });
	assert.ok(performance.now() - started < 5000);
	assert.equal(samples.length, 1);
	assert.equal(samples[0]!.error!.message, 'connect ETIMEDOUT');
	assert.equal(outcome.status, 'interrupted');
});
