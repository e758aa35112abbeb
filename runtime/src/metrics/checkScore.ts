/**
 * What a metric can take, checked when a sample returns its scores — so a NaN, an Infinity, a
 * string, or an accuracy of 2 is an error record of that sample that names the score, instead of
 * being dropped from (or distorting) the metric without a word.
 *
 * - every metric takes booleans and finite numbers;
 * - `accuracy` takes only true/false and 1/0 (a rate over pass/fail: anything else is a wrong score,
 *   and `mean` is the metric for other numbers).
 */
import { describe } from '../core/result.js';

/** The problem with this score's value for its metrics, or undefined when they can take it. */
export function scoreValueProblem(name: string, value: unknown, metrics: readonly string[]): string | undefined {
	if (metrics.length === 0) return undefined;
	const feeds = `feeds ${metrics.join(', ')}`;
	if (typeof value === 'boolean') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			return `score '${name}' is ${value} and ${feeds}, which take finite numbers or booleans (a division by zero? a number that failed to parse?); return a finite number, or throw to record the sample as an error`;
		}
		if (metrics.includes('accuracy') && value !== 0 && value !== 1) {
			return `score '${name}' is ${value} and feeds accuracy, which takes true/false or 1/0; return a boolean, or use the mean metric for other numbers`;
		}
		return undefined;
	}
	return `score '${name}' is ${describe(value)} and ${feeds}, which take numbers or booleans; return a number or a boolean (or a score without metrics for other values)`;
}
