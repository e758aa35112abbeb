/**
 * The versioned event stream between `doteval run --reporter jsonl` and any consumer (the VS Code
 * extension, CI scripts). One JSON object per line on stdout; every log line goes to stderr.
 *
 * Compatibility rule: adding an optional field keeps `protocolVersion`; removing or changing the
 * meaning of a field, or adding an event type a consumer must understand, bumps it. Consumers check
 * `run-start.protocolVersion` and refuse a major they do not know.
 *
 * Times: `*At` fields are epoch milliseconds (wall clock, for display); durations (`*Ms`) come from
 * the monotonic clock, so they never go negative when the system clock moves.
 */

export const protocolVersion = 1;

/** A score as stored and streamed: the evaluator's name, its value and the metrics it feeds. */
export interface ScoreRecord {
	name: string;
	value: boolean | number | string | null | Record<string, unknown> | unknown[];
	/** Metric names, e.g. ["accuracy"]. */
	metrics: string[];
	/** Whether this score counts as a pass (boolean true, or number ≥ 1 for 0/1 scores); null if not pass/fail. */
	passed: boolean | null;
	metadata?: Record<string, unknown>;
}

/** Why a sample failed: the error's type (class name), message and stack. */
export interface SampleError {
	/** The exception's class name (`TypeError`, `RateLimitError`, `RowMappingError`, …). */
	type: string;
	message: string;
	stack?: string;
}

/** When a sample was queued, started and finished (wall clock), and where its time went (monotonic ms). */
export interface SampleTiming {
	/** When the sample entered the queue, started its first attempt and finished (epoch ms). */
	queuedAt: number;
	startedAt: number;
	finishedAt: number;
	/** Time waiting for a concurrency slot (monotonic ms). */
	queueMs: number;
	/** Time spent sleeping between retry attempts (monotonic ms). */
	backoffMs: number;
	/** Time running the eval function, summed over attempts, without back-off, budget waits or judges (monotonic ms). */
	latencyMs: number;
	/** Time waiting for a model provider's rate-limit budget (`doteval/models`), when the sample made model calls. */
	budgetMs?: number;
	/** Time inside LLM judges (`doteval/models`), apart from the task's latency. */
	judgeMs?: number;
}

/** What a sample's model calls (through `doteval/models`) used. Cache hits count as calls but not as tokens or cost. */
export interface SampleModelUsage {
	calls: number;
	/** Calls the response cache answered. Equal to `calls`: the whole sample came from the cache. */
	cacheHits: number;
	inputTokens: number;
	outputTokens: number;
	/** USD; null when a model has no price (see `unpricedModels`). */
	costUsd: number | null;
	unpricedModels?: string[];
}

/** The concurrency strategy an evaluation ran with, as reports show it. */
export interface StrategyInfo {
	/** "Sequential" | "SlidingWindow" | "Adaptive" | a user strategy's name. */
	name: string;
	maxConcurrency?: number;
	options?: Record<string, unknown>;
}

/** One metric of one score over the evaluation (e.g. accuracy of exact_match), with its uncertainty. */
export interface MetricSummary {
	/** Score name (evaluator), e.g. "exactMatch". */
	score: string;
	/** Metric name, e.g. "accuracy". */
	metric: string;
	value: number;
	/** Standard error of the value, when defined (n ≥ 2). */
	stderr?: number;
	/** 95 % interval [low, high], when defined. */
	ci95?: [number, number];
	/** The value over samples without errors, present when there were errors. */
	valueExcludingErrors?: number;
}

/** Percentiles of the samples' latency (ms). */
export interface LatencySummary {
	mean: number;
	p50: number;
	p90: number;
	p95: number;
	p99: number;
	max: number;
}

/** The summary of an evaluation: counts, metrics, timing and the strategy's figures. */
export interface EvalSummary {
	/** Samples in the dataset (after --samples), when known. */
	total: number | null;
	/** Samples stored as finished, including ones finished in earlier runs of the experiment. */
	completed: number;
	/** Samples stored with an error. */
	errors: number;
	/** Error counts by error type. */
	errorsByType: Record<string, number>;
	metrics: MetricSummary[];
	/** Wall time of this run of the evaluation (monotonic ms). */
	wallMs: number;
	samplesPerSecond: number;
	latency: LatencySummary | null;
	strategy: StrategyInfo;
	/** Most samples observed in flight at once. */
	maxInFlight: number;
	/** Sum of sample latencies / wall time: the speedup over running the same samples one at a time. */
	speedup: number;
	/** Total retry attempts beyond the first, and total back-off time. */
	retries: number;
	backoffMs: number;
	/** Model calls through `doteval/models`, summed (absent: none). Latency and throughput leave out samples answered wholly by the cache. */
	models?: ModelUsageSummary;
	/** Rows run more than once (`trials: k`): pass@k, pass^k and the unstable rows (absent: one trial each). */
	trials?: TrialsSummary;
}

/** The summary of an evaluation with no sample yet: the store's, the CLI's and the editor's starting point. */
export function emptySummaryOf(strategy: StrategyInfo, total: number | null): EvalSummary {
	return {
		total,
		completed: 0,
		errors: 0,
		errorsByType: {},
		metrics: [],
		wallMs: 0,
		samplesPerSecond: 0,
		latency: null,
		strategy,
		maxInFlight: 0,
		speedup: 0,
		retries: 0,
		backoffMs: 0,
	};
}

/**
 * Trials of an evaluation whose rows ran k times. A trial passes when its sample passed (`passed`
 * true); errors fail it. Only rows with all k trials stored and a pass/fail outcome count.
 */
export interface TrialsSummary {
	/** Trials per row: the highest trial stored + 1. */
	k: number;
	/** Rows with all k trials stored (and a pass/fail outcome), over which the rates below are taken. */
	rows: number;
	/** Rows with fewer than k trials stored so far (an interrupted run): left out of the rates. */
	incomplete: number;
	/** Share of rows with at least one passing trial. */
	passAtK: number;
	/** Share of rows whose every trial passed. */
	passHatK: number;
	/** Share of all trials that passed (pass@1 estimated over k trials). */
	passAt1: number;
	/** Rows where some trials passed and some failed. */
	unstable: number;
	/** The first unstable rows' indexes (at most 20), in index order. */
	unstableIndexes: number[];
}

/** Model calls, tokens and cost of an evaluation (from doteval/models), when it used any. */
export interface ModelUsageSummary {
	calls: number;
	cacheHits: number;
	/** Samples answered wholly from the response cache (kept out of latency and throughput). */
	cachedSamples: number;
	inputTokens: number;
	outputTokens: number;
	/** USD; null when some model had no price. */
	costUsd: number | null;
	/** (input + output tokens) per second of wall time. */
	tokensPerSecond: number;
	/** Time samples waited for rate-limit budgets, and time in LLM judges, summed (ms). */
	budgetMs: number;
	judgeMs: number;
}

/** Where an evaluation stands: interrupted ones resume with the same --experiment. */
export type EvalStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** First event of a `doteval run --reporter jsonl` stream: versions, experiment, store. */
export interface RunStartEvent {
	type: 'run-start';
	protocolVersion: number;
	runtimeVersion: string;
	experiment: string;
	/** Absolute path of the store folder. */
	storage: string;
	projectRoot: string;
	pid: number;
	at: number;
}

/** An evaluation starts (after resume: `alreadyDone` samples are in the store). */
export interface EvalStartEvent {
	type: 'eval-start';
	/** `<path relative to the project root>::<name>`, the same id the language server computes. */
	evalId: string;
	name: string;
	/** Absolute file path and 1-based line of the eval's definition (when known). */
	file: string;
	line: number | null;
	/** Samples this evaluation will cover in total (dataset size after --samples), when known. */
	total: number | null;
	/** Samples already completed in earlier runs of this experiment (skipped now). */
	alreadyDone: number;
	strategy: StrategyInfo;
	async: boolean;
	at: number;
}

/** An attempt of a sample starts (attempt > 1: a retry). */
export interface SampleStartEvent {
	type: 'sample-start';
	evalId: string;
	index: number;
	attempt: number;
	/** The row's columns (JSON-safe), on the first attempt only: a consumer can label the sample while it runs. */
	row?: Record<string, unknown>;
	at: number;
}

/** A sample ended: its scores, error, timing; the record the store keeps. */
export interface SampleEndEvent {
	type: 'sample-end';
	evalId: string;
	/** 0-based position of the row in the dataset. */
	index: number;
	/** The row's columns by name (JSON-safe). */
	row: Record<string, unknown>;
	prompt: string | null;
	modelResponse: string | null;
	scores: ScoreRecord[];
	error: SampleError | null;
	/** true when every pass/fail score passed and there was no error; null when no score is pass/fail. */
	passed: boolean | null;
	attempts: number;
	timing: SampleTiming;
	metadata?: Record<string, unknown>;
	/** Model calls made through `doteval/models` (absent: none). */
	models?: SampleModelUsage;
	/** 0-based trial of the row (`trials: k` runs each row k times); absent: trial 0. */
	trial?: number;
	/**
	 * What the sample's own code printed while it ran (`console.log`/`console.error`, writes to stdout
	 * and stderr), stdout and stderr interleaved as written, at most 64 KiB; absent: nothing. A batch's
	 * rows each carry the batch's output.
	 */
	output?: string;
}

/**
 * Workers sharing one experiment (`--workers-join`): the samples every worker has stored so far,
 * about every second, so that progress shows the whole experiment and not this worker's share.
 */
export interface EvalProgressEvent {
	type: 'eval-progress';
	evalId: string;
	/** Samples of the evaluation stored by any worker (with or without error). */
	stored: number;
	/** Of them, errors. */
	errors: number;
	at: number;
}

/** An evaluation ended, with its summary (over every run of the experiment). */
export interface EvalEndEvent {
	type: 'eval-end';
	evalId: string;
	status: EvalStatus;
	summary: EvalSummary;
	/** Why the evaluation could not run, when status is 'failed' (a fixture's setup, a store refusal, …). */
	failure?: { message: string };
	/** The quality gates checked on this evaluation (thresholds, --baseline), when any apply. */
	gates?: GateResult[];
	at: number;
}

/** One quality gate checked on an evaluation: a minimum score, or no significant drop against a baseline. */
export interface GateResult {
	/** 'threshold': a minimum (the eval's `threshold` or `--fail-under`); 'baseline': `--baseline`'s regression test. */
	kind: 'threshold' | 'baseline';
	/** Where a threshold came from: the eval's own `threshold` option, or the command line. */
	source?: 'eval' | 'cli';
	passed: boolean;
	/** `score.metric` for a threshold (`exactMatch.accuracy`), the score name for a baseline. */
	metric: string;
	/** The value now (null when there is none to check). */
	value: number | null;
	/** The threshold's minimum. */
	min?: number;
	/** The baseline experiment, its value, and the paired difference now − baseline with its 95 % interval. */
	baseline?: string;
	baselineValue?: number;
	delta?: number;
	ci95?: [number, number];
	pairs?: number;
	/** McNemar's exact p over the pass/fail pairs that changed, when the score is pass/fail. */
	mcnemarP?: number | null;
	/** One line for people: what was checked and why it passed or failed. */
	message: string;
}

/** An eval file that failed to load or compile; the run goes on with the other files. */
export interface LoadErrorEvent {
	type: 'load-error';
	file: string;
	message: string;
	/** 1-based position of a syntax error, when there is one. */
	line?: number;
	column?: number;
}

/** Last event of a run: its status, exit code, and the command that resumes it when interrupted. */
export interface RunEndEvent {
	type: 'run-end';
	status: 'completed' | 'interrupted' | 'failed';
	exitCode: number;
	/** The command that resumes an interrupted run. */
	resumeCommand?: string;
	/** Gates of the whole run that no single evaluation answers (a --fail-under metric no evaluation reports). */
	gates?: GateResult[];
	at: number;
}

/** Every event of the JSON Lines stream, one per line (see docs for the protocol). */
export type RunEvent = RunStartEvent | EvalStartEvent | SampleStartEvent | SampleEndEvent | EvalProgressEvent | EvalEndEvent | LoadErrorEvent | RunEndEvent;

/**
 * One line of `doteval run --list --reporter jsonl`, per eval found. Not part of a run's stream (a
 * listing runs nothing), so it is not in RunEvent.
 */
export interface EvalListedEvent {
	type: 'eval-listed';
	evalId: string;
	name: string;
	/** Absolute file path and 1-based line of the definition (when known). */
	file: string;
	line: number | null;
	strategy: StrategyInfo;
	async: boolean;
}

/** Exit codes of `doteval`, documented in docs/cli.md. Scores are data, never a failure. */
export const ExitCode = {
	/** Every selected eval ran (whatever its scores or sample errors). */
	Ok: 0,
	/** An eval could not run: a fixture's setup failed, the store refused (changed dataset), … */
	EvalFailed: 1,
	/** Bad command line: unknown command or option, bad value. */
	Usage: 2,
	/** An eval file failed to load or compile. */
	LoadError: 3,
	/** The store is corrupt or unreadable. */
	StoreError: 4,
	/** No eval matched the files or filter given. */
	NoEvals: 5,
	/** Every eval ran, but a quality gate failed: a threshold (`threshold`, `--fail-under`) or a regression against `--baseline`. */
	GateFailed: 6,
	/** Interrupted by Ctrl+C / SIGTERM; in-flight samples were stored. 130 as shells expect. */
	Interrupted: 130,
} as const;

/** Parse one line of the stream; throws on a line that is not a known event. */
export function parseEventLine(line: string): RunEvent {
	const event = JSON.parse(line) as RunEvent;
	if (!event || typeof event !== 'object' || typeof (event as { type?: unknown }).type !== 'string') {
		throw new Error(`not a doteval event: ${line.slice(0, 200)}`);
	}
	return event;
}
