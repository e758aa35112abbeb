import { Score } from '../core/result.js';
import { accuracy } from '../metrics/metric.js';
import type { EvaluatorOptions } from './evaluator.js';

/** Options of `contains(result, substring, options)`. */
export interface ContainsOptions extends EvaluatorOptions {
	/** Default true. */
	caseSensitive?: boolean;
}

/**
 * Pass when the text `result` contains `substring`. Missing or non-string results fail. Feeds `accuracy`.
 * @example contains(answer, 'Paris', { caseSensitive: false })
 */
export function contains(result: unknown, substring: string, options: ContainsOptions = {}): Score {
	if (typeof substring !== 'string') throw new TypeError(`contains(result, substring): substring must be a string; got ${typeof substring}`);
	const caseSensitive = options.caseSensitive ?? true;
	const passed = typeof result === 'string' && (caseSensitive ? result.includes(substring) : result.toLowerCase().includes(substring.toLowerCase()));
	return new Score(options.name ?? 'contains', passed, [accuracy], { result, substring });
}
