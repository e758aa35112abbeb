/**
 * One sample, start to end: set up its sample-scoped fixtures, run its attempts, tear the fixtures
 * down, and build the record that is stored and streamed. Never throws: every failure of the eval
 * becomes the sample's `error`.
 */
import type { SampleEndEvent, SampleError } from '../protocol/events.js';
import { ScopeCache } from '../fixtures/scope.js';
import { samplePassed, toSampleError } from './sample.js';
import { runAttempts, type AttemptContext, type AttemptsOutcome } from './attempts.js';
import type { EvalFixtures } from './fixtures.js';
import { modelOutcomeError, modelUsageOf, newSampleStats, type SampleModelStats } from './modelCalls.js';

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
	/** Stops the run (an exhausted model quota): no new sample starts. */
	stopRun(message: string): void;
}

export async function runSample(ctx: SampleContext, job: SampleJob): Promise<SampleEnd> {
	const startedMono = performance.now();
	const startedAt = Date.now();
	const { perSample, resolver } = ctx.fixtures;
	const models = newSampleStats(job.trial ?? 0);
	let outcome: AttemptsOutcome;
	if (perSample.length === 0) outcome = await runAttempts(ctx, job.index, job.args, models);
	else {
		const cache = new ScopeCache();
		try {
			const values: Record<string, unknown> = {};
			let setupError: SampleError | null = null;
			try {
				for (const name of perSample) values[name] = await resolver.get(name, cache);
			} catch (error) {
				setupError = toSampleError(error);
			}
			// Columns win over fixtures of the same name.
			outcome = setupError ? notRun(setupError) : await runAttempts(ctx, job.index, Object.assign(values, job.args), models);
		} finally {
			for (const e of await cache.teardown()) ctx.warnings.push(e.message);
		}
	}
	const imposed = modelOutcomeError(models);
	if (imposed) {
		outcome.error = imposed.error;
		if (imposed.fatal) ctx.stopRun(imposed.error.message);
	}
	return withModels(sampleRecord(job, outcome, startedAt, startedMono), models);
}

/** The sample's model usage and its budget and judge phases, when it made model calls. */
function withModels(sample: SampleEnd, models: SampleModelStats): SampleEnd {
	const usage = modelUsageOf(models);
	if (!usage) return sample;
	sample.models = usage;
	sample.timing.budgetMs = models.budgetMs;
	if (models.judgeMs > 0) sample.timing.judgeMs = models.judgeMs;
	return sample;
}

function notRun(error: SampleError): AttemptsOutcome {
	return { processed: undefined, error, attempts: 0, latencyMs: 0, backoffMs: 0 };
}

function sampleRecord(job: SampleJob, outcome: AttemptsOutcome, startedAt: number, startedMono: number): SampleEnd {
	const { processed, error } = outcome;
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
		timing: { queuedAt: job.queuedAt, startedAt, finishedAt: Date.now(), queueMs: startedMono - job.queuedMono, backoffMs: outcome.backoffMs, latencyMs: outcome.latencyMs },
	};
	if (processed?.metadata) sample.metadata = processed.metadata;
	if (job.trial !== undefined) sample.trial = job.trial;
	return sample;
}

/** The record of a row that could not run at all (a malformed row, a row the columns do not fit). */
export function unrunnableSample(index: number, row: Record<string, unknown>, error: SampleError): SampleEnd {
	const now = Date.now();
	return { index, row, prompt: null, modelResponse: null, scores: [], error, passed: false, attempts: 0, timing: { queuedAt: now, startedAt: now, finishedAt: now, queueMs: 0, backoffMs: 0, latencyMs: 0 } };
}
