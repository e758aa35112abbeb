/** Short human formats shared by lenses and hovers. */
import type { EvaluationInfo } from '../../../runtime/src/store/types';

export function percent(value: number): string {
	return `${(value * 100).toFixed(1).replace(/\.0$/, '')} %`;
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(2)} s`;
}

export function statusIcon(e: EvaluationInfo): string {
	if (e.status === 'running') return '◌';
	if (e.status === 'failed') return '✗';
	// ■, as the CLI prints it: ⏸ renders as an empty box in many editor fonts.
	if (e.status === 'interrupted') return '■';
	return e.summary.errors > 0 ? '⚠' : '✓';
}

/** The headline metric: the first one reported (accuracy for the usual exactMatch evals). */
export function headlineMetric(e: EvaluationInfo): { label: string; value: number } | undefined {
	const m = e.summary.metrics[0];
	return m && { label: `${m.score}.${m.metric}`, value: m.value };
}
