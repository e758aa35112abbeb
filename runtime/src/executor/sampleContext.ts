/**
 * Which sample is running, as seen from anywhere in the code it calls: the executor runs each
 * attempt of an eval function inside the sample's async context (core/sampleScope.ts, the one
 * AsyncLocalStorage it shares with doteval/models), and Node runs an `unhandledRejection` listener in
 * the async context where the rejected promise was made. So a forgotten `await` can be blamed on (and
 * recorded as an error of) the sample that caused it, instead of killing the whole run with Node's raw error.
 */
import { currentScope, runInScope, scopeIsRead, type SampleScope } from '../core/sampleScope.js';
import type { SampleModelStats } from '../models/stats.js';
import type { SampleOutput } from './sampleOutput.js';

/** Wraps a rejection that no code awaited, so the executor records it without retrying. */
export class UnhandledInSample extends Error {
	constructor(readonly reason: unknown) {
		super('unhandled rejection');
	}
}

/**
 * The sample scope as the executor makes it, one per sample (or batch): its model figures, which
 * sample it is, and how an unhandled rejection of its code ends its running attempt. Methods rather
 * than closures: a sample allocates this one object.
 */
export class RunningSample implements SampleScope {
	/** False once the sample's record is made: a rejection can no longer become its error. */
	running = true;
	/** The first rejection its code left unhandled, if any. */
	unhandled: { reason: unknown } | undefined;
	private rejectAttempt: ((error: UnhandledInSample) => void) | undefined;
	/** Whether the running attempt runs in the sample's async context. */
	private inContext = false;

	/** `evalName`: the eval's name as the executor knows it (def.name); `output`: what its code prints, while a capture is on (sampleOutput.ts). */
	constructor(
		readonly evalName: string,
		readonly index: number,
		readonly models: SampleModelStats,
		readonly output: SampleOutput | undefined,
	) {}

	/**
	 * Runs `fn(arg)` (and all it starts) as this sample's code: in its async context while anything
	 * reads one (core/sampleScope.ts), else directly, since nothing could tell the samples apart.
	 */
	run<A, T>(fn: (arg: A) => T, arg: A): T {
		this.inContext = scopeIsRead();
		return this.inContext ? runInScope(this, fn, arg) : fn(arg);
	}

	/**
	 * Settles as `pending` does, or rejects with UnhandledInSample as soon as the sample's code leaves
	 * a rejection unhandled. Outside its context nothing can find the sample to `fail()` it: `pending` itself.
	 */
	settle<T>(pending: PromiseLike<T>): PromiseLike<T> {
		if (!this.inContext) return pending;
		return new Promise<T>((resolve, reject) => {
			this.rejectAttempt = reject;
			pending.then(resolve, reject);
		});
	}

	/** Ends the running attempt with this error (no retry); rejecting an attempt that has settled does nothing. */
	fail(reason: unknown): void {
		this.unhandled ??= { reason };
		this.rejectAttempt?.(new UnhandledInSample(reason));
	}
}

/** The sample whose code created the current async context, if the executor runs it (a bare `runInSample` of doteval/models is not one). */
export function currentSample(): RunningSample | undefined {
	const scope = currentScope();
	return scope instanceof RunningSample ? scope : undefined;
}
