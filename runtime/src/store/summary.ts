/**
 * The embedded store's summary aggregates: one sql.js pass per segment file of an evaluation, handed
 * to the SummaryBuilder (summaryBuilder.ts), whose rules both backends share. SQL aggregates over the
 * numeric columns (streaming 100,000 rows through JS was measured ~5× slower than letting SQLite sum
 * them); only what has no aggregate (latencies for the percentiles, custom metrics' values, spans)
 * comes out row by row.
 */
import type { Database, SqlValue } from 'sql.js';
import type { EvalSummary, StrategyInfo } from '../protocol/events.js';
import { runFromRow } from './rows.js';
import { customScores, SummaryBuilder, type PartAggregates, type RunRow } from './summaryBuilder.js';

export { emptySummaryOf, type RunRow } from './summaryBuilder.js';

const rows = (db: Database, sql: string, params: SqlValue[]): SqlValue[][] => db.exec(sql, params)[0]?.values ?? [];

export function runsOf(db: Database, evaluationId: number): RunRow[] {
	return rows(db, 'SELECT status, started_at, finished_at, wall_ms, max_in_flight FROM runs WHERE evaluation_id = ? ORDER BY started_at', [evaluationId]).map(
		runFromRow,
	);
}

/** One file of an evaluation's samples (a segment), with the evaluation's row id in it. */
export interface SummaryPart {
	db: Database;
	evaluationId: number;
}

/** What one segment file contributes (the layout and spans only when the builder still needs them). */
export function partAggregates({ db, evaluationId: id }: SummaryPart, needs: { layout: boolean; spans: boolean }): PartAggregates {
	const [count, errors, retries, backoffMs, latencySum, lastFinished, cachedCount, maxTrial] = (
		rows(
			db,
			`SELECT count(*), coalesce(sum(error_type IS NOT NULL), 0),
			coalesce(sum(max(attempts - 1, 0)), 0), coalesce(sum(backoff_ms), 0), coalesce(sum(CASE WHEN attempts > 0 AND cached = 0 THEN latency_ms END), 0), max(finished_at), coalesce(sum(cached), 0), max(trial)
		FROM samples WHERE evaluation_id = ?`,
			[id],
		)[0] ?? []
	).map((v) => Number(v ?? 0)) as number[];
	const scores = rows(
		db,
		`SELECT sc.name, sc.metrics, count(sc.value), coalesce(sum(sc.value), 0), coalesce(sum(sc.value * sc.value), 0),
			coalesce(min(sc.value = 0 OR sc.value = 1), 1), min(s.id * 65536 + sc.ord)
		FROM samples s JOIN scores sc ON sc.sample_id = s.id
		WHERE s.evaluation_id = ? AND s.error_type IS NULL GROUP BY sc.name, sc.metrics`,
		[id],
	).map(([name, metricsJson, n, sum, sumSquares, binary, first]) => ({
		name: String(name),
		metricsJson: String(metricsJson),
		n: Number(n),
		sum: Number(sum),
		sumSquares: Number(sumSquares),
		binary: binary === 1,
		first: Number(first),
	}));
	const customValues = new Map<string, number[]>();
	for (const score of customScores(scores)) {
		customValues.set(
			score,
			rows(
				db,
				`SELECT sc.value FROM samples s JOIN scores sc ON sc.sample_id = s.id
			WHERE s.evaluation_id = ? AND s.error_type IS NULL AND sc.name = ? AND sc.value IS NOT NULL ORDER BY s.id, sc.ord`,
				[id, score],
			).map(([value]) => Number(value)),
		);
	}
	let layout: [string, string][] | undefined;
	if (needs.layout) {
		// The score layout is that of the first sample without error (of the first part that has one).
		const firstSuccess = rows(db, 'SELECT id FROM samples WHERE evaluation_id = ? AND error_type IS NULL ORDER BY id LIMIT 1', [id])[0]?.[0];
		if (firstSuccess !== undefined)
			layout = rows(db, 'SELECT name, metrics FROM scores WHERE sample_id = ? ORDER BY ord', [firstSuccess]).map(([name, metrics]) => [
				String(name),
				String(metrics),
			]);
	}
	return {
		count,
		errors,
		retries,
		backoffMs,
		latencySum,
		lastFinished,
		cachedCount,
		maxTrial,
		errorsByType: rows(db, 'SELECT error_type, count(*) FROM samples WHERE evaluation_id = ? AND error_type IS NOT NULL GROUP BY error_type ORDER BY min(id)', [
			id,
		]).map(([type, n]) => [String(type), Number(n)]),
		scores,
		customValues,
		layout,
		latencies: rows(db, 'SELECT latency_ms FROM samples WHERE evaluation_id = ? AND attempts > 0 AND cached = 0 AND latency_ms IS NOT NULL', [id]).map(
			([latency]) => Number(latency),
		),
		spans: needs.spans
			? rows(db, 'SELECT started_at, finished_at FROM samples WHERE evaluation_id = ? AND started_at IS NOT NULL AND finished_at IS NOT NULL', [id]).map(
					([a, b]) => [Number(a), Number(b)],
				)
			: [],
		modelJson: rows(db, 'SELECT model_json FROM samples WHERE evaluation_id = ? AND model_json IS NOT NULL', [id]).map(([json]) => String(json)),
		// pass@k tallies, one GROUP BY per part that ran trials (a part's rows are all in it: segments split by index).
		trialRows:
			maxTrial === 0
				? []
				: rows(
						db,
						`SELECT idx, count(*), coalesce(sum(passed = 1), 0), coalesce(sum(passed IS NOT NULL OR error_type IS NOT NULL), 0)
			FROM samples WHERE evaluation_id = ? GROUP BY idx`,
						[id],
					).map(([index, trials, passed, judged]) => ({ index: Number(index), trials: Number(trials), passed: Number(passed), judged: Number(judged) })),
	};
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
	const builder = new SummaryBuilder(runs);
	for (const part of parts) builder.add(partAggregates(part, { layout: builder.needsLayout, spans: builder.needsSpans }));
	return builder.summary(strategy, total, Date.now());
}
