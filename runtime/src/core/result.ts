/**
 * `Score` (one evaluator's verdict on one sample) and `Result` (what an eval returns for a sample).
 * Both carry a `Symbol.for` brand so that an executor from another copy of the runtime (the CLI's)
 * recognises objects made by the user's copy, where `instanceof` would fail.
 */
import { metricNameOf, type Metric } from '../metrics/metric.js';

const SCORE_BRAND = Symbol.for('doteval.score');
const RESULT_BRAND = Symbol.for('doteval.result');

/** What a score holds: pass/fail, a number (metrics average it), a label, or any JSON-safe value. */
export type ScoreValue = boolean | number | string | null | Record<string, unknown> | unknown[];

/**
 * One named measurement of one sample, with the metrics that summarise it over the dataset.
 * @example new Score('exact_match', prediction === expected, [accuracy])
 */
export class Score {
	readonly name: string;
	readonly value: ScoreValue;
	/** Metric names, e.g. ['accuracy']. */
	readonly metrics: string[];
	readonly metadata: Record<string, unknown>;

	/**
	 * @param name the evaluator's name, e.g. 'exactMatch'
	 * @param value boolean for pass/fail, number for graded scores
	 * @param metrics metrics this score feeds (accuracy, mean, or names)
	 * @example new Score('lengthOk', text.length < 80, [accuracy])
	 */
	constructor(name: string, value: ScoreValue, metrics: Array<Metric | string> = [], metadata: Record<string, unknown> = {}) {
		if (typeof name !== 'string' || name === '') throw new TypeError('Score: name must be a non-empty string');
		if (!Array.isArray(metrics)) throw new TypeError(`Score '${name}': metrics must be an array such as [accuracy]`);
		this.name = name;
		this.value = value;
		this.metrics = metrics.map(metricNameOf);
		this.metadata = metadata ?? {};
	}
}

/** What a Result records besides its scores: the prompt, the model's response, an error, metadata. */
export interface ResultOptions {
	/** The prompt sent to the model (shown in reports and the editor). */
	prompt?: string | null;
	/** The model's raw answer. */
	modelResponse?: string | null;
	/** Marks the sample as errored on purpose (e.g. "model returned invalid JSON"); it counts as a failure and is retried on resume. */
	error?: string | null;
	metadata?: Record<string, unknown>;
}

/**
 * What an eval returns for one sample: its scores plus what was asked and answered.
 * @example return new Result(exactMatch(prediction, expected), { prompt: text, modelResponse: prediction });
 */
export class Result {
	readonly scores: Score[];
	readonly prompt: string | null;
	readonly modelResponse: string | null;
	readonly error: string | null;
	readonly metadata: Record<string, unknown> | undefined;

	/**
	 * `new Result(...scores, { prompt, modelResponse, error, metadata })`: scores first, then an
	 * optional options object.
	 * @example return new Result(exactMatch(prediction, expected), { prompt: text, modelResponse: prediction });
	 */
	constructor(...items: Array<Score | Score[] | ResultOptions>) {
		const scores: Score[] = [];
		let options: ResultOptions = {};
		// A plain loop: every sample's eval builds a Result, and a callback would be one more closure each.
		for (let position = 0; position < items.length; position++) {
			const item = items[position];
			if (isScore(item)) scores.push(item);
			else if (Array.isArray(item) && item.every(isScore)) scores.push(...item);
			else if (position === items.length - 1 && isPlainObject(item)) options = item as ResultOptions;
			else {
				throw new TypeError(
					`Result expects Score objects (from an evaluator such as exactMatch(...)) followed by an optional options object { prompt, modelResponse, error, metadata }; argument ${position + 1} is ${describe(item)}`,
				);
			}
		}
		this.scores = scores;
		this.prompt = options.prompt ?? null;
		this.modelResponse = options.modelResponse ?? null;
		this.error = options.error ?? null;
		this.metadata = options.metadata;
	}
}

// The brands sit on the prototypes (non-enumerable, as before): a per-instance defineProperty cost
// each Score and Result about a microsecond, on every sample's path.
Object.defineProperty(Score.prototype, SCORE_BRAND, { value: true });
Object.defineProperty(Result.prototype, RESULT_BRAND, { value: true });

export function isScore(x: unknown): x is Score {
	return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[SCORE_BRAND] === true;
}

export function isResult(x: unknown): x is Result {
	return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[RESULT_BRAND] === true;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
	if (typeof x !== 'object' || x === null) return false;
	const proto = Object.getPrototypeOf(x);
	return proto === Object.prototype || proto === null;
}

/** A short description of a value for error messages: its type and a preview. */
export function describe(x: unknown): string {
	if (x === undefined) return 'undefined';
	if (x === null) return 'null';
	if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 60 ? `${x.slice(0, 57)}...` : x)}`;
	if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return `the ${typeof x} ${String(x)}`;
	if (typeof x === 'function') return `a function${x.name ? ` (${x.name})` : ''}`;
	if (Array.isArray(x)) return `an array of ${x.length}`;
	if (typeof (x as { then?: unknown }).then === 'function') return 'a Promise';
	const ctor = (x as object).constructor?.name;
	return ctor && ctor !== 'Object' ? `a ${ctor} object` : 'a plain object';
}
