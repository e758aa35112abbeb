// Order statistics for benchmark samples: every figure in the table is a median with its min–max.

export function median(values) {
	return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]) of a list of numbers. */
export function quantile(values, q) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** { median, min, max, n, values } of a list of numbers. */
export function summarize(values) {
	const finite = values.filter((v) => Number.isFinite(v));
	return {
		median: median(finite),
		min: finite.length ? Math.min(...finite) : NaN,
		max: finite.length ? Math.max(...finite) : NaN,
		n: finite.length,
		values: finite,
	};
}

/**
 * Ratio of two paired series (a[i] / b[i] for runs made side by side), summarized: pairing the runs
 * of one round cancels most of the drift between rounds.
 */
export function pairedRatio(a, b) {
	const n = Math.min(a.length, b.length);
	const ratios = [];
	for (let i = 0; i < n; i++) ratios.push(a[i] / b[i]);
	return summarize(ratios);
}
