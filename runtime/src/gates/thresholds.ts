/**
 * Score thresholds: "this metric must be at least this value". The same rule comes from an eval's
 * own `new ForEach({ threshold })` and from `doteval run --fail-under`. Pure functions.
 *
 * A threshold names a metric as `score.metric` (`exactMatch.accuracy`: the accuracy of the
 * exactMatch score) or as `metric` alone (`accuracy`: that metric of every score that has it).
 */
import type { MetricSummary } from '../protocol/events.js';

export interface Threshold {
	/** The score (evaluator) name; absent: every score with `metric`. */
	score?: string;
	metric: string;
	/** The lowest passing value (inclusive). */
	min: number;
}

/** What `new ForEach({ threshold })` accepts: one number for every metric, or minimums by metric name. */
export type ThresholdOption = number | Record<string, number>;

export const failUnderSyntax = "METRIC=MIN or SCORE.METRIC=MIN, e.g. 'exactMatch.accuracy=0.8' (several: comma-separated or the option repeated)";

function checkMin(value: unknown, where: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value))
		throw new TypeError(`${where}: the minimum must be a finite number such as 0.8; got ${JSON.stringify(value)}`);
	return value;
}

/** `exactMatch.accuracy` → { score: 'exactMatch', metric: 'accuracy' }; the last dot separates them. */
export function splitMetricName(name: string): { score?: string; metric: string } {
	const at = name.lastIndexOf('.');
	return at < 0 ? { metric: name } : { score: name.slice(0, at), metric: name.slice(at + 1) };
}

/** Parses `--fail-under` text: `exactMatch.accuracy=0.8,latency.mean=0.5`. Throws an Error naming the syntax. */
export function parseFailUnder(text: string): Threshold[] {
	const parts = text
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
	if (parts.length === 0) throw new Error(`--fail-under expects ${failUnderSyntax}; got '${text}'`);
	return parts.map((part) => {
		const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(part);
		const min = match ? Number(match[2]) : Number.NaN;
		const name = match ? splitMetricName(match[1]!) : undefined;
		if (!match || !Number.isFinite(min) || !name || name.metric === '' || name.score === '') {
			throw new Error(`--fail-under expects ${failUnderSyntax}; got '${part}'`);
		}
		return { ...name, min };
	});
}

/** Validates and normalises `new ForEach({ threshold })`: a TypeError names the accepted forms. */
export function resolveThresholdOption(option: unknown): Threshold[] | undefined {
	if (option === undefined) return undefined;
	const forms = "a number (every metric of the eval must reach it) or minimums by metric, such as { 'exactMatch.accuracy': 0.8 }";
	if (typeof option === 'number') return [{ metric: '*', min: checkMin(option, 'threshold') }];
	if (!option || typeof option !== 'object' || Array.isArray(option)) throw new TypeError(`threshold must be ${forms}; got ${JSON.stringify(option)}`);
	const entries = Object.entries(option as Record<string, unknown>);
	if (entries.length === 0) throw new TypeError(`threshold must be ${forms}; got an empty object`);
	return entries.map(([name, min]) => {
		const split = splitMetricName(name);
		if (split.metric === '' || split.score === '')
			throw new TypeError(`threshold: '${name}' is not a metric name; use METRIC or SCORE.METRIC, such as 'exactMatch.accuracy'`);
		return { ...split, min: checkMin(min, `threshold '${name}'`) };
	});
}

export function thresholdName(t: Threshold): string {
	if (t.metric === '*') return 'every metric';
	return t.score ? `${t.score}.${t.metric}` : t.metric;
}

/** The metrics of a summary that a threshold applies to. */
export function metricsMatching(t: Threshold, metrics: readonly MetricSummary[]): MetricSummary[] {
	return metrics.filter((m) => (t.metric === '*' || m.metric === t.metric) && (t.score === undefined || m.score === t.score));
}
