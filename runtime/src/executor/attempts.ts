/**
 * The attempts of one sample: call the eval, retry what the policy retries (sleeping its back-off),
 * report every attempt to the concurrency controller, and interpret the final return value.
 */
import type { ConcurrencyController } from '../concurrency/types.js';
import type { SampleError } from '../protocol/events.js';
import type { RetryPolicy } from '../retry/policy.js';
import { httpStatusOf } from '../retry/classify.js';
import type { BackoffSleeps } from '../retry/backoff.js';
import { toSampleError, unhandledRejectionError } from './sample.js';
import { modelOutcomeError, nonTaskMs, type SampleModelStats } from './modelCalls.js';
import { RunningSample, UnhandledInSample } from './sampleContext.js';
import { capturing, SampleOutput } from './sampleOutput.js';

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
	/** `row`: the sample's row as stored, on its first attempt (for a live label). */
	onAttemptStart(index: number, attempt: number, row?: Record<string, unknown>): void;
	/** Called after each attempt with the controller's limit, so the scheduler follows an adaptive strategy. */
	onLimitChange(limit: number): void;
	/** Stops the run (an exhausted model quota): no new sample starts. */
	stopRun(message: string): void;
}

/**
 * How the attempts of one sample (or one batch) ended. What the eval returned is kept as it is: the
 * caller interprets it (sample.ts, batch.ts) once the next sample has started.
 */
export interface AttemptsOutcome {
	/** The last attempt returned (`value` is what it returned), rather than threw or never ran. */
	returned: boolean;
	value: unknown;
	/** Why the sample failed, apart from what its return value says (a throw, a model outcome). */
	error: SampleError | null;
	attempts: number;
	/** Time inside the eval function, summed over attempts, without budget waits and judges (monotonic ms). */
	latencyMs: number;
	/** Time slept between attempts (monotonic ms). */
	backoffMs: number;
	/** What the eval's code printed over all attempts, while a capture is on (sampleOutput.ts). */
	output?: string;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Runs inside the sample's one async context, which carries its model figures too (doteval/models):
 * waits for a provider's budget and time in LLM judges are the sample's own phases, not latency; a
 * `--cache replay` miss or an exhausted quota is not worth another attempt, and fails the sample (an
 * exhausted quota stops the run). `index`: the sample, or the samples of a batch (each is told of
 * every attempt). One async function for all attempts: each async layer costs a sample promises,
 * and with an AsyncLocalStorage in use every promise pays its propagation.
 */
export async function runAttempts(
	ctx: AttemptContext,
	index: number | readonly number[],
	args: Record<string, unknown>,
	models: SampleModelStats,
	rows?: readonly Record<string, unknown>[],
): Promise<AttemptsOutcome> {
	// A batch is named by its first sample in messages about it. An unhandled rejection made by this
	// sample's code ends its running attempt (sampleContext.ts).
	const running = new RunningSample(ctx.label, typeof index === 'number' ? index : (index[0] ?? 0), models, capturing() ? new SampleOutput() : undefined);
	const out: AttemptsOutcome = { returned: false, value: undefined, error: null, attempts: 0, latencyMs: 0, backoffMs: 0 };
	try {
		for (;;) {
			const attempt = ++out.attempts;
			if (typeof index === 'number') ctx.onAttemptStart(index, attempt, attempt === 1 ? rows?.[0] : undefined);
			else index.forEach((i, k) => ctx.onAttemptStart(i, attempt, attempt === 1 ? rows?.[k] : undefined));
			const t0 = performance.now();
			const other0 = nonTaskMs(models);
			const budget0 = models.budgetMs;
			try {
				let value = running.run(ctx.fn, args);
				if (isPromiseLike(value)) value = await running.settle(value); // a sync eval pays no await
				if (running.unhandled) throw new UnhandledInSample(running.unhandled.reason);
				const t1 = performance.now();
				const ms = t1 - t0 - (nonTaskMs(models) - other0);
				out.latencyMs += ms;
				ctx.controller.onAttempt?.({ ok: true, at: t1, latencyMs: ms, waitedMs: models.budgetMs - budget0 });
				ctx.onLimitChange(ctx.controller.limit);
				out.returned = true;
				out.value = value;
				break;
			} catch (error) {
				const t1 = performance.now();
				const ms = t1 - t0 - (nonTaskMs(models) - other0);
				out.latencyMs += ms;
				if (error instanceof UnhandledInSample) {
					out.error = unhandledRejectionError(error.reason);
					break;
				}
				ctx.controller.onAttempt?.({ ok: false, error, status: httpStatusOf(error), at: t1, latencyMs: ms, waitedMs: models.budgetMs - budget0 });
				ctx.onLimitChange(ctx.controller.limit);
				if (!ctx.signal.aborted && !modelOutcomeError(models) && ctx.retries.shouldRetry(error, attempt)) {
					const b0 = performance.now();
					await ctx.backoff.sleep(ctx.retries.delayMs(error, attempt));
					out.backoffMs += performance.now() - b0;
					if (!ctx.signal.aborted) continue;
				}
				out.error = toSampleError(error);
				break;
			}
		}
	} finally {
		running.running = false;
	}
	const output = running.output?.value();
	if (output !== undefined) out.output = output;
	const imposed = modelOutcomeError(models);
	if (imposed) {
		out.error = imposed.error;
		if (imposed.fatal) ctx.stopRun(imposed.error.message);
	}
	return out;
}
