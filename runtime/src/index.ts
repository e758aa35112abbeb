/**
 * `doteval`: LLM evaluations as plain TypeScript functions.
 * @example
 * import { foreach, Result } from 'doteval';
 * import { exactMatch } from 'doteval/evaluators';
 * export const evalMath = foreach('question,answer', [['2+2', '4']])(({ question, answer }) => new Result(exactMatch(solve(question), answer)));
 */
export { foreach, ForEach, type ForEachOptions, type Eval, type DatasetInput, type ForeachDecorator } from './core/foreach.js';
export type { EvalArgs, EvalReturn, ColumnNames, ColumnList, ColumnValues, RowOf, CheckColumns } from './core/columns.js';
export { batch, type BatchOptions, type BatchArgs, type BatchDecorator, type BatchReturn } from './core/batch.js';
export { Result, Score, type ResultOptions, type ScoreValue } from './core/result.js';
export { evaluator, type Evaluator, type EvaluatorOptions } from './evaluators/evaluator.js';
export { accuracy, mean, metric, type Metric } from './metrics/metric.js';
export { fixture, type FixtureOptions } from './fixtures/define.js';
export type { FixtureScope, FixtureDefinition, Fixtures, FixtureValue } from './fixtures/types.js';
export type { RetryOptions, RetryPolicy } from './retry/policy.js';
export type { ConcurrencyStrategy } from './concurrency/types.js';
// Scripts and notebooks: run one eval into the store, as `doteval run` does.
export { run, type RunOptions, type RunResult } from './script/run.js';
// Runner internals (registry, executor, run scope) are in 'doteval/runner'.
