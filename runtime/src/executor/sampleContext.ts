/**
 * Which sample is running, as seen from anywhere in the code it calls: the executor runs each
 * attempt of an eval function inside the sample's async context (core/sampleScope.ts, the one
 * AsyncLocalStorage it shares with doteval/models), and Node runs an `unhandledRejection` listener in
 * the async context where the rejected promise was made. So a forgotten `await` can be blamed on (and
 * recorded as an error of) the sample that caused it, instead of killing the whole run with Node's raw error.
 */
import { currentScope, runInScope, type SampleScope } from '../core/sampleScope.js';
import type { SampleOutput } from './sampleOutput.js';

/** The sample scope as the executor makes it: the model figures plus which sample this is and how to fail it. */
export interface RunningSample extends SampleScope {
	/** The eval's name as the executor knows it (def.name). */
	readonly evalName: string;
	readonly index: number;
	/** False once the sample's record is made: a rejection can no longer become its error. */
	running: boolean;
	/** What the sample's code prints, while a capture is on (sampleOutput.ts). */
	readonly output?: SampleOutput;
	/** Ends the running attempt with this error (no retry). */
	fail(reason: unknown): void;
}

/** Wraps a rejection that no code awaited, so the executor records it without retrying. */
export class UnhandledInSample extends Error {
	constructor(readonly reason: unknown) {
		super('unhandled rejection');
	}
}

export function runInSample<T>(context: RunningSample, fn: () => T): T {
	return runInScope(context, fn);
}

/** The sample whose code created the current async context, if the executor runs it (a bare `runInSample` of doteval/models is not one). */
export function currentSample(): RunningSample | undefined {
	const scope = currentScope();
	return scope && 'evalName' in scope ? (scope as RunningSample) : undefined;
}
