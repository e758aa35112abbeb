/**
 * An evaluation's EvalSummary from its stored samples (all runs of it in the experiment), through
 * the same SummaryAccumulator the executor uses live, so `show` and the live reporter agree. Samples
 * are streamed from SQLite one row at a time (no array of 100,000 objects).
 */
import type { Database } from 'sql.js';
import type { EvalSummary, ScoreRecord, StrategyInfo } from '../protocol/events.js';
import { SummaryAccumulator, type SummarizableSample } from '../metrics/index.js';
import { scoreValue, parseMetrics } from './rows.js';

export interface RunRow {
	status: string;
	startedAt: number;
	finishedAt: number | null;
	wallMs: number | null;
	maxInFlight: number | null;
}

export function runsOf(db: Database, evaluationId: number): RunRow[] {
	const result = db.exec('SELECT status, started_at, finished_at, wall_ms, max_in_flight FROM runs WHERE evaluation_id = ? ORDER BY started_at', [evaluationId]);
	return (result[0]?.values ?? []).map(([status, startedAt, finishedAt, wallMs, maxInFlight]) => ({
		status: String(status),
		startedAt: Number(startedAt),
		finishedAt: finishedAt === null ? null : Number(finishedAt),
		wallMs: wallMs === null ? null : Number(wallMs),
		maxInFlight: maxInFlight === null ? null : Number(maxInFlight),
	}));
}

export function summarizeEvaluation(db: Database, evaluationId: number, strategy: StrategyInfo, total: number | null): EvalSummary {
	const accumulator = new SummaryAccumulator();
	const statement = db.prepare(`SELECT s.id, s.error_type, s.attempts, s.backoff_ms, s.latency_ms, sc.name, sc.value, sc.value_json, sc.metrics, sc.passed
		FROM samples s LEFT JOIN scores sc ON sc.sample_id = s.id WHERE s.evaluation_id = ? ORDER BY s.id, sc.ord`);
	let lastFinished = 0;
	try {
		statement.bind([evaluationId]);
		let current: (SummarizableSample & { id: number }) | undefined;
		while (statement.step()) {
			const [id, errorType, attempts, backoffMs, latencyMs, name, value, valueJson, metrics, passed] = statement.get();
			if (!current || current.id !== id) {
				if (current) accumulator.add(current);
				current = {
					id: Number(id),
					error: errorType === null ? null : { type: String(errorType), message: '' },
					attempts: Number(attempts),
					scores: [],
					timing: { queuedAt: 0, startedAt: 0, finishedAt: 0, queueMs: 0, backoffMs: Number(backoffMs), latencyMs: latencyMs === null ? 0 : Number(latencyMs) },
				};
			}
			if (name !== null) {
				const score: ScoreRecord = { name: String(name), value: scoreValue(value, valueJson), metrics: parseMetrics(metrics), passed: passed === null ? null : passed === 1 };
				current.scores.push(score);
			}
		}
		if (current) accumulator.add(current);
	} finally {
		statement.free();
	}
	const runs = runsOf(db, evaluationId);
	if (runs.some((run) => run.finishedAt === null)) {
		lastFinished = Number(db.exec('SELECT max(finished_at) FROM samples WHERE evaluation_id = ?', [evaluationId])[0]?.values[0]?.[0] ?? 0);
	}
	const wallMs = runs.reduce((sum, run) => sum + (run.wallMs ?? Math.max(0, (run.finishedAt ?? Math.max(lastFinished, Date.now())) - run.startedAt)), 0);
	let maxInFlight = runs.reduce((max, run) => Math.max(max, run.maxInFlight ?? 0), 0);
	if (maxInFlight === 0) maxInFlight = sweepMaxInFlight(db, evaluationId);
	return accumulator.summary({ total, wallMs, strategy, maxInFlight });
}

/** Most samples whose [started, finished) intervals overlap, for runs that did not report it. */
function sweepMaxInFlight(db: Database, evaluationId: number): number {
	const rows = db.exec('SELECT started_at, finished_at FROM samples WHERE evaluation_id = ? AND started_at IS NOT NULL AND finished_at IS NOT NULL', [evaluationId])[0]?.values ?? [];
	const starts = Float64Array.from(rows, (r) => Number(r[0])).sort();
	const ends = Float64Array.from(rows, (r) => Number(r[1])).sort();
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
