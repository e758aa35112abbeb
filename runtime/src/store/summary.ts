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
import { summarizeTrials } from '../metrics/trials.js';
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
	/** Where the pair first appears (sample id, then score position): pairs are reported in that order. */
	first: number;
	metricsJson: string;
}

function metricPairs(db: Database, evaluationId: number): { pairs: Pair[]; layout: Set<string> } {
	const byKey = new Map<string, Pair>();
	const grouped = rows(db, `SELECT sc.name, sc.metrics, count(sc.value), coalesce(sum(sc.value), 0), coalesce(sum(sc.value * sc.value), 0),
			coalesce(min(sc.value = 0 OR sc.value = 1), 1), min(s.id * 65536 + sc.ord)
		FROM samples s JOIN scores sc ON sc.sample_id = s.id
		WHERE s.evaluation_id = ? AND s.error_type IS NULL GROUP BY sc.name, sc.metrics`, [evaluationId]);
	for (const [name, metricsJson, n, sum, sumSquares, binary, first] of grouped) {
		for (const metric of parseMetrics(metricsJson)) {
			const key = `${String(name)}\u0000${metric}`;
			const pair = byKey.get(key);
			if (!pair) {
				byKey.set(key, { score: String(name), metric, first: Number(first), metricsJson: String(metricsJson), moments: { n: Number(n), sum: Number(sum), sumSquares: Number(sumSquares), binary: binary === 1 } });
				continue;
			}
			// The same score with two metric lists: merge, as the accumulator keys by (score, metric).
			pair.moments = { n: pair.moments.n + Number(n), sum: pair.moments.sum + Number(sum), sumSquares: pair.moments.sumSquares + Number(sumSquares), binary: pair.moments.binary && binary === 1 };
			pair.first = Math.min(pair.first, Number(first));
		}
	}
	const layout = new Set<string>();
	const firstSuccess = rows(db, 'SELECT id FROM samples WHERE evaluation_id = ? AND error_type IS NULL ORDER BY id LIMIT 1', [evaluationId])[0]?.[0];
	if (firstSuccess !== undefined) {
		for (const [name, metricsJson] of rows(db, 'SELECT name, metrics FROM scores WHERE sample_id = ? ORDER BY ord', [firstSuccess])) {
			for (const metric of parseMetrics(metricsJson)) layout.add(`${String(name)}\u0000${metric}`);
		}
	}
	return { pairs: [...byKey.values()].sort((a, b) => a.first - b.first), layout };
}

function customValues(db: Database, evaluationId: number, score: string): number[] {
	return rows(db, `SELECT sc.value FROM samples s JOIN scores sc ON sc.sample_id = s.id
		WHERE s.evaluation_id = ? AND s.error_type IS NULL AND sc.name = ? AND sc.value IS NOT NULL ORDER BY s.id, sc.ord`, [evaluationId, score]).map((r) => Number(r[0]));
}

function metricSummary(db: Database, evaluationId: number, pair: Pair, errors: number): MetricSummary {
	const metric = lookupMetric(pair.metric);
	if (metric?.aggregate === 'custom') {
		const values = customValues(db, evaluationId, pair.score);
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

export function summarizeEvaluation(db: Database, evaluationId: number, strategy: StrategyInfo, total: number | null): EvalSummary {
	const [count, errors, retries, backoffMs, latencySum, lastFinished, cachedCount] = (rows(db, `SELECT count(*), coalesce(sum(error_type IS NOT NULL), 0),
			coalesce(sum(max(attempts - 1, 0)), 0), coalesce(sum(backoff_ms), 0), coalesce(sum(CASE WHEN attempts > 0 AND cached = 0 THEN latency_ms END), 0), max(finished_at), coalesce(sum(cached), 0)
		FROM samples WHERE evaluation_id = ?`, [evaluationId])[0] ?? []).map((v) => Number(v ?? 0));
	const errorsByType: Record<string, number> = {};
	for (const [type, n] of rows(db, 'SELECT error_type, count(*) FROM samples WHERE evaluation_id = ? AND error_type IS NOT NULL GROUP BY error_type ORDER BY min(id)', [evaluationId])) {
		errorsByType[String(type) || 'Error'] = Number(n);
	}
	const { pairs, layout } = metricPairs(db, evaluationId);
	const metrics = pairs.map((pair) => metricSummary(db, evaluationId, pair, layout.has(`${pair.score}\u0000${pair.metric}`) ? errors! : 0));
	const latencies = Float64Array.from(rows(db, 'SELECT latency_ms FROM samples WHERE evaluation_id = ? AND attempts > 0 AND cached = 0 AND latency_ms IS NOT NULL', [evaluationId]), (r) => Number(r[0]));

	const runs = runsOf(db, evaluationId);
	const wallMs = Math.max(0, runs.reduce((sum, run) => sum + (run.wallMs ?? Math.max(0, (run.finishedAt ?? Math.max(lastFinished!, Date.now())) - run.startedAt)), 0));
	let maxInFlight = runs.reduce((max, run) => Math.max(max, run.maxInFlight ?? 0), 0);
	if (maxInFlight === 0) maxInFlight = sweepMaxInFlight(db, evaluationId);
	const summary: EvalSummary = {
		total,
		completed: count!,
		errors: errors!,
		errorsByType,
		metrics,
		wallMs,
		samplesPerSecond: wallMs > 0 ? ((count! - cachedCount!) * 1000) / wallMs : 0,
		latency: latencySummary(latencies),
		strategy,
		maxInFlight,
		speedup: wallMs > 0 ? latencySum! / wallMs : 0,
		retries: retries!,
		backoffMs: backoffMs!,
	};
	const models = modelUsage(db, evaluationId, wallMs);
	if (models) summary.models = models;
	const trials = trialsOf(db, evaluationId);
	if (trials) summary.trials = trials;
	return summary;
}

/** pass@k / pass^k over the rows of an evaluation that ran trials (one GROUP BY; nothing when every row ran once). */
function trialsOf(db: Database, evaluationId: number): EvalSummary['trials'] {
	const k = Number(rows(db, 'SELECT max(trial) FROM samples WHERE evaluation_id = ?', [evaluationId])[0]?.[0] ?? 0) + 1;
	if (k < 2) return undefined;
	const tallies = rows(db, `SELECT idx, count(*), coalesce(sum(passed = 1), 0), coalesce(sum(passed IS NOT NULL OR error_type IS NOT NULL), 0)
		FROM samples WHERE evaluation_id = ? GROUP BY idx`, [evaluationId]);
	return summarizeTrials(tallies.map(([index, trials, passed, judged]) => ({ index: Number(index), trials: Number(trials), passed: Number(passed), judged: Number(judged) })), k);
}

/** The model-usage sums, by the same accumulator as the executor's (only samples that made calls). */
function modelUsage(db: Database, evaluationId: number, wallMs: number): EvalSummary['models'] {
	const acc = new ModelUsageAccumulator();
	for (const [json] of rows(db, 'SELECT model_json FROM samples WHERE evaluation_id = ? AND model_json IS NOT NULL', [evaluationId])) {
		const sample = { timing: {} } as SampleInfo;
		addModelColumn(sample, json!);
		acc.add(sample);
	}
	return acc.summary(wallMs);
}

/** Most samples whose [started, finished) intervals overlap, for runs that did not report it. */
function sweepMaxInFlight(db: Database, evaluationId: number): number {
	const spans = rows(db, 'SELECT started_at, finished_at FROM samples WHERE evaluation_id = ? AND started_at IS NOT NULL AND finished_at IS NOT NULL', [evaluationId]);
	const starts = Float64Array.from(spans, (r) => Number(r[0])).sort();
	const ends = Float64Array.from(spans, (r) => Number(r[1])).sort();
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
