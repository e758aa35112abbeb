/**
 * Which sample a model call belongs to. The executor runs every attempt of a sample inside the
 * sample's async context (core/sampleScope.ts, one AsyncLocalStorage shared with the executor's own
 * bookkeeping); the fetch drop-in and the AI SDK middleware read the current sample's figures from it
 * and add theirs (budget wait, tokens, cost, cache hits).
 *
 * The context's storage and the run's settings live on globalThis under Symbol.for keys: the CLI's
 * copy of the runtime runs the samples, while the eval file may import `doteval/models` from its own copy.
 */
import { currentScope, runInScope } from '../core/sampleScope.js';
import type { CacheMode } from './cache/mode.js';

/** The model usage of the sample that is running: calls, cache hits, tokens, cost, and its budget-wait and judge time. */
export interface SampleModelStats {
	/** 0-based trial of the sample (`--trials k` runs each sample k times). */
	trial: number;
	/** Model calls made (cache hits included), and how many of them the cache answered. */
	calls: number;
	cacheHits: number;
	inputTokens: number;
	outputTokens: number;
	/** USD; null once a call's model has no price (unknown is not zero). */
	costUsd: number | null;
	/** Models without a price, to name in the sample's note. */
	unpricedModels: string[];
	/** Time waiting for the provider's budget (pacing and server-asked pauses), ms. */
	budgetMs: number;
	/** Time inside LLM judges (their budget waits excluded), ms. */
	judgeMs: number;
	/** Set when a call met an exhausted quota: the run stops. */
	quotaExhausted?: string;
	/** Set when `--cache replay` found no cached response: the sample fails, it is not retried. */
	cacheMiss?: string;
	/** True while a judge's calls run (their time counts as judge time, not task time). */
	inJudge: boolean;
}

export function newSampleStats(trial = 0): SampleModelStats {
	return { trial, calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedModels: [], budgetMs: 0, judgeMs: 0, inJudge: false };
}

/** The run's model settings, set by the CLI (`--cache`, `--trials`, the store's folder). */
export interface ModelRunSettings {
	/** `--cache`: wins over the client's own `cache` option; undefined: the client's option (default off). */
	cache?: CacheMode;
	/** Folder of the response cache; undefined: no store (calls outside `doteval run`). */
	cacheDir?: string;
}

interface Shared {
	settings: ModelRunSettings;
}

const KEY = Symbol.for('doteval.models.shared');

function shared(): Shared {
	const g = globalThis as { [KEY]?: Shared };
	g[KEY] ??= { settings: {} };
	return g[KEY];
}

/** Runs `fn` as a sample whose model calls add to `stats` (the executor passes its whole sample scope instead). */
export function runInSample<T>(stats: SampleModelStats, fn: () => T): T {
	return runInScope({ models: stats }, fn, undefined);
}

/** The model figures of the sample whose code is running, if any (undefined outside a sample, e.g. in a fixture). */
export function currentSample(): SampleModelStats | undefined {
	return currentScope()?.models;
}

export function modelRunSettings(): ModelRunSettings {
	return shared().settings;
}

/** Sets the run's model settings (the CLI's `--cache` mode and the cache folder) for every client of the process; a runner calls it before running evals. */
export function setModelRunSettings(settings: Partial<ModelRunSettings>): void {
	Object.assign(shared().settings, settings);
}
