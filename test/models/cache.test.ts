import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, appendFileSync } from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { ForEach, Result } from '../../runtime/src/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { modelFetch, setModelRunSettings } from '../../runtime/src/models/index.js';
import { requestKey } from '../../runtime/src/models/cache/key.js';
import { ResponseJournal } from '../../runtime/src/models/cache/journal.js';
import { newSampleStats, runInSample } from '../../runtime/src/models/context.js';
import { run } from '../runtime/helpers.js';
import { freshRun, startMock } from './helpers.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => [`Terrible movie ${i}`, 'negative']);

function sentimentEval(client: OpenAI, n: number, stream = false) {
	return new ForEach({ concurrency: 4, retries: false })(
		'text,expected',
		rows(n),
	)(async ({ text, expected }) => {
		let answer = '';
		if (stream) {
			const s = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: text }],
				stream: true,
				stream_options: { include_usage: true },
			});
			for await (const c of s) answer += c.choices[0]?.delta?.content ?? '';
		} else {
			answer = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })).choices[0]!.message.content ?? '';
		}
		return new Result(exactMatch(answer, expected), { prompt: text, modelResponse: answer });
	});
}

test('cache on: the first run stores, the second answers from the cache — marked, out of latency, tokens and cost', async () => {
	const api = await startMock({ latencyMs: 30 });
	const r = freshRun('on');
	try {
		const client = new OpenAI({ apiKey: 'sk-one', baseURL: `${api.url}/v1`, fetch: modelFetch(), maxRetries: 0 });
		const first = await run(sentimentEval(client, 6));
		assert.equal(api.stats.answered, 6);
		assert.ok(first.samples.every((s) => s.passed && s.models?.cacheHits === 0 && s.models.inputTokens > 0));
		assert.ok(first.outcome.summary.latency!.p50 >= 25, 'first run: the model latency');

		// A new key (rotated, or CI's) hits the same entries: auth is never part of the key.
		const other = new OpenAI({ apiKey: 'sk-two', baseURL: `${api.url}/v1`, fetch: modelFetch(), maxRetries: 0 });
		const second = await run(sentimentEval(other, 6));
		assert.equal(api.stats.answered, 6, 'no request reached the API');
		for (const s of second.samples) {
			assert.equal(s.passed, true);
			assert.deepEqual(s.models, { calls: 1, cacheHits: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 });
			assert.equal(s.modelResponse, 'negative');
		}
		const m = second.outcome.summary.models!;
		assert.equal(m.cachedSamples, 6);
		assert.equal(m.inputTokens + m.outputTokens, 0);
		assert.equal(second.outcome.summary.latency, null, 'cached samples are kept out of latency');
		assert.equal(second.outcome.summary.samplesPerSecond, 0, 'and out of throughput');
		const file = path.join(r.dir, 'cache', 'responses.jsonl');
		assert.ok(!readFileSync(file, 'utf8').includes('sk-one'), 'the cache file holds no key');
	} finally {
		r.done();
		await api.close();
	}
});

test('SSE streams are cached whole and replayed as streams', async () => {
	const api = await startMock({ answer: () => 'the quick brown fox jumps' });
	const r = freshRun('record');
	try {
		const client = new OpenAI({ apiKey: 'k', baseURL: `${api.url}/v1`, fetch: modelFetch(), maxRetries: 0 });
		const ask = async () => {
			const chunks: string[] = [];
			const s = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'fox?' }],
				stream: true,
				stream_options: { include_usage: true },
			});
			for await (const c of s) chunks.push(c.choices[0]?.delta?.content ?? '');
			return chunks;
		};
		const live = await ask();
		assert.equal(live.join(''), 'the quick brown fox jumps');
		setModelRunSettings({ cache: 'replay' });
		await api.close();
		const replayed = await ask();
		assert.deepEqual(replayed, live, 'the same chunks, one event at a time');
		assert.ok(replayed.filter((c) => c !== '').length >= 5, 'a stream of several deltas, not one blob');
	} finally {
		r.done();
		await api.close();
	}
});

test('replay: a call that is not cached fails the sample with a clear error, without retries and without the network', async () => {
	const api = await startMock();
	const r = freshRun('record');
	try {
		const client = new OpenAI({ apiKey: 'k', baseURL: `${api.url}/v1`, fetch: modelFetch() });
		await run(sentimentEval(client, 3));
		setModelRunSettings({ cache: 'replay' });
		const before = api.stats.requests;
		const { samples, outcome } = await run(sentimentEval(client, 5));
		assert.equal(api.stats.requests, before, 'replay never calls the API');
		assert.deepEqual(
			samples
				.filter((s) => s.error === null)
				.map((s) => s.index)
				.sort(),
			[0, 1, 2],
		);
		for (const s of samples.filter((x) => x.error)) {
			assert.equal(s.error!.type, 'CacheMissError');
			assert.match(s.error!.message, /--cache replay: no cached response for POST .*\/v1\/chat\/completions.*--cache record/);
			assert.equal(s.attempts, 1);
		}
		assert.equal(outcome.status, 'completed', 'a miss fails its sample, not the run');
	} finally {
		r.done();
		await api.close();
	}
});

test('the trial index is part of the key; the auth header and field order are not', () => {
	const headers = (h: Record<string, string>) => new Headers(h);
	const base = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', body: '{"model":"m","messages":[{"role":"user","content":"hi"}]}' };
	const k0 = requestKey({ ...base, headers: headers({ authorization: 'Bearer a' }), trial: 0 });
	assert.equal(k0, requestKey({ ...base, headers: headers({ authorization: 'Bearer b', 'x-stainless-retry-count': '1' }), trial: 0 }));
	assert.equal(k0, requestKey({ ...base, body: '{"messages":[{"content":"hi","role":"user"}],"model":"m"}', headers: headers({}), trial: 0 }));
	assert.notEqual(k0, requestKey({ ...base, headers: headers({}), trial: 1 }));
	assert.notEqual(k0, requestKey({ ...base, body: base.body.replace('hi', 'ho'), headers: headers({}), trial: 0 }));
	assert.notEqual(k0, requestKey({ ...base, headers: headers({ 'anthropic-version': '2023-06-01' }), trial: 0 }));
});

test("a second trial of the same request misses the first trial's entry", async () => {
	const api = await startMock();
	const r = freshRun('on');
	try {
		const f = modelFetch();
		const call = () =>
			f(`${api.url}/v1/chat/completions`, { method: 'POST', body: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}' }).then((x) => x.text());
		const t0 = newSampleStats(0);
		const t1 = newSampleStats(1);
		await runInSample(t0, call);
		await runInSample(t0, call);
		await runInSample(t1, call);
		assert.deepEqual([t0.calls, t0.cacheHits, t1.calls, t1.cacheHits], [2, 1, 1, 0]);
		assert.equal(api.stats.answered, 2);
	} finally {
		r.done();
		await api.close();
	}
});

test('the journal: a newer line wins, a torn tail is skipped, the index survives reopening', () => {
	const r = freshRun();
	try {
		const file = path.join(r.dir, 'j', 'responses.jsonl');
		const j = new ResponseJournal(file);
		const key = (c: string) => c.repeat(64);
		const entry = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body, stream: false, at: 1 });
		j.set(key('a'), entry('one'));
		j.set(key('b'), entry('two — zwei, 二'));
		j.set(key('a'), entry('three'));
		j.close();
		appendFileSync(file, '{"k":"' + key('c') + '","v":{"status":200,"hea'); // a killed process's half line
		const k = new ResponseJournal(file);
		assert.equal(k.get(key('a'))?.body, 'three');
		assert.equal(k.get(key('b'))?.body, 'two — zwei, 二'); // read from the file as loaded when opened

		assert.equal(k.get(key('c')), undefined);
		assert.equal(k.entries, 2);
		k.set(key('c'), entry('four')); // appended after the torn line: still readable
		assert.equal(k.get(key('c'))?.body, 'four'); // past what was loaded when opened: read from the file
		k.close();
		assert.equal(new ResponseJournal(file).get(key('c'))?.body, 'four');
	} finally {
		r.done();
	}
});
