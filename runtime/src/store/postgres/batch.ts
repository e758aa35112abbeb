/**
 * A batch of samples as column arrays for `INSERT … SELECT FROM unnest(…)`: one statement and one
 * round trip per batch whatever its size, every value a parameter.
 */
import type { ScoreRecord } from '../../protocol/events.js';
import type { SampleInfo } from '../types.js';
import { modelColumns } from '../modelColumns.js';

interface Pending {
	evaluationId: number;
	sample: SampleInfo;
	/** `--rerun`: replaces a stored sample that finished earlier, even a completed one. */
	replace?: boolean;
}

const sampleColumns = [
	'evaluation_id',
	'idx',
	'row_json',
	'prompt',
	'model_response',
	'error_type',
	'error_message',
	'error_stack',
	'passed',
	'attempts',
	'backoff_ms',
	'queued_at',
	'started_at',
	'finished_at',
	'queue_ms',
	'latency_ms',
	'metadata_json',
	'model_json',
	'cached',
	'output',
	'trial',
];
const sampleTypes = [
	'bigint',
	'int',
	'text',
	'text',
	'text',
	'text',
	'text',
	'text',
	'boolean',
	'int',
	'float8',
	'float8',
	'float8',
	'float8',
	'float8',
	'float8',
	'text',
	'text',
	'boolean',
	'text',
	'int',
];

const upsertSamples = (replaceWhen: string) => `INSERT INTO doteval.samples (${sampleColumns.join(', ')})
	SELECT * FROM unnest(${sampleTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
	ON CONFLICT (evaluation_id, idx, trial) DO UPDATE SET ${sampleColumns
		.slice(2, -1)
		.map((c) => `${c} = EXCLUDED.${c}`)
		.join(', ')}
	WHERE ${replaceWhen}
	RETURNING id, evaluation_id, idx, trial`;

/** A sample's key within a batch: evaluation, index and trial. */
export const pendingKey = (evaluationId: number, index: number, trial: number | undefined): string => `${evaluationId}:${index}:${trial ?? 0}`;

/** Stored before: a success is final; an error gives way to this later attempt. Returns the rows written. */
export const insertSamples = upsertSamples('doteval.samples.error_type IS NOT NULL');

/** `--rerun`: also a completed sample gives way, when it finished before this one (a replayed batch never undoes a newer one). */
export const replaceSamples = upsertSamples(`doteval.samples.error_type IS NOT NULL
	OR doteval.samples.finished_at IS NULL OR EXCLUDED.finished_at > doteval.samples.finished_at`);

export const insertScores = `INSERT INTO doteval.scores (sample_id, ord, name, value, value_json, passed, metrics, metadata_json)
	SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::float8[], $5::text[], $6::boolean[], $7::text[], $8::text[])`;

/** PostgreSQL text cannot hold NUL characters: they become U+FFFD (JSON columns escape them instead). */
const text = (v: string | null | undefined): string | null =>
	v === null || v === undefined ? null : v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v;

const finite = (v: number | undefined | null): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function sampleParams(batch: Pending[]): unknown[][] {
	const columns: unknown[][] = sampleColumns.map(() => []);
	for (const { evaluationId, sample: s } of batch) {
		const t = s.timing;
		const [modelJson, cached] = modelColumns(s);
		const values = [
			evaluationId,
			s.index,
			JSON.stringify(s.row ?? {}),
			text(s.prompt),
			text(s.modelResponse),
			text(s.error?.type),
			s.error ? (text(s.error.message) ?? '') : null,
			text(s.error?.stack),
			s.passed === null || s.passed === undefined ? null : s.passed,
			s.attempts ?? 1,
			finite(t?.backoffMs) ?? 0,
			finite(t?.queuedAt),
			finite(t?.startedAt),
			finite(t?.finishedAt),
			finite(t?.queueMs),
			finite(t?.latencyMs),
			s.metadata && Object.keys(s.metadata).length ? JSON.stringify(s.metadata) : null,
			modelJson,
			cached === 1,
			typeof s.output === 'string' && s.output ? text(s.output) : null,
			s.trial ?? 0,
		];
		values.forEach((v, i) => columns[i]!.push(v));
	}
	return columns;
}

function scoreRow(sampleId: number, ord: number, score: ScoreRecord): unknown[] {
	const v = score.value;
	const numeric = typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null;
	// Plain numbers need no JSON; booleans keep theirs so that they read back as booleans.
	const json = typeof v === 'number' && Number.isFinite(v) ? null : JSON.stringify(v ?? null);
	const passed = score.passed === null || score.passed === undefined ? null : score.passed;
	const metadata = score.metadata && Object.keys(score.metadata).length ? JSON.stringify(score.metadata) : null;
	return [sampleId, ord, text(score.name), numeric, json, passed, JSON.stringify(score.metrics ?? []), metadata];
}

/** Scores of the samples that were written (`ids` by `pendingKey`). */
export function scoreParams(batch: Pending[], ids: Map<string, number>): unknown[][] {
	const columns: unknown[][] = Array.from({ length: 8 }, () => []);
	for (const { evaluationId, sample } of batch) {
		const id = ids.get(pendingKey(evaluationId, sample.index, sample.trial));
		if (id === undefined) continue;
		(sample.scores ?? []).forEach((score, ord) => scoreRow(id, ord, score).forEach((v, i) => columns[i]!.push(v)));
	}
	return columns;
}
