/**
 * One batch of a `batch(...)` eval, start to end: the eval function is called once with each
 * column as an array over the batch's rows, retried as a unit, and its return value (one Result per
 * row, or one for the whole batch) becomes one record per row. A batch that fails (after its
 * retries) gives every row of it the error. Each row's latency is its share of the batch's time, so
 * samples/s and speedup keep their meaning; the batch's own time is in `metadata.batch`.
 */
import type { SampleError } from '../protocol/events.js';
import { ScopeCache } from '../fixtures/scope.js';
import { InvalidResultError, processReturn, samplePassed, toSampleError, type ProcessedReturn } from './sample.js';
import { runAttempts, type AttemptsOutcome } from './attempts.js';
import type { SampleContext, SampleEnd, SampleJob } from './runSample.js';
import { modelOutcomeError, modelUsageOf, newSampleStats } from './modelCalls.js';

interface BatchReturn {
	/** The whole batch's problem: its return value had the wrong shape. */
	error: SampleError | null;
	rows: ProcessedReturn[];
}

export function interpretBatch(value: unknown, size: number, label: string): BatchReturn {
	if (!Array.isArray(value)) {
		const one = processReturn(value, label);
		return { error: one.scores.length || !one.error ? null : one.error, rows: Array.from({ length: size }, () => one) };
	}
	if (value.length !== size) {
		const error = new InvalidResultError(`batch eval ${label} returned ${value.length} result${value.length === 1 ? '' : 's'} for a batch of ${size} rows; return one Result per row, in the rows' order, or one Result for the whole batch`);
		return { error: { type: error.name, message: error.message }, rows: [] };
	}
	return { error: null, rows: value.map((v) => processReturn(v, label)) };
}

/** The eval's arguments for a batch: each column as an array, fixtures (the same for every row) by name. */
function batchArgs(jobs: readonly SampleJob[], columns: readonly string[]): Record<string, unknown> {
	const args: Record<string, unknown> = { ...jobs[0]!.args };
	for (const column of columns) args[column] = jobs.map((job) => job.args[column]);
	return args;
}

export async function runBatch(ctx: SampleContext, jobs: readonly SampleJob[], columns: readonly string[], batchNumber: number): Promise<SampleEnd[]> {
	const startedMono = performance.now();
	const startedAt = Date.now();
	const indexes = jobs.map((job) => job.index);
	const args = batchArgs(jobs, columns);
	const interpret = (value: unknown) => interpretBatch(value, jobs.length, ctx.label);
	const { perSample, resolver } = ctx.fixtures;
	const models = newSampleStats();
	let outcome: AttemptsOutcome<BatchReturn>;
	if (perSample.length === 0) outcome = await runAttempts(ctx, indexes, args, models, interpret);
	else {
		// Sample-scoped fixtures are set up once per batch: the batch is what one call sees.
		const cache = new ScopeCache();
		try {
			const values: Record<string, unknown> = {};
			let setupError: SampleError | null = null;
			try {
				for (const name of perSample) values[name] = await resolver.get(name, cache);
			} catch (error) {
				setupError = toSampleError(error);
			}
			outcome = setupError
				? { processed: undefined, error: setupError, attempts: 0, latencyMs: 0, backoffMs: 0 }
				: await runAttempts(ctx, indexes, Object.assign(values, args), models, interpret);
		} finally {
			for (const e of await cache.teardown()) ctx.warnings.push(e.message);
		}
	}
	const imposed = modelOutcomeError(models);
	if (imposed) {
		outcome.error = imposed.error;
		if (imposed.fatal) ctx.stopRun(imposed.error.message);
	}
	const finishedAt = Date.now();
	const share = outcome.latencyMs / jobs.length;
	const records = jobs.map((job, i): SampleEnd => {
		const processed = outcome.error ? undefined : outcome.processed?.rows[i];
		const error = outcome.error ?? processed?.error ?? null;
		const scores = processed?.scores ?? [];
		return {
			index: job.index,
			row: job.row,
			prompt: processed?.prompt ?? null,
			modelResponse: processed?.modelResponse ?? null,
			scores,
			error,
			passed: samplePassed(scores, error),
			attempts: outcome.attempts,
			timing: { queuedAt: job.queuedAt, startedAt, finishedAt, queueMs: startedMono - job.queuedMono, backoffMs: outcome.backoffMs, latencyMs: share },
			metadata: { ...processed?.metadata, batch: { number: batchNumber, size: jobs.length, first: jobs[0]!.index, latencyMs: outcome.latencyMs } },
		};
	});
	// The batch's model calls are counted once, on its first row, so usage totals stay right.
	const usage = modelUsageOf(models);
	if (usage) {
		records[0]!.models = usage;
		records[0]!.timing.budgetMs = models.budgetMs;
		if (models.judgeMs > 0) records[0]!.timing.judgeMs = models.judgeMs;
	}
	return records;
}
