/** Turning stored rows back into the read model's shapes. */
import type { SqlValue } from 'sql.js';
import type { ScoreRecord } from '../protocol/events.js';
import type { SampleInfo } from './types.js';
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
	const score: ScoreRecord = { name: String(name), value: scoreValue(value, json), metrics: parseMetrics(metrics), passed: passed === null ? null : passed === 1 };
	if (metadata !== null) score.metadata = JSON.parse(String(metadata)) as Record<string, unknown>;
	return score;
}
