// A local stand-in for OpenAI's and Anthropic's HTTP APIs, for examples, tests and benchmarks: no key,
// no network. POST /v1/chat/completions (OpenAI) and /v1/messages (Anthropic), JSON or SSE
// (`stream: true`), with the usage each provider reports. It enforces a rate limit like the real ones
// (a token bucket of requests/s and optionally tokens/min, HTTP 429 with retry-after-ms and
// retry-after beyond it, x-ratelimit-* headers on every answer) and can be told to fail on purpose:
// a burst of 429s or 503s, or an exhausted quota (insufficient_quota). Listens on 127.0.0.1.
import { createServer } from 'node:http';

/** The mock model: sentiment by keywords (the tutorial's), else an echo of the prompt. */
export function mockAnswer(prompt) {
	const t = prompt.toLowerCase();
	if (/rate (the|this) answer|grade|judge/.test(t)) return mockJudge(t);
	if (['great', 'amazing', 'excellent'].some((w) => t.includes(w))) return 'positive';
	if (['terrible', 'awful', 'bad'].some((w) => t.includes(w))) return 'negative';
	if (['okay', 'average', 'decent', 'nothing special'].some((w) => t.includes(w))) return 'neutral';
	return `echo: ${prompt.slice(0, 200)}`;
}

/** A judge's verdict: the answer is correct when it contains the reference (the mock can compare strings). */
function mockJudge(t) {
	const answer = /<answer>([\s\S]*?)<\/answer>/.exec(t)?.[1]?.trim() ?? '';
	const reference = /<reference>([\s\S]*?)<\/reference>/.exec(t)?.[1]?.trim() ?? '';
	const ok = reference !== '' && answer.includes(reference);
	return `The answer ${ok ? 'matches' : 'does not match'} the reference.\nCHOICE: ${ok ? 'A' : 'B'}`;
}

const tokensOf = (text) => Math.max(1, Math.ceil(text.length / 4));

function promptOf(body) {
	const parts = [];
	if (typeof body.system === 'string') parts.push(body.system);
	for (const m of body.messages ?? []) {
		if (typeof m.content === 'string') parts.push(m.content);
		else if (Array.isArray(m.content)) for (const c of m.content) if (typeof c.text === 'string') parts.push(c.text);
	}
	return parts.join('\n');
}

/**
 * @param {object} [o]
 * @param {number} [o.latencyMs] time before each answer (default 0)
 * @param {number} [o.rps] requests per second allowed (token bucket; default unlimited)
 * @param {number} [o.burst] bucket capacity in requests (default rps / 10, at least 5)
 * @param {number} [o.tpm] tokens per minute allowed (prompt + completion; default unlimited)
 * @param {boolean} [o.rateHeaders] send x-ratelimit-* headers (default true)
 * @param {(prompt: string) => string} [o.answer] the model (default mockAnswer)
 */
export async function startLlmApi(o = {}) {
	const latencyMs = o.latencyMs ?? 0;
	const rps = o.rps ?? Infinity;
	const burst = o.burst ?? Math.max(5, rps / 10);
	const tpm = o.tpm ?? Infinity;
	const tokenBurst = o.tokenBurst ?? tpm / 60; // one second's worth
	const answer = o.answer ?? mockAnswer;
	const rateHeaders = o.rateHeaders ?? true;
	let requests = burst;
	let tokens = tokenBurst;
	let last = performance.now();
	/** Scripted failures, answered before the rate limit: { status, retryAfterMs?, retryAfterS?, quota? } */
	const script = [];
	const stats = { requests: 0, answered: 0, limited: 0, scripted: 0, byPath: {}, bodies: [] };

	const refill = () => {
		const t = performance.now();
		const dt = (t - last) / 1000;
		last = t;
		requests = Math.min(burst, requests + dt * rps);
		tokens = Math.min(tokenBurst, tokens + (dt * tpm) / 60);
	};

	const limitHeaders = () => rateHeaders ? {
		...(Number.isFinite(rps) ? { 'x-ratelimit-limit-requests': String(Math.round(rps * 60)), 'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(requests))) } : {}),
		...(Number.isFinite(tpm) ? { 'x-ratelimit-limit-tokens': String(tpm), 'x-ratelimit-remaining-tokens': String(Math.max(0, Math.floor(tokens))) } : {}),
	} : {};

	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			stats.requests++;
			stats.byPath[req.url] = (stats.byPath[req.url] ?? 0) + 1;
			if (req.method !== 'POST' || !['/v1/chat/completions', '/v1/messages'].includes(req.url)) {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
				return;
			}
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
				return;
			}
			if (o.keepBodies) stats.bodies.push({ path: req.url, body, headers: req.headers });
			const step = script.shift();
			if (step) {
				stats.scripted++;
				const headers = { 'content-type': 'application/json', ...limitHeaders() };
				if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
				if (step.retryAfterS !== undefined) headers['retry-after'] = String(step.retryAfterS);
				const error = step.quota
					? { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' }
					: { message: step.status === 503 ? 'The server is overloaded.' : 'Rate limit reached.', type: step.status === 503 ? 'overloaded_error' : 'rate_limit_error', code: null };
				res.writeHead(step.status, headers).end(JSON.stringify({ type: 'error', error }));
				return;
			}
			const prompt = promptOf(body);
			const text = answer(prompt);
			const inTok = tokensOf(prompt);
			const outTok = tokensOf(text);
			refill();
			if (requests < 1 || tokens < inTok + outTok) {
				stats.limited++;
				const needReq = requests < 1 ? (1 - requests) / rps : 0;
				const needTok = tokens < inTok + outTok ? (inTok + outTok - tokens) / (tpm / 60) : 0;
				const waitMs = Math.ceil(Math.max(needReq, needTok) * 1000);
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': String(waitMs), 'retry-after': String(Math.ceil(waitMs / 1000)), ...limitHeaders() })
					.end(JSON.stringify({ type: 'error', error: { message: 'Rate limit reached. Please try again later.', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }));
				return;
			}
			requests -= 1;
			tokens -= inTok + outTok;
			const headers = limitHeaders();
			setTimeout(() => {
				stats.answered++;
				const model = body.model ?? 'mock-model';
				if (req.url === '/v1/messages') anthropic(res, headers, model, text, inTok, outTok, body.stream === true);
				else openai(res, headers, model, text, inTok, outTok, body.stream === true, body.stream_options?.include_usage === true);
			}, latencyMs);
		});
	});
	server.keepAliveTimeout = 30_000;
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		stats,
		/** Answer the next requests with these failures, in order. */
		fail: (...steps) => script.push(...steps),
		close: () => new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		}),
	};
}

let ids = 0;

function openai(res, headers, model, text, inTok, outTok, stream, includeUsage) {
	const id = `chatcmpl-mock${++ids}`;
	const created = Math.floor(Date.now() / 1000);
	const usage = { prompt_tokens: inTok, completion_tokens: outTok, total_tokens: inTok + outTok };
	if (!stream) {
		res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({
			id, object: 'chat.completion', created, model,
			choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
			usage,
		}));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
	const chunk = (delta, finish, extra = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
	const words = text.split(/(?<= )/);
	res.write(chunk({ role: 'assistant', content: '' }, null));
	for (const w of words) res.write(chunk({ content: w }, null));
	res.write(chunk({}, 'stop'));
	if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
	res.end('data: [DONE]\n\n');
}

function anthropic(res, headers, model, text, inTok, outTok, stream) {
	const id = `msg_mock${++ids}`;
	if (!stream) {
		res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({
			id, type: 'message', role: 'assistant', model, content: [{ type: 'text', text }],
			stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: inTok, output_tokens: outTok },
		}));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
	const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
	res.write(ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inTok, output_tokens: 1 } } }));
	res.write(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
	for (const w of text.split(/(?<= )/)) res.write(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } }));
	res.write(ev('content_block_stop', { index: 0 }));
	res.write(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outTok } }));
	res.end(ev('message_stop', {}));
}
