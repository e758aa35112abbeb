/** What the history view shows for experiments and evaluations. Pure: store records in, labels out. */
import type { EvalStatus } from '../../../runtime/src/protocol/events.js';
import type { EvaluationInfo, ExperimentInfo } from '../../../runtime/src/store/types.js';
import { formatDate, formatDuration } from '../../../runtime/src/contracts/format.js';

export interface HistoryLabel {
	label: string;
	description: string;
	tooltip: string;
	/** A codicon id for the status. */
	icon: string;
}

export const statusIcon: Record<EvalStatus, string> = {
	running: 'sync~spin',
	completed: 'pass',
	interrupted: 'debug-pause',
	failed: 'error',
};

/** Newest first (latest activity), ties by name. */
export function sortExperiments<T extends Pick<ExperimentInfo, 'updatedAt' | 'name'>>(experiments: readonly T[]): T[] {
	return [...experiments].sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
}

export function experimentLabel(info: ExperimentInfo): HistoryLabel {
	const evals = `${info.evaluationCount} evaluation${info.evaluationCount === 1 ? '' : 's'}`;
	return {
		label: info.name,
		description: `${info.status} · ${formatDate(info.updatedAt)}`,
		tooltip: `${info.name}\n${info.status}, ${evals}\ncreated ${formatDate(info.createdAt)}, last activity ${formatDate(info.updatedAt)}`,
		icon: statusIcon[info.status],
	};
}

export function evaluationLabel(info: EvaluationInfo): HistoryLabel {
	const s = info.summary;
	const metrics = s.metrics.map((m) => `${m.metric} ${(m.value * 100).toFixed(1)} %`);
	const errors = s.errors ? [`${s.errors} error${s.errors === 1 ? '' : 's'}`] : [];
	const parts = [...metrics, ...errors, formatDuration(s.wallMs), formatDate(info.finishedAt ?? info.startedAt)];
	const total = s.total === null ? '' : `/${s.total}`;
	return {
		label: info.name,
		description: parts.join(' · '),
		tooltip: [
			`${info.evalId} (${info.status})`,
			`${s.completed}${total} samples, ${s.errors} errors`,
			...s.metrics.map((m) => `${m.score} ${m.metric}: ${(m.value * 100).toFixed(1)} %${m.ci95 ? ` [${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]` : ''}`),
			`wall ${formatDuration(s.wallMs)}, ${s.samplesPerSecond.toFixed(2)} samples/s, ${s.strategy.name}${s.strategy.maxConcurrency ? ` (${s.strategy.maxConcurrency})` : ''}`,
		].join('\n'),
		icon: statusIcon[info.status],
	};
}
