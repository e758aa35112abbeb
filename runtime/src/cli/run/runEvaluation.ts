/**
 * One evaluation within a run: begin it in the store (resume), stream its samples to the store and
 * the reporter, finish it with the right status, and emit eval-start / eval-end.
 */
import type { LoadedEval } from '../../loader/collectEvals.js';
import { emptySummaryOf, type EvalStatus, type EvalSummary, type GateResult, type RunEvent, type StrategyInfo } from '../../protocol/events.js';
import type { ExecuteOptions, ExecuteOutcome } from '../../core/types.js';
import type { EvaluationWriter, StoreWriter } from '../../store/types.js';
import { StoreRefusal } from '../../store/errors.js';
import { executeEval } from '../../executor/execute.js';
import type { RunScope } from '../../fixtures/scope.js';
import type { Logger } from '../logger.js';
import type { RunOptions } from './options.js';
import { datasetFacts } from './runInputs.js';
import { CannotJoin, executeJoined, inShard, shardSize } from './share.js';
import type { RunWatch } from './runWatch.js';
import { storedRowsCheck } from './storedRows.js';

/** What every evaluation of one `doteval run` shares. */
export interface EvaluationContext {
	store: StoreWriter;
	experiment: string;
	options: RunOptions;
	signal: AbortSignal;
	runScope: RunScope;
	log: Logger;
	emit(event: RunEvent): void;
	/** `doteval run`'s watch over stalls and unhandled rejections; absent when run() is called from a script. */
	watch?: RunWatch;
	gitCommit: string | null;
	runtimeVersion: string;
	/** The quality gates of a finished evaluation (gates.ts); undefined or [] when none apply. */
	checkGates?(ev: LoadedEval, status: EvalStatus, summary: EvalSummary): Promise<GateResult[] | undefined>;
}

/** 'ok' — ran (completed or interrupted); 'failed' — could not run (fixture setup, refusal, …). */
export type EvaluationResult = 'ok' | 'failed';

/** How this run of the evaluation ended, as eval-end reports it. */
interface RunEnd {
	status: EvalStatus;
	summary: EvalSummary;
	failure?: { message: string };
	/** Samples that ended in this run. */
	ranNow: number;
}

export async function runEvaluation(ev: LoadedEval, ctx: EvaluationContext): Promise<EvaluationResult> {
	const strategy = effectiveStrategy(ev, ctx.options);
	const begun = await beginEvaluation(ev, ctx, strategy);
	if ('failure' in begun) {
		ctx.log.error(`${ev.id}: ${begun.failure}`);
		// Still a start and an end, so that a consumer shows this eval as failed, with the reason.
		emitStart(ev, ctx, strategy, begun.total, 0);
		ctx.emit({
			type: 'eval-end',
			evalId: ev.id,
			status: 'failed',
			summary: emptySummaryOf(strategy, begun.total),
			failure: { message: begun.failure },
			at: Date.now(),
		});
		return 'failed';
	}
	const { writer, total } = begun;
	const { shard, workersJoin, rerun } = ctx.options;
	const take = shard ? inShard(shard) : undefined;
	// --rerun: nothing selected is skipped; the stored samples it runs again are replaced.
	const skip = rerun ? new Set<number>() : writer.completed;
	const skipTrials = rerun ? [skip] : (writer.completedTrials ?? [skip]);
	const alreadyDone = skipTrials
		.slice(0, trialsOf(ev, ctx.options))
		.reduce((n, completed) => n + countDone(completed ?? new Set(), rowsOf(total, ev, ctx.options), ctx.options.onlySamples, take), 0);
	if (alreadyDone > 0) ctx.log.info(`resuming ${ev.id}: ${alreadyDone} of ${total ?? '?'} done`);
	// A shard shows its own share; joined workers show the whole experiment (the store stays whole either way).
	const shown = shard && total !== null ? shardSize(shard, rowsOf(total, ev, ctx.options)!) * trialsOf(ev, ctx.options) : total;
	emitStart(ev, ctx, strategy, shown, alreadyDone);

	const end = await execute(ev, ctx, writer, skip, total, strategy, take);
	await writer.finish(end.status, end.summary.wallMs > 0 ? { wallMs: end.summary.wallMs, maxInFlight: end.summary.maxInFlight } : undefined);
	// Joined workers report the whole experiment's summary, not this worker's share; a re-run of some
	// samples reports the experiment's evaluation with them replaced (what the editor's headline shows).
	const partialRerun = rerun && writer.completed.size > 0;
	const stored = alreadyDone > 0 || workersJoin || partialRerun || end.status === 'interrupted' ? await storedSummary(ctx, ev.id) : undefined;
	const merged = mergeSummaries(end.summary, stored, end.ranNow);
	const summary = { ...merged, ...(partialRerun && stored ? { total: stored.total ?? merged.total } : {}), ...(shard ? { total: shown } : {}) };
	const gates = await ctx.checkGates?.(ev, end.status, summary);
	ctx.emit({
		type: 'eval-end',
		evalId: ev.id,
		status: end.status,
		summary,
		...(end.failure ? { failure: end.failure } : {}),
		...(gates?.length ? { gates } : {}),
		at: Date.now(),
	});
	return end.failure ? 'failed' : 'ok';
}

/** Times each row runs: --trials, else the eval's `trials`, else once. */
function trialsOf(ev: LoadedEval, options: RunOptions): number {
	return options.trials ?? ev.definition.trials ?? 1;
}

/** `total` counts samples (rows × trials); the rows it covers. */
function rowsOf(total: number | null, ev: LoadedEval, options: RunOptions): number | null {
	return total === null ? null : Math.round(total / trialsOf(ev, options));
}

/** --concurrency replaces the strategy of async evals; a sync eval runs one sample at a time anyway. */
function effectiveStrategy(ev: LoadedEval, options: RunOptions): StrategyInfo {
	return options.concurrency !== undefined && ev.definition.async ? { name: 'SlidingWindow', maxConcurrency: options.concurrency } : ev.definition.strategyInfo;
}

/** Opens the evaluation in the store: a refusal (changed dataset, …) or any error is a failure to report. */
async function beginEvaluation(
	ev: LoadedEval,
	ctx: EvaluationContext,
	strategy: StrategyInfo,
): Promise<{ writer: EvaluationWriter; total: number | null } | { failure: string; total: number | null }> {
	const { options } = ctx;
	let total: number | null = null;
	try {
		const dataset = await datasetFacts(ev.definition, options.samples);
		const rows = options.onlySamples ? options.onlySamples.size : dataset.total;
		// A sample is one trial of a row: the evaluation covers rows × trials samples.
		total = rows === null ? null : rows * trialsOf(ev, options);
		// --samples and --only-samples cap this run, not the evaluation: a finished evaluation of 20 stays "20 of 20".
		const storedTotal =
			(options.samples !== undefined || options.onlySamples) && total !== null
				? ((await ctx.store.getEvaluation(ctx.experiment, ev.id))?.summary.total ?? null)
				: null;
		const writer = await ctx.store.beginEvaluation({
			experiment: ctx.experiment,
			evalId: ev.id,
			name: ev.name,
			file: ev.file,
			strategy,
			// The fingerprint identifies the data for diff/--baseline/merge; the store's whole-dataset refusal
			// is not used (force): a changed dataset is noticed row by row during the run (storedRows.ts).
			gitCommit: ctx.gitCommit,
			runtimeVersion: ctx.runtimeVersion,
			datasetFingerprint: dataset.fingerprint,
			force: true,
			total: storedTotal !== null && total !== null && storedTotal > total ? storedTotal : total,
			ephemeral: options.experiment === undefined,
			...(options.rerun ? { replace: true } : {}),
		});
		return { writer, total };
	} catch (error) {
		return { failure: error instanceof StoreRefusal ? error.message : `could not start: ${(error as Error)?.message ?? String(error)}`, total };
	}
}

function emitStart(ev: LoadedEval, ctx: EvaluationContext, strategy: StrategyInfo, total: number | null, alreadyDone: number): void {
	ctx.emit({
		type: 'eval-start',
		evalId: ev.id,
		name: ev.name,
		file: ev.file,
		line: ev.line,
		total,
		alreadyDone,
		strategy,
		async: ev.definition.async,
		at: Date.now(),
	});
}

/** Runs the samples, each one into the store and to the reporter as it ends. */
async function execute(
	ev: LoadedEval,
	ctx: EvaluationContext,
	writer: EvaluationWriter,
	skip: ReadonlySet<number>,
	total: number | null,
	strategy: StrategyInfo,
	take: ((index: number) => boolean) | undefined,
): Promise<RunEnd> {
	const { options } = ctx;
	let ranNow = 0;
	let outcome: ExecuteOutcome | undefined;
	const startedMono = performance.now();
	ctx.watch?.evalStarted(ev.id, ev.name);
	try {
		let storedRows: ExecuteOptions['storedRows'];
		try {
			// --force: resume whatever the rows are now. Joined workers claim chunks as they go, so the
			// rows stored by others are not a resume's to check.
			if (!options.force && !options.workersJoin)
				storedRows = await storedRowsCheck(ctx.store, ctx.experiment, ev.id, options.rerun ? skip : anyTrialCompleted(writer));
		} catch (error) {
			ctx.log.warn(`${ev.id}: the stored rows could not be read, so a changed dataset would not be noticed: ${(error as Error)?.message ?? String(error)}`);
		}
		const pass = (share?: (index: number) => boolean | Promise<boolean>) =>
			executeEval(ev.definition, {
				take: share,
				samples: options.samples,
				only: options.onlySamples,
				skip,
				trials: trialsOf(ev, options),
				...(writer.completedTrials && !options.rerun ? { skipTrials: writer.completedTrials } : {}),
				storedRows,
				concurrencyOverride: options.concurrency,
				signal: ctx.signal,
				runScope: ctx.runScope,
				onSampleStart: (index, attempt, row) => {
					ctx.watch?.sampleStarted(index);
					ctx.emit({ type: 'sample-start', evalId: ev.id, index, attempt, ...(row ? { row } : {}), at: Date.now() });
				},
				onSampleEnd: (sample) => {
					ctx.watch?.sampleEnded(sample.index);
					ranNow++;
					writer.recordSample(sample);
					ctx.emit({ type: 'sample-end', evalId: ev.id, ...sample });
				},
			});
		const execution = options.workersJoin
			? executeJoined({
					writer,
					total,
					trials: trialsOf(ev, options),
					signal: ctx.signal,
					execute: pass,
					flush: () => ctx.store.flush(),
					waiting: (open) => ctx.log.info(`${ev.id}: waiting for ${open} chunk${open === 1 ? '' : 's'} claimed by other workers`),
					progress: (stored, errors) => ctx.emit({ type: 'eval-progress', evalId: ev.id, stored, errors, at: Date.now() }),
				})
			: pass(take);
		// A stalled run (runWatch.ts) never gets its outcome: the samples that never settled are not stored.
		outcome = ctx.watch ? await Promise.race([execution, ctx.watch.stalled.then(() => undefined)]) : await execution;
	} catch (error) {
		// A bug in the library, not in the eval (those become sample errors): report, go on.
		ctx.log.error(`${ev.id}: ${error instanceof CannotJoin ? error.message : ((error as Error)?.stack ?? String(error))}`);
		return { status: 'failed', summary: emptySummaryOf(strategy, total), failure: { message: (error as Error)?.message ?? String(error) }, ranNow };
	} finally {
		ctx.watch?.evalEnded();
	}
	if (outcome === undefined)
		return { status: 'interrupted', summary: { ...emptySummaryOf(strategy, total), completed: ranNow, wallMs: performance.now() - startedMono }, ranNow };
	for (const warning of outcome.warnings ?? []) ctx.log.warn(`${ev.id}: ${warning}`);
	if (outcome.failure) {
		ctx.log.error(`${ev.id}: ${outcome.failure.message}`);
		return { status: 'failed', summary: outcome.summary, failure: outcome.failure, ranNow };
	}
	// 'completed' even after a Ctrl+C when every sample had finished: nothing is left to resume.
	return { status: outcome.status, summary: outcome.summary, ranNow };
}

async function storedSummary(ctx: EvaluationContext, evalId: string): Promise<EvalSummary | undefined> {
	try {
		return (await ctx.store.getEvaluation(ctx.experiment, evalId))?.summary;
	} catch {
		return undefined; // the summary of this run alone is still right
	}
}

/** Indexes with any trial stored: their rows must not have changed. */
function anyTrialCompleted(writer: EvaluationWriter): ReadonlySet<number> {
	const trials = writer.completedTrials ?? [writer.completed];
	if (trials.length <= 1) return writer.completed;
	const union = new Set<number>();
	for (const completed of trials) for (const index of completed ?? []) union.add(index);
	return union;
}

function countDone(completed: ReadonlySet<number>, total: number | null, only: ReadonlySet<number> | undefined, take?: (index: number) => boolean): number {
	let n = 0;
	for (const index of completed) {
		if (take && !take(index)) continue;
		// With --only-samples, total is how many were asked for, not a bound on the indexes.
		if (only ? !only.has(index) : total !== null && index >= total) continue;
		n++;
	}
	return n;
}

/** The store aggregates every run of the evaluation; timing describes this run only. */
function mergeSummaries(thisRun: EvalSummary, stored: EvalSummary | undefined, ranNow: number): EvalSummary {
	if (!stored) return thisRun;
	if (ranNow === 0) return stored; // everything was done before: show the earlier runs' timing
	return {
		...thisRun,
		total: thisRun.total ?? stored.total,
		completed: stored.completed,
		errors: stored.errors,
		errorsByType: stored.errorsByType,
		metrics: stored.metrics,
		...(stored.models ? { models: stored.models } : {}),
		...(stored.trials ? { trials: stored.trials } : {}),
	};
}
