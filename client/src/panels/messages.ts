/**
 * The one message protocol between the extension host and the doteval webviews. Each panel has a
 * discriminated union per direction; both sides import these types (the webview bundle inlines
 * nothing from here at run time, the host type-checks every `postMessage`).
 *
 * Every string that comes from a sample (row, prompt, model response, error) is untrusted: the
 * webview renders it with `textContent` only.
 */
import type { EvalStatus, LatencySummary, ModelUsageSummary, SampleError, SampleTiming, ScoreRecord } from '../../../runtime/src/protocol/events.js';

export type SampleFilter = 'all' | 'failed' | 'errored';

/** A sample's verdict as the table shows it; `unscored` when no score is pass/fail. */
export type SampleStatus = 'passed' | 'failed' | 'error' | 'unscored';

/** One table row: short single-line previews only; the full sample comes with `detail`. */
export interface SampleRowView {
	index: number;
	/** The sample's trial when its row runs more than once (absent: trial 0). */
	trial?: number;
	status: SampleStatus;
	rowPreview: string;
	responsePreview: string;
	scoresPreview: string;
	latencyMs: number;
}

/** Everything the detail view shows about one sample. */
export interface SampleDetailView {
	index: number;
	/** The sample's trial (absent: trial 0). */
	trial?: number;
	status: SampleStatus;
	row: Record<string, unknown>;
	prompt: string | null;
	modelResponse: string | null;
	scores: ScoreRecord[];
	error: SampleError | null;
	attempts: number;
	timing: SampleTiming;
	/** What the sample's code printed (console.log, stdout/stderr), terminal escapes removed; null: nothing. */
	output: string | null;
}

export interface ResultsHeader {
	experiment: string;
	evalId: string;
	name: string;
	status: EvalStatus;
	/** Samples stored for the evaluation (unfiltered). */
	completed: number;
	errors: number;
	/** e.g. "exactMatch accuracy 0.75"; computed by the host. */
	metricsLine: string;
	/** Model calls and trials, e.g. "12,345 tokens · $0.012 · pass@3 66.7% · pass^3 33.3% · 1 unstable row"; empty when neither. */
	usageLine?: string;
	/** Trials per row (k) when the evaluation runs each row more than once: the table gets a trial column. */
	trials?: number;
}

/**
 * What a panel needs to come back after VS Code restarts: the webview keeps it in its state, and the
 * panel serializer hands it back (see `registerPanelSerializers`).
 */
export type PanelRestoreState =
	{ panel: 'results' | 'timing'; storePath: string; experiment: string; evalId: string } | { panel: 'compare'; storePath: string; experiments: string[] };

/** Host → results webview. */
export type ResultsHostMessage =
	| { type: 'init'; header: ResultsHeader; pageSize: number; restore: PanelRestoreState }
	/** Answer to a `page` request; `queryId` lets the webview drop answers to superseded queries. */
	| { type: 'page'; queryId: number; offset: number; total: number; rows: SampleRowView[] }
	| { type: 'detail'; sample: SampleDetailView }
	/** The store changed (live run): the webview re-requests the pages it shows. */
	| { type: 'changed'; header: ResultsHeader }
	| { type: 'error'; message: string };

/** Results webview → host. */
export type ResultsWebviewMessage =
	| { type: 'ready' }
	| { type: 'page'; queryId: number; offset: number; limit: number; filter: SampleFilter; search: string }
	/** Full sample at `position` of the current query (checked against `index` and `trial`). */
	| { type: 'detail'; index: number; trial?: number; position: number; filter: SampleFilter; search: string }
	| { type: 'openTiming' };

/** One bin of the latency histogram, [fromMs, toMs); one bin with fromMs = toMs when every latency is equal. */
export interface HistogramBin {
	fromMs: number;
	toMs: number;
	count: number;
}

/** Samples in flight from `t` (ms after the first sample was queued) until the next point. */
export interface InFlightPoint {
	t: number;
	inFlight: number;
}

/** One waterfall line: segments in ms after the first sample was queued. */
/**
 * One sample's line of the waterfall, ms since time zero: its phases one after the other. Budget
 * waits and judge calls happen between and after the task's calls; each is drawn as one span of its
 * summed time (empty when the sample had none).
 */
export interface WaterfallRow {
	index: number;
	/** The sample's trial, when its row runs more than once (absent: trial 0). */
	trial?: number;
	queue: [number, number];
	backoff: [number, number];
	/** Waiting for a model provider's rate-limit budget (`timing.budgetMs`). */
	budget: [number, number];
	run: [number, number];
	/** Inside LLM judges (`timing.judgeMs`). */
	judge: [number, number];
	status: SampleStatus;
}

/** A phase of the waterfall, as its legend names it. */
export type WaterfallPhase = 'queue' | 'backoff' | 'budget' | 'run' | 'judge';

export interface TimingView {
	experiment: string;
	evalId: string;
	name: string;
	status: EvalStatus;
	strategy: string;
	/** The strategy's concurrency limit, drawn as a line on the in-flight chart. */
	maxConcurrency: number | null;
	samples: number;
	wallMs: number;
	samplesPerSecond: number;
	speedup: number;
	maxInFlight: number;
	retries: number;
	backoffMs: number;
	/** Model calls through doteval/models (absent: the eval made none). */
	models?: ModelUsageSummary;
	latency: LatencySummary | null;
	histogram: HistogramBin[];
	inFlight: InFlightPoint[];
	waterfall: WaterfallRow[];
	/** Samples stored in total, so the webview can say "first 300 of 100000". */
	waterfallOf: number;
}

/** One bar group of the comparison chart: an evaluation of an experiment. */
export interface CompareRunView {
	experiment: string;
	evalId: string;
	name: string;
	strategy: string;
	wallMs: number;
	samplesPerSecond: number;
	speedup: number;
	maxInFlight: number;
	completed: number;
	errors: number;
}

/** One row of the comparison table; `values[i]` belongs to `experiments[i]`, null when absent. */
export interface CompareMetricRow {
	label: string;
	kind: 'metric' | 'timing';
	/** Higher is better (accuracy, samples/s, speedup) or lower (wall time, errors). */
	better: 'higher' | 'lower';
	values: (number | null)[];
	/** Difference from the first experiment (the baseline); null where either side is absent. */
	deltas: (number | null)[];
	/** The unit the values are in, for formatting. */
	unit: 'ratio' | 'ms' | 'perSecond' | 'times' | 'count';
}

export interface CompareView {
	experiments: string[];
	/** Per experiment (same order), the names of the evaluations compared, sorted. */
	evaluations: string[][];
	runs: CompareRunView[];
	rows: CompareMetricRow[];
	/** Experiments asked for that the store does not know. */
	missing: string[];
}

/** Host → timing webview. */
export type TimingHostMessage =
	| { type: 'timing'; view: TimingView; restore: PanelRestoreState }
	| { type: 'compare'; view: CompareView; restore: PanelRestoreState }
	| { type: 'error'; message: string };

/** Timing webview → host. */
export type TimingWebviewMessage = { type: 'ready' } | { type: 'openResults' };
