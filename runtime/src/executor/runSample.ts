/**
 * One sample, start to end: set up its sample-scoped fixtures, run its attempts, tear the fixtures
 * down (`runSample`), then build the record that is stored and streamed (`sampleEnd`, which the
 * executor calls after the next sample has started). Never throws: every failure of the eval becomes
 * the sample's `error`.
 */
import type { SampleEndEvent, SampleError } from '../protocol/events.js';
import { ScopeCache } from '../fixtures/scope.js';
import { processReturn, samplePassed, toSampleError, type ProcessedReturn } from './sample.js';
import { runAttempts, type AttemptContext, type AttemptsOutcome } from './attempts.js';
import type { EvalFixtures } from './fixtures.js';
import { modelUsageOf, newSampleStats, type SampleModelStats } from './modelCalls.js';

/** A sample record as the executor reports it (the CLI adds `type` and `evalId`). */
export type SampleEnd = Omit<SampleEndEvent, 'type' | 'evalId'>;

/** One row, mapped and ready to run. */
export interface SampleJob {
	index: number;
	/** Columns plus eval/run-scoped fixtures: what the eval function receives (sample fixtures are added here). */
	args: Record<string, unknown>;
	/** The row as stored (JSON-safe columns). */
	row: Record<string, unknown>;
	/** Wall clock and monotonic time when the row was queued. */
	queuedAt: number;
	queuedMono: number;
	/** The row's trial, when the eval runs each row more than once (absent: the only trial, 0). */
	trial?: number;
}

/** What every sample of one evaluation run shares. */
export interface SampleContext extends AttemptContext {
	fixtures: EvalFixtures;
	/** Teardown problems go here (they do not fail the sample). */
	warnings: string[];
}

/** A sample whose attempts are over: what its record is made of (`sampleEnd`). */
export interface FinishedSample {
	job: SampleJob;
	outcome: AttemptsOutcome;
	times: SampleTimes;
	models: SampleModelStats;
}

// Not an async function: its frame would be one more promise and heap frame per sample.
export function runSample(ctx: SampleContext, job: SampleJob): Promise<FinishedSample> {
	const startedMono = performance.now();
	const startedAt = Date.now();
	const models = newSampleStats(job.trial ?? 0);
	return runCall(ctx, job.args, (args) => runAttempts(ctx, job.index, args, models, [job.row])).then((outcome) => ({
		job,
		outcome,
		models,
		times: { startedAt, startedMono, finishedAt: Date.now() },
	}));
}

/** The record of a finished sample: its return value interpreted (a Result or a Score), its timing and model usage. */
export function sampleEnd(finished: FinishedSample, evalName: string): SampleEnd {
	const { job, outcome, times, models } = finished;
	let processed: ProcessedReturn | undefined;
	let error = outcome.error;
	try {
		processed = outcome.returned ? processReturn(outcome.value, evalName) : undefined;
	} catch (thrown) {
		error ??= toSampleError(thrown); // reading the returned value threw (a throwing getter)
	}
	return withModels(sampleRecord(job, outcome, processed, error ?? processed?.error ?? null, times), models);
}

/**
 * One call of the eval function (a sample's, or a batch's) with its sample-scoped fixtures: set up
 * before it (columns win over fixtures of the same name), torn down after it (problems become
 * warnings). Without sample-scoped fixtures it is the attempts' own promise (no async layer).
 */
export function runCall(
	ctx: SampleContext,
	args: Record<string, unknown>,
	attempt: (args: Record<string, unknown>) => Promise<AttemptsOutcome>,
): Promise<AttemptsOutcome> {
	return ctx.fixtures.perSample.length === 0 ? attempt(args) : withSampleFixtures(ctx, args, attempt);
}

async function withSampleFixtures(
	ctx: SampleContext,
	args: Record<string, unknown>,
	attempt: (args: Record<string, unknown>) => Promise<AttemptsOutcome>,
): Promise<AttemptsOutcome> {
	const { perSample, resolver } = ctx.fixtures;
	const cache = new ScopeCache();
	try {
		const values: Record<string, unknown> = {};
		try {
			for (const name of perSample) values[name] = await resolver.get(name, cache);
		} catch (error) {
			return { returned: false, value: undefined, error: toSampleError(error), attempts: 0, latencyMs: 0, backoffMs: 0 };
		}
		return await attempt(Object.assign(values, args));
	} finally {
		for (const e of await cache.teardown()) ctx.warnings.push(e.message);
	}
}

/** The sample's model usage and its budget and judge phases, when it made model calls. */
export function withModels(sample: SampleEnd, models: SampleModelStats): SampleEnd {
	const usage = modelUsageOf(models);
	if (!usage) return sample;
	sample.models = usage;
	sample.timing.budgetMs = models.budgetMs;
	if (models.judgeMs > 0) sample.timing.judgeMs = models.judgeMs;
	return sample;
}

/** When a sample (or the batch it is in) started and ended: wall clock, and monotonic for the queue time. */
export interface SampleTimes {
	startedAt: number;
	startedMono: number;
	finishedAt: number;
}

/** The stored and streamed record of one row, from what its attempts gave: `processed` (its return value), `error` (the sample's). */
export function sampleRecord(
	job: SampleJob,
	outcome: AttemptsOutcome,
	processed: ProcessedReturn | undefined,
	error: SampleError | null,
	times: SampleTimes,
): SampleEnd {
	const scores = processed?.scores ?? [];
	const sample: SampleEnd = {
		index: job.index,
		row: job.row,
		prompt: processed?.prompt ?? null,
		modelResponse: processed?.modelResponse ?? null,
		scores,
		error,
		passed: samplePassed(scores, error),
		attempts: outcome.attempts,
		timing: {
			queuedAt: job.queuedAt,
			startedAt: times.startedAt,
			finishedAt: times.finishedAt,
			queueMs: times.startedMono - job.queuedMono,
			backoffMs: outcome.backoffMs,
			latencyMs: outcome.latencyMs,
		},
	};
	if (processed?.metadata) sample.metadata = processed.metadata;
	if (outcome.output !== undefined) sample.output = outcome.output;
	if (job.trial !== undefined) sample.trial = job.trial;
	return sample;
}

/** The record of a row that could not run at all (a malformed row, a row the columns do not fit). */
export function unrunnableSample(index: number, row: Record<string, unknown>, error: SampleError): SampleEnd {
	const now = Date.now();
	return {
		index,
		row,
		prompt: null,
		modelResponse: null,
		scores: [],
		error,
		passed: false,
		attempts: 0,
		timing: { queuedAt: now, startedAt: now, finishedAt: now, queueMs: 0, backoffMs: 0, latencyMs: 0 },
	};
}
