/**
 * `foreach(columns, dataset)(fn)` and `new ForEach({ concurrency, retries })`: define an evaluation.
 * The result is the eval function itself, branded with its definition and registered globally so the
 * runner finds it. It also works as a standard (TC39) decorator on a class method.
 */
import type { EvalDefinitionRuntime } from './types.js';
import type { CheckColumns, EvalArgs, EvalReturn, RowOf } from './columns.js';
import { EVAL_BRAND, captureDefinitionSite, registerEval } from './registry.js';
import { destructuredNames } from './params.js';
import { describe } from './result.js';
import { Sequential } from '../concurrency/sequential.js';
import { SlidingWindow } from '../concurrency/slidingWindow.js';
import { isConcurrencyStrategy, type ConcurrencyStrategy } from '../concurrency/types.js';
import { resolveRetries, type RetryOptions, type RetryPolicy } from '../retry/policy.js';
import { MAX_TRIALS } from '../metrics/trials.js';
import { resolveThresholdOption, type Threshold, type ThresholdOption } from '../gates/thresholds.js';

/** Options of `new ForEach(options)` and of a single `foreach(columns, dataset, options)` call. */
export interface ForEachOptions {
	/** How many samples run at once: a strategy (`new SlidingWindow({ maxConcurrency: 4 })`) or a number (a window of that size). Default: Sequential. */
	concurrency?: ConcurrencyStrategy | number;
	/** Per-sample retries: options, or `false` for none. Default: connection errors, timeouts, HTTP 429/5xx, 4 attempts. */
	retries?: RetryOptions | RetryPolicy | false;
	/**
	 * A quality gate: `doteval run` exits 6 when a metric ends below its minimum. A number applies to
	 * every metric of the eval; an object names them: `{ 'exactMatch.accuracy': 0.8 }` (or `{ accuracy: 0.8 }`
	 * for the accuracy of every score).
	 */
	threshold?: ThresholdOption;
	/**
	 * Run each row k times (default 1): each trial is its own sample, with its own model-call cache
	 * entries, and the summary gives pass@k, pass^k and the unstable rows. `doteval run --trials k` overrides it.
	 */
	trials?: number;
}

/** Array, any iterable or async iterable, or a function returning one (called once per run). */
export type DatasetInput =
	Iterable<unknown> | AsyncIterable<unknown> | (() => Iterable<unknown> | AsyncIterable<unknown> | Promise<Iterable<unknown> | AsyncIterable<unknown>>);

/** An eval: the function itself (calling it calls your function with one sample's arguments) plus its definition. */
export type Eval<F extends (...args: any[]) => unknown = (args: any) => unknown> = F & {
	readonly [EVAL_BRAND]: EvalDefinitionRuntime;
	readonly definition: EvalDefinitionRuntime;
};

/**
 * What `foreach(columns, dataset)` returns: call it with the eval function (or use it as a method
 * decorator). The function receives `EvalArgs` (columns typed from the rows, declared fixtures) and
 * must return `EvalReturn` (a Result or Score, or a Promise of one).
 */
export interface ForeachDecorator<S extends string, Row = any> {
	<F extends (args: EvalArgs<S, Row>) => EvalReturn>(fn: F): Eval<F>;
	<F extends (args: EvalArgs<S, Row>) => EvalReturn>(fn: F, context: ClassMethodDecoratorContext<any, any>): Eval<F>;
}

/** Splits and checks a column spec ("a, b" or ['a', 'b']). */
export function parseColumns(spec: unknown): string[] {
	const columns =
		typeof spec === 'string' ? spec.split(',').map((c) => c.trim()) : Array.isArray(spec) ? spec.map((c) => (typeof c === 'string' ? c.trim() : c)) : null;
	if (!columns) throw new TypeError(`foreach: columns must be a string such as "text,expected"; got ${describe(spec)}`);
	if (columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) {
		throw new TypeError(`foreach: columns must be non-empty names separated by commas, such as "text,expected"; got ${JSON.stringify(spec)}`);
	}
	const seen = new Set<string>();
	for (const c of columns as string[]) {
		if (seen.has(c)) throw new TypeError(`foreach: column "${c}" appears twice in ${JSON.stringify(spec)}`);
		seen.add(c);
	}
	return columns as string[];
}

export function checkDataset(dataset: unknown): void {
	if (typeof dataset === 'string') {
		throw new TypeError(
			`foreach: the dataset is a string (${describe(dataset)}); pass rows (an array or iterable), or load a file with jsonl(path), csv(path) or json(path) from 'doteval/datasets'`,
		);
	}
	if (typeof dataset === 'function') return;
	const d = dataset as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
	if (d && typeof d === 'object' && (typeof d[Symbol.iterator] === 'function' || typeof d[Symbol.asyncIterator] === 'function')) return;
	throw new TypeError(`foreach: the dataset must be an array, an iterable, an async iterable, or a function returning one; got ${describe(dataset)}`);
}

function resolveConcurrency(option: unknown): ConcurrencyStrategy | undefined {
	if (option === undefined) return undefined;
	if (typeof option === 'number') return new SlidingWindow({ maxConcurrency: option });
	if (isConcurrencyStrategy(option)) return option;
	throw new TypeError(
		`concurrency must be a strategy from 'doteval/concurrency' (Sequential, SlidingWindow, Adaptive) or a positive integer; got ${describe(option)}`,
	);
}

function isAsyncFunction(fn: (...args: never[]) => unknown): boolean {
	const ctor = fn.constructor?.name;
	return ctor === 'AsyncFunction' || ctor === 'AsyncGeneratorFunction';
}

export interface ResolvedOptions {
	concurrency: ConcurrencyStrategy | undefined;
	retries: RetryPolicy;
	thresholds: Threshold[] | undefined;
	trials: number | undefined;
}

function resolveTrials(option: unknown): number | undefined {
	if (option === undefined) return undefined;
	if (typeof option === 'number' && Number.isInteger(option) && option >= 1 && option <= MAX_TRIALS) return option;
	throw new TypeError(`trials must be an integer from 1 to ${MAX_TRIALS} (how many times each row runs); got ${describe(option)}`);
}

export function validateOptions(options: ForEachOptions | undefined): ResolvedOptions {
	if (options !== undefined && (typeof options !== 'object' || options === null))
		throw new TypeError(`ForEach: options must be an object such as { concurrency, retries }; got ${describe(options)}`);
	return {
		concurrency: resolveConcurrency(options?.concurrency),
		retries: resolveRetries(options?.retries),
		thresholds: resolveThresholdOption(options?.threshold),
		trials: resolveTrials(options?.trials),
	};
}

/** Shared by foreach and batch (`batchSize`: the rows each call of fn receives; absent: one row, as foreach). */
export function defineEval(
	columnSpec: unknown,
	dataset: unknown,
	resolved: ResolvedOptions,
	site: EvalDefinitionRuntime['definedAt'],
	batchSize?: number,
): ForeachDecorator<string> {
	const columns = parseColumns(columnSpec);
	checkDataset(dataset);
	return ((fn: (args: Record<string, unknown>) => unknown, context?: ClassMethodDecoratorContext) => {
		if (typeof fn !== 'function')
			throw new TypeError(
				`foreach(...)(fn): fn must be a function taking one object, e.g. async ({ ${columns.join(', ')} }) => new Result(...); got ${describe(fn)}`,
			);
		const name = context ? String(context.name) : fn.name || undefined;
		const isAsync = isAsyncFunction(fn);
		const strategy = resolved.concurrency ?? new Sequential();
		const strategyInfo = isAsync ? strategy.describe() : new Sequential().describe();
		const configured = strategy.describe().maxConcurrency;
		if (!isAsync && resolved.concurrency && (configured === undefined || configured > 1)) {
			process.emitWarning(
				`eval ${name ?? '(anonymous)'}${site ? ` at ${site.file}:${site.line}` : ''} is synchronous, so ${strategy.name} has no effect: a sync eval runs one sample at a time. Make it async to run samples concurrently.`,
				'DotevalWarning',
			);
		}
		const requested = destructuredNames(fn);
		const def: EvalDefinitionRuntime = {
			name,
			fn,
			columns,
			dataset,
			async: isAsync,
			strategyInfo,
			definedAt: site,
			concurrency: isAsync ? strategy : new Sequential(),
			retries: resolved.retries,
			...(resolved.thresholds ? { thresholds: resolved.thresholds } : {}),
			...(resolved.trials !== undefined && resolved.trials > 1 ? { trials: resolved.trials } : {}),
			...(batchSize !== undefined ? { batch: { size: batchSize } } : {}),
			requested: requested && { names: requested.names, optional: [...requested.optional] },
		};
		// Decorated methods are called without `this`: evals are plain functions of one object.
		const evalFn = function (this: unknown, args: Record<string, unknown>) {
			return fn(args);
		};
		Object.defineProperty(evalFn, 'name', { value: name ?? '' });
		Object.defineProperty(evalFn, EVAL_BRAND, { value: def });
		Object.defineProperty(evalFn, 'definition', { value: def });
		registerEval(def);
		return evalFn;
	}) as ForeachDecorator<string>;
}

// A callable class: the interface gives instances their call signature (the constructor returns a function).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ForEach {
	/**
	 * Define an evaluation over `dataset`, one sample per row; `columns` names the row's values.
	 * @example
	 * export const evalSentiment = foreach('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {
	 *   const prediction = await asyncModel.classify(text);
	 *   return new Result(exactMatch(prediction, expected), { prompt: text });
	 * });
	 */
	<S extends string, D extends DatasetInput>(columns: S & CheckColumns<S, RowOf<D>>, dataset: D, options?: ForEachOptions): ForeachDecorator<S, RowOf<D>>;
}

/**
 * A configured `foreach`: `new ForEach({ concurrency, retries, threshold })` is called exactly like `foreach`.
 * Options are validated here (TypeErrors name the constraint). Per-call options override the instance's.
 * @example
 * const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });
 * export const evalConcurrent = foreachConcurrent('text,expected', data)(async ({ text, expected }) => ...);
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ForEach {
	readonly options!: Readonly<ForEachOptions>;

	constructor(options: ForEachOptions = {}) {
		const resolved = validateOptions(options);
		const call = (columns: unknown, dataset: unknown, perCall?: ForEachOptions) => {
			const site = captureDefinitionSite(call);
			const merged = perCall === undefined ? resolved : mergeOptions(resolved, validateOptions(perCall), perCall);
			return defineEval(columns, dataset, merged, site);
		};
		Object.setPrototypeOf(call, new.target.prototype);
		Object.defineProperty(call, 'options', { value: Object.freeze({ ...options }) });
		return call as unknown as ForEach;
	}
}
Object.setPrototypeOf(ForEach.prototype, Function.prototype);

function mergeOptions(base: ResolvedOptions, override: ResolvedOptions, given: ForEachOptions): ResolvedOptions {
	return {
		concurrency: given.concurrency !== undefined ? override.concurrency : base.concurrency,
		retries: given.retries !== undefined ? override.retries : base.retries,
		thresholds: given.threshold !== undefined ? override.thresholds : base.thresholds,
		trials: given.trials !== undefined ? override.trials : base.trials,
	};
}

/** The default `foreach`: sequential, default retries. Same as `new ForEach()`. */
export const foreach: ForEach = new ForEach();
