/**
 * Which sample a model call belongs to. The executor runs every attempt of a sample inside the
 * sample's async context (core/sampleScope.ts, one AsyncLocalStorage shared with the executor's own
 * bookkeeping); the fetch drop-in and the AI SDK middleware read the current sample's figures from it
 * and add theirs (budget wait, tokens, cost, cache hits).
 *
 * The context's storage and the run's settings live on globalThis under Symbol.for keys: the CLI's
 * copy of the runtime runs the samples, while the eval file may import `doteval/models` from its own copy.
 *
 * Importing this module (any model client imports it) declares a reader of the sample scope for the
 * life of the process: from then on the executor runs every sample inside its context. Before, a
 * process that makes no model calls pays no async-context cost per promise (core/sampleScope.ts).
 */
import { addScopeReader, currentScope, runInScope } from '../core/sampleScope.js';
import type { CacheMode } from './cache/mode.js';
import type { SampleModelStats } from './stats.js';

export { newSampleStats, type SampleModelStats } from './stats.js';

addScopeReader();

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
