/** Turning stored rows back into the read model's shapes. */
import type { SqlValue } from 'sql.js';
import type { EvalStatus, ScoreRecord, StrategyInfo } from '../protocol/events.js';
import type { EvaluationInfo, ExperimentInfo, SampleInfo } from './types.js';
import type { RunRow } from './summaryBuilder.js';
import { addModelColumn } from './modelColumns.js';

const metricsCache = new Map<string, string[]>();

export function parseMetrics(text: SqlValue): string[] {
	const key = String(text ?? '[]');
	let metrics = metricsCache.get(key);
	if (!metrics) {
		metrics = JSON.parse(key) as string[];
		if (metricsCache.size < 1000) metricsCache.set(key, metrics);
	}
	return metrics;
}

export function scoreValue(value: SqlValue, json: SqlValue): ScoreRecord['value'] {
	if (json === null) return value === null ? null : Number(value);
	if (json === 'true') return true;
	if (json === 'false') return false;
	return JSON.parse(String(json)) as ScoreRecord['value'];
}

export const sampleColumns = `s.id, s.idx, s.row_json, s.prompt, s.model_response, s.error_type, s.error_message, s.error_stack, s.passed, s.attempts,
	s.backoff_ms, s.queued_at, s.started_at, s.finished_at, s.queue_ms, s.latency_ms, s.metadata_json, s.model_json, s.trial, s.output`;

export function sampleFromRow(r: SqlValue[], scores: ScoreRecord[]): SampleInfo {
	const num = (v: SqlValue): number => (v === null ? 0 : Number(v));
	const sample: SampleInfo = {
		index: Number(r[1]),
		row: JSON.parse(String(r[2])) as Record<string, unknown>,
		prompt: r[3] === null ? null : String(r[3]),
		modelResponse: r[4] === null ? null : String(r[4]),
		scores,
		error: r[5] === null ? null : { type: String(r[5]), message: String(r[6] ?? ''), ...(r[7] === null ? {} : { stack: String(r[7]) }) },
		passed: r[8] === null ? null : r[8] === 1,
		attempts: num(r[9]),
		timing: { backoffMs: num(r[10]), queuedAt: num(r[11]), startedAt: num(r[12]), finishedAt: num(r[13]), queueMs: num(r[14]), latencyMs: num(r[15]) },
	};
	if (r[16] !== null) sample.metadata = JSON.parse(String(r[16])) as Record<string, unknown>;
	if (r[17] !== null && r[17] !== undefined) addModelColumn(sample, r[17]);
	const trial = Number(r[18] ?? 0);
	if (trial > 0) sample.trial = trial;
	if (r[19] !== null && r[19] !== undefined) sample.output = String(r[19]);
	return sample;
}

export function scoreFromRow(name: SqlValue, value: SqlValue, json: SqlValue, passed: SqlValue, metrics: SqlValue, metadata: SqlValue): ScoreRecord {
	const score: ScoreRecord = {
		name: String(name),
		value: scoreValue(value, json),
		metrics: parseMetrics(metrics),
		passed: passed === null ? null : passed === 1,
	};
	if (metadata !== null) score.metadata = JSON.parse(String(metadata)) as Record<string, unknown>;
	return score;
}

// The mappers below serve both backends (sql.js rows, and PostgreSQL's in array mode): sql.js gives
// booleans as 0/1, PostgreSQL as true/false.
type Cell = unknown;
const flag = (v: Cell): boolean => v === 1 || v === true;
const numberOrNull = (v: Cell): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: Cell): string | null => (v === null || v === undefined ? null : String(v));

/** A run from `status, started_at, finished_at, wall_ms, max_in_flight`. */
export function runFromRow([status, startedAt, finishedAt, wallMs, maxInFlight]: readonly Cell[]): RunRow {
	return {
		status: String(status),
		startedAt: Number(startedAt),
		finishedAt: numberOrNull(finishedAt),
		wallMs: numberOrNull(wallMs),
		maxInFlight: numberOrNull(maxInFlight),
	};
}

/** An experiment from `name, ephemeral, created_at, updated_at, evaluation count, running, interrupted, failed` (the last three: counts of evaluations). */
/**
 * The experiments with their evaluation counts and states, newest first, whose name is LIKE the
 * one parameter (`%text%`, escaped with \\): the rows of experimentFromRow. The reader lists with
 * it, and each checkpoint writes its rows into the listing (listing.ts).
 */
export const experimentListSql = `SELECT x.name, x.ephemeral, x.created_at,
	max(coalesce(e.finished_at, e.started_at, x.created_at)), count(e.id),
	sum(e.status = 'running'), sum(e.status = 'interrupted'), sum(e.status = 'failed')
	FROM experiments x LEFT JOIN evaluations e ON e.experiment_id = x.id
	WHERE x.name LIKE ? ESCAPE '\\' GROUP BY x.id ORDER BY 4 DESC`;

export function experimentFromRow([name, ephemeral, createdAt, updatedAt, count, running, interrupted, failed]: readonly Cell[]): ExperimentInfo {
	return {
		name: String(name),
		ephemeral: flag(ephemeral),
		createdAt: Number(createdAt),
		updatedAt: Number(updatedAt),
		evaluationCount: Number(count),
		status: Number(running) > 0 ? 'running' : Number(interrupted) > 0 ? 'interrupted' : Number(failed) > 0 ? 'failed' : 'completed',
	};
}

/** An evaluation row without its summary, which each backend gets its own way (`key`: the row id). */
export interface EvaluationRow {
	key: number;
	total: number | null;
	info: Omit<EvaluationInfo, 'summary'>;
}

/**
 * An evaluation from `experiment name, id, eval_id, name, file, status, started_at, finished_at,
 * git_commit, runtime_version, strategy_json, dataset_fingerprint, total` (further columns ignored).
 */
export function evaluationFromRow(r: readonly Cell[]): EvaluationRow {
	return {
		key: Number(r[1]),
		total: numberOrNull(r[12]),
		info: {
			experiment: String(r[0]),
			evalId: String(r[2]),
			name: String(r[3]),
			file: String(r[4]),
			status: String(r[5]) as EvalStatus,
			startedAt: Number(r[6]),
			finishedAt: numberOrNull(r[7]),
			gitCommit: textOrNull(r[8]),
			runtimeVersion: String(r[9]),
			strategy: JSON.parse(String(r[10])) as StrategyInfo,
			datasetFingerprint: textOrNull(r[11]),
		},
	};
}

/** Scores by sample id from `sample_id, name, value, value_json, passed, metrics, metadata_json` rows (ordered by sample, then position). */
export function scoresBySample(rows: readonly (readonly Cell[])[]): Map<number, ScoreRecord[]> {
	const scores = new Map<number, ScoreRecord[]>();
	for (const [id, name, value, json, passed, metrics, metadata] of rows) {
		const list = scores.get(Number(id)) ?? [];
		const passedCell = passed === null || passed === undefined ? null : flag(passed) ? 1 : 0;
		list.push(scoreFromRow(name as SqlValue, value as SqlValue, json as SqlValue, passedCell, metrics as SqlValue, metadata as SqlValue));
		scores.set(Number(id), list);
	}
	return scores;
}
