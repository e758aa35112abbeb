/**
 * The attempts of one sample: call the eval, retry what the policy retries (sleeping its back-off),
 * report every attempt to the concurrency controller, and interpret the final return value.
 */
import type { ConcurrencyController } from '../concurrency/types.js';
import type { SampleError } from '../protocol/events.js';
import type { RetryPolicy } from '../retry/policy.js';
import { httpStatusOf } from '../retry/classify.js';
import type { BackoffSleeps } from '../retry/backoff.js';
import { processReturn, toSampleError, unhandledRejectionError, type ProcessedReturn } from './sample.js';
import { runInSample, UnhandledInSample, type RunningSample } from './sampleContext.js';

/** What the attempts need; one per evaluation run, shared by every sample. */
export interface AttemptContext {
	fn: (args: Record<string, unknown>) => unknown;
	/** The eval's name, for the message of an invalid return value. */
	label: string;
	controller: ConcurrencyController;
	retries: RetryPolicy;
	signal: AbortSignal;
	/** The run's back-off sleeps (one abort listener for all of them). */
	backoff: BackoffSleeps;
	onAttemptStart(index: number, attempt: number): void;
	/** Called after each attempt with the controller's limit, so the scheduler follows an adaptive strategy. */
	onLimitChange(limit: number): void;
}

/** How the attempts of one sample ended. */
export interface AttemptsOutcome {
	processed: ProcessedReturn | undefined;
	error: SampleError | null;
	attempts: number;
	/** Time inside the eval function, summed over attempts (monotonic ms). */
	latencyMs: number;
	/** Time slept between attempts (monotonic ms). */
	backoffMs: number;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

export async function runAttempts(ctx: AttemptContext, index: number, args: Record<string, unknown>): Promise<AttemptsOutcome> {
	const out: AttemptsOutcome = { processed: undefined, error: null, attempts: 0, latencyMs: 0, backoffMs: 0 };
	// An unhandled rejection made by this sample's code ends its running attempt (sampleContext.ts).
	let rejectAttempt: ((reason: unknown) => void) | undefined;
	let unhandled: { reason: unknown } | undefined;
	const running: RunningSample = {
		evalName: ctx.label, index, running: true,
		fail: (reason) => {
			unhandled ??= { reason };
			rejectAttempt?.(new UnhandledInSample(reason));
		},
	};
	try {
		return await attemptsOf(ctx, index, args, out, running, {
			arm: (reject) => { rejectAttempt = reject; },
			pending: () => unhandled,
		});
	} finally {
		running.running = false;
	}
}

interface UnhandledHooks {
	/** While an attempt awaits: where an unhandled rejection of the sample goes. */
	arm(reject: ((reason: unknown) => void) | undefined): void;
	pending(): { reason: unknown } | undefined;
}

async function attemptsOf(ctx: AttemptContext, index: number, args: Record<string, unknown>, out: AttemptsOutcome, running: RunningSample, hooks: UnhandledHooks): Promise<AttemptsOutcome> {
	for (;;) {
		const attempt = ++out.attempts;
		ctx.onAttemptStart(index, attempt);
		const t0 = performance.now();
		try {
			let value = runInSample(running, () => ctx.fn(args));
			if (isPromiseLike(value)) { // a sync eval pays no await
				const pending = value;
				value = await new Promise((resolve, reject) => {
					hooks.arm(reject);
					pending.then(resolve, reject);
				});
				hooks.arm(undefined);
			}
			const unhandled = hooks.pending();
			if (unhandled) throw new UnhandledInSample(unhandled.reason);
			const t1 = performance.now();
			out.latencyMs += t1 - t0;
			ctx.controller.onAttempt?.({ ok: true, at: t1, latencyMs: t1 - t0 });
			ctx.onLimitChange(ctx.controller.limit);
			out.processed = processReturn(value, ctx.label);
			out.error = out.processed.error;
			return out;
		} catch (error) {
			const t1 = performance.now();
			out.latencyMs += t1 - t0;
			hooks.arm(undefined);
			if (error instanceof UnhandledInSample) {
				out.error = unhandledRejectionError(error.reason);
				return out;
			}
			ctx.controller.onAttempt?.({ ok: false, error, status: httpStatusOf(error), at: t1, latencyMs: t1 - t0 });
			ctx.onLimitChange(ctx.controller.limit);
			if (!ctx.signal.aborted && ctx.retries.shouldRetry(error, attempt)) {
				const b0 = performance.now();
				await ctx.backoff.sleep(ctx.retries.delayMs(error, attempt));
				out.backoffMs += performance.now() - b0;
				if (!ctx.signal.aborted) continue;
			}
			out.error = toSampleError(error);
			return out;
		}
	}
}
