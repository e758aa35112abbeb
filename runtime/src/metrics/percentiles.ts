/**
 * Latency percentiles. Values are collected into a growable Float64Array (8 bytes a sample: 100k
 * latencies are 800 KB) and sorted once, in place, when the summary is built: a million latencies
 * are 8 MB, and a sorted copy (plus a JS array beside it) was most of a 1M-sample run's last peak.
 */
import type { LatencySummary } from '../protocol/events.js';

export class LatencyCollector {
	private values = new Float64Array(64);
	private count = 0;

	add(ms: number): void {
		if (!Number.isFinite(ms)) return;
		if (this.count === this.values.length) {
			const bigger = new Float64Array(this.values.length * 2);
			bigger.set(this.values);
			this.values = bigger;
		}
		this.values[this.count++] = ms;
	}

	get size(): number {
		return this.count;
	}

	/** The summary of the values so far. Sorts them in place (their order means nothing). */
	summary(): LatencySummary | null {
		const values = this.values.subarray(0, this.count);
		values.sort();
		return summaryOfSorted(values);
	}
}

/** Nearest-rank percentile (p in 0..100) of an ascending array. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** mean/p50/p90/p95/p99/max of latencies in ms; null when there are none. Does not modify the input. */
export function latencySummary(latencies: ArrayLike<number>): LatencySummary | null {
	return summaryOfSorted(Float64Array.from(latencies as ArrayLike<number>).sort());
}

function summaryOfSorted(sorted: Float64Array): LatencySummary | null {
	if (sorted.length === 0) return null;
	let sum = 0;
	for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
	return {
		mean: sum / sorted.length,
		p50: percentileOfSorted(sorted, 50),
		p90: percentileOfSorted(sorted, 90),
		p95: percentileOfSorted(sorted, 95),
		p99: percentileOfSorted(sorted, 99),
		max: sorted[sorted.length - 1]!,
	};
}
