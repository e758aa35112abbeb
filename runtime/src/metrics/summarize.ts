/**
 * Builds the `EvalSummary` of an evaluation from its sample results, incrementally (`add` one sample
 * at a time, O(1) memory per (score, metric) pair apart from latencies and custom metrics) or from an
 * array/iterable (`summarize`). Used by the executor during a run and by the store over stored samples.
 *
 * Errors follow the original: the score layout (score names and their metrics) is taken from the
 * first sample without error; every errored sample counts as a failure (value 0) for each pair of that
 * layout. `valueExcludingErrors` is the same metric over the samples without error.
 */
import type { EvalSummary, MetricSummary, SampleEndEvent, StrategyInfo } from '../protocol/events.js';
import { LatencyCollector } from './percentiles.js';
import { addValue, emptyMoments, estimateMean, type Moments } from './stats.js';
import { lookupMetric, numericValue } from './metric.js';
import { ModelUsageAccumulator, answeredFromCache } from './modelUsage.js';
import { TrialsAccumulator } from './trials.js';

/** The parts of a sample a summary reads (a `SampleEndEvent` or a stored `SampleInfo` fits). */
export type SummarizableSample = Pick<SampleEndEvent, 'scores' | 'error' | 'attempts' | 'timing' | 'models'> &
	Partial<Pick<SampleEndEvent, 'index' | 'trial' | 'passed'>>;

export interface SummaryContext {
	/** Samples in the dataset (after --samples), when known. */
	total: number | null;
	/** Wall time of the run(s) the samples belong to (ms). */
	wallMs: number;
	strategy: StrategyInfo;
	maxInFlight: number;
	/** Samples finished earlier and not added here (resume); added to `completed`. Default 0. */
	alreadyCompleted?: number;
}

interface PairState {
	score: string;
	metric: string;
	moments: Moments;
	/** Only for custom metrics, which need every value. */
	values?: number[];
}

export class SummaryAccumulator {
	private readonly pairs = new Map<string, PairState>();
	private layout: string[] | null = null;
	private count = 0;
	private errorCount = 0;
	private readonly errorsByType: Record<string, number> = {};
	private readonly latencies = new LatencyCollector();
	private latencySum = 0;
	private retries = 0;
	private backoffMs = 0;
	private readonly models = new ModelUsageAccumulator();
	/** Only when rows run more than once: a run of one trial a row keeps no per-row state. */
	private readonly trials: TrialsAccumulator | undefined;

	/** `trials`: tally pass@k per row (rows may run several trials). */
	constructor(options: { trials?: boolean } = {}) {
		if (options.trials) this.trials = new TrialsAccumulator();
	}

	add(sample: SummarizableSample): void {
		this.count++;
		this.addTrial(sample);
		this.retries += Math.max(0, (sample.attempts ?? 1) - 1);
		this.backoffMs += sample.timing?.backoffMs ?? 0;
		this.models.add(sample);
		// Samples that never ran the eval (attempts 0: a bad row) have no latency to report, nor do
		// samples the response cache answered (their latency is the cache's, not the model's).
		if ((sample.attempts ?? 1) > 0 && sample.timing && !answeredFromCache(sample)) {
			this.latencies.add(sample.timing.latencyMs);
			this.latencySum += sample.timing.latencyMs;
		}
		if (sample.error) {
			this.errorCount++;
			const type = sample.error.type || 'Error';
			this.errorsByType[type] = (this.errorsByType[type] ?? 0) + 1;
			return;
		}
		const firstSuccess = this.layout === null;
		if (firstSuccess) this.layout = [];
		for (const score of sample.scores) {
			for (const metricName of score.metrics) {
				const key = `${score.name}\u0000${metricName}`;
				let pair = this.pairs.get(key);
				if (!pair) {
					const custom = lookupMetric(metricName)?.aggregate === 'custom';
					pair = { score: score.name, metric: metricName, moments: emptyMoments(), values: custom ? [] : undefined };
					this.pairs.set(key, pair);
				}
				if (firstSuccess) this.layout!.push(key);
				const v = numericValue(score.value);
				if (v === undefined) continue;
				addValue(pair.moments, v);
				pair.values?.push(v);
			}
		}
	}

	get size(): number {
		return this.count;
	}

	get errors(): number {
		return this.errorCount;
	}

	/** Metrics so far (cheap enough for a live progress line). */
	metrics(): MetricSummary[] {
		const layout = new Set(this.layout ?? []);
		const out: MetricSummary[] = [];
		for (const [key, pair] of this.pairs) {
			const errors = layout.has(key) ? this.errorCount : 0;
			out.push(metricSummary(pair, errors));
		}
		return out;
	}

	summary(context: SummaryContext): EvalSummary {
		const wallMs = Math.max(0, context.wallMs);
		const live = this.count - this.models.cachedSamples;
		const summary: EvalSummary = {
			total: context.total,
			completed: this.count + (context.alreadyCompleted ?? 0),
			errors: this.errorCount,
			errorsByType: { ...this.errorsByType },
			metrics: this.metrics(),
			wallMs,
			samplesPerSecond: wallMs > 0 ? (live * 1000) / wallMs : 0,
			latency: this.latencies.summary(),
			strategy: context.strategy,
			maxInFlight: context.maxInFlight,
			speedup: wallMs > 0 ? this.latencySum / wallMs : 0,
			retries: this.retries,
			backoffMs: this.backoffMs,
		};
		const models = this.models.summary(wallMs);
		if (models) summary.models = models;
		const trials = this.trials?.summary();
		if (trials) summary.trials = trials;
		return summary;
	}

	private addTrial(sample: SummarizableSample): void {
		if (this.trials && sample.index !== undefined)
			this.trials.add({ index: sample.index, trial: sample.trial, passed: sample.passed ?? null, error: sample.error });
	}
}

function metricSummary(pair: PairState, errors: number): MetricSummary {
	const metric = lookupMetric(pair.metric);
	if (pair.values && metric) {
		// Custom metric: its own function over all values (errors as 0); no interval can be derived.
		const withErrors = errors > 0 ? pair.values.concat(new Array<number>(errors).fill(0)) : pair.values;
		const result: MetricSummary = { score: pair.score, metric: pair.metric, value: metric(withErrors) };
		if (errors > 0) result.valueExcludingErrors = metric(pair.values);
		return result;
	}
	// Mean-type metric (accuracy, mean, and unknown names): errors add n zeros, which leave the sums alone.
	const including: Moments = { ...pair.moments, n: pair.moments.n + errors };
	const estimate = estimateMean(including);
	const result: MetricSummary = { score: pair.score, metric: pair.metric, value: estimate.value };
	if (estimate.stderr !== undefined) result.stderr = estimate.stderr;
	if (estimate.ci95) result.ci95 = estimate.ci95;
	if (errors > 0) result.valueExcludingErrors = estimateMean(pair.moments).value;
	return result;
}

/** Summary of a whole collection of samples (array or any iterable, consumed once). */
export function summarize(samples: Iterable<SummarizableSample>, context: SummaryContext): EvalSummary {
	const acc = new SummaryAccumulator({ trials: true });
	for (const s of samples) acc.add(s);
	return acc.summary(context);
}
