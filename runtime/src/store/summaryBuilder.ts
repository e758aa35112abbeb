/**
 * An evaluation's EvalSummary from aggregates of its stored samples — the one set of rules for both
 * store backends. Each backend computes the aggregates with its own SQL (sql.js over each segment
 * file in store/summary.ts, PostgreSQL over the whole evaluation in store/postgres/summary.ts) and
 * hands them here as plain numbers; nothing in this file touches a database. The rules are those of
 * the executor's SummaryAccumulator (metrics/summarize.ts), which a test checks on the same samples:
 *  - the score layout (score names and metrics) is that of the first sample without error, and every
 *    errored sample counts as 0 for each pair of that layout; `valueExcludingErrors` leaves them out;
 *  - 0/1 series get a Wilson interval, other means a Student t interval;
 *  - custom metrics (metric(name, fn)) get their own function over all values;
 *  - runs of one evaluation may overlap (shards and joined workers on many machines, shard stores
 *    merged into one), so its wall time is the union of its runs' intervals, not their sum.
 */
import type { EvalSummary, MetricSummary, StrategyInfo } from '../protocol/events.js';
import { estimateMean, LatencyCollector, lookupMetric, type Moments } from '../metrics/index.js';
import { ModelUsageAccumulator } from '../metrics/modelUsage.js';
import { summarizeTrials, type RowTrials } from '../metrics/trials.js';
import { parseMetrics } from './rows.js';
import { addModelColumn } from './modelColumns.js';
import type { SampleInfo } from './types.js';

/** A run of the evaluation (one process that ran it). */
export interface RunRow {
	status: string;
	startedAt: number;
	finishedAt: number | null;
	wallMs: number | null;
	maxInFlight: number | null;
}

/** One score's aggregates over the samples without error, per (score name, stored metrics list). */
export interface ScoreAggregate {
	name: string;
	/** The metrics list as stored (JSON text). */
	metricsJson: string;
	n: number;
	sum: number;
	sumSquares: number;
	/** Every value is 0 or 1. */
	binary: boolean;
	/** Where the pair first appears in the part (sample order, then score position): pairs are reported in that order. */
	first: number;
}

/** What one part of an evaluation's samples (a segment file, or all of them) contributes. */
export interface PartAggregates {
	count: number;
	errors: number;
	/** Attempts beyond the first, summed. */
	retries: number;
	backoffMs: number;
	/** Latency of the samples that ran (attempts > 0) and were not answered from the response cache, summed. */
	latencySum: number;
	/** The latest finished_at of a sample (0: none). */
	lastFinished: number;
	/** Samples answered from the response cache. */
	cachedCount: number;
	/** Errors per type ('' counts as 'Error'), in order of first appearance. */
	errorsByType: [string, number][];
	scores: ScoreAggregate[];
	/** The values of the custom-metric scores (`customScores(scores)`) of samples without error, in sample order. */
	customValues: Map<string, number[]>;
	/** (score name, metrics JSON) of the part's first sample without error, in score order; undefined when it has none (or when not needed). */
	layout: [string, string][] | undefined;
	/** Latencies of the samples counted in `latencySum`. */
	latencies: number[];
	/** [started, finished] of every sample (only when the builder's `needsSpans`). */
	spans: [number, number][];
	/** The model_json column of the samples that have one. */
	modelJson: string[];
	/** The highest trial in the part (0: every row ran once). */
	maxTrial: number;
	/** Per-row trial tallies (only when maxTrial > 0). */
	trialRows: RowTrials[];
}

/** The scores of `scores` that have a custom metric: their values are needed one by one. */
export function customScores(scores: readonly ScoreAggregate[]): string[] {
	const names = new Set<string>();
	for (const score of scores) if (parseMetrics(score.metricsJson).some((m) => lookupMetric(m)?.aggregate === 'custom')) names.add(score.name);
	return [...names];
}

interface Pair {
	score: string;
	metric: string;
	moments: Moments;
	first: number;
}

/** Positions within a part stay below 2^40 (sample id · 65536 + score position); parts are ordered above that. */
const partStride = 2 ** 40;

/**
 * Aggregates of an evaluation added one part at a time (in index order), so that summarizing a
 * million samples never needs them all at once: sums and counts add up, first appearances keep part
 * order, and only the numbers that have no sketch (latencies for the percentiles, values of custom
 * metrics, spans) are kept, as plain numbers.
 */
export class SummaryBuilder {
	private count = 0;
	private errors = 0;
	private retries = 0;
	private backoffMs = 0;
	private latencySum = 0;
	private lastFinished = 0;
	private cachedCount = 0;
	private readonly errorsByType: Record<string, number> = {};
	private readonly pairs = new Map<string, Pair>();
	private layout: Set<string> | undefined;
	private readonly custom = new Map<string, number[]>();
	private latencies = new LatencyCollector();
	private readonly starts: number[] = [];
	private readonly ends: number[] = [];
	private readonly models = new ModelUsageAccumulator();
	private parts = 0;
	/** Trials: the highest trial + 1, per-row tallies of parts with trials, rows of parts with trial 0 only. */
	private trials = 1;
	private readonly trialRows: RowTrials[] = [];
	private singleTrialRows = 0;

	/** Peak concurrency comes from the samples' spans when no run reported it. */
	readonly needsSpans: boolean;

	constructor(private readonly runs: readonly RunRow[]) {
		this.needsSpans = runs.every((run) => !run.maxInFlight);
	}

	/** Whether the next part's first successful sample's layout is still wanted. */
	get needsLayout(): boolean {
		return this.layout === undefined;
	}

	add(part: PartAggregates): void {
		const index = this.parts++;
		this.count += part.count;
		this.errors += part.errors;
		this.retries += part.retries;
		this.backoffMs += part.backoffMs;
		this.latencySum += part.latencySum;
		this.lastFinished = Math.max(this.lastFinished, part.lastFinished);
		this.cachedCount += part.cachedCount;
		for (const [type, n] of part.errorsByType) {
			const key = type || 'Error';
			this.errorsByType[key] = (this.errorsByType[key] ?? 0) + n;
		}
		for (const score of part.scores) this.addScore(score, index * partStride + score.first);
		for (const [score, values] of part.customValues) {
			const all = this.custom.get(score) ?? [];
			for (const value of values) all.push(value);
			this.custom.set(score, all);
		}
		if (!this.layout && part.layout) {
			this.layout = new Set();
			for (const [name, metricsJson] of part.layout) for (const metric of parseMetrics(metricsJson)) this.layout.add(`${name}\u0000${metric}`);
		}
		for (const latency of part.latencies) this.latencies.add(latency);
		if (this.needsSpans) {
			for (const [started, finished] of part.spans) {
				this.starts.push(started);
				this.ends.push(finished);
			}
		}
		for (const json of part.modelJson) {
			const sample = { timing: {} } as SampleInfo;
			addModelColumn(sample, json);
			this.models.add(sample);
		}
		this.trials = Math.max(this.trials, part.maxTrial + 1);
		if (part.maxTrial === 0) this.singleTrialRows += part.count;
		else for (const row of part.trialRows) this.trialRows.push(row);
	}

	private addScore(score: ScoreAggregate, first: number): void {
		for (const metric of parseMetrics(score.metricsJson)) {
			const key = `${score.name}\u0000${metric}`;
			const moments = { n: score.n, sum: score.sum, sumSquares: score.sumSquares, binary: score.binary };
			const pair = this.pairs.get(key);
			if (!pair) {
				this.pairs.set(key, { score: score.name, metric, first, moments });
				continue;
			}
			// The same score with two metric lists (or in two parts): merged, as the executor's accumulator keys by (score, metric).
			pair.moments = {
				n: pair.moments.n + moments.n,
				sum: pair.moments.sum + moments.sum,
				sumSquares: pair.moments.sumSquares + moments.sumSquares,
				binary: pair.moments.binary && moments.binary,
			};
			pair.first = Math.min(pair.first, first);
		}
	}

	private metricSummary(pair: Pair, errors: number): MetricSummary {
		const metric = lookupMetric(pair.metric);
		if (metric?.aggregate === 'custom') {
			const values = this.custom.get(pair.score) ?? [];
			const result: MetricSummary = {
				score: pair.score,
				metric: pair.metric,
				value: metric(errors > 0 ? values.concat(new Array<number>(errors).fill(0)) : values),
			};
			if (errors > 0) result.valueExcludingErrors = metric(values);
			return result;
		}
		// Errors add n zeros, which leave the sums alone.
		const estimate = estimateMean({ ...pair.moments, n: pair.moments.n + errors });
		const result: MetricSummary = { score: pair.score, metric: pair.metric, value: estimate.value };
		if (estimate.stderr !== undefined) result.stderr = estimate.stderr;
		if (estimate.ci95) result.ci95 = estimate.ci95;
		if (errors > 0) result.valueExcludingErrors = estimateMean(pair.moments).value;
		return result;
	}

	/** `now`: the clock that ends a run still going (the store's: the database's for PostgreSQL). */
	summary(strategy: StrategyInfo, total: number | null, now: number): EvalSummary {
		const pairs = [...this.pairs.values()].sort((a, b) => a.first - b.first);
		const metrics = pairs.map((pair) => this.metricSummary(pair, this.layout?.has(`${pair.score}\u0000${pair.metric}`) ? this.errors : 0));
		const latency = this.latencies.summary();
		this.latencies = new LatencyCollector();
		const wallMs = runsWallMs(this.runs, Math.max(this.lastFinished, now));
		let maxInFlight = this.runs.reduce((max, run) => Math.max(max, run.maxInFlight ?? 0), 0);
		if (maxInFlight === 0) maxInFlight = sweepMaxInFlight(this.starts, this.ends);
		const summary: EvalSummary = {
			total,
			completed: this.count,
			errors: this.errors,
			errorsByType: this.errorsByType,
			metrics,
			wallMs,
			samplesPerSecond: wallMs > 0 ? ((this.count - this.cachedCount) * 1000) / wallMs : 0,
			latency,
			strategy,
			maxInFlight,
			speedup: wallMs > 0 ? this.latencySum / wallMs : 0,
			retries: this.retries,
			backoffMs: this.backoffMs,
		};
		const models = this.models.summary(wallMs);
		if (models) summary.models = models;
		const trials = summarizeTrials(this.trialRows, this.trials);
		// Rows of parts where nothing ran past trial 0 have fewer than k trials: incomplete.
		if (trials) summary.trials = { ...trials, incomplete: trials.incomplete + this.singleTrialRows };
		return summary;
	}
}

/**
 * The evaluation's wall time: the union of its runs' intervals. A run spans its measured wall time
 * from its start; one that reported none ends when it finished, or, still going (or killed), at
 * `openEnd` (the last stored sample, or now).
 */
export function runsWallMs(runs: readonly RunRow[], openEnd: number): number {
	return unionLength(runs.map((run) => [run.startedAt, run.wallMs !== null ? run.startedAt + run.wallMs : (run.finishedAt ?? openEnd)]));
}

/** Length of the union of [start, end) intervals. */
export function unionLength(intervals: readonly (readonly [number, number])[]): number {
	const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
	let total = 0;
	let end = -Infinity;
	for (const [a, b] of sorted) {
		if (b <= end) continue;
		total += b - Math.max(a, end);
		end = b;
	}
	return total;
}

/** Most samples whose [started, finished) intervals overlap, for runs that did not report it. */
export function sweepMaxInFlight(startTimes: readonly number[], endTimes: readonly number[]): number {
	const starts = Float64Array.from(startTimes).sort();
	const ends = Float64Array.from(endTimes).sort();
	let inFlight = 0;
	let max = 0;
	// Every end pairs with a start, so ends run out only when a sample's start equals its finish
	// (sub-millisecond samples): then the remaining starts still count (an unguarded ends[j] is
	// undefined, the comparison false, and the loop never ended).
	for (let i = 0, j = 0; i < starts.length;) {
		if (j >= ends.length || starts[i]! < ends[j]!) {
			inFlight++;
			i++;
			max = Math.max(max, inFlight);
		} else {
			inFlight--;
			j++;
		}
	}
	// Samples that all started and finished in the same millisecond were still in flight, one at least.
	return starts.length ? Math.max(max, 1) : 0;
}

export { emptySummaryOf } from '../protocol/events.js';
