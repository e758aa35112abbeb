import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ReplayedResponse, replay } from '../../runtime/src/models/cache/replay.js';
import { requestKey } from '../../runtime/src/models/cache/key.js';

const body = JSON.stringify({ id: 'c1', choices: [{ message: { content: 'négatif ✓' } }] });
const init = { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' } };

test('a replayed JSON answer reads like a Response: text, json, bytes, arrayBuffer, blob, once', async () => {
	const r = replay({ status: 200, headers: { 'content-type': 'application/json' }, body, stream: false, at: 0 });
	assert.ok(r instanceof Response);
	assert.equal(r.headers.get('x-doteval-cache'), 'hit');
	assert.equal(r.headers.get('content-type'), 'application/json');
	assert.equal(r.headers, r.headers, 'one Headers object, as a Response has');
	assert.equal(new ReplayedResponse(body, init).statusText, 'OK');
	assert.equal(new ReplayedResponse(body, { ...init, status: 404 }).ok, false);
	assert.equal(r.ok, true);
	assert.equal(r.bodyUsed, false);
	assert.deepEqual(await r.json(), JSON.parse(body));
	assert.equal(r.bodyUsed, true);
	await assert.rejects(r.text(), TypeError, 'a body reads once, as a Response does');
	assert.throws(() => r.clone(), TypeError);
	assert.equal(await new ReplayedResponse(body, init).text(), body);
	assert.equal(new TextDecoder().decode(await new ReplayedResponse(body, init).arrayBuffer()), body);
	assert.equal(new TextDecoder().decode(await new ReplayedResponse(body, init).bytes()), body);
	const blob = await new ReplayedResponse(body, init).blob();
	assert.equal(blob.type, 'application/json');
	assert.equal(await blob.text(), body);
});

test('a replayed answer read through its body stream (the AI SDK way), and clones', async () => {
	const r = new ReplayedResponse(body, init);
	const c = r.clone();
	const reader = r.body!.getReader();
	let text = '';
	for (let part = await reader.read(); !part.done; part = await reader.read()) text += new TextDecoder().decode(part.value);
	assert.equal(text, body);
	assert.equal(r.bodyUsed, true);
	await assert.rejects(r.text(), TypeError);
	assert.equal(await c.text(), body, 'the clone reads on its own');
	// Asking for the stream after a fast read gives a used body, not the text again.
	const read = new ReplayedResponse(body, init);
	await read.text();
	assert.equal(read.bodyUsed, true);
	await assert.rejects(async () => new Response(read.body).text(), TypeError);
	// An invalid JSON body rejects as Response#json does.
	await assert.rejects(new ReplayedResponse('{not json', init).json(), SyntaxError);
});

// The first cache format's key, written independently: caches recorded before must keep hitting.
function firstFormatKey(method: string, url: string, headers: Record<string, string>, text: string, trial: number): string {
	const canonical = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(canonical);
		if (!v || typeof v !== 'object') return v;
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]); // assignment, as the first format did
		return out;
	};
	const h = createHash('sha256');
	h.update(`${method} ${url}\n`);
	for (const name of ['anthropic-version', 'anthropic-beta', 'openai-beta']) if (headers[name] !== undefined) h.update(`${name}: ${headers[name]}\n`);
	h.update(`trial: ${trial}\n\n`);
	let b = text;
	if (text !== '')
		try {
			b = JSON.stringify(canonical(JSON.parse(text)));
		} catch {
			/* text */
		}
	h.update(b);
	return h.digest('hex');
}

test('the cache key is unchanged from the first format, for JSON in any field order, scalars, index-like keys and non-JSON bodies', () => {
	const bodies = [
		'',
		'plain text body',
		'42',
		'"a string"',
		' {"b":1,"a":2}',
		'{"b":1,"a":[{"z":true,"y":null}]}',
		JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Terrible «film» \u2028 #3' }], temperature: 0.2, max_tokens: 5 }),
		'{"10":1,"2":2,"b":3,"a":{"1":"x","0":"y"}}',
		'{"__proto__":{"x":1},"a":1}',
		// Keys named like Object.prototype's members, present in one object and absent from another.
		'{"constructor":1,"b":{"toString":2,"a":3,"valueOf":null},"c":{},"d":[{"hasOwnProperty":"x"},{}]}',
		'{"z":{"y":{"x":{"w":"deep"}}},"y":[[],{}],"x":"","w":-0.5}',
		'[1,{"b":2,"a":1},"x"]',
		'{"a":1e400}',
		'{bad json',
	];
	for (const text of bodies) {
		for (const headers of [{}, { 'anthropic-version': '2023-06-01' }] as Record<string, string>[]) {
			const expected = firstFormatKey('POST', '/v1/messages', headers, text, 2);
			const got = requestKey({ method: 'post', url: '/v1/messages', headers: new Headers(headers), body: text, trial: 2 });
			assert.equal(got, expected, `key of ${JSON.stringify(text)}`);
		}
	}
	const a = requestKey({ method: 'POST', url: '/x', headers: new Headers(), body: '{"a":1,"b":2}', trial: 0 });
	assert.equal(requestKey({ method: 'POST', url: '/x', headers: new Headers(), body: '{"b":2,"a":1}', trial: 0 }), a, 'field order does not matter');
	assert.notEqual(requestKey({ method: 'POST', url: '/x', headers: new Headers(), body: '{"a":1,"b":2}', trial: 1 }), a, 'the trial does');
});
