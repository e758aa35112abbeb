/**
 * Metrics: named aggregations of a score's values over samples. A metric is a plain function
 * `(values: number[]) => number` carrying its name, as in the original (`accuracy()`), so it can also be
 * called directly. Stored results keep metric *names*; `lookupMetric` turns a name back into its
 * definition. `accuracy` and `mean` are built in; `metric(name, fn)` defines (and registers) your own.
 */

export interface Metric {
	(values: number[]): number;
	readonly metricName: string;
	/** How the summary reports it: 'mean' metrics get a standard error and a 95 % interval. */
	readonly aggregate: 'mean' | 'custom';
}

const METRICS_KEY = Symbol.for('doteval.metrics');
type MetricTable = Map<string, Metric>;

// Kept on globalThis so that metrics registered through the user's copy of the runtime are found by
// the CLI's copy (both read the same table).
function table(): MetricTable {
	const g = globalThis as unknown as Record<symbol, MetricTable | undefined>;
	return (g[METRICS_KEY] ??= new Map());
}

function meanOf(values: number[]): number {
	if (values.length === 0) return 0;
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}

function makeMetric(name: string, fn: (values: number[]) => number, aggregate: Metric['aggregate']): Metric {
	const m = ((values: number[]) => fn(values)) as Metric;
	Object.defineProperty(m, 'name', { value: name });
	Object.defineProperty(m, 'metricName', { value: name, enumerable: true });
	Object.defineProperty(m, 'aggregate', { value: aggregate, enumerable: true });
	return m;
}

/**
 * Accuracy: the mean of the values, booleans counting as 1/0; 0 for no values. Errored samples count as
 * failures. Reported with a Wilson 95 % interval when every value is 0/1.
 * @example evaluator([accuracy])(function isShort(text: string) { return text.length < 80; })
 */
export const accuracy: Metric = makeMetric('accuracy', meanOf, 'mean');

/** Mean of numeric score values; reported with a standard error and a Student-t 95 % interval. */
export const mean: Metric = makeMetric('mean', meanOf, 'mean');

table().set('accuracy', accuracy).set('mean', mean);

/**
 * Define and register a custom metric. Registered by name so summaries of stored results can find it.
 * @example const median = metric('median', (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0);
 */
export function metric(name: string, fn: (values: number[]) => number): Metric {
	if (typeof name !== 'string' || name.trim() === '') throw new TypeError('metric(name, fn): name must be a non-empty string');
	if (typeof fn !== 'function') throw new TypeError(`metric('${name}', fn): fn must be a function (values: number[]) => number`);
	const m = makeMetric(name, fn, 'custom');
	table().set(name, m);
	return m;
}

/** The metric registered under `name`, if any. */
export function lookupMetric(name: string): Metric | undefined {
	return table().get(name);
}

/** Accepts a Metric or a metric name; returns the name. */
export function metricNameOf(m: Metric | string): string {
	if (typeof m === 'string') return m;
	if (typeof m === 'function' && typeof m.metricName === 'string') return m.metricName;
	if (typeof m === 'function' && m.name) return m.name;
	throw new TypeError(`expected a metric (accuracy, mean, or one made with metric(name, fn)) or a metric name; got ${typeof m}`);
}

/** A score value as a number for aggregation: booleans 1/0, finite numbers as they are, anything else undefined. */
export function numericValue(value: unknown): number | undefined {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	return undefined;
}
