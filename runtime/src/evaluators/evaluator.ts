/**
 * `evaluator(metrics)(fn)`: turns a function returning a value into one returning a `Score` named
 * after the function (override with `{ name }` or `.withName(name)`), feeding the given metrics. The
 * score's metadata records the arguments by parameter name, as the original does.
 */
import { Score, type ScoreValue } from '../core/result.js';
import { parameterNames } from '../core/params.js';
import { metricNameOf, type Metric } from '../metrics/metric.js';

/** Options of `evaluator(metrics, options)`. */
export interface EvaluatorOptions {
	/** Score name; default the function's name. */
	name?: string;
}

/** A scoring function made by `evaluator()`: takes your arguments, returns a Score (a Promise of one when the function is async). */
export type Evaluator<A extends unknown[], R> = ((...args: A) => R extends PromiseLike<unknown> ? Promise<Score> : Score) & {
	readonly evaluatorName: string;
	readonly metrics: string[];
	/** The same evaluator producing scores under another name. */
	withName(name: string): Evaluator<A, R>;
};

/**
 * @example
 * const lengthOk = evaluator([accuracy])(function lengthOk(answer: string, limit: number) { return answer.length <= limit; });
 * lengthOk('short', 80); // Score { name: 'lengthOk', value: true, metrics: ['accuracy'], metadata: { answer: 'short', limit: 80 } }
 */
export function evaluator(metrics: Metric | string | Array<Metric | string>, options: EvaluatorOptions = {}) {
	const metricNames = (Array.isArray(metrics) ? metrics : [metrics]).map(metricNameOf);
	return <A extends unknown[], R>(fn: (...args: A) => R): Evaluator<A, R> => {
		if (typeof fn !== 'function') throw new TypeError('evaluator(metrics)(fn): fn must be a function returning the score value');
		const defaultName = options.name ?? fn.name;
		if (!defaultName)
			throw new TypeError('evaluator(metrics)(fn): give the function a name (function myCheck(...) {...}) or pass { name } — the name labels the score');
		const params = parameterNames(fn);
		const build = (scoreName: string): Evaluator<A, R> => {
			const wrapped = (...args: A) => {
				const metadata: Record<string, unknown> = {};
				args.forEach((arg, i) => {
					metadata[params[i] ?? `arg${i}`] = arg;
				});
				const value = fn(...args);
				if (value && typeof (value as unknown as PromiseLike<unknown>).then === 'function') {
					return Promise.resolve(value).then((v) => new Score(scoreName, v as ScoreValue, metricNames, metadata));
				}
				return new Score(scoreName, value as ScoreValue, metricNames, metadata);
			};
			Object.defineProperty(wrapped, 'name', { value: scoreName });
			Object.defineProperty(wrapped, 'evaluatorName', { value: scoreName });
			Object.defineProperty(wrapped, 'metrics', { value: metricNames });
			Object.defineProperty(wrapped, 'withName', { value: (name: string) => build(name) });
			return wrapped as Evaluator<A, R>;
		};
		return build(defaultName);
	};
}
