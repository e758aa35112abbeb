/**
 * The store's read model: what the CLI (`list`, `show`, `diff`, `export`), the language server
 * (CodeLens, hovers) and the extension (history, panels) read. Every reader goes through
 * `StoreReader`, which sees samples still in the journal of a running experiment too.
 */
import type { EvalStatus, EvalSummary, SampleEndEvent, StrategyInfo } from '../protocol/events.js';

export interface ExperimentInfo {
	name: string;
	/** True for names generated from a timestamp (no --experiment given). */
	ephemeral: boolean;
	createdAt: number;
	/** Latest finish (or start) time of its evaluations, epoch ms. */
	updatedAt: number;
	evaluationCount: number;
	/** 'running' if any evaluation runs, else 'interrupted'/'failed' if any, else 'completed'. */
	status: EvalStatus;
}

export interface EvaluationInfo {
	experiment: string;
	evalId: string;
	name: string;
	file: string;
	status: EvalStatus;
	startedAt: number;
	finishedAt: number | null;
	gitCommit: string | null;
	runtimeVersion: string;
	strategy: StrategyInfo;
	datasetFingerprint: string | null;
	/** Aggregates computed from the stored samples (all runs of the evaluation in this experiment). */
	summary: EvalSummary;
}

/** A stored sample: exactly what the `sample-end` event streams, without its envelope. */
export type SampleInfo = Omit<SampleEndEvent, 'type' | 'evalId'>;

export interface SampleQuery {
	offset?: number;
	limit?: number;
	filter?: 'all' | 'failed' | 'errored' | 'passed';
	/** Case-insensitive substring over row, prompt, model response and error message. */
	search?: string;
}

export interface SamplePage {
	total: number;
	samples: SampleInfo[];
}

/** The latest result of one eval id, for CodeLens and hovers. */
export interface LastResult {
	experiment: string;
	evaluation: EvaluationInfo;
}

/**
 * Every method is async so that a store on a server (PostgreSQL) implements the same interface as the
 * embedded folder store. Headline numbers (`listExperiments`, `listEvaluations`, `getEvaluation`,
 * `resultsForEval`: counts, per-metric values, errors by type, timing, latency percentiles) come from
 * summaries the backend maintains as samples are written, never from a scan of the samples; only
 * `samples`, `allSamples` and `scoreNames` read the samples of the one evaluation they name.
 */
export interface StoreReader {
	/** Where the store is: the folder of an embedded store, or a connection string without its password. */
	readonly path: string;
	listExperiments(nameFilter?: string): Promise<ExperimentInfo[]>;
	experimentExists(name: string): Promise<boolean>;
	listEvaluations(experiment: string): Promise<EvaluationInfo[]>;
	/** Ids and names of an experiment's evaluations, in start order, without their summaries. */
	evaluationIds(experiment: string): Promise<EvaluationRef[]>;
	getEvaluation(experiment: string, evalIdOrName: string): Promise<EvaluationInfo | undefined>;
	/** Every score name stored for an evaluation, in first-seen order (CSV columns). */
	scoreNames(experiment: string, evalIdOrName: string): Promise<string[]>;
	samples(experiment: string, evalIdOrName: string, query?: SampleQuery): Promise<SamplePage>;
	/** Every sample of an evaluation in index order, read a page at a time (export, diff, show --full). */
	allSamples(experiment: string, evalIdOrName: string, pageSize?: number): AsyncIterable<SampleInfo>;
	/** Per eval id, its evaluations across experiments, newest first. */
	resultsForEval(evalId: string, limit?: number): Promise<LastResult[]>;
	close(): Promise<void>;
}

export interface EvaluationRef {
	evalId: string;
	name: string;
}

/** What `doteval run` tells the store when an evaluation starts. */
export interface EvaluationStart {
	experiment: string;
	evalId: string;
	name: string;
	file: string;
	strategy: StrategyInfo;
	gitCommit: string | null;
	runtimeVersion: string;
	/** A hash of the dataset rows covered by this run (for "the dataset changed" refusals). */
	datasetFingerprint: string | null;
	/** Resume even though the dataset fingerprint changed. */
	force?: boolean;
	/** Samples the evaluation covers (dataset size after --samples), when known. */
	total?: number | null;
	/** A generated (timestamp) experiment name; default: the name looks like `YYYYMMDD_HHMMSS_xxxxxxxx`. */
	ephemeral?: boolean;
	/**
	 * `doteval run --rerun`: a sample this run records replaces the stored one of its index even when
	 * that one completed (by default a success is final and only an error gives way). Added for the
	 * editor's "current" experiment, where running a sample again shows its new result.
	 */
	replace?: boolean;
}

/** What the executor measured for one run of an evaluation (the store cannot know it from samples alone). */
export interface EvaluationStats {
	/** Wall time of this run (monotonic ms). Default: finish time − start time. */
	wallMs?: number;
	/** Most samples in flight at once. Default: computed from the samples' start/finish times. */
	maxInFlight?: number;
}

/** One running evaluation, as the store's writer sees it. */
export interface EvaluationWriter {
	/** Indexes of samples completed without error in earlier runs of this experiment: skip them. */
	readonly completed: ReadonlySet<number>;
	/**
	 * Per trial t (`trials: k` runs each row k times), the indexes whose trial t completed without
	 * error; `completedTrials[0]` is `completed`. Added for trials; a backend without it has trial 0 only.
	 */
	readonly completedTrials?: ReadonlyArray<ReadonlySet<number>>;
	/**
	 * Durable within about a second (a small batch) of the call; never stores an index twice. Not a
	 * Promise on purpose (the hot path of a run): a backend buffers and reports a write failure from
	 * the next call, `flush()` or `finish()`.
	 */
	recordSample(sample: SampleInfo): void;
	finish(status: EvalStatus, stats?: EvaluationStats): Promise<void>;
}

export interface StoreWriter extends StoreReader {
	beginEvaluation(start: EvaluationStart): Promise<EvaluationWriter>;
	renameExperiment(from: string, to: string): Promise<void>;
	deleteExperiment(name: string): Promise<void>;
	/** Make everything recorded so far durable (journal fsync). */
	flush(): Promise<void>;
}
