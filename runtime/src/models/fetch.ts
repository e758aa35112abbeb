/**
 * `modelFetch(options)`: a drop-in `fetch` for model APIs. Give it to an SDK (`new OpenAI({ fetch })`,
 * `new Anthropic({ fetch })`, `createOpenAI({ fetch })`) or call it like fetch. Each call:
 *   1. answers from the response cache when the cache mode reads it (`--cache on|replay`);
 *   2. waits for its slot in the provider/key's budget (the wait is the sample's budget phase);
 *   3. on 429/503 pauses the budget for everyone for as long as the server asks, then goes again
 *      (up to `maxRateLimitRetries` times, so the SDK's own back-off never runs into the wall);
 *   4. on `insufficient_quota` exhausts the budget: this and every later call fail at once;
 *   5. reads the usage (JSON or SSE stream) into the sample's tokens and cost, and stores the answer
 *      when the cache mode writes it (streams are cached whole and replayed as streams).
 */
import * as path from 'node:path';
import { currentSample, modelRunSettings, type SampleModelStats } from './context.js';
import { budgetFor } from './budget/registry.js';
import type { Budget, BudgetLimits } from './budget/budget.js';
import { QuotaExhaustedError } from './budget/budget.js';
import { learnedLimits, parseDuration, retryAfterHeaderMs } from './budget/headers.js';
import { parseBody, requestKey } from './cache/key.js';
import { headerReader, type HeaderReader } from './requestHeaders.js';
import { replay } from './cache/replay.js';
import { journalAt, type CachedResponse, type ResponseJournal } from './cache/journal.js';
import { readsCache, writesCache, cacheModes, type CacheMode } from './cache/mode.js';
import { factsFromJson, factsFromSse, type ResponseFacts } from './usage.js';
import { recordCall } from './record.js';
import { checkPrices, type PriceTable } from './prices.js';
import { quotaMessage, replayMissMessage, syntheticError } from './errors.js';

/** Options of `modelFetch()`: the budget's limits and name, the cache, prices, rate-limit retries, and the fetch underneath. */
export interface ModelFetchOptions extends BudgetLimits {
	/** Budget name; default the API's host (api.openai.com → "openai", api.anthropic.com → "anthropic"). */
	provider?: string;
	/** The key the budget is per; default the request's `Authorization` / `x-api-key` (hashed, never stored). */
	apiKey?: string;
	/** Cache mode when `doteval run --cache` does not say. Default "off". */
	cache?: CacheMode;
	/** Cache folder outside `doteval run` (the CLI uses `<store folder>/cache`). Default `.doteval/cache`. */
	cacheDir?: string;
	/** Prices (USD per 1M tokens, by model-id prefix) for this client's models; win over `setPrices` and the default table (as of `defaultPricesAsOf`, unverified: check yours). */
	prices?: PriceTable;
	/** Times a call is sent again after a 429/503 before the error goes back to the caller. Default 8. */
	maxRateLimitRetries?: number;
	/** Pause after a 429/503 that names none (ms); doubles per retry. Default 1000. */
	defaultPauseMs?: number;
	/** The fetch underneath. Default globalThis.fetch. */
	fetch?: typeof fetch;
}

type Fetch = typeof fetch;

const KNOWN_HOSTS: Record<string, string> = { 'api.openai.com': 'openai', 'api.anthropic.com': 'anthropic' };

export function providerOf(url: URL): string {
	return KNOWN_HOSTS[url.hostname] ?? url.host;
}

function apiKeyOf(headers: HeaderReader): string | undefined {
	const auth = headers.get('authorization');
	if (auth) return auth.replace(/^Bearer\s+/i, '');
	return headers.get('x-api-key') ?? headers.get('api-key') ?? undefined;
}

/** Throws a TypeError naming the fix for a wrong option of `modelFetch` / `modelMiddleware` (`where`). */
export function checkOptions(o: ModelFetchOptions, where = 'modelFetch'): void {
	if (typeof o !== 'object' || o === null) throw new TypeError(`${where}: expected an options object such as { rpm: 500 }`);
	for (const k of ['rpm', 'tpm'] as const) {
		const v = o[k];
		if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
			throw new TypeError(`${where}: ${k} must be a number > 0 (per minute); got ${String(v)}`);
	}
	if (o.cache !== undefined && !cacheModes.includes(o.cache))
		throw new TypeError(`${where}: cache must be one of ${cacheModes.join(', ')}; got ${String(o.cache)}`);
	if (o.maxRateLimitRetries !== undefined && !(Number.isInteger(o.maxRateLimitRetries) && o.maxRateLimitRetries >= 0))
		throw new TypeError(`${where}: maxRateLimitRetries must be an integer ≥ 0; got ${String(o.maxRateLimitRetries)}`);
	if (o.prices !== undefined) checkPrices(where, o.prices);
	if (o.fetch !== undefined && typeof o.fetch !== 'function') throw new TypeError(`${where}: fetch must be a fetch function`);
}

/** The request's body as text, when it is text (SDKs send JSON strings); undefined for streams and forms. */
function bodyText(body: unknown): string | undefined {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (body instanceof URLSearchParams) return body.toString();
	return undefined;
}

interface RequestFacts {
	model?: string;
	maxOutput?: number;
	promptTokens: number;
}

function requestFacts(text: string | undefined, body: unknown): RequestFacts {
	// ~4 characters a token: an estimate to pace a tokens/min budget, corrected by the real usage.
	const facts: RequestFacts = { promptTokens: text ? Math.ceil(text.length / 4) : 0 };
	if (!body || typeof body !== 'object') return facts;
	const b = body as Record<string, unknown>;
	if (typeof b.model === 'string') facts.model = b.model;
	const max = b.max_tokens ?? b.max_completion_tokens ?? b.max_output_tokens;
	if (typeof max === 'number') facts.maxOutput = max;
	return facts;
}

const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);
const CACHED_HEADERS = ['content-type'];

function copyHeaders(from: Headers): Headers {
	const h = new Headers();
	from.forEach((value, name) => {
		if (!DROPPED_HEADERS.has(name)) h.set(name, value);
	});
	return h;
}

function isSse(res: Response | CachedResponse): boolean {
	const type = res instanceof Response ? res.headers.get('content-type') : res.headers['content-type'];
	return typeof type === 'string' && type.includes('text/event-stream');
}

/**
 * A `fetch` for model APIs that paces calls by the run's rate-limit budget, answers from the
 * response cache, and counts each call's tokens and cost into the sample that made it.
 * @example
 * const openai = new OpenAI({ fetch: modelFetch({ rpm: 500 }) });
 */
export function modelFetch(options: ModelFetchOptions = {}): Fetch {
	checkOptions(options);
	const base = options.fetch ?? globalThis.fetch;
	const maxRetries = options.maxRateLimitRetries ?? 8;
	const defaultPauseMs = options.defaultPauseMs ?? 1000;
	const limits: BudgetLimits | undefined = options.rpm || options.tpm ? { rpm: options.rpm, tpm: options.tpm } : undefined;

	// The folder is resolved once per run setting, not per call (a replayed run makes thousands).
	let opened: { dir: string | undefined; journal: ResponseJournal } | undefined;
	const journal = (): ResponseJournal => {
		const dir = modelRunSettings().cacheDir;
		if (!opened || opened.dir !== dir) opened = { dir, journal: journalAt(dir ?? path.resolve(options.cacheDir ?? path.join('.doteval', 'cache'))) };
		return opened.journal;
	};

	// The last URL parsed: an SDK calls the same endpoint again and again, and parsing it was a
	// tenth of a replayed call's cost. Only read, never changed.
	let lastUrl: { href: string; url: URL } | undefined;
	const urlOf = (href: string): URL => {
		if (lastUrl?.href !== href) lastUrl = { href, url: new URL(href) };
		return lastUrl.url;
	};

	const call: Fetch = async (input, init) => {
		const sample = currentSample();
		const request = input instanceof Request ? input : undefined;
		const url = urlOf(request ? request.url : String(input));
		const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
		const headers = headerReader(init?.headers ?? request?.headers);
		const text = init && 'body' in init ? bodyText(init.body) : request?.body ? await request.clone().text() : '';
		// Parsed once: the cache key canonicalises it, the budget reads the model and max tokens from it.
		const parsed = text ? parseBody(text) : undefined;
		const mode = modelRunSettings().cache ?? options.cache ?? 'off';
		const cacheable = mode !== 'off' && text !== undefined;
		// The path, not the host: a proxy, or a local server on another port, meets the same entries;
		// an explicit provider keeps two APIs with the same paths apart.
		const key = cacheable
			? requestKey({ method, url: `${options.provider ?? ''}${url.pathname}${url.search}`, headers, body: text, parsed, trial: sample?.trial ?? 0 })
			: '';

		if (cacheable && readsCache(mode)) {
			const entry = journal().get(key);
			if (entry) {
				recordCall({}, { cacheHit: true }, sample);
				return replay(entry);
			}
			if (mode === 'replay') {
				const message = replayMissMessage(method, `${url.origin}${url.pathname}`);
				if (sample) sample.cacheMiss ??= message;
				return syntheticError(424, 'doteval_cache_miss', message);
			}
		}

		const facts = requestFacts(text, parsed);
		const budget = budgetFor(options.provider ?? providerOf(url), options.apiKey ?? apiKeyOf(headers), limits);
		const estimate = budget.estimateTokens(facts.promptTokens, facts.maxOutput);
		let res: Response;
		for (let retry = 0; ; retry++) {
			try {
				const waited = await budget.acquire(estimate, init?.signal ?? request?.signal);
				if (sample) sample.budgetMs += waited;
			} catch (error) {
				if (!(error instanceof QuotaExhaustedError)) throw error;
				if (sample) sample.quotaExhausted ??= error.message;
				return syntheticError(429, 'insufficient_quota', error.message);
			}
			try {
				res = await base(request ? request.clone() : input, init);
				learnFrom(budget, res.headers);
			} finally {
				budget.answered();
			}
			if (res.status !== 429 && res.status !== 503) break;
			if (res.status === 429) {
				const detail = await res
					.clone()
					.text()
					.catch(() => '');
				if (detail.includes('insufficient_quota')) {
					const message = quotaMessage(budget.name, errorMessageOf(detail));
					budget.exhaust(message);
					if (sample) sample.quotaExhausted ??= message;
					return withHeader(res, detail, 'x-should-retry', 'false');
				}
			}
			const asked = retryAfterHeaderMs(res.headers);
			budget.rateLimited(asked ?? defaultPauseMs * 2 ** Math.min(retry, 5));
			if (retry >= maxRetries) break;
			// The pause is the budget's: the next acquire waits for it (and counts it as budget time).
			await res.body?.cancel().catch(() => {});
		}
		if (res.ok) budget.succeeded();
		if (res.status === 429 || res.status === 503) return res;

		const store = cacheable && writesCache(mode) && res.status === 200;
		const done = (facts2: ResponseFacts, body: string, stream: boolean) => {
			budget.settle(estimate, facts2.usage);
			recordCall(facts2, { cacheHit: false, requestModel: facts.model, prices: options.prices }, sample);
			if (store) journal().set(key, { status: res.status, statusText: res.statusText, headers: pick(res.headers), body, stream, at: Date.now() });
		};
		if (isSse(res) && res.body) return teeStream(res, done);
		const body = await res.text();
		done(res.ok ? factsFromJson(body) : {}, body, false);
		return new Response(body, { status: res.status, statusText: res.statusText, headers: copyHeaders(res.headers) });
	};
	return call;
}

function learnFrom(budget: Budget, headers: Headers): void {
	const learned = learnedLimits(headers);
	if (learned.rpm !== undefined || learned.tpm !== undefined) budget.learn(learned);
	// Nothing left this window: wait for the reset instead of drawing a 429.
	if (headers.get('x-ratelimit-remaining-requests') === '0') {
		const reset = parseDuration(headers.get('x-ratelimit-reset-requests') ?? '');
		if (reset !== undefined) budget.pauseFor(reset);
	}
}

function pick(headers: Headers): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of CACHED_HEADERS) {
		const v = headers.get(name);
		if (v !== null) out[name] = v;
	}
	return out;
}

function errorMessageOf(body: string): string {
	try {
		const parsed = JSON.parse(body) as { error?: { message?: unknown } };
		if (typeof parsed.error?.message === 'string') return parsed.error.message;
	} catch {
		/* not JSON */
	}
	return body.slice(0, 200);
}

function withHeader(res: Response, body: string, name: string, value: string): Response {
	const headers = copyHeaders(res.headers);
	headers.set(name, value);
	return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

/** Passes the stream through as it arrives, keeping its text to read the usage and cache it at the end. */
function teeStream(res: Response, done: (facts: ResponseFacts, body: string, stream: boolean) => void): Response {
	const decoder = new TextDecoder();
	let text = '';
	const collect = new TransformStream<Uint8Array, Uint8Array>({
		transform(chunk, controller) {
			text += decoder.decode(chunk, { stream: true });
			controller.enqueue(chunk);
		},
		flush() {
			text += decoder.decode();
			done(factsFromSse(text), text, true);
		},
	});
	return new Response(res.body!.pipeThrough(collect), { status: res.status, statusText: res.statusText, headers: copyHeaders(res.headers) });
}

export type { SampleModelStats };
