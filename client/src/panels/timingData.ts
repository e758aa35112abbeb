/**
 * Pure data shaping for the timing panel: samples in flight over time, the latency histogram and
 * percentiles, and the per-sample waterfall. The host runs these over the stored samples and posts
 * only the (small) results, so the webview never holds 100,000 samples.
 */
import type { LatencySummary, SampleTiming } from '../../../runtime/src/protocol/events.js';
import type { EvaluationInfo, SampleInfo } from '../../../runtime/src/store/types.js';
import type { HistogramBin, InFlightPoint, TimingView, WaterfallPhase, WaterfallRow } from './messages.js';
import { sampleStatus } from './resultsData.js';

/** Points of the in-flight chart; enough for a smooth line, few enough to draw instantly. */
export const MAX_INFLIGHT_POINTS = 1000;
export const WATERFALL_ROWS = 300;
export const MAX_HISTOGRAM_BINS = 30;

type Span = Pick<SampleTiming, 'queuedAt' | 'startedAt' | 'finishedAt'>;

/** The earliest `queuedAt`: time zero of every chart. */
export function timeOrigin(spans: readonly Span[]): number {
	let origin = Infinity;
	for (const span of spans) origin = Math.min(origin, span.queuedAt, span.startedAt);
	return Number.isFinite(origin) ? origin : 0;
}

/**
 * Samples in flight (started, not finished) as a step function: one point per instant where the
 * count changes. A sample finishing at the same millisecond another starts frees its slot first,
 * which is exactly what a sliding window does.
 */
export function inFlightSeries(spans: readonly Span[], origin = timeOrigin(spans)): InFlightPoint[] {
	const deltas = new Map<number, number>();
	for (const { startedAt, finishedAt } of spans) {
		const start = startedAt - origin;
		const end = Math.max(finishedAt, startedAt) - origin;
		deltas.set(start, (deltas.get(start) ?? 0) + 1);
		deltas.set(end, (deltas.get(end) ?? 0) - 1);
	}
	const points: InFlightPoint[] = [{ t: 0, inFlight: 0 }];
	let inFlight = 0;
	for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
		const delta = deltas.get(t) ?? 0;
		if (delta === 0) continue;
		inFlight += delta;
		if (points[points.length - 1].t === t) points[points.length - 1].inFlight = inFlight;
		else points.push({ t, inFlight });
	}
	return points;
}

/**
 * The highest count inside each instant-sized step is what matters (the window's limit), so a
 * plain "every k-th point" would hide peaks. Buckets keep the peak of each time slice.
 */
export function downsampleInFlight(points: readonly InFlightPoint[], maxPoints = MAX_INFLIGHT_POINTS): InFlightPoint[] {
	if (points.length <= maxPoints) return [...points];
	const end = points[points.length - 1].t;
	const width = end / (maxPoints - 1);
	const out: InFlightPoint[] = [];
	let i = 0;
	let carried = 0;
	for (let bucket = 0; bucket < maxPoints - 1; bucket++) {
		const bucketEnd = (bucket + 1) * width;
		let peak = carried;
		while (i < points.length && points[i].t < bucketEnd) {
			peak = Math.max(peak, points[i].inFlight);
			carried = points[i].inFlight;
			i++;
		}
		out.push({ t: bucket * width, inFlight: peak });
	}
	out.push({ t: end, inFlight: points[points.length - 1].inFlight });
	return out;
}

export function peakInFlight(points: readonly InFlightPoint[]): number {
	return points.reduce((peak, point) => Math.max(peak, point.inFlight), 0);
}

/** Linear interpolation between closest ranks (the usual "type 7" percentile); `sorted` ascending. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return 0;
	const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function latencySummary(latencies: readonly number[]): LatencySummary | null {
	if (latencies.length === 0) return null;
	const sorted = [...latencies].sort((a, b) => a - b);
	const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
	return {
		mean,
		p50: percentile(sorted, 50),
		p90: percentile(sorted, 90),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted[sorted.length - 1],
	};
}

/** The smallest 1, 2 or 5 × 10^k not below `raw`: bin edges people can read. */
export function niceStep(raw: number): number {
	if (!(raw > 0)) return 1;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= raw * (1 - 1e-9)) ?? 10 * magnitude;
}

/**
 * Equal-width bins with round edges (a 1/2/5 step), about √n of them and at most `maxBins`, from
 * the bin holding the fastest sample to the one holding the slowest.
 */
export function latencyHistogram(latencies: readonly number[], maxBins = MAX_HISTOGRAM_BINS): HistogramBin[] {
	if (latencies.length === 0) return [];
	let min = Infinity;
	let max = -Infinity;
	for (const value of latencies) {
		min = Math.min(min, value);
		max = Math.max(max, value);
	}
	if (max === min) return [{ fromMs: min, toMs: min, count: latencies.length }];
	const target = Math.max(1, Math.min(maxBins, Math.ceil(Math.sqrt(latencies.length))));
	// Whole-millisecond data (a clock with ms resolution) would leave empty bins below a step of 1.
	const wholeMs = latencies.every(Number.isInteger);
	let width = niceStep(Math.max(wholeMs ? 1 : 0, (max - min) / target));
	// Round edges can need one bin more than the target; widen the step if that breaks the cap.
	while (Math.floor(max / width) - Math.floor(min / width) + 1 > maxBins) width = niceStep(width * 1.01);
	const first = Math.floor(min / width);
	const binCount = Math.floor(max / width) - first + 1;
	const bins: HistogramBin[] = Array.from({ length: binCount }, (_, i) => ({ fromMs: (first + i) * width, toMs: (first + i + 1) * width, count: 0 }));
	for (const value of latencies) bins[Math.min(binCount - 1, Math.floor(value / width) - first)].count++;
	return bins;
}

/**
 * Waterfall lines in dataset order (a row's trials one after the other): queue wait from queued to
 * started, then the back-off (summed over retries), the rate-limit budget wait (summed over the
 * sample's model calls), the run time, and the judge calls until finished. Back-off is drawn before
 * the run because the last attempt is the one that ends the sample; budget waits precede the calls
 * they let out, and a judge grades the answer at the end. Each phase is clamped to the sample's
 * span, so clock rounding never draws past `finishedAt`.
 */
export function waterfallRows(samples: readonly TimingSample[], origin: number, limit = WATERFALL_ROWS): WaterfallRow[] {
	return [...samples]
		.sort((a, b) => a.index - b.index || (a.trial ?? 0) - (b.trial ?? 0))
		.slice(0, limit)
		.map((sample) => {
			const { queuedAt, startedAt, finishedAt, backoffMs, budgetMs = 0, judgeMs = 0 } = sample.timing;
			const queued = queuedAt - origin;
			const started = Math.max(queued, startedAt - origin);
			const finished = Math.max(started, finishedAt - origin);
			const backoffEnd = Math.min(finished, started + Math.max(0, backoffMs));
			const budgetEnd = Math.min(finished, backoffEnd + Math.max(0, budgetMs));
			const judgeStart = Math.max(budgetEnd, finished - Math.max(0, judgeMs));
			return {
				index: sample.index,
				...(sample.trial ? { trial: sample.trial } : {}),
				queue: [queued, started],
				backoff: [started, backoffEnd],
				budget: [backoffEnd, budgetEnd],
				run: [budgetEnd, judgeStart],
				judge: [judgeStart, finished],
				status: sampleStatus(sample),
			};
		});
}

const phaseLabels: Record<WaterfallPhase, string> = {
	queue: 'queue wait',
	backoff: 'back-off',
	budget: 'rate-limit wait',
	run: 'run',
	judge: 'judge',
};

/**
 * The phases the waterfall draws, in order, with their legend labels: queue wait, back-off and run
 * always; the rate-limit wait and judge only when a shown sample had some (an eval without model
 * calls keeps its three-phase legend).
 */
export function waterfallPhases(rows: readonly WaterfallRow[]): Array<{ phase: WaterfallPhase; label: string }> {
	const has = (phase: 'budget' | 'judge') => rows.some((row) => row[phase][1] > row[phase][0]);
	const phases: WaterfallPhase[] = ['queue', 'backoff', ...(has('budget') ? (['budget'] as const) : []), 'run', ...(has('judge') ? (['judge'] as const) : [])];
	return phases.map((phase) => ({ phase, label: phaseLabels[phase] }));
}

/** A waterfall line's label: `#3`, or `#3/t1` for a trial other than 0 (as `doteval show --full`). */
export function waterfallLabel(row: Pick<WaterfallRow, 'index' | 'trial'>): string {
	return row.trial ? `#${row.index}/t${row.trial}` : `#${row.index}`;
}

/** What the timing view needs of a sample; the host keeps only this while paging 100,000 samples. */
export type TimingSample = Pick<SampleInfo, 'index' | 'trial' | 'timing' | 'error' | 'passed'>;

export function toTimingSample(sample: SampleInfo): TimingSample {
	return { index: sample.index, ...(sample.trial ? { trial: sample.trial } : {}), timing: sample.timing, error: sample.error, passed: sample.passed };
}

/** The whole timing view of one evaluation from its stored samples. */
export function buildTimingView(evaluation: EvaluationInfo, samples: readonly TimingSample[]): TimingView {
	const { summary } = evaluation;
	const spans = samples.map((s) => s.timing);
	const origin = timeOrigin(spans);
	const series = inFlightSeries(spans, origin);
	const latencies = samples.map((s) => s.timing.latencyMs);
	return {
		experiment: evaluation.experiment,
		evalId: evaluation.evalId,
		name: evaluation.name,
		status: evaluation.status,
		strategy: strategyLabel(summary.strategy ?? evaluation.strategy),
		maxConcurrency: (summary.strategy ?? evaluation.strategy)?.maxConcurrency ?? null,
		samples: samples.length,
		wallMs: summary.wallMs,
		samplesPerSecond: summary.samplesPerSecond,
		speedup: summary.speedup,
		maxInFlight: Math.max(summary.maxInFlight, peakInFlight(series)),
		retries: summary.retries,
		backoffMs: summary.backoffMs,
		...(summary.models ? { models: summary.models } : {}),
		latency: summary.latency ?? latencySummary(latencies),
		histogram: latencyHistogram(latencies),
		inFlight: downsampleInFlight(series),
		waterfall: waterfallRows(samples, origin),
		waterfallOf: samples.length,
	};
}

export function strategyLabel(strategy: EvaluationInfo['strategy'] | undefined): string {
	if (!strategy) return 'unknown';
	return strategy.maxConcurrency !== undefined ? `${strategy.name}(${strategy.maxConcurrency})` : strategy.name;
}
