/**
 * The samples' model-call columns (schema 2): `model_json` holds { models, budgetMs, judgeMs } of
 * `doteval/models`, `cached` whether the response cache answered the whole sample.
 */
import type { SqlValue } from 'sql.js';
import type { SampleInfo } from './types.js';
import { answeredFromCache } from '../metrics/modelUsage.js';

interface ModelColumn {
	models: NonNullable<SampleInfo['models']>;
	budgetMs?: number;
	judgeMs?: number;
}

export function modelColumns(s: SampleInfo): [string | null, number] {
	if (!s.models) return [null, 0];
	const column: ModelColumn = { models: s.models };
	if (s.timing?.budgetMs !== undefined) column.budgetMs = s.timing.budgetMs;
	if (s.timing?.judgeMs !== undefined) column.judgeMs = s.timing.judgeMs;
	return [JSON.stringify(column), answeredFromCache(s) ? 1 : 0];
}

export function addModelColumn(sample: SampleInfo, value: SqlValue): void {
	const column = JSON.parse(String(value)) as ModelColumn;
	sample.models = column.models;
	if (column.budgetMs !== undefined) sample.timing.budgetMs = column.budgetMs;
	if (column.judgeMs !== undefined) sample.timing.judgeMs = column.judgeMs;
}
