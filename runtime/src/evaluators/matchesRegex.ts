import { Score } from '../core/result.js';
import { accuracy } from '../metrics/metric.js';
import type { EvaluatorOptions } from './evaluator.js';

/**
 * Pass when the text `result` matches `pattern` (a RegExp, or a string compiled with `flags`).
 * Missing or non-string results fail. Feeds `accuracy`.
 * @example matchesRegex(answer, /^\d{4}-\d{2}-\d{2}$/)
 */
export function matchesRegex(result: unknown, pattern: RegExp | string, options: EvaluatorOptions & { flags?: string } = {}): Score {
	let regex: RegExp;
	if (pattern instanceof RegExp)
		regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')); // no lastIndex state between calls
	else if (typeof pattern === 'string') regex = new RegExp(pattern, options.flags);
	else throw new TypeError(`matchesRegex(result, pattern): pattern must be a RegExp or a string; got ${typeof pattern}`);
	const passed = typeof result === 'string' && regex.test(result);
	return new Score(options.name ?? 'matchesRegex', passed, [accuracy], { result, pattern: String(regex) });
}
