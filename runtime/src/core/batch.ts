/**
 * `batch(columns, dataset, { batchSize })(fn)`: an eval whose function receives several rows at
 * once — for batch APIs and local models that score many inputs per call. `fn` gets each column as
 * an array (`{ text: [...], expected: [...] }`, plus fixtures by name) and returns one Result per
 * row, in order, or one Result for the whole batch. Each row is still its own sample: stored,
 * resumed, retried (with its batch) and shown like a foreach sample.
 */
import type { EvalDefinitionRuntime } from './types.js';
import { captureDefinitionSite } from './registry.js';
import { defineEval, validateOptions, type ForEachOptions, type DatasetInput, type Eval } from './foreach.js';
import type { CheckColumns, ColumnNames, ColumnValues, RowOf } from './columns.js';
import type { Fixtures } from '../fixtures/types.js';
import { describe, type Result, type Score } from './result.js';

/**
 * Options of `batch()`: those of `ForEach` (concurrency, retries, threshold…) plus the batch size.
 * @example batch('text,expected', rows, { batchSize: 8, concurrency: 2 })
 */
export interface BatchOptions extends ForEachOptions {
	/** Rows per call of the eval function (the last batch may be smaller). */
	batchSize: number;
}

/**
 * What a batch eval function receives: each column as an array over the batch's rows, its elements
 * typed as `foreach` types the column (`text: string[]` for string rows), plus the declared fixtures.
 */
export type BatchArgs<S extends string, Row = any> = { [K in keyof ColumnValues<Row, S>]: Array<ColumnValues<Row, S>[K]> } & Omit<Fixtures, ColumnNames<S>>;

/** What a batch eval function may return: one Result (or Score) per row, in the rows' order, or one for the whole batch; or a Promise of that. */
export type BatchReturn = Result | Score | ReadonlyArray<Result | Score> | Promise<Result | Score | ReadonlyArray<Result | Score>>;

/**
 * What `batch(columns, dataset, options)` returns: apply it to the eval function, which gets a batch of
 * rows and returns one `Result` per row (or one for the whole batch).
 */
export interface BatchDecorator<S extends string, Row = any> {
	<F extends (args: BatchArgs<S, Row>) => BatchReturn>(fn: F): Eval<F>;
}

/**
 * Declares a batch eval: like `foreach`, but the function is called once per `batchSize` rows, for
 * batch APIs and local models. Retries, resume, storage and the editor treat it like `foreach`.
 * @example
 * export const evalBatched = batch('text,expected', sentimentData, { batchSize: 8 })(async ({ text, expected, model }) => {
 *   const predictions = await model.classifyMany(text);
 *   return predictions.map((p, i) => new Result(exactMatch(p, expected[i])));
 * });
 */
export function batch<S extends string, D extends DatasetInput>(
	columns: S & CheckColumns<S, RowOf<D>>,
	dataset: D,
	options: BatchOptions,
): BatchDecorator<S, RowOf<D>> {
	const site: EvalDefinitionRuntime['definedAt'] = captureDefinitionSite(batch);
	if (!options || typeof options !== 'object')
		throw new TypeError(`batch(columns, dataset, options): options must be an object such as { batchSize: 8 }; got ${describe(options)}`);
	const { batchSize, ...rest } = options;
	if (!Number.isSafeInteger(batchSize) || batchSize < 1)
		throw new TypeError(`batch: batchSize must be a whole number ≥ 1 (rows per call), such as { batchSize: 8 }; got ${describe(batchSize)}`);
	return defineEval(columns, dataset, validateOptions(rest), site, batchSize) as unknown as BatchDecorator<S, RowOf<D>>;
}
