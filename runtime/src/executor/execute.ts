/**
 * Runs one evaluation: reads the dataset lazily, maps rows to arguments, runs samples under the
 * concurrency strategy (on p-limit) with per-sample retries, and reports every sample as it ends.
 *
 * Memory stays bounded: rows are pulled from the dataset only while fewer than two windows' worth of
 * samples are outstanding. Per-sample overhead is a few object allocations and two clock reads per
 * attempt; sync datasets are iterated without awaiting.
 */
import pLimit from 'p-limit';
import type { EvalDefinitionRuntime, ExecuteOptions, ExecuteOutcome } from '../core/types.js';
import type { EvalStatus, SampleEndEvent, SampleError, StrategyInfo } from '../protocol/events.js';
import type { ConcurrencyStrategy } from '../concurrency/types.js';
import { checkPositiveInteger } from '../concurrency/types.js';
import { Sequential } from '../concurrency/sequential.js';
import { SlidingWindow } from '../concurrency/slidingWindow.js';
import { createRetryPolicy } from '../retry/policy.js';
import { BackoffSleeps } from '../retry/backoff.js';
import { httpStatusOf } from '../retry/classify.js';
import { SummaryAccumulator } from '../metrics/summarize.js';
import { toJsonSafe } from '../core/jsonSafe.js';
import { ScopeCache, runScopeCache } from '../fixtures/scope.js';
import { isInvalidRow } from '../datasets/invalidRow.js';
import { RowHasher } from '../datasets/fingerprint.js';
import { mapRow, RowMappingError, storedRowOf } from './rows.js';
import { openDataset, type OpenedDataset } from './source.js';
import { processReturn, samplePassed, toSampleError, unhandledRejectionError, type ProcessedReturn } from './sample.js';
import { runInSample, UnhandledInSample, type SampleContext } from './sampleContext.js';
import { setUpEvalFixtures, type EvalFixtures } from './fixtures.js';

type SampleEnd = Omit<SampleEndEvent, 'type' | 'evalId'>;

function chooseStrategy(def: EvalDefinitionRuntime, options: ExecuteOptions, warnings: string[]): ConcurrencyStrategy {
	if (options.concurrencyOverride !== undefined) {
		checkPositiveInteger('--concurrency', 'N', options.concurrencyOverride);
		if (!def.async) {
			if (options.concurrencyOverride > 1) warnings.push(`--concurrency ${options.concurrencyOverride} has no effect on ${def.name ?? 'this eval'}: it is synchronous and runs one sample at a time`);
			return new Sequential();
		}
		return new SlidingWindow({ maxConcurrency: options.concurrencyOverride });
	}
	if (!def.async) return new Sequential();
	return def.concurrency ?? new Sequential();
}

export async function executeEval(def: EvalDefinitionRuntime, options: ExecuteOptions): Promise<ExecuteOutcome> {
	const wallStart = performance.now();
	const label = def.name ?? '(anonymous eval)';
	const warnings: string[] = [];
	const acc = new SummaryAccumulator();
	const hasher = new RowHasher();
	const signal = options.signal;
	let strategyInfo: StrategyInfo = def.strategyInfo;
	let maxInFlight = 0;
	let total: number | null = null;
	let alreadyDone = 0;

	const outcome = (status: EvalStatus, failure?: string, extra?: Record<string, unknown>): ExecuteOutcome => {
		const info = extra ? { ...strategyInfo, options: { ...strategyInfo.options, ...extra } } : strategyInfo;
		const result: ExecuteOutcome = {
			status,
			summary: acc.summary({ total, wallMs: performance.now() - wallStart, strategy: info, maxInFlight, alreadyCompleted: alreadyDone }),
			datasetFingerprint: { hash: hasher.digest(), rows: hasher.rows },
		};
		if (failure !== undefined) result.failure = { message: failure };
		if (warnings.length > 0) result.warnings = warnings;
		return result;
	};

	let strategy: ConcurrencyStrategy;
	try {
		if (options.samples !== undefined) checkPositiveInteger('--samples', 'N', options.samples, 0);
		strategy = chooseStrategy(def, options, warnings);
	} catch (error) {
		return outcome('failed', (error as Error).message);
	}
	strategyInfo = strategy.describe();
	const controller = strategy.start();
	const retries = def.retries ?? createRetryPolicy();
	const backoff = new BackoffSleeps(signal);

	const ownRunCache = runScopeCache(options.runScope) ? undefined : new ScopeCache();
	const runCache = runScopeCache(options.runScope) ?? ownRunCache!;
	let fixtures: EvalFixtures | undefined;
	let source: OpenedDataset | undefined;
	const tearDown = async () => {
		const errors = [...(fixtures ? await fixtures.evalCache.teardown() : []), ...(ownRunCache ? await ownRunCache.teardown() : [])];
		for (const e of errors) warnings.push(e.message);
		await source?.close().catch(() => {});
	};

	try {
		fixtures = await setUpEvalFixtures(def, runCache, label);
	} catch (error) {
		await tearDown();
		return outcome('failed', (error as Error).message);
	}
	try {
		source = await openDataset(def.dataset);
	} catch (error) {
		await tearDown();
		return outcome('failed', `the dataset of ${label} could not be opened: ${(error as Error).message}`);
	}

	const limit = pLimit(Math.max(1, controller.limit));
	const samplesCap = options.samples ?? Infinity;
	const only = options.only;
	let onlyMax = -1;
	if (only) for (const i of only) if (i > onlyMax) onlyMax = i;
	const hasShared = Object.keys(fixtures.shared).length > 0;
	if (source.length !== null) {
		const covered = Math.min(source.length, samplesCap);
		total = only ? [...only].filter((i) => i < covered).length : covered;
	}

	let inFlight = 0;
	let outstanding = 0;
	let fatal: string | undefined;
	let stoppedEarly = false;
	let wake: (() => void) | null = null;
	let allSettled: (() => void) | null = null;
	const capacity = () => limit.concurrency * 2;
	const onAbort = () => {
		const w = wake;
		wake = null;
		w?.();
	};
	signal.addEventListener('abort', onAbort, { once: true });

	const finish = (sample: SampleEnd) => {
		acc.add(sample);
		try {
			options.onSampleEnd(sample);
		} catch (error) {
			fatal ??= `reporting sample ${sample.index} failed: ${(error as Error).message}`;
		}
	};

	const settle = () => {
		outstanding--;
		if (wake && outstanding <= limit.concurrency) {
			const w = wake;
			wake = null;
			w();
		}
		if (outstanding === 0 && allSettled) allSettled();
	};

	const recordUnrunnable = (index: number, row: Record<string, unknown>, error: SampleError) => {
		const now = Date.now();
		finish({ index, row, prompt: null, modelResponse: null, scores: [], error, passed: false, attempts: 0, timing: { queuedAt: now, startedAt: now, finishedAt: now, queueMs: 0, backoffMs: 0, latencyMs: 0 } });
	};

	const runSample = async (index: number, args: Record<string, unknown>, row: Record<string, unknown>, queuedAt: number, queuedMono: number): Promise<void> => {
		// A sync eval blocks the thread and chains samples through microtasks only: let the event loop
		// turn between samples, so a Ctrl+C (SIGINT) is delivered and stops the run.
		if (!def.async) await new Promise<void>((resolve) => setImmediate(resolve));
		if (signal.aborted || fatal !== undefined) {
			stoppedEarly = true; // queued but not started: not reported, runs again on resume
			return;
		}
		inFlight++;
		if (inFlight > maxInFlight) maxInFlight = inFlight;
		const startedMono = performance.now();
		const startedAt = Date.now();
		let latencyMs = 0;
		let backoffMs = 0;
		let attempt = 0;
		let processed: ProcessedReturn | undefined;
		let error: SampleError | null = null;
		let sampleCache: ScopeCache | undefined;
		// An unhandled rejection made by this sample's code ends its running attempt (sampleContext.ts).
		let rejectAttempt: ((reason: unknown) => void) | undefined;
		let unhandled: { reason: unknown } | undefined;
		const context: SampleContext = {
			evalName: label, index, running: true,
			fail: (reason) => {
				unhandled ??= { reason };
				rejectAttempt?.(new UnhandledInSample(reason));
			},
		};
		try {
			let callArgs = args;
			if (fixtures!.perSample.length > 0) {
				sampleCache = new ScopeCache();
				const values: Record<string, unknown> = {};
				try {
					for (const name of fixtures!.perSample) values[name] = await fixtures!.resolver.get(name, sampleCache);
					callArgs = Object.assign(values, args); // columns win over fixtures of the same name
				} catch (e) {
					error = toSampleError(e);
				}
			}
			while (error === null) {
				attempt++;
				options.onSampleStart(index, attempt);
				const t0 = performance.now();
				try {
					let value = runInSample(context, () => def.fn(callArgs));
					if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') {
						const pending = value as PromiseLike<unknown>;
						value = await new Promise((resolve, reject) => {
							rejectAttempt = reject;
							pending.then(resolve, reject);
						});
						rejectAttempt = undefined;
					}
					if (unhandled) throw new UnhandledInSample(unhandled.reason);
					const t1 = performance.now();
					latencyMs += t1 - t0;
					controller.onAttempt?.({ ok: true, at: t1, latencyMs: t1 - t0 });
					processed = processReturn(value, label);
					error = processed.error;
					break;
				} catch (e) {
					const t1 = performance.now();
					latencyMs += t1 - t0;
					rejectAttempt = undefined;
					if (e instanceof UnhandledInSample) {
						error = unhandledRejectionError(e.reason);
						break;
					}
					const status = httpStatusOf(e);
					controller.onAttempt?.({ ok: false, error: e, status, at: t1, latencyMs: t1 - t0 });
					if (controller.limit !== limit.concurrency) limit.concurrency = Math.max(1, controller.limit);
					if (!signal.aborted && retries.shouldRetry(e, attempt)) {
						const b0 = performance.now();
						await backoff.sleep(retries.delayMs(e, attempt));
						backoffMs += performance.now() - b0;
						if (!signal.aborted) continue;
					}
					error = toSampleError(e);
				}
			}
			if (controller.limit !== limit.concurrency) limit.concurrency = Math.max(1, controller.limit);
		} finally {
			context.running = false;
			if (sampleCache) for (const e of await sampleCache.teardown()) warnings.push(e.message);
			inFlight--;
		}
		const sample: SampleEnd = {
			index,
			row,
			prompt: processed?.prompt ?? null,
			modelResponse: processed?.modelResponse ?? null,
			scores: processed?.scores ?? [],
			error,
			passed: samplePassed(processed?.scores ?? [], error),
			attempts: attempt,
			timing: { queuedAt, startedAt, finishedAt: Date.now(), queueMs: startedMono - queuedMono, backoffMs, latencyMs },
		};
		if (processed?.metadata) sample.metadata = processed.metadata;
		finish(sample);
	};

	const schedule = (index: number, raw: unknown) => {
		if (isInvalidRow(raw)) return recordUnrunnable(index, {}, { type: raw.type, message: raw.message });
		const mapped = mapRow(raw, def.columns, index);
		if (mapped instanceof RowMappingError) return recordUnrunnable(index, { row: toJsonSafe(raw) }, { type: mapped.name, message: mapped.message });
		const row = toJsonSafe(mapped) as Record<string, unknown>;
		// mapRow returns a fresh object: reuse it when there are no shared fixtures to add.
		const args = hasShared ? Object.assign({}, fixtures!.shared, mapped) : mapped;
		outstanding++;
		limit(runSample, index, args, row, Date.now(), performance.now()).then(settle, (e: unknown) => {
			fatal ??= `internal error running sample ${index}: ${(e as Error)?.message ?? String(e)}`;
			settle();
		});
	};

	// The pump: pull rows while there is room, then wait for samples to settle.
	let index = 0;
	let datasetDone = false;
	// Resuming: rows to run are held back until every stored row up to the last skipped index has
	// been compared (a changed dataset must not run a single sample). Only the rows the earlier runs
	// left undone (errors, samples in flight when it stopped) wait here.
	const check = options.storedRows;
	let heldBack: Array<[number, unknown]> | undefined = check ? [] : undefined;
	const release = () => {
		const rows = heldBack ?? [];
		heldBack = undefined;
		for (const [i, raw] of rows) schedule(i, raw);
	};
	try {
		for (;;) {
			if (signal.aborted || fatal !== undefined) break;
			if (index >= samplesCap || (only && index > onlyMax)) {
				datasetDone = true;
				break;
			}
			if (outstanding >= capacity()) {
				await new Promise<void>((resolve) => {
					wake = resolve;
				});
				continue;
			}
			const step = source.async ? await source.next() : (source.next() as IteratorResult<unknown>);
			if (step.done) {
				datasetDone = true;
				break;
			}
			hasher.add(step.value);
			const i = index++;
			if (only && !only.has(i)) continue;
			if (options.skip.has(i)) {
				const changed = check?.differs(i, storedRowOf(step.value, def.columns, i));
				if (changed !== undefined) {
					fatal ??= changed;
					heldBack = undefined;
					break;
				}
				alreadyDone++;
				if (heldBack && i >= check!.lastIndex) release();
				continue;
			}
			if (heldBack) heldBack.push([i, step.value]);
			else schedule(i, step.value);
		}
	} catch (error) {
		fatal ??= `the dataset of ${label} failed after row ${index - 1}: ${(error as Error).message}`;
	}
	if (heldBack && heldBack.length > 0 && fatal === undefined) {
		if (signal.aborted) stoppedEarly = true; // never started: they run on resume
		else release();
	}
	if (outstanding > 0) await new Promise<void>((resolve) => {
		allSettled = resolve;
	});
	signal.removeEventListener('abort', onAbort);
	backoff.dispose();
	if (datasetDone && total === null) total = only ? [...only].filter((i) => i < index).length : index;
	await tearDown();
	const adaptiveStats = controller.stats?.();
	if (fatal !== undefined) return outcome('failed', fatal, adaptiveStats && { final: adaptiveStats });
	const interrupted = !datasetDone || stoppedEarly;
	return outcome(interrupted ? 'interrupted' : 'completed', undefined, adaptiveStats && { final: adaptiveStats });
}
