/**
 * One batch of a `batch(...)` eval, start to end: the eval function is called once with each
 * column as an array over the batch's rows, retried as a unit, and its return value (one Result per
 * row, or one for the whole batch) becomes one record per row. A batch that fails (after its
 * retries) gives every row of it the error. Each row's latency is its share of the batch's time, so
 * samples/s and speedup keep their meaning; the batch's own time is in `metadata.batch`. With
 * trials, a batch holds rows of one trial (the executor groups them), and its model calls are that
 * trial's: each trial of a batch has its own cache entries.
 */
import type { SampleError } from '../protocol/events.js';
import { InvalidResultError, processReturn, toSampleError, type ProcessedReturn } from './sample.js';
import { runAttempts } from './attempts.js';
import { runCall, sampleRecord, withModels, type SampleContext, type SampleEnd, type SampleJob } from './runSample.js';
import { newSampleStats } from './modelCalls.js';

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
		const error = new InvalidResultError(
			`batch eval ${label} returned ${value.length} result${value.length === 1 ? '' : 's'} for a batch of ${size} rows; return one Result per row, in the rows' order, or one Result for the whole batch`,
		);
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
	const models = newSampleStats(jobs[0]!.trial ?? 0);
	// Sample-scoped fixtures are set up once per batch: the batch is what one call sees.
	const outcome = await runCall(ctx, batchArgs(jobs, columns), (args) =>
		runAttempts(
			ctx,
			indexes,
			args,
			models,
			jobs.map((job) => job.row),
		),
	);
	const times = { startedAt, startedMono, finishedAt: Date.now() };
	const share = { ...outcome, latencyMs: outcome.latencyMs / jobs.length };
	let batch: BatchReturn | undefined;
	let error = outcome.error;
	try {
		if (outcome.returned && !error) batch = interpretBatch(outcome.value, jobs.length, ctx.label);
	} catch (thrown) {
		error = toSampleError(thrown); // reading the returned value threw (a throwing getter)
	}
	error ??= batch?.error ?? null;
	const records = jobs.map((job, i): SampleEnd => {
		const processed = error ? undefined : batch?.rows[i];
		const record = sampleRecord(job, share, processed, error ?? processed?.error ?? null, times);
		record.metadata = { ...processed?.metadata, batch: { number: batchNumber, size: jobs.length, first: jobs[0]!.index, latencyMs: outcome.latencyMs } };
		return record;
	});
	// The batch's model calls are counted once, on its first row, so usage totals stay right.
	withModels(records[0]!, models);
	return records;
}
