/**
 * One evaluation within a run: begin it in the store (resume), stream its samples to the store and
 * the reporter, finish it with the right status, and emit eval-start / eval-end.
 */
import type { LoadedEval } from '../../loader/collectEvals.js';
import type { EvalStatus, EvalSummary, RunEvent, StrategyInfo } from '../../protocol/events.js';
import type { EvaluationWriter, StoreWriter } from '../../store/types.js';
import { StoreRefusal } from '../../store/errors.js';
import type { Logger } from '../logger.js';
import type { EvalRuntime, RunScope } from './runtimeApi.js';
import type { RunOptions } from './options.js';
import type { RunWatch } from './runWatch.js';
import { storedRowsCheck } from './storedRows.js';
import type { ExecuteOptions } from '../../core/types.js';

export interface EvaluationContext {
	runtime: EvalRuntime;
	store: StoreWriter;
	experiment: string;
	options: RunOptions;
	signal: AbortSignal;
	runScope: RunScope;
	log: Logger;
	emit(event: RunEvent): void;
	watch: RunWatch;
	gitCommit: string | null;
	runtimeVersion: string;
}

/** 'ok' — ran (completed or interrupted); 'failed' — could not run (fixture setup, refusal, …). */
export type EvaluationResult = 'ok' | 'failed';

function countDone(completed: ReadonlySet<number>, total: number | null, only: ReadonlySet<number> | undefined): number {
	let n = 0;
	for (const index of completed) {
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
	return { ...thisRun, total: thisRun.total ?? stored.total, completed: stored.completed, errors: stored.errors, errorsByType: stored.errorsByType, metrics: stored.metrics };
}

function emptySummary(total: number | null, strategy: StrategyInfo): EvalSummary {
	return {
		total, completed: 0, errors: 0, errorsByType: {}, metrics: [], wallMs: 0, samplesPerSecond: 0, latency: null,
		strategy, maxInFlight: 0, speedup: 0, retries: 0, backoffMs: 0,
	};
}

class Stalled extends Error {}

export async function runEvaluation(ev: LoadedEval, ctx: EvaluationContext): Promise<EvaluationResult> {
	const { runtime, store, options, log } = ctx;
	// --concurrency replaces the strategy of async evals; a sync eval runs one sample at a time anyway.
	const strategy: StrategyInfo = options.concurrency !== undefined && ev.definition.async
		? { name: 'SlidingWindow', maxConcurrency: options.concurrency }
		: ev.definition.strategyInfo;
	let writer: EvaluationWriter;
	let total: number | null = null;
	const start = (alreadyDone: number) => ctx.emit({
		type: 'eval-start', evalId: ev.id, name: ev.name, file: ev.file, line: ev.line, total, alreadyDone,
		strategy, async: ev.definition.async, at: Date.now(),
	});
	try {
		const dataset = await runtime.datasetInfo(ev.definition, options.samples);
		total = options.onlySamples ? options.onlySamples.size : dataset.total;
		// --samples caps this run, not the evaluation: a finished evaluation of 20 stays "20 of 20".
		let storedTotal: number | null = null;
		if (options.samples !== undefined && total !== null) storedTotal = (await store.getEvaluation(ctx.experiment, ev.id))?.summary.total ?? null;
		writer = await store.beginEvaluation({
			experiment: ctx.experiment, evalId: ev.id, name: ev.name, file: ev.file, strategy,
			gitCommit: ctx.gitCommit, runtimeVersion: ctx.runtimeVersion, datasetFingerprint: null /* rows are compared one by one instead: storedRows.ts */, force: options.force,
			total: storedTotal !== null && total !== null && storedTotal > total ? storedTotal : total, ephemeral: options.experiment === undefined,
		});
	} catch (error) {
		const message = error instanceof StoreRefusal ? error.message : `could not start: ${(error as Error)?.message ?? String(error)}`;
		log.error(`${ev.id}: ${message}`);
		// Still a start and an end, so that a consumer shows this eval as failed, with the reason.
		start(0);
		ctx.emit({ type: 'eval-end', evalId: ev.id, status: 'failed', summary: emptySummary(total, strategy), failure: { message }, at: Date.now() });
		return 'failed';
	}
	let storedRows: ExecuteOptions['storedRows'];
	try {
		// --force: resume whatever the rows are now.
		if (!options.force) storedRows = await storedRowsCheck(store, ctx.experiment, ev.id, writer.completed);
	} catch (error) {
		log.warn(`${ev.id}: the stored rows could not be read, so a changed dataset would not be noticed: ${(error as Error)?.message ?? String(error)}`);
	}
	const alreadyDone = countDone(writer.completed, total, options.onlySamples);
	if (alreadyDone > 0) log.info(`resuming ${ev.id}: ${alreadyDone} of ${total ?? '?'} done`);
	start(alreadyDone);

	let status: EvalStatus;
	let summary: EvalSummary;
	let result: EvaluationResult = 'ok';
	let ranNow = 0;
	let failure: { message: string } | undefined;
	ctx.watch.evalStarted(ev.id, ev.name);
	const startedMono = performance.now();
	try {
		const execution = runtime.executeEval(ev.definition, {
			samples: options.samples,
			only: options.onlySamples,
			skip: writer.completed,
			storedRows,
			concurrencyOverride: options.concurrency,
			signal: ctx.signal,
			runScope: ctx.runScope.scope,
			onSampleStart: (index, attempt) => {
				ctx.watch.sampleStarted(index);
				ctx.emit({ type: 'sample-start', evalId: ev.id, index, attempt, at: Date.now() });
			},
			onSampleEnd: (sample) => {
				ctx.watch.sampleEnded(sample.index);
				ranNow++;
				writer.recordSample(sample);
				ctx.emit({ type: 'sample-end', evalId: ev.id, ...sample });
			},
		});
		// A stalled run (runWatch.ts) never gets its outcome: the samples that never settled are not stored.
		const outcome = await Promise.race([execution, ctx.watch.stalled.then(() => undefined)]);
		if (outcome === undefined) throw new Stalled();
		// 'completed' even after a Ctrl+C when every sample had finished: nothing is left to resume.
		status = outcome.status;
		summary = outcome.summary;
		for (const warning of outcome.warnings ?? []) log.warn(`${ev.id}: ${warning}`);
		if (outcome.failure) {
			log.error(`${ev.id}: ${outcome.failure.message}`);
			status = 'failed';
			result = 'failed';
			failure = outcome.failure;
		}
	} catch (error) {
		if (error instanceof Stalled) {
			status = 'interrupted';
			summary = { ...emptySummary(total, strategy), completed: ranNow, wallMs: performance.now() - startedMono };
		} else {
			// A bug in the library, not in the eval (those become sample errors): report, go on.
			log.error(`${ev.id}: ${(error as Error)?.stack ?? String(error)}`);
			failure = { message: (error as Error)?.message ?? String(error) };
			status = 'failed';
			summary = emptySummary(total, strategy);
			result = 'failed';
		}
	} finally {
		ctx.watch.evalEnded();
	}
	await writer.finish(status, summary.wallMs > 0 ? { wallMs: summary.wallMs, maxInFlight: summary.maxInFlight } : undefined);
	let stored: EvalSummary | undefined;
	try {
		stored = alreadyDone > 0 || status === 'interrupted' ? (await store.getEvaluation(ctx.experiment, ev.id))?.summary : undefined;
	} catch {
		stored = undefined; // the summary of this run alone is still right
	}
	ctx.emit({ type: 'eval-end', evalId: ev.id, status, summary: mergeSummaries(summary, stored, ranNow), ...(failure ? { failure } : {}), at: Date.now() });
	return result;
}
