/**
 * The one async context of a running sample. The executor runs every attempt of an eval function
 * inside `runInScope`; code anywhere below it reads the scope with `currentScope()`:
 * doteval/models adds a model call's figures to `scope.models`, and the executor finds which sample
 * made an unhandled rejection or a print (executor/sampleContext.ts).
 *
 * One AsyncLocalStorage for all of them, because on Node 20 every AsyncLocalStorage in use adds work
 * to every promise the process makes (each storage copies its value onto each new promise in an
 * async-hook); with one, a sample pays one propagation per promise and one `run()` per attempt.
 *
 * And only while something can read it: the storage turns those hooks on at its first `run()` (about
 * 4–5 µs per sample of a scheduler benchmark's trivial task, more than p-limit's whole cost). Whatever
 * reads the scope declares itself with `addScopeReader()` — the output capture and the
 * unhandled-rejection attribution while they are installed, doteval/models once imported — and a
 * sample runs in its context only while one is declared. A process running evals as a library, with
 * no model calls and no capture, never turns the hooks on.
 *
 * The storage and the count live on globalThis under Symbol.for keys: the CLI's copy of the runtime
 * runs the samples, while the eval file may import `doteval/models` from its own copy.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SampleModelStats } from '../models/stats.js';

/** What a running sample carries through its async context; the executor's RunningSample adds its identity. */
export interface SampleScope {
	/** The sample's model usage, which model calls made under it add to. */
	readonly models: SampleModelStats;
}

const KEY = Symbol.for('doteval.sampleScope');
const storage: AsyncLocalStorage<SampleScope> = ((globalThis as { [KEY]?: AsyncLocalStorage<SampleScope> })[KEY] ??= new AsyncLocalStorage<SampleScope>());
const READERS = Symbol.for('doteval.sampleScope.readers');
const readers: { count: number } = ((globalThis as { [READERS]?: { count: number } })[READERS] ??= { count: 0 });

/** Runs `fn(arg)` (and everything it starts) as code of the sample `scope`. */
export function runInScope<A, T>(scope: SampleScope, fn: (arg: A) => T, arg: A): T {
	return storage.run(scope, fn, arg);
}

/** Whether a reader is declared: while none is, no code can read a scope, and a sample need not enter one. */
export function scopeIsRead(): boolean {
	return readers.count > 0;
}

/** Declares a reader of the scope: samples started from now on run in their context. Returns the undeclare (idempotent). */
export function addScopeReader(): () => void {
	readers.count++;
	let declared = true;
	return () => {
		if (declared) readers.count--;
		declared = false;
	};
}

/** The scope of the sample whose code made the current async context, if any. */
export function currentScope(): SampleScope | undefined {
	return storage.getStore();
}
