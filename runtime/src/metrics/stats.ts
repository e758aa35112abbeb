/**
 * Pure statistics for scores: means with a standard error and a 95 % interval.
 *
 * Proportions (every value 0 or 1, e.g. accuracy of pass/fail scores) get the Wilson score interval,
 * which stays inside [0, 1] and behaves at p = 0 or 1 and small n, where the normal approximation
 * collapses to a zero-width interval. Other means get mean ± t(0.975, n−1) · s/√n (Student's t, so a
 * handful of samples is not reported as more certain than it is).
 */

/** Running moments of a series: enough to report a mean, its standard error and an interval. */
export interface Moments {
	n: number;
	sum: number;
	sumSquares: number;
	/** Whether every value seen was exactly 0 or 1. */
	binary: boolean;
}

export function emptyMoments(): Moments {
	return { n: 0, sum: 0, sumSquares: 0, binary: true };
}

export function addValue(m: Moments, value: number): void {
	m.n++;
	m.sum += value;
	m.sumSquares += value * value;
	if (value !== 0 && value !== 1) m.binary = false;
}

export interface Estimate {
	value: number;
	stderr?: number;
	ci95?: [number, number];
	/** 'wilson' for 0/1 series, 't' for other means; absent when n < 1 (no interval). */
	interval?: 'wilson' | 't';
}

/** Wilson score interval for `successes` out of `n` at 95 % (z = 1.96). */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
	if (n <= 0) return [0, 1];
	const p = successes / n;
	const z2 = z * z;
	const denominator = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denominator;
	const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
	return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

// Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; beyond that the normal 1.96.
const T975 = [
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
	2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(degreesOfFreedom: number): number {
	if (degreesOfFreedom < 1) return Number.NaN;
	if (degreesOfFreedom <= 30) return T975[degreesOfFreedom - 1]!;
	if (degreesOfFreedom <= 60) return 2.0;
	if (degreesOfFreedom <= 120) return 1.98;
	return 1.96;
}

/** Mean, standard error and 95 % interval of the series summarised by `m`. */
export function estimateMean(m: Moments): Estimate {
	if (m.n === 0) return { value: 0 };
	const mean = m.sum / m.n;
	if (m.binary) {
		const stderr = Math.sqrt((mean * (1 - mean)) / m.n);
		return { value: mean, stderr: m.n >= 2 ? stderr : undefined, ci95: wilsonInterval(m.sum, m.n), interval: 'wilson' };
	}
	if (m.n < 2) return { value: mean };
	// Sample variance from the moments; clamp the tiny negatives floating point can produce.
	const variance = Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
	const stderr = Math.sqrt(variance / m.n);
	const half = tQuantile975(m.n - 1) * stderr;
	return { value: mean, stderr, ci95: [mean - half, mean + half], interval: 't' };
}

/** Convenience: the estimate of an array of numbers. */
export function meanWithInterval(values: Iterable<number>): Estimate {
	const m = emptyMoments();
	for (const v of values) addValue(m, v);
	return estimateMean(m);
}
