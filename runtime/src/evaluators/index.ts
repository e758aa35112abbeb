/**
 * `doteval/evaluators`: functions that score one sample and return a `Score`.
 * @example
 * import { exactMatch } from 'doteval/evaluators';
 * return new Result(exactMatch(prediction, expected), { prompt: text });
 */
export { evaluator, type Evaluator, type EvaluatorOptions } from './evaluator.js';
export { exactMatch } from './exactMatch.js';
export { numericMatch } from './numericMatch.js';
export { validJson } from './validJson.js';
export { contains, type ContainsOptions } from './contains.js';
export { matchesRegex } from './matchesRegex.js';
export { accuracy, mean, metric, type Metric } from '../metrics/metric.js';
