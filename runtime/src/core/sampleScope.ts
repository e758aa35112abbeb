/**
 * The one async context of a running sample. The executor runs every attempt of an eval function
 * inside `runInScope`; code anywhere below it reads the scope with `currentScope()`: doteval/models
 * adds a model call's figures to `scope.models`, and the executor finds which sample made an
 * unhandled rejection or a print (executor/sampleContext.ts).
 *
 * One AsyncLocalStorage for all of them, because on Node 20 every AsyncLocalStorage in use adds work
 * to every promise the process makes (each storage copies its value onto each new promise in an
 * async-hook); with one, a sample pays one propagation per promise and one `run()` per attempt.
 *
 * The storage lives on globalThis under a Symbol.for key: the CLI's copy of the runtime runs the
 * samples, while the eval file may import `doteval/models` from its own copy.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SampleModelStats } from '../models/context.js';

/** What a running sample carries through its async context; the executor's RunningSample adds its identity. */
export interface SampleScope {
	/** The sample's model usage, which model calls made under it add to. */
	readonly models: SampleModelStats;
}

const KEY = Symbol.for('doteval.sampleScope');
const storage: AsyncLocalStorage<SampleScope> = ((globalThis as { [KEY]?: AsyncLocalStorage<SampleScope> })[KEY] ??= new AsyncLocalStorage<SampleScope>());

/** Runs `fn(arg)` (and everything it starts) as code of the sample `scope`. */
export function runInScope<A, T>(scope: SampleScope, fn: (arg: A) => T, arg: A): T {
	return storage.run(scope, fn, arg);
}

/** The scope of the sample whose code made the current async context, if any. */
export function currentScope(): SampleScope | undefined {
	return storage.getStore();
}
