/**
 * An evaluation's EvalSummary from its stored samples (all runs of it in the experiment), computed
 * with SQL aggregates over the numeric columns (streaming 100,000 rows through JS was measured ~5×
 * slower than letting SQLite sum them). It follows the same rules as the executor's
 * SummaryAccumulator (metrics/summarize.ts), which a test checks on the same samples:
 *  - the score layout (score names and metrics) is that of the first sample without error, and every
 *    errored sample counts as 0 for each pair of that layout; `valueExcludingErrors` leaves them out;
 *  - 0/1 series get a Wilson interval, other means a Student t interval;
 *  - custom metrics (metric(name, fn)) get their own function over all values.
 */
import type { Database, SqlValue } from 'sql.js';
import type { EvalSummary, MetricSummary, StrategyInfo } from '../protocol/events.js';
import { estimateMean, latencySummary, lookupMetric, type Moments } from '../metrics/index.js';
import { parseMetrics } from './rows.js';
import { addModelColumn } from './modelColumns.js';
import { ModelUsageAccumulator } from '../metrics/modelUsage.js';
import type { SampleInfo } from './types.js';

export interface RunRow {
	status: string;
	startedAt: number;
	finishedAt: number | null;
	wallMs: number | null;
	maxInFlight: number | null;
}

const rows = (db: Database, sql: string, params: SqlValue[]): SqlValue[][] => db.exec(sql, params)[0]?.values ?? [];

export function runsOf(db: Database, evaluationId: number): RunRow[] {
	return rows(db, 'SELECT status, started_at, finished_at, wall_ms, max_in_flight FROM runs WHERE evaluation_id = ? ORDER BY started_at', [evaluationId])
		.map(([status, startedAt, finishedAt, wallMs, maxInFlight]) => ({
			status: String(status),
			startedAt: Number(startedAt),
			finishedAt: finishedAt === null ? null : Number(finishedAt),
			wallMs: wallMs === null ? null : Number(wallMs),
			maxInFlight: maxInFlight === null ? null : Number(maxInFlight),
		}));
}

interface Pair {
	score: string;
	metric: string;
	moments: Moments;
	/** Where the pair first appears (part, sample id, then score position): pairs are reported in that order. */
	first: number;
	metricsJson: string;
}

/** One file of an evaluation's samples (a segment), with the evaluation's row id in it. */
export interface SummaryPart {
	db: Database;
	evaluationId: number;
}

/** Sample ids of one file stay below 2^24 · 65536 (score positions); parts are ordered above that. */
const partStride = 2 ** 40;

/**
 * Aggregates of an evaluation gathered one part (segment file) at a time, so that summarizing a
 * million samples never needs them all in one database: sums and counts add up, first appearances
 * keep part order, and only the numbers that have no sketch (latencies for the percentiles, values of
 * custom metrics, in-flight spans) are kept, as plain numbers.
 */
class SummaryAccumulator {
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
	private latencies: number[] = [];
	private readonly starts: number[] = [];
	private readonly ends: number[] = [];
	private readonly models = new ModelUsageAccumulator();
	private parts = 0;

	constructor(private readonly sweep: boolean) {}

	add({ db, evaluationId }: SummaryPart): void {
		const part = this.parts++;
		const [count, errors, retries, backoffMs, latencySum, lastFinished, cachedCount] = (rows(db, `SELECT count(*), coalesce(sum(error_type IS NOT NULL), 0),
				coalesce(sum(max(attempts - 1, 0)), 0), coalesce(sum(backoff_ms), 0), coalesce(sum(CASE WHEN attempts > 0 AND cached = 0 THEN latency_ms END), 0), max(finished_at), coalesce(sum(cached), 0)
			FROM samples WHERE evaluation_id = ?`, [evaluationId])[0] ?? []).map((v) => Number(v ?? 0));
		this.count += count!;
		this.errors += errors!;
		this.retries += retries!;
		this.backoffMs += backoffMs!;
		this.latencySum += latencySum!;
		this.lastFinished = Math.max(this.lastFinished, lastFinished!);
		this.cachedCount += cachedCount!;
		for (const [type, n] of rows(db, 'SELECT error_type, count(*) FROM samples WHERE evaluation_id = ? AND error_type IS NOT NULL GROUP BY error_type ORDER BY min(id)', [evaluationId])) {
			const key = String(type) || 'Error';
			this.errorsByType[key] = (this.errorsByType[key] ?? 0) + Number(n);
		}
		this.addPairs(db, evaluationId, part);
		for (const [latency] of rows(db, 'SELECT latency_ms FROM samples WHERE evaluation_id = ? AND attempts > 0 AND cached = 0 AND latency_ms IS NOT NULL', [evaluationId])) this.latencies.push(Number(latency));
		if (this.sweep) {
			for (const [started, finished] of rows(db, 'SELECT started_at, finished_at FROM samples WHERE evaluation_id = ? AND started_at IS NOT NULL AND finished_at IS NOT NULL', [evaluationId])) {
				this.starts.push(Number(started));
				this.ends.push(Number(finished));
			}
		}
		for (const [json] of rows(db, 'SELECT model_json FROM samples WHERE evaluation_id = ? AND model_json IS NOT NULL', [evaluationId])) {
			const sample = { timing: {} } as SampleInfo;
			addModelColumn(sample, json!);
			this.models.add(sample);
		}
	}

	private addPairs(db: Database, evaluationId: number, part: number): void {
		const grouped = rows(db, `SELECT sc.name, sc.metrics, count(sc.value), coalesce(sum(sc.value), 0), coalesce(sum(sc.value * sc.value), 0),
				coalesce(min(sc.value = 0 OR sc.value = 1), 1), min(s.id * 65536 + sc.ord)
			FROM samples s JOIN scores sc ON sc.sample_id = s.id
			WHERE s.evaluation_id = ? AND s.error_type IS NULL GROUP BY sc.name, sc.metrics`, [evaluationId]);
		const customScores = new Set<string>();
		for (const [name, metricsJson, n, sum, sumSquares, binary, firstInPart] of grouped) {
			const first = part * partStride + Number(firstInPart);
			for (const metric of parseMetrics(metricsJson)) {
				if (lookupMetric(metric)?.aggregate === 'custom') customScores.add(String(name));
				const key = `${String(name)}\u0000${metric}`;
				const pair = this.pairs.get(key);
				if (!pair) {
					this.pairs.set(key, { score: String(name), metric, first, metricsJson: String(metricsJson), moments: { n: Number(n), sum: Number(sum), sumSquares: Number(sumSquares), binary: binary === 1 } });
					continue;
				}
				// The same score with two metric lists (or in two parts): merge, as the accumulator keys by (score, metric).
				pair.moments = { n: pair.moments.n + Number(n), sum: pair.moments.sum + Number(sum), sumSquares: pair.moments.sumSquares + Number(sumSquares), binary: pair.moments.binary && binary === 1 };
				pair.first = Math.min(pair.first, first);
			}
		}
		for (const score of customScores) {
			const values = this.custom.get(score) ?? [];
			for (const [value] of rows(db, `SELECT sc.value FROM samples s JOIN scores sc ON sc.sample_id = s.id
				WHERE s.evaluation_id = ? AND s.error_type IS NULL AND sc.name = ? AND sc.value IS NOT NULL ORDER BY s.id, sc.ord`, [evaluationId, score])) values.push(Number(value));
			this.custom.set(score, values);
		}
		if (this.layout) return;
		// The score layout is that of the first sample without error (of the first part that has one).
		const firstSuccess = rows(db, 'SELECT id FROM samples WHERE evaluation_id = ? AND error_type IS NULL ORDER BY id LIMIT 1', [evaluationId])[0]?.[0];
		if (firstSuccess === undefined) return;
		this.layout = new Set();
		for (const [name, metricsJson] of rows(db, 'SELECT name, metrics FROM scores WHERE sample_id = ? ORDER BY ord', [firstSuccess])) {
			for (const metric of parseMetrics(metricsJson)) this.layout.add(`${String(name)}\u0000${metric}`);
		}
	}

	private metricSummary(pair: Pair, errors: number): MetricSummary {
		const metric = lookupMetric(pair.metric);
		if (metric?.aggregate === 'custom') {
			const values = this.custom.get(pair.score) ?? [];
			const result: MetricSummary = { score: pair.score, metric: pair.metric, value: metric(errors > 0 ? values.concat(new Array<number>(errors).fill(0)) : values) };
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

	summary(runs: RunRow[], strategy: StrategyInfo, total: number | null): EvalSummary {
		const pairs = [...this.pairs.values()].sort((a, b) => a.first - b.first);
		const metrics = pairs.map((pair) => this.metricSummary(pair, this.layout?.has(`${pair.score}\u0000${pair.metric}`) ? this.errors : 0));
		const latencies = Float64Array.from(this.latencies);
		this.latencies = [];
		const wallMs = Math.max(0, runs.reduce((sum, run) => sum + (run.wallMs ?? Math.max(0, (run.finishedAt ?? Math.max(this.lastFinished, Date.now())) - run.startedAt)), 0));
		let maxInFlight = runs.reduce((max, run) => Math.max(max, run.maxInFlight ?? 0), 0);
		if (maxInFlight === 0) maxInFlight = sweepMaxInFlight(this.starts, this.ends);
		const summary: EvalSummary = {
			total,
			completed: this.count,
			errors: this.errors,
			errorsByType: this.errorsByType,
			metrics,
			wallMs,
			samplesPerSecond: wallMs > 0 ? ((this.count - this.cachedCount) * 1000) / wallMs : 0,
			latency: latencySummary(latencies),
			strategy,
			maxInFlight,
			speedup: wallMs > 0 ? this.latencySum / wallMs : 0,
			retries: this.retries,
			backoffMs: this.backoffMs,
		};
		const models = this.models.summary(wallMs);
		if (models) summary.models = models;
		return summary;
	}
}

export function summarizeEvaluation(db: Database, evaluationId: number, strategy: StrategyInfo, total: number | null): EvalSummary {
	return summarizeParts([{ db, evaluationId }], runsOf(db, evaluationId), strategy, total);
}

/**
 * The summary of an evaluation whose samples are in several files (sealed segments), each visited
 * once and in index order: `parts` may open a file when asked for the next and close it after.
 * `runs` are the evaluation's runs (from the catalog).
 */
export function summarizeParts(parts: Iterable<SummaryPart>, runs: RunRow[], strategy: StrategyInfo, total: number | null): EvalSummary {
	// Runs that did not report their peak concurrency: computed from the samples' spans instead.
	const accumulator = new SummaryAccumulator(runs.every((run) => !run.maxInFlight));
	for (const part of parts) accumulator.add(part);
	return accumulator.summary(runs, strategy, total);
}

/** Most samples whose [started, finished) intervals overlap, for runs that did not report it. */
function sweepMaxInFlight(startTimes: number[], endTimes: number[]): number {
	const starts = Float64Array.from(startTimes).sort();
	const ends = Float64Array.from(endTimes).sort();
	let inFlight = 0;
	let max = 0;
	// Every end pairs with a start, so ends run out only when a sample's start equals its finish
	// (sub-millisecond samples): then the remaining starts still count (an unguarded ends[j] is
	// undefined, the comparison false, and the loop never ended).
	for (let i = 0, j = 0; i < starts.length; ) {
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

/** The summary of an evaluation with no stored sample yet. */
export function emptySummaryOf(strategy: StrategyInfo, total: number | null): EvalSummary {
	return {
		total, completed: 0, errors: 0, errorsByType: {}, metrics: [], wallMs: 0, samplesPerSecond: 0, latency: null,
		strategy, maxInFlight: 0, speedup: 0, retries: 0, backoffMs: 0,
	};
}
