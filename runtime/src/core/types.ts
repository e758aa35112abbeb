/**
 * What `foreach(...)(fn)` produces and what the CLI needs to run it. The library (foreach, the
 * executor) and the CLI (loading files, the store, reporters) meet here.
 */
import type { SampleEndEvent, StrategyInfo, EvalSummary, EvalStatus } from '../protocol/events.js';
import type { ConcurrencyStrategy } from '../concurrency/types.js';
import type { RetryPolicy } from '../retry/policy.js';
import type { Threshold } from '../gates/thresholds.js';

/** A registered eval, branded so that any copy of the runtime recognises it (Symbol.for). */
export interface EvalDefinitionRuntime {
	/** Name: export name (filled in by the loader), else the function's own name. */
	name: string | undefined;
	fn: (args: Record<string, unknown>) => unknown;
	columns: string[];
	/** Array, iterable, async iterable, or a function returning one (called once per run). */
	dataset: unknown;
	async: boolean;
	strategyInfo: StrategyInfo;
	/** File and 1-based line where foreach(...)(fn) was called, when known. */
	definedAt: { file: string; line: number } | null;
	/** The configured strategy (absent: Sequential). Duck-typed, so another runtime copy can drive it. */
	concurrency?: ConcurrencyStrategy;
	/** The retry policy (absent: the default policy). */
	retries?: RetryPolicy;
	/** A batch eval (`batch(...)`): fn receives up to `size` rows at once, each column as an array. */
	batch?: { size: number };
	/** Minimum metric values: `doteval run` fails its quality gate (exit 6) below them. */
	thresholds?: Threshold[];
	/** Times each row runs (`trials: k`, absent: once); `--trials` overrides it. */
	trials?: number;
	/** Names the eval's first parameter destructures (`optional`: those with a default); null = not an object pattern, every visible fixture is provided. */
	requested?: { names: string[]; optional: string[] } | null;
}

/** How the CLI asks the executor to run one evaluation. */
export interface ExecuteOptions {
	/** Run at most the first N samples of the dataset in total (resume counts earlier ones). */
	samples?: number;
	/** Run only these dataset indexes (the editor's "run this sample"). */
	only?: ReadonlySet<number>;
	/** Indexes already completed in this experiment: skip them (trial 0; see `skipTrials`). */
	skip: ReadonlySet<number>;
	/** Times each row runs (default: the eval's `trials`, else 1). */
	trials?: number;
	/** Per trial t ≥ 0, the indexes whose trial t is already completed (absent: `[skip]`). */
	skipTrials?: ReadonlyArray<ReadonlySet<number>>;
	/** This process's share of the samples (--shard, --workers-join); asked in index order, may claim work. */
	take?(index: number): boolean | Promise<boolean>;
	/** --concurrency N: replaces the eval's strategy with a SlidingWindow of N. */
	concurrencyOverride?: number;
	/** Aborting stops starting new samples; in-flight ones finish and are reported. */
	signal: AbortSignal;
	/** Fixtures scoped to the whole run, shared by every eval (see fixtures). */
	runScope: unknown;
	/**
	 * Resuming: checks the row read now for each skipped (already stored) sample, as stored (after
	 * column mapping); a message means the dataset changed and the run stops before any new sample
	 * starts. Rows up to `lastIndex` (the highest skipped index) are verified first.
	 */
	storedRows?: { lastIndex: number; differs(index: number, row: Record<string, unknown>): string | undefined };
	/** `row`: the sample's row as stored, given on its first attempt (the editor labels a running sample with it). */
	onSampleStart(index: number, attempt: number, row?: Record<string, unknown>): void;
	onSampleEnd(sample: Omit<SampleEndEvent, 'type' | 'evalId'>): void;
}

/** How one `executeEval` ended: status, summary, and why it failed when it did. */
export interface ExecuteOutcome {
	status: EvalStatus;
	summary: EvalSummary;
	/** Set when the eval could not run at all (a fixture's setup failed, …). */
	failure?: { message: string };
	/** Hash of the dataset rows read during this run (index 0 up to the last row read), and how many rows it covers. */
	datasetFingerprint?: { hash: string; rows: number };
	/** Non-fatal problems to show the user (a fixture teardown that threw, a window on a sync eval, …). */
	warnings?: string[];
}
