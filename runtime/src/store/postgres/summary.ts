/**
 * An evaluation's EvalSummary from its stored samples, with aggregates computed by PostgreSQL. The
 * rules are those of the embedded store (store/summary.ts) and of the executor's accumulator:
 *  - the score layout is that of the first sample without error; errored samples count as 0 for each
 *    pair of that layout, and `valueExcludingErrors` leaves them out;
 *  - 0/1 series get a Wilson interval, other means a Student t interval; custom metrics get their
 *    own function over all values.
 * One difference: runs of one evaluation may overlap here (shards, joined workers on many machines),
 * so its wall time is the union of its runs' intervals rather than their sum.
 */
import type { EvalSummary, MetricSummary, StrategyInfo } from '../../protocol/events.js';
import { estimateMean, latencySummary, lookupMetric, type Moments } from '../../metrics/index.js';
import { parseMetrics } from '../rows.js';
import { summarizeTrials } from '../../metrics/trials.js';
import type { Queryable } from './query.js';
import { dbNow } from './schema.js';

interface Pair {
	score: string;
	metric: string;
	moments: Moments;
	first: number;
}

async function metricPairs(db: Queryable, evaluationId: number): Promise<{ pairs: Pair[]; layout: Set<string> }> {
	const byKey = new Map<string, Pair>();
	const grouped = await db.rows(`SELECT sc.name, sc.metrics, count(sc.value), coalesce(sum(sc.value), 0), coalesce(sum(sc.value * sc.value), 0),
			coalesce(bool_and(sc.value = 0 OR sc.value = 1), true), min(s.id * 65536 + sc.ord)
		FROM doteval.samples s JOIN doteval.scores sc ON sc.sample_id = s.id
		WHERE s.evaluation_id = $1 AND s.error_type IS NULL GROUP BY sc.name, sc.metrics`, [evaluationId]);
	for (const [name, metricsJson, n, sum, sumSquares, binary, first] of grouped) {
		for (const metric of parseMetrics(metricsJson as string)) {
			const key = `${String(name)}\u0000${metric}`;
			const moments = { n: Number(n), sum: Number(sum), sumSquares: Number(sumSquares), binary: binary === true };
			const pair = byKey.get(key);
			if (!pair) {
				byKey.set(key, { score: String(name), metric, first: Number(first), moments });
				continue;
			}
			pair.moments = { n: pair.moments.n + moments.n, sum: pair.moments.sum + moments.sum, sumSquares: pair.moments.sumSquares + moments.sumSquares, binary: pair.moments.binary && moments.binary };
			pair.first = Math.min(pair.first, Number(first));
		}
	}
	const layout = new Set<string>();
	const firstLayout = await db.rows(`SELECT name, metrics FROM doteval.scores WHERE sample_id =
		(SELECT id FROM doteval.samples WHERE evaluation_id = $1 AND error_type IS NULL ORDER BY id LIMIT 1) ORDER BY ord`, [evaluationId]);
	for (const [name, metricsJson] of firstLayout) {
		for (const metric of parseMetrics(metricsJson as string)) layout.add(`${String(name)}\u0000${metric}`);
	}
	return { pairs: [...byKey.values()].sort((a, b) => a.first - b.first), layout };
}

async function metricSummary(db: Queryable, evaluationId: number, pair: Pair, errors: number): Promise<MetricSummary> {
	const metric = lookupMetric(pair.metric);
	if (metric?.aggregate === 'custom') {
		const values = (await db.rows(`SELECT sc.value FROM doteval.samples s JOIN doteval.scores sc ON sc.sample_id = s.id
			WHERE s.evaluation_id = $1 AND s.error_type IS NULL AND sc.name = $2 AND sc.value IS NOT NULL ORDER BY s.id, sc.ord`, [evaluationId, pair.score])).map((r) => Number(r[0]));
		const result: MetricSummary = { score: pair.score, metric: pair.metric, value: metric(errors > 0 ? values.concat(new Array<number>(errors).fill(0)) : values) };
		if (errors > 0) result.valueExcludingErrors = metric(values);
		return result;
	}
	const estimate = estimateMean({ ...pair.moments, n: pair.moments.n + errors });
	const result: MetricSummary = { score: pair.score, metric: pair.metric, value: estimate.value };
	if (estimate.stderr !== undefined) result.stderr = estimate.stderr;
	if (estimate.ci95) result.ci95 = estimate.ci95;
	if (errors > 0) result.valueExcludingErrors = estimateMean(pair.moments).value;
	return result;
}

/** Length of the union of [start, end) intervals. */
export function unionLength(intervals: [number, number][]): number {
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

export async function summarizeEvaluation(db: Queryable, evaluationId: number, strategy: StrategyInfo, total: number | null): Promise<EvalSummary> {
	const [count, errors, retries, backoffMs, latencySum, lastFinished] = ((await db.rows(`SELECT count(*), count(*) FILTER (WHERE error_type IS NOT NULL),
			coalesce(sum(greatest(attempts - 1, 0)), 0), coalesce(sum(backoff_ms), 0), coalesce(sum(latency_ms) FILTER (WHERE attempts > 0), 0), max(finished_at)
		FROM doteval.samples WHERE evaluation_id = $1`, [evaluationId]))[0] ?? []).map((v) => Number(v ?? 0)) as number[];
	const errorsByType: Record<string, number> = {};
	for (const [type, n] of await db.rows(`SELECT error_type, count(*) FROM doteval.samples WHERE evaluation_id = $1 AND error_type IS NOT NULL
		GROUP BY error_type ORDER BY min(id)`, [evaluationId])) {
		errorsByType[String(type) || 'Error'] = Number(n);
	}
	const { pairs, layout } = await metricPairs(db, evaluationId);
	const metrics: MetricSummary[] = [];
	for (const pair of pairs) metrics.push(await metricSummary(db, evaluationId, pair, layout.has(`${pair.score}\u0000${pair.metric}`) ? errors! : 0));
	const latencies = Float64Array.from(await db.rows('SELECT latency_ms FROM doteval.samples WHERE evaluation_id = $1 AND attempts > 0 AND latency_ms IS NOT NULL', [evaluationId]), (r) => Number(r[0]));

	const runs = await db.rows(`SELECT started_at, finished_at, wall_ms, coalesce(max_in_flight, 0), ${dbNow} FROM doteval.runs WHERE evaluation_id = $1`, [evaluationId]);
	const wallMs = unionLength(runs.map(([startedAt, finishedAt, wall, , now]) => {
		const start = Number(startedAt);
		const end = wall !== null ? start + Number(wall) : finishedAt !== null ? Number(finishedAt) : Math.max(lastFinished!, Number(now));
		return [start, end];
	}));
	let maxInFlight = runs.reduce((max, r) => Math.max(max, Number(r[3])), 0);
	if (maxInFlight === 0) maxInFlight = await sweepMaxInFlight(db, evaluationId);
	const trials = await trialsOf(db, evaluationId);
	return {
		...(trials ? { trials } : {}),
		total,
		completed: count!,
		errors: errors!,
		errorsByType,
		metrics,
		wallMs,
		samplesPerSecond: wallMs > 0 ? (count! * 1000) / wallMs : 0,
		latency: latencySummary(latencies),
		strategy,
		maxInFlight,
		speedup: wallMs > 0 ? latencySum! / wallMs : 0,
		retries: retries!,
		backoffMs: backoffMs!,
	};
}

/** pass@k / pass^k over the rows of an evaluation that ran trials (nothing when every row ran once). */
async function trialsOf(db: Queryable, evaluationId: number): Promise<EvalSummary['trials']> {
	const k = Number((await db.rows('SELECT max(trial) FROM doteval.samples WHERE evaluation_id = $1', [evaluationId]))[0]?.[0] ?? 0) + 1;
	if (k < 2) return undefined;
	const tallies = await db.rows(`SELECT idx, count(*), count(*) FILTER (WHERE passed), count(*) FILTER (WHERE passed IS NOT NULL OR error_type IS NOT NULL)
		FROM doteval.samples WHERE evaluation_id = $1 GROUP BY idx`, [evaluationId]);
	return summarizeTrials(tallies.map(([index, trials, passed, judged]) => ({ index: Number(index), trials: Number(trials), passed: Number(passed), judged: Number(judged) })), k);
}

async function sweepMaxInFlight(db: Queryable, evaluationId: number): Promise<number> {
	const spans = await db.rows('SELECT started_at, finished_at FROM doteval.samples WHERE evaluation_id = $1 AND started_at IS NOT NULL AND finished_at IS NOT NULL', [evaluationId]);
	const starts = Float64Array.from(spans, (r) => Number(r[0])).sort();
	const ends = Float64Array.from(spans, (r) => Number(r[1])).sort();
	let inFlight = 0;
	let max = 0;
	for (let i = 0, j = 0; i < starts.length; ) {
		if (starts[i]! < ends[j]!) {
			inFlight++;
			i++;
			max = Math.max(max, inFlight);
		} else {
			inFlight--;
			j++;
		}
	}
	return max;
}
