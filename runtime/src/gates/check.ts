/**
 * Checking quality gates on finished evaluations, as pure functions: thresholds on a summary's
 * metrics, and the regression test of a paired comparison against a baseline experiment.
 */
import type { EvalSummary, GateResult } from '../protocol/events.js';
import type { Comparison } from '../store/compare.js';
import { metricsMatching, thresholdName, type Threshold } from './thresholds.js';

const fixed = (n: number) => n.toFixed(3);
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(3)}`;

/**
 * Each threshold against the summary's metrics. An eval's own threshold that matches no metric
 * fails (a typo must not pass silently); a command-line one just does not apply to this eval
 * (checkUnmatched says when it applies to none).
 */
export function checkThresholds(summary: EvalSummary, thresholds: readonly Threshold[], source: 'eval' | 'cli'): GateResult[] {
	const results: GateResult[] = [];
	for (const t of thresholds) {
		const matched = metricsMatching(t, summary.metrics);
		if (matched.length === 0) {
			if (source === 'cli') continue;
			const reported = summary.metrics.map((m) => `${m.score}.${m.metric}`).join(', ') || 'none (no sample has a score)';
			results.push({
				kind: 'threshold',
				source,
				passed: false,
				metric: thresholdName(t),
				value: null,
				min: t.min,
				message: `threshold ${thresholdName(t)} ≥ ${t.min}: the evaluation reports no such metric (it reports: ${reported})`,
			});
			continue;
		}
		for (const m of matched) {
			const passed = m.value >= t.min;
			const ci = m.ci95 ? ` (95% CI ${fixed(m.ci95[0])}–${fixed(m.ci95[1])})` : '';
			results.push({
				kind: 'threshold',
				source,
				passed,
				metric: `${m.score}.${m.metric}`,
				value: m.value,
				min: t.min,
				message: `${m.score}.${m.metric} ${fixed(m.value)}${ci} ${passed ? '≥' : '<'} ${t.min}${source === 'cli' ? ' (--fail-under)' : ' (threshold)'}`,
			});
		}
	}
	return results;
}

/** Command-line thresholds that matched no metric of any evaluation in the run: each is a failure. */
export function checkUnmatched(thresholds: readonly Threshold[], seen: readonly EvalSummary[]): GateResult[] {
	const reported = [...new Set(seen.flatMap((s) => s.metrics.map((m) => `${m.score}.${m.metric}`)))];
	return thresholds
		.filter((t) => seen.every((s) => metricsMatching(t, s.metrics).length === 0))
		.map((t) => ({
			kind: 'threshold' as const,
			source: 'cli' as const,
			passed: false,
			metric: thresholdName(t),
			value: null,
			min: t.min,
			message: `--fail-under ${thresholdName(t)}=${t.min}: no evaluation reports this metric (reported: ${reported.join(', ') || 'none'})`,
		}));
}

/**
 * The regression gate: a score fails when the 95 % interval of the paired difference (now −
 * baseline) lies entirely below zero, i.e. the paired test says it dropped; a drop within the
 * noise passes, with its interval in the message.
 */
export function checkBaseline(c: Comparison, baseline: string): GateResult[] {
	if (c.paired === 0 || c.scores.length === 0) {
		return [
			{
				kind: 'baseline',
				passed: false,
				metric: '*',
				value: null,
				baseline,
				message: `against baseline ${baseline}: no sample is scored in both (paired ${c.paired}), so a regression cannot be ruled out`,
			},
		];
	}
	return c.scores.map((s) => {
		const dropped = s.ci95 !== undefined && s.ci95[1] < 0;
		const ci = s.ci95 ? ` [95% CI ${signed(s.ci95[0])}, ${signed(s.ci95[1])}]` : ' (no interval: fewer than 2 pairs)';
		const mcnemar =
			c.mcnemarP !== null
				? `; McNemar p = ${c.mcnemarP < 0.001 ? c.mcnemarP.toExponential(1) : c.mcnemarP.toFixed(3)} (${c.passToFail.length} pass→fail, ${c.failToPass.length} fail→pass)`
				: '';
		const verdict = dropped ? 'dropped' : s.delta < 0 ? 'no significant drop' : 'no drop';
		return {
			kind: 'baseline' as const,
			passed: !dropped,
			metric: s.score,
			value: s.b,
			baseline,
			baselineValue: s.a,
			delta: s.delta,
			...(s.ci95 ? { ci95: s.ci95 } : {}),
			pairs: s.pairs,
			mcnemarP: c.mcnemarP,
			message: `${s.score} ${verdict} against baseline ${baseline}: ${fixed(s.a)} → ${fixed(s.b)}, Δ ${signed(s.delta)}${ci} over ${s.pairs} paired samples${mcnemar}`,
		};
	});
}
