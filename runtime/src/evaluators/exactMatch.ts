import { Score } from '../core/result.js';
import { accuracy } from '../metrics/metric.js';
import type { EvaluatorOptions } from './evaluator.js';

/**
 * Pass when `result` equals `expected`: `===` for primitives (no normalisation: '42' ≠ 42), deep
 * equality for arrays and plain objects. Feeds `accuracy`.
 * @example new Result(exactMatch(prediction, expected), { prompt: text })
 */
export function exactMatch(result: unknown, expected: unknown, options: EvaluatorOptions = {}): Score {
	return new Score(options.name ?? 'exactMatch', deepEqual(result, expected), [accuracy], { result, expected });
}

export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as unknown[];
		return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
	}
	if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	return (
		ka.length === kb.length &&
		ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
	);
}
