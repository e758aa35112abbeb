/**
 * The PostgreSQL store's summary aggregates: the whole evaluation is one part, aggregated by the
 * server, and handed to the SummaryBuilder (store/summaryBuilder.ts), whose rules the embedded store
 * shares.
 */
import type { EvalSummary, StrategyInfo } from '../../protocol/events.js';
import { customScores, SummaryBuilder, type PartAggregates } from '../summaryBuilder.js';
import { runFromRow } from '../rows.js';
import type { Queryable } from './query.js';
import { dbNow } from './schema.js';

async function partAggregates(db: Queryable, id: number, needs: { spans: boolean }): Promise<PartAggregates> {
	const [count, errors, retries, backoffMs, latencySum, lastFinished, maxTrial, cachedCount] = (
		(
			await db.rows(
				`SELECT count(*), count(*) FILTER (WHERE error_type IS NOT NULL),
			coalesce(sum(greatest(attempts - 1, 0)), 0), coalesce(sum(backoff_ms), 0), coalesce(sum(latency_ms) FILTER (WHERE attempts > 0 AND NOT cached), 0), max(finished_at), max(trial),
			count(*) FILTER (WHERE cached)
		FROM doteval.samples WHERE evaluation_id = $1`,
				[id],
			)
		)[0] ?? []
	).map((v) => Number(v ?? 0));
	const scores = (
		await db.rows(
			`SELECT sc.name, sc.metrics, count(sc.value), coalesce(sum(sc.value), 0), coalesce(sum(sc.value * sc.value), 0),
			coalesce(bool_and(sc.value = 0 OR sc.value = 1), true), min(s.id * 65536 + sc.ord)
		FROM doteval.samples s JOIN doteval.scores sc ON sc.sample_id = s.id
		WHERE s.evaluation_id = $1 AND s.error_type IS NULL GROUP BY sc.name, sc.metrics`,
			[id],
		)
	).map(([name, metricsJson, n, sum, sumSquares, binary, first]) => ({
		name: String(name),
		metricsJson: String(metricsJson),
		n: Number(n),
		sum: Number(sum),
		sumSquares: Number(sumSquares),
		binary: binary === true,
		first: Number(first),
	}));
	const customValues = new Map<string, number[]>();
	for (const score of customScores(scores)) {
		customValues.set(
			score,
			(
				await db.rows(
					`SELECT sc.value FROM doteval.samples s JOIN doteval.scores sc ON sc.sample_id = s.id
			WHERE s.evaluation_id = $1 AND s.error_type IS NULL AND sc.name = $2 AND sc.value IS NOT NULL ORDER BY s.id, sc.ord`,
					[id, score],
				)
			).map((r) => Number(r[0])),
		);
	}
	const layout = (
		await db.rows(
			`SELECT name, metrics FROM doteval.scores WHERE sample_id =
		(SELECT id FROM doteval.samples WHERE evaluation_id = $1 AND error_type IS NULL ORDER BY id LIMIT 1) ORDER BY ord`,
			[id],
		)
	).map(([name, metrics]): [string, string] => [String(name), String(metrics)]);
	return {
		count: count!,
		errors: errors!,
		retries: retries!,
		backoffMs: backoffMs!,
		latencySum: latencySum!,
		lastFinished: lastFinished!,
		cachedCount: cachedCount!,
		maxTrial: maxTrial!,
		errorsByType: (
			await db.rows(
				`SELECT error_type, count(*) FROM doteval.samples WHERE evaluation_id = $1 AND error_type IS NOT NULL
			GROUP BY error_type ORDER BY min(id)`,
				[id],
			)
		).map(([type, n]) => [String(type), Number(n)]),
		scores,
		customValues,
		layout: layout.length ? layout : undefined,
		latencies: (
			await db.rows('SELECT latency_ms FROM doteval.samples WHERE evaluation_id = $1 AND attempts > 0 AND NOT cached AND latency_ms IS NOT NULL', [id])
		).map((r) => Number(r[0])),
		spans: needs.spans
			? (
					await db.rows('SELECT started_at, finished_at FROM doteval.samples WHERE evaluation_id = $1 AND started_at IS NOT NULL AND finished_at IS NOT NULL', [
						id,
					])
				).map((r) => [Number(r[0]), Number(r[1])])
			: [],
		modelJson: (await db.rows('SELECT model_json FROM doteval.samples WHERE evaluation_id = $1 AND model_json IS NOT NULL ORDER BY id', [id])).map((r) =>
			String(r[0]),
		),
		trialRows:
			maxTrial === 0
				? []
				: (
						await db.rows(
							`SELECT idx, count(*), count(*) FILTER (WHERE passed), count(*) FILTER (WHERE passed IS NOT NULL OR error_type IS NOT NULL)
			FROM doteval.samples WHERE evaluation_id = $1 GROUP BY idx`,
							[id],
						)
					).map(([index, trials, passed, judged]) => ({ index: Number(index), trials: Number(trials), passed: Number(passed), judged: Number(judged) })),
	};
}

export async function summarizeEvaluation(db: Queryable, evaluationId: number, strategy: StrategyInfo, total: number | null): Promise<EvalSummary> {
	const rows = await db.rows(
		`SELECT status, started_at, finished_at, wall_ms, max_in_flight, ${dbNow} FROM doteval.runs WHERE evaluation_id = $1 ORDER BY started_at`,
		[evaluationId],
	);
	const runs = rows.map(runFromRow);
	// The database's clock ends a run still going: the machines' clocks may disagree.
	const now = rows.length ? Number(rows[0]![5]) : Date.now();
	const builder = new SummaryBuilder(runs);
	builder.add(await partAggregates(db, evaluationId, { spans: builder.needsSpans }));
	return builder.summary(strategy, total, now);
}
