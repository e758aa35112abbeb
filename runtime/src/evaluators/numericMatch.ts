import { Score } from '../core/result.js';
import { accuracy } from '../metrics/metric.js';
import type { EvaluatorOptions } from './evaluator.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number written in `value` ("1,234.5", " 42 ", 7), or undefined. Commas and spaces are ignored. */
export function parseNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
	if (typeof value !== 'string') return undefined;
	const cleaned = value.trim().replace(/[,\s]/g, '');
	if (!NUMBER.test(cleaned)) return undefined;
	return Number(cleaned);
}

/**
 * Pass when `result` and `expected` are the same number once thousands separators and spaces are
 * removed ("1,000" matches 1000). Empty, missing or unparsable values fail. Feeds `accuracy`.
 * @example numericMatch(modelAnswer, '1,234')
 */
export function numericMatch(result: unknown, expected: unknown, options: EvaluatorOptions = {}): Score {
	const a = parseNumber(result);
	const b = parseNumber(expected);
	return new Score(options.name ?? 'numericMatch', a !== undefined && b !== undefined && a === b, [accuracy], { result, expected });
}
