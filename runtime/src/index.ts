/**
 * `doteval`: LLM evaluations as plain TypeScript functions.
 * @example
 * import { foreach, Result } from 'doteval';
 * import { exactMatch } from 'doteval/evaluators';
 * export const evalMath = foreach('question,answer', [['2+2', '4']])(({ question, answer }) => new Result(exactMatch(solve(question), answer)));
 */
export { foreach, ForEach, type ForEachOptions, type Eval, type EvalArgs, type ColumnNames, type DatasetInput, type ForeachDecorator } from './core/foreach.js';
export { Result, Score, type ResultOptions, type ScoreValue } from './core/result.js';
export { evaluator, type Evaluator, type EvaluatorOptions } from './evaluators/evaluator.js';
export { accuracy, mean, metric, type Metric } from './metrics/metric.js';
export { fixture, type FixtureOptions } from './fixtures/define.js';
export type { FixtureScope, FixtureDefinition } from './fixtures/types.js';
export type { RetryOptions, RetryPolicy } from './retry/policy.js';
export type { ConcurrencyStrategy } from './concurrency/types.js';
// Runner internals (registry, executor, run scope) are in 'doteval/runner'.
