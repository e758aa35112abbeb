/**
 * Runs one evaluation: set up its fixtures, open its dataset, pump rows into the scheduler (each row
 * one `runSample`), wait for the samples in flight, tear down, and summarise.
 *
 * The units: `chooseStrategy` (strategy.ts), `RowSelection` (which indexes), `SampleScheduler`
 * (p-limit and the bounded read-ahead), `runSample` (one sample, its fixtures and attempts), and the
 * `EvalRun` below (what the run has seen so far: summary, fingerprint, warnings, the first fatal error).
 */
import type { EvalDefinitionRuntime, ExecuteOptions, ExecuteOutcome } from '../core/types.js';
import type { EvalStatus, StrategyInfo } from '../protocol/events.js';
import type { ConcurrencyController } from '../concurrency/types.js';
import { checkPositiveInteger } from '../concurrency/types.js';
import { createRetryPolicy } from '../retry/policy.js';
import { BackoffSleeps } from '../retry/backoff.js';
import { SummaryAccumulator } from '../metrics/summarize.js';
import { toJsonSafe } from '../core/jsonSafe.js';
import { ScopeCache, runScopeCache } from '../fixtures/scope.js';
import { isInvalidRow } from '../datasets/invalidRow.js';
import { RowHasher } from '../datasets/fingerprint.js';
import { mapRow, RowMappingError, storedRowOf } from './rows.js';
import { openDataset, type OpenedDataset } from './source.js';
import { setUpEvalFixtures, type EvalFixtures } from './fixtures.js';
import { chooseStrategy } from './strategy.js';
import { RowSelection } from './selection.js';
import { SampleScheduler } from './scheduler.js';
import { runSample, sampleEnd, unrunnableSample, type FinishedSample, type SampleContext, type SampleEnd, type SampleJob } from './runSample.js';
import { RecordQueue } from './recordQueue.js';
import { runBatch } from './batch.js';

/** The state of one evaluation run that outlives any one sample. */
class EvalRun {
	readonly started = performance.now();
	readonly label: string;
	readonly warnings: string[] = [];
	summary = new SummaryAccumulator();
	/** Times each row runs; a record counts as one sample per trial. */
	private trialCount = 1;
	readonly hasher = new RowHasher();
	strategy: StrategyInfo;
	/** The first error that stops the run (reporting failed, the dataset threw, a bug). */
	fatal: string | undefined;
	/** A queued sample was dropped after a Ctrl+C: the run is resumable even if the dataset was read to its end. */
	droppedQueued = false;
	/** Rows skipped because an earlier run completed them. */
	alreadyDone = 0;
	total: number | null = null;
	maxInFlight = 0;
	/** Samples that ran, recorded after their successors have started (recordQueue.ts). */
	readonly finished = new RecordQueue<FinishedSample>((sample) => this.record(sampleEnd(sample, this.label)));

	constructor(
		def: EvalDefinitionRuntime,
		private readonly onSampleEnd: ExecuteOptions['onSampleEnd'],
	) {
		this.label = def.name ?? '(anonymous eval)';
		this.strategy = def.strategyInfo;
	}

	fail(message: string): void {
		this.fatal ??= message;
	}

	set trials(k: number) {
		this.trialCount = k;
		if (k > 1) this.summary = new SummaryAccumulator({ trials: true });
	}

	get trials(): number {
		return this.trialCount;
	}

	record(sample: SampleEnd): void {
		this.summary.add(sample);
		try {
			this.onSampleEnd(sample);
		} catch (error) {
			this.fail(`reporting sample ${sample.index} failed: ${(error as Error).message}`);
		}
	}

	outcome(status: EvalStatus, failure?: string, adaptive?: Record<string, unknown>): ExecuteOutcome {
		const strategy = adaptive ? { ...this.strategy, options: { ...this.strategy.options, final: adaptive } } : this.strategy;
		const result: ExecuteOutcome = {
			status,
			summary: this.summary.summary({
				total: this.total === null ? null : this.total * this.trialCount,
				wallMs: performance.now() - this.started,
				strategy,
				maxInFlight: this.maxInFlight,
				alreadyCompleted: this.alreadyDone,
			}),
			datasetFingerprint: { hash: this.hasher.digest(), rows: this.hasher.rows },
		};
		if (failure !== undefined) result.failure = { message: failure };
		if (this.warnings.length > 0) result.warnings = this.warnings;
		return result;
	}
}

/**
 * Runs one evaluation and resolves with its outcome; every sample is reported through `options.onSampleEnd`
 * as it ends. Never rejects for what the eval does: errors become sample errors or `outcome.failure`.
 */
export async function executeEval(def: EvalDefinitionRuntime, options: ExecuteOptions): Promise<ExecuteOutcome> {
	const run = new EvalRun(def, options.onSampleEnd);
	let controller: ConcurrencyController;
	try {
		if (options.samples !== undefined) checkPositiveInteger('--samples', 'N', options.samples, 0);
		const strategy = chooseStrategy(def, options, run.warnings);
		run.strategy = strategy.describe();
		controller = strategy.start();
	} catch (error) {
		return run.outcome('failed', (error as Error).message);
	}

	const ownRunCache = runScopeCache(options.runScope) ? undefined : new ScopeCache();
	let fixtures: EvalFixtures | undefined;
	let source: OpenedDataset | undefined;
	const tearDown = async () => {
		const errors = [...(fixtures ? await fixtures.evalCache.teardown() : []), ...(ownRunCache ? await ownRunCache.teardown() : [])];
		for (const e of errors) run.warnings.push(e.message);
		await source?.close().catch(() => {});
	};
	try {
		fixtures = await setUpEvalFixtures(def, runScopeCache(options.runScope) ?? ownRunCache!, run.label);
		source = await openDataset(def.dataset).catch((error: unknown) => {
			throw new Error(`the dataset of ${run.label} could not be opened: ${(error as Error).message}`);
		});
	} catch (error) {
		await tearDown();
		return run.outcome('failed', (error as Error).message);
	}

	const scheduler = new SampleScheduler(controller.limit, (error) =>
		run.fail(`internal error running a sample: ${(error as Error)?.message ?? String(error)}`),
	);
	const sample: SampleContext = {
		fn: def.fn,
		label: run.label,
		controller,
		retries: def.retries ?? createRetryPolicy(),
		signal: options.signal,
		backoff: new BackoffSleeps(options.signal),
		fixtures,
		warnings: run.warnings,
		onAttemptStart: options.onSampleStart,
		onLimitChange: (limit) => (scheduler.concurrency = limit),
		stopRun: (message) => run.fail(message),
	};
	const trials = options.trials ?? def.trials ?? 1;
	const selection = new RowSelection(options, trials);
	run.trials = trials;
	if (source.length !== null) run.total = selection.totalFor(source.length);

	const parts: RunParts = { def, run, scheduler, sample, signal: options.signal, pending: new Map(), batches: 0, storedRows: options.storedRows };
	const onAbort = () => scheduler.interrupt();
	options.signal.addEventListener('abort', onAbort, { once: true });
	const read = await pumpRows(parts, source, selection);
	await scheduler.drain();
	run.finished.flush();
	options.signal.removeEventListener('abort', onAbort);
	sample.backoff.dispose();
	run.maxInFlight = scheduler.maxInFlight;
	if (read.done && run.total === null) run.total = selection.totalFor(read.rows);
	await tearDown();

	const adaptive = controller.stats?.();
	if (run.fatal !== undefined) return run.outcome('failed', run.fatal, adaptive);
	return run.outcome(read.done && !run.droppedQueued ? 'completed' : 'interrupted', undefined, adaptive);
}

/** What the pump and every sample task of one run share. */
interface RunParts {
	def: EvalDefinitionRuntime;
	run: EvalRun;
	scheduler: SampleScheduler;
	sample: SampleContext;
	signal: AbortSignal;
	/**
	 * A batch eval's rows read but not yet scheduled (fewer than its batch size), per trial: a batch
	 * holds rows of one trial, so that its model calls are that trial's (its cache entries).
	 */
	pending: Map<number, SampleJob[]>;
	/** Batches scheduled so far (their 1-based number goes into each record's metadata). */
	batches: number;
	/** Resuming: the stored rows the rows read now are compared with (a changed dataset runs nothing). */
	storedRows: ExecuteOptions['storedRows'];
}

/**
 * Reads rows while the scheduler has room and hands each wanted one to `schedule`. Sync datasets are
 * iterated without awaiting. Returns whether the wanted rows were all read, and how many rows were.
 */
async function pumpRows(parts: RunParts, source: OpenedDataset, selection: RowSelection): Promise<{ done: boolean; rows: number }> {
	const { run, signal } = parts;
	const heldBack = new HeldBackRows(parts);
	const read = await readRows(parts, source, selection, heldBack);
	if (run.fatal === undefined && !signal.aborted) heldBack.release();
	else if (heldBack.count > 0 && run.fatal === undefined) run.droppedQueued = true; // never started: they run on resume
	// The last, smaller batches (one per trial): after the held-back rows, which may add to them.
	if (read.done) for (const trial of [...parts.pending.keys()]) flushBatch(parts, trial);
	return read;
}

/**
 * Resuming: rows to run are held back until every stored row up to the last skipped index has been
 * compared with the row read now (a changed dataset must not run a single sample). Only the rows the
 * earlier runs left undone (errors, samples in flight when it stopped) wait here.
 */
class HeldBackRows {
	private rows: Array<[number, unknown, readonly number[]]> | undefined;

	constructor(private readonly parts: RunParts) {
		if (parts.storedRows) this.rows = [];
	}

	get count(): number {
		return this.rows?.length ?? 0;
	}

	/** A skipped row: false (and the run failed) when it is not the row its stored sample was made from. */
	verify(index: number, raw: unknown): boolean {
		const check = this.parts.storedRows;
		const changed = check?.differs(index, storedRowOf(raw, this.parts.def.columns, index));
		if (changed !== undefined) {
			this.parts.run.fail(changed);
			this.rows = undefined;
			return false;
		}
		if (this.rows && index >= check!.lastIndex) this.release();
		return true;
	}

	schedule(index: number, raw: unknown, trials: readonly number[]): void {
		if (this.rows) this.rows.push([index, raw, trials]);
		else scheduleRow(this.parts, index, raw, trials);
	}

	release(): void {
		const rows = this.rows ?? [];
		this.rows = undefined;
		for (const [index, raw, trials] of rows) scheduleRow(this.parts, index, raw, trials);
	}
}

async function readRows(parts: RunParts, source: OpenedDataset, selection: RowSelection, heldBack: HeldBackRows): Promise<{ done: boolean; rows: number }> {
	const { run, scheduler, signal } = parts;
	let index = 0;
	const done = () => ({ done: true, rows: index });
	try {
		while (!signal.aborted && run.fatal === undefined) {
			if (selection.isPastEnd(index)) return done();
			if (!scheduler.hasRoom) {
				await scheduler.waitForRoom();
				continue;
			}
			const step = source.async ? await source.next() : (source.next() as IteratorResult<unknown>);
			if (step.done) return done();
			run.hasher.add(step.value);
			const i = index++;
			if (selection.isExcluded(i)) continue;
			const taken = selection.isTaken(i);
			if (taken === false || (taken !== true && !(await taken))) continue;
			const toRun = selection.trialsToRun(i);
			const stored = selection.trials - toRun.length;
			if (stored > 0) {
				// Some trials are stored: the row must be the one they were made from.
				if (!heldBack.verify(i, step.value)) break;
				run.alreadyDone += stored;
			}
			if (toRun.length > 0) heldBack.schedule(i, step.value, toRun);
		}
	} catch (error) {
		run.fail(`the dataset of ${run.label} failed after row ${index - 1}: ${(error as Error).message}`);
	}
	if (parts.pending.size > 0) run.droppedQueued = true; // rows of an unfinished batch run on resume
	parts.pending.clear();
	return { done: false, rows: index };
}

/** Maps one raw row to the eval's arguments and queues a sample per trial; a row that cannot run is recorded at once. */
function scheduleRow(parts: RunParts, index: number, raw: unknown, trials: readonly number[]): void {
	const { run, sample } = parts;
	const withTrial = (record: SampleEnd, trial: number): SampleEnd => (trial > 0 ? { ...record, trial } : record);
	if (isInvalidRow(raw)) {
		for (const t of trials) run.record(withTrial(unrunnableSample(index, {}, { type: raw.type, message: raw.message }), t));
		return;
	}
	const mapped = mapRow(raw, parts.def.columns, index);
	if (mapped instanceof RowMappingError) {
		for (const t of trials) run.record(withTrial(unrunnableSample(index, { row: toJsonSafe(raw) }, { type: mapped.name, message: mapped.message }), t));
		return;
	}
	// mapRow returns a fresh object: reuse it when there are no shared fixtures to add (and one trial).
	const row = toJsonSafe(mapped) as Record<string, unknown>;
	for (const trial of trials) {
		const args = sample.fixtures.hasShared || trials.length > 1 ? Object.assign({}, sample.fixtures.shared, mapped) : mapped;
		const job: SampleJob = { index, args, row, queuedAt: Date.now(), queuedMono: performance.now() };
		if (trial > 0) job.trial = trial;
		scheduleJob(parts, job);
	}
}

function scheduleJob(parts: RunParts, job: SampleJob): void {
	if (!parts.def.batch) return parts.scheduler.run(startSample, parts, job);
	const trial = job.trial ?? 0;
	const pending = parts.pending.get(trial) ?? [];
	parts.pending.set(trial, pending);
	pending.push(job);
	if (pending.length >= parts.def.batch.size) flushBatch(parts, trial);
}

/** Schedules a batch eval's pending rows of one trial as one task. */
function flushBatch(parts: RunParts, trial: number): void {
	const jobs = parts.pending.get(trial);
	if (!jobs?.length) return;
	parts.pending.delete(trial);
	parts.scheduler.run(startBatch, parts, { jobs, number: ++parts.batches });
}

/** The task for one batch: like startSample, with one record per row. */
async function startBatch(parts: RunParts, batch: { jobs: SampleJob[]; number: number }): Promise<void> {
	const { run } = parts;
	if (!parts.def.async) await new Promise<void>((resolve) => setImmediate(resolve));
	if (parts.signal.aborted || run.fatal !== undefined) {
		run.droppedQueued = true;
		return;
	}
	parts.scheduler.noteStarted();
	for (const record of await runBatch(parts.sample, batch.jobs, parts.def.columns, batch.number)) run.record(record);
}

/** The task p-limit runs for one sample: skipped after a Ctrl+C or a fatal error, else run and queued to be recorded. */
async function startSample(parts: RunParts, job: SampleJob): Promise<void> {
	const { run } = parts;
	// A sync eval blocks the thread and chains samples through microtasks only: let the event loop
	// turn between samples, so a Ctrl+C (SIGINT) is delivered and stops the run.
	if (!parts.def.async) await new Promise<void>((resolve) => setImmediate(resolve));
	if (parts.signal.aborted || run.fatal !== undefined) {
		run.droppedQueued = true; // queued but not started: not reported, runs again on resume
		return;
	}
	parts.scheduler.noteStarted();
	run.finished.push(await runSample(parts.sample, job));
	// One at a time, nothing is gained by waiting, and the events keep their order (a sample ends before
	// the next one starts); with several in flight, samples interleave anyway (docs/cli.md).
	if (parts.scheduler.concurrency === 1) run.finished.flush();
}
