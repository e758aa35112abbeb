import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { ForEach, Result } from '../../runtime/src/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { SlidingWindow } from '../../runtime/src/concurrency/index.js';
import { modelFetch } from '../../runtime/src/models/index.js';
import { run } from '../runtime/helpers.js';
import { freshRun, startMock } from './helpers.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => [`Amazing film number ${i}`, 'positive']);

test('plain fetch: a 429 burst pauses the budget, every sample succeeds, and the wait is budget time, not latency', async () => {
	const api = await startMock({ latencyMs: 5 });
	const run_ = freshRun();
	try {
		api.fail({ status: 429, retryAfterMs: 400 }, { status: 503, retryAfterS: 0.2 }, { status: 429, retryAfterMs: 300 });
		const f = modelFetch();
		const ev = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 6 }), retries: false })(
			'text,expected',
			rows(12),
		)(async ({ text, expected }) => {
			const res = await f(`${api.url}/v1/chat/completions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
				body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }),
			});
			assert.equal(res.status, 200);
			const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
			return new Result(exactMatch(body.choices[0]!.message.content, expected), { prompt: text });
		});
		const { samples, outcome } = await run(ev);
		assert.equal(outcome.status, 'completed');
		assert.equal(samples.length, 12);
		assert.ok(
			samples.every((s) => s.error === null && s.passed === true),
			JSON.stringify(samples.map((s) => s.error)),
		);
		assert.equal(api.stats.scripted, 3, 'the three failures were answered');
		const maxBudget = Math.max(...samples.map((s) => s.timing.budgetMs ?? 0));
		assert.ok(maxBudget >= 300, `the pause was recorded as budget time (longest wait ${maxBudget.toFixed(0)} ms)`);
		// Budget time is its own phase: latency + budget add up to the sample's time, neither counts the other.
		for (const s of samples) {
			const elapsed = s.timing.finishedAt - s.timing.startedAt;
			assert.ok(s.timing.latencyMs + s.timing.budgetMs! <= elapsed + 5, `sample ${s.index}: ${s.timing.latencyMs} + ${s.timing.budgetMs} ≤ ${elapsed}`);
			// (Generous: on a loaded machine the event loop can lag between the attempt and the record.)
			assert.ok(
				s.timing.latencyMs + s.timing.budgetMs! >= elapsed - 300,
				`sample ${s.index}: nothing unaccounted (${s.timing.latencyMs} + ${s.timing.budgetMs} vs ${elapsed})`,
			);
		}
		assert.equal(outcome.summary.models?.calls, 12);
	} finally {
		run_.done();
		await api.close();
	}
});

test('the budget pauses every sample at once: after a 429 with retry-after-ms, nobody sends until the pause ends', async () => {
	const api = await startMock({ latencyMs: 20 });
	const run_ = freshRun();
	try {
		const sends: number[] = [];
		let limitedAt = -1;
		const watching: typeof fetch = async (input, init) => {
			sends.push(performance.now());
			// Once the run is under way (20 in flight), one answer is a 429 asking for 700 ms.
			if (sends.length === 40) api.fail({ status: 429, retryAfterMs: 700 });
			const res = await fetch(input, init);
			if (res.status === 429 && limitedAt < 0) limitedAt = performance.now();
			return res;
		};
		const f = modelFetch({ provider: 'mock', fetch: watching });
		const ev = new ForEach({ concurrency: 20, retries: false })(
			'text,expected',
			rows(200),
		)(async ({ text, expected }) => {
			const res = await f(`${api.url}/v1/chat/completions`, {
				method: 'POST',
				body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: text }] }),
			});
			const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
			return new Result(exactMatch(body.choices[0]!.message.content, expected));
		});
		const { samples } = await run(ev);
		assert.equal(samples.filter((s) => s.error !== null).length, 0, 'no sample lost');
		assert.ok(limitedAt > 0, 'the 429 was answered');
		const during = sends.filter((t) => t > limitedAt + 5 && t < limitedAt + 650);
		assert.deepEqual(during, [], `${during.length} requests went out during the pause`);
		const after = sends.filter((t) => t >= limitedAt + 650);
		assert.ok(after.length > 0, 'sending resumed after the pause');
		const waited = samples.filter((s) => (s.timing.budgetMs ?? 0) > 0).length;
		assert.ok(waited >= 15, `${waited} samples recorded the pause as budget time (the whole window waited)`);
	} finally {
		run_.done();
		await api.close();
	}
});

test('OpenAI SDK: JSON and SSE through modelFetch; 429 bursts never reach the SDK; usage → tokens and cost', async () => {
	const api = await startMock({ latencyMs: 2 });
	const run_ = freshRun();
	try {
		const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${api.url}/v1`, fetch: modelFetch(), maxRetries: 0 });
		api.fail({ status: 429, retryAfterMs: 100 }, { status: 429, retryAfterMs: 100 }, { status: 503, retryAfterMs: 50 });
		const ev = new ForEach({ concurrency: 4, retries: false })(
			'text,expected',
			rows(8),
		)(async ({ text, expected }) => {
			const stream = text.endsWith('1') || text.endsWith('3');
			let answer = '';
			if (stream) {
				const s = await client.chat.completions.create({
					model: 'gpt-4o-mini',
					messages: [{ role: 'user', content: text }],
					stream: true,
					stream_options: { include_usage: true },
				});
				for await (const chunk of s) answer += chunk.choices[0]?.delta?.content ?? '';
			} else {
				const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
				answer = r.choices[0]!.message.content ?? '';
			}
			return new Result(exactMatch(answer, expected), { prompt: text });
		});
		const { samples, outcome } = await run(ev);
		assert.ok(
			samples.every((s) => s.passed === true),
			JSON.stringify(samples.map((s) => s.error?.message)),
		);
		// The mock counts ceil(chars / 4) tokens: "Amazing film number i" is 21 characters → 6; "positive" → 2.
		for (const s of samples) assert.deepEqual([s.models?.inputTokens, s.models?.outputTokens], [6, 2], `sample ${s.index}`);
		const m = outcome.summary.models!;
		assert.equal(m.inputTokens, 48);
		assert.equal(m.outputTokens, 16);
		// gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output.
		assert.ok(Math.abs(m.costUsd! - (48 * 0.15 + 16 * 0.6) / 1e6) < 1e-12, String(m.costUsd));
	} finally {
		run_.done();
		await api.close();
	}
});

test('Anthropic SDK: messages JSON and streaming; usage from message_start/message_delta', async () => {
	const api = await startMock();
	const run_ = freshRun();
	try {
		const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: api.url, fetch: modelFetch(), maxRetries: 0 });
		api.fail({ status: 429, retryAfterMs: 80 });
		const ev = new ForEach({ concurrency: 2, retries: false })(
			'text,expected',
			rows(4),
		)(async ({ text, expected }) => {
			let answer: string;
			if (text.endsWith('0') || text.endsWith('2')) {
				const msg = await client.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages: [{ role: 'user', content: text }] });
				answer = msg.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
			} else {
				const stream = client.messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages: [{ role: 'user', content: text }] });
				answer = (await stream.finalMessage()).content.map((c) => (c.type === 'text' ? c.text : '')).join('');
			}
			return new Result(exactMatch(answer, expected));
		});
		const { samples, outcome } = await run(ev);
		assert.ok(
			samples.every((s) => s.passed === true),
			JSON.stringify(samples.map((s) => s.error?.message)),
		);
		for (const s of samples) assert.deepEqual([s.models?.inputTokens, s.models?.outputTokens], [6, 2], `sample ${s.index}`);
		assert.ok(Math.abs(outcome.summary.models!.costUsd! - (24 * 0.8 + 8 * 4) / 1e6) < 1e-12);
	} finally {
		run_.done();
		await api.close();
	}
});

test('insufficient_quota fails fast: no retries, the run stops with an error that names the fix', async () => {
	const api = await startMock({ latencyMs: 30 });
	const run_ = freshRun();
	try {
		const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${api.url}/v1`, fetch: modelFetch() });
		api.fail({ status: 429, quota: true });
		const ev = new ForEach({ concurrency: 1 })(
			'text,expected',
			rows(50),
		)(async ({ text, expected }) => {
			const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
			return new Result(exactMatch(r.choices[0]!.message.content, expected));
		});
		const t0 = performance.now();
		const { samples, outcome } = await run(ev);
		const ms = performance.now() - t0;
		assert.equal(outcome.status, 'failed');
		assert.match(outcome.failure!.message, /quota is exhausted.*insufficient_quota.*Add credit or use another key/);
		assert.equal(samples.length, 1);
		assert.equal(samples[0]!.error?.type, 'QuotaExhaustedError');
		assert.equal(samples[0]!.attempts, 1, 'not retried by the run');
		assert.equal(api.stats.requests, 1, 'nor by the SDK');
		assert.ok(ms < 5000, `stopped quickly (${ms.toFixed(0)} ms)`);
	} finally {
		run_.done();
		await api.close();
	}
});

test('limits learned from x-ratelimit-* headers pace a window of 200 without losing a sample', async () => {
	const api = await startMock({ rps: 200, burst: 10, latencyMs: 10 });
	const run_ = freshRun();
	try {
		const f = modelFetch();
		const ev = new ForEach({ concurrency: 200, retries: false })(
			'text,expected',
			rows(400),
		)(async ({ text, expected }) => {
			const res = await f(`${api.url}/v1/chat/completions`, {
				method: 'POST',
				body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }),
			});
			const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
			return new Result(exactMatch(body.choices[0]!.message.content, expected));
		});
		const { samples } = await run(ev);
		assert.equal(samples.filter((s) => s.error !== null).length, 0);
		assert.equal(api.stats.answered, 400);
		// The first call's answer states the limit before the other 199 go: the budget paces from the start.
		// A few 429s remain when a loaded machine delays the client against the server's bucket (32 seen at a
		// load of 2 per core); without the budget a window of 200 meets hundreds.
		assert.ok(api.stats.limited <= 40, `${api.stats.limited} 429s for 400 answers`);
	} finally {
		run_.done();
		await api.close();
	}
});
