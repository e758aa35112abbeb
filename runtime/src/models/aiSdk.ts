/**
 * `modelMiddleware(options)`: the same budget, cache, tokens and cost as `modelFetch`, as a Vercel AI
 * SDK language-model middleware (`wrapLanguageModel({ model, middleware: modelMiddleware() })`), for
 * providers whose fetch you do not control. Duck-typed to the AI SDK's middleware shape
 * (specificationVersion 'v3'), so `ai` stays your dependency, not ours.
 *
 * The cache key is the call's parameters (prompt, settings, tools; not the abort signal or headers)
 * plus the provider, model id and trial. Streams are cached as their parts and replayed as a stream.
 * Use the middleware or `modelFetch` on one model, not both: each would count the call.
 */
import * as path from 'node:path';
import { currentSample, modelRunSettings, type SampleModelStats } from './context.js';
import { budgetFor } from './budget/registry.js';
import { QuotaExhaustedError, type Budget } from './budget/budget.js';
import { learnedLimits, retryAfterHeaderMs } from './budget/headers.js';
import { requestKey } from './cache/key.js';
import { journalAt } from './cache/journal.js';
import { readsCache, writesCache } from './cache/mode.js';
import { normalizeUsage } from './usage.js';
import { recordCall } from './record.js';
import { CacheMissError, quotaMessage } from './errors.js';
import { checkOptions, type ModelFetchOptions } from './fetch.js';

/** Options of `modelMiddleware()`: those of `modelFetch()` without the fetch. */
export type ModelMiddlewareOptions = Omit<ModelFetchOptions, 'fetch'>;

interface ModelLike {
	provider: string;
	modelId: string;
}

type Loose = Record<string, unknown>;

/** The AI SDK's middleware arguments, duck-typed: generic over its result types, so `ai`'s own types fit. */
interface CallArgs<G, S> {
	doGenerate: () => PromiseLike<G>;
	doStream: () => PromiseLike<S>;
	params: any;
	model: ModelLike;
}

const NO_HEADERS = { get: () => null };

function keyOf(kind: string, model: ModelLike, params: Loose, trial: number): string {
	const { abortSignal: _signal, headers: _headers, ...rest } = params;
	return requestKey({ method: kind, url: `ai-sdk:${model.provider}/${model.modelId}`, headers: NO_HEADERS, body: JSON.stringify(rest), trial });
}

/** Dates (response.timestamp) do not survive JSON: bring them back. */
function revive(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value), (k, v) => (k === 'timestamp' && typeof v === 'string' ? new Date(v) : v)) as unknown;
}

function headersOf(error: Loose): { get(name: string): string | null } {
	const h = (error.responseHeaders ?? {}) as Record<string, string>;
	return { get: (name) => h[name] ?? h[name.toLowerCase()] ?? null };
}

/**
 * The budget, cache, tokens and cost of `modelFetch`, as a Vercel AI SDK language-model middleware.
 * @example
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: modelMiddleware() });
 */
export function modelMiddleware(options: ModelMiddlewareOptions = {}) {
	checkOptions(options, 'modelMiddleware');
	const maxRetries = options.maxRateLimitRetries ?? 8;
	const defaultPauseMs = options.defaultPauseMs ?? 1000;
	const limits = options.rpm || options.tpm ? { rpm: options.rpm, tpm: options.tpm } : undefined;
	const journal = () => journalAt(modelRunSettings().cacheDir ?? path.resolve(options.cacheDir ?? path.join('.doteval', 'cache')));
	const mode = () => modelRunSettings().cache ?? options.cache ?? 'off';

	/** One provider call through the budget, with 429/503 pauses and the quota's fail-fast. */
	async function throughBudget<T>(model: ModelLike, estimate: number, sample: SampleModelStats | undefined, call: () => PromiseLike<T>): Promise<T> {
		const budget: Budget = budgetFor(options.provider ?? model.provider, options.apiKey, limits);
		for (let retry = 0; ; retry++) {
			try {
				const waited = await budget.acquire(estimate);
				if (sample) sample.budgetMs += waited;
			} catch (error) {
				if (error instanceof QuotaExhaustedError && sample) sample.quotaExhausted ??= error.message;
				throw error;
			}
			try {
				const result = await call();
				const learned = learnedLimits(headersOf({ responseHeaders: ((result as Loose).response as Loose | undefined)?.headers }));
				if (learned.rpm || learned.tpm) budget.learn(learned);
				budget.answered();
				budget.succeeded();
				return result;
			} catch (error) {
				budget.answered();
				const e = (error ?? {}) as Loose;
				const status = e.statusCode;
				const headers = headersOf(e);
				const learned = learnedLimits(headers);
				if (learned.rpm || learned.tpm) budget.learn(learned);
				if (status === 429 && String(e.responseBody ?? '').includes('insufficient_quota')) {
					const message = quotaMessage(budget.name, String(e.message ?? 'insufficient_quota'));
					budget.exhaust(message);
					if (sample) sample.quotaExhausted ??= message;
					throw new QuotaExhaustedError(message);
				}
				if ((status !== 429 && status !== 503) || retry >= maxRetries) throw error;
				budget.rateLimited(retryAfterHeaderMs(headers) ?? defaultPauseMs * 2 ** Math.min(retry, 5));
			}
		}
	}

	const estimateOf = (params: Loose) => Math.ceil(JSON.stringify(params.prompt ?? '').length / 4);

	return {
		specificationVersion: 'v3' as const,

		async wrapGenerate<R, S>({ doGenerate, params, model }: CallArgs<R, S>): Promise<R> {
			const sample = currentSample();
			const m = mode();
			const key = m === 'off' ? '' : keyOf('GENERATE', model, params, sample?.trial ?? 0);
			if (m !== 'off' && readsCache(m)) {
				const hit = journal().get(key);
				if (hit) {
					recordCall({}, { cacheHit: true }, sample);
					return revive(JSON.parse(hit.body)) as R;
				}
				if (m === 'replay') return replayMiss(sample, model);
			}
			const result = await throughBudget(model, estimateOf(params), sample, doGenerate);
			recordCall({ usage: normalizeUsage((result as Loose).usage), model: model.modelId }, { cacheHit: false, prices: options.prices }, sample);
			if (m !== 'off' && writesCache(m)) {
				const { request: _request, ...kept } = result as Loose;
				journal().set(key, { status: 200, headers: {}, body: JSON.stringify(kept), stream: false, at: Date.now() });
			}
			return result;
		},

		async wrapStream<G, R>({ doStream, params, model }: CallArgs<G, R>): Promise<R> {
			const sample = currentSample();
			const m = mode();
			const key = m === 'off' ? '' : keyOf('STREAM', model, params, sample?.trial ?? 0);
			if (m !== 'off' && readsCache(m)) {
				const hit = journal().get(key);
				if (hit) {
					recordCall({}, { cacheHit: true }, sample);
					const parts = revive(JSON.parse(hit.body)) as Loose[];
					let i = 0;
					return { stream: new ReadableStream<Loose>({ pull: (c) => (i < parts.length ? c.enqueue(parts[i++]!) : c.close()) }) } as R;
				}
				if (m === 'replay') return replayMiss(sample, model);
			}
			const { stream, ...rest } = (await throughBudget(model, estimateOf(params), sample, doStream)) as Loose & { stream: ReadableStream<Loose> };
			const parts: Loose[] = [];
			const store = m !== 'off' && writesCache(m);
			const tee = new TransformStream<Loose, Loose>({
				transform(part, controller) {
					if (store) parts.push(part);
					if (part.type === 'finish')
						recordCall({ usage: normalizeUsage(part.usage), model: model.modelId }, { cacheHit: false, prices: options.prices }, sample);
					controller.enqueue(part);
				},
				flush() {
					if (store && !parts.some((p) => p.type === 'error'))
						journal().set(key, { status: 200, headers: {}, body: JSON.stringify(parts), stream: true, at: Date.now() });
				},
			});
			return { ...rest, stream: stream.pipeThrough(tee) } as R;
		},
	};
}

function replayMiss(sample: SampleModelStats | undefined, model: ModelLike): never {
	const message = `--cache replay: no cached response for ${model.provider}/${model.modelId} (this trial, these parameters). Record it first with \`doteval run --cache record\` (or --cache on) where the API is reachable, or run without --cache replay`;
	if (sample) sample.cacheMiss ??= message;
	throw new CacheMissError(message);
}
