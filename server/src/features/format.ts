/** Short human formats shared by lenses and hovers. */
import type { MetricSummary } from '../../../runtime/src/protocol/events.js';
import type { EvaluationInfo } from '../../../runtime/src/store/types.js';
import { headline, type Headline } from '../../../runtime/src/contracts/headline.js';

export function percent(value: number): string {
	return `${(value * 100).toFixed(1).replace(/\.0$/, '')} %`;
}

/** The evaluation's headline (contracts/headline.ts: the rule the Test Explorer and the Experiments view use too). */
export function headlineOf(e: EvaluationInfo, passed: number | null): Headline {
	const s = e.summary;
	return headline({ status: e.status, total: s.total, completed: s.completed, errors: s.errors, passed });
}

export function statusIcon(e: EvaluationInfo, passed: number | null = null): string {
	return headlineOf(e, passed).icon;
}

/** The headline metric: the first one reported (accuracy for the usual exactMatch evals). */
export function headlineMetric(e: EvaluationInfo): { label: string; value: number } | undefined {
	const m = e.summary.metrics[0];
	return m && { label: `${m.score}.${m.metric}`, value: m.value };
}

/**
 * `exactMatch.accuracy 87.5 % (95 % CI 52.9–97.8 %)`: the runtime's interval (Wilson for pass/fail
 * scores, so 8 samples all passed read 67.6–100 %, not `± 0 %`), else the standard error, else the value.
 */
export function metricText(m: Pick<MetricSummary, 'score' | 'metric' | 'value' | 'stderr' | 'ci95'>): string {
	const name = `${m.score}.${m.metric} ${percent(m.value)}`;
	if (m.ci95) return `${name} (95 % CI ${percentRange(m.ci95[0], m.ci95[1])})`;
	return m.stderr === undefined ? name : `${name} ± ${percent(m.stderr)}`;
}

function percentRange(low: number, high: number): string {
	return `${percent(low).replace(' %', '')}–${percent(high)}`;
}
