/** What the history view shows for experiments and evaluations. Pure: store records in, labels out. */
import type { EvalStatus } from '../../../runtime/src/protocol/events.js';
import type { EvaluationInfo, ExperimentInfo } from '../../../runtime/src/store/types.js';
import { formatDate, formatDuration } from '../../../runtime/src/contracts/format.js';
import { headline, type Headline, type HeadlineState } from '../../../runtime/src/contracts/headline.js';

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

/** Codicons for the headline states (contracts/headline.ts): the lens's glyphs, as the view draws them. */
export const headlineIcon: Record<HeadlineState, string> = {
	running: 'sync~spin',
	'could-not-run': 'error',
	interrupted: 'debug-stop',
	errored: 'warning',
	failed: 'error',
	incomplete: 'circle-large-outline',
	passed: 'pass',
};

/**
 * Samples that passed, from the summary alone (no sample scan): the first accuracy metric times the
 * samples stored (the runtime counts an errored sample as 0). Null when the evaluation reports no accuracy.
 */
export function passedOf(e: EvaluationInfo): number | null {
	const accuracy = e.summary.metrics.find((m) => m.metric === 'accuracy');
	return accuracy ? Math.round(accuracy.value * e.summary.completed) : null;
}

export function evaluationHeadline(e: EvaluationInfo): Headline {
	const s = e.summary;
	return headline({ status: e.status, total: s.total, completed: s.completed, errors: s.errors, passed: passedOf(e) });
}

/** An experiment's figures over its evaluations: samples stored of the total, errors, accuracy, what a resume would run. */
export interface ExperimentFigures {
	completed: number;
	total: number | null;
	errors: number;
	passed: number | null;
	/** Samples never run or errored, over its evaluations. */
	left: number;
	state: HeadlineState;
}

const statePriority: HeadlineState[] = ['running', 'could-not-run', 'interrupted', 'errored', 'failed', 'incomplete', 'passed'];

export function experimentFigures(evaluations: readonly EvaluationInfo[]): ExperimentFigures {
	let completed = 0,
		errors = 0,
		left = 0,
		passed: number | null = 0,
		total: number | null = 0;
	let state: HeadlineState = 'passed';
	for (const e of evaluations) {
		const h = evaluationHeadline(e);
		const p = passedOf(e);
		completed += e.summary.completed;
		errors += e.summary.errors;
		left += h.left;
		passed = passed === null || p === null ? null : passed + p;
		total = total === null || e.summary.total === null ? null : total + e.summary.total;
		if (statePriority.indexOf(h.state) < statePriority.indexOf(state)) state = h.state;
	}
	return { completed, total, errors, passed, left, state };
}

/** Newest first (latest activity), ties by name. */
export function sortExperiments<T extends Pick<ExperimentInfo, 'updatedAt' | 'name'>>(experiments: readonly T[]): T[] {
	return [...experiments].sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
}

/** `87.5 % · 8/8 samples · 1 error · 2026-11-27 14:05`; without its evaluations, status and date only. */
export function experimentLabel(info: ExperimentInfo, evaluations?: readonly EvaluationInfo[]): HistoryLabel {
	const evals = `${info.evaluationCount} evaluation${info.evaluationCount === 1 ? '' : 's'}`;
	const tooltip = `${info.name}\n${info.status}, ${evals}\ncreated ${formatDate(info.createdAt)}, last activity ${formatDate(info.updatedAt)}`;
	if (!evaluations?.length) return { label: info.name, description: `${info.status} · ${formatDate(info.updatedAt)}`, tooltip, icon: statusIcon[info.status] };
	const f = experimentFigures(evaluations);
	// Accuracy as the runtime computes it: errored samples count as not passed.
	const parts = [
		...(f.passed !== null && f.completed > 0 ? [`${((f.passed / f.completed) * 100).toFixed(1).replace(/\.0$/, '')} %`] : []),
		`${f.completed}${f.total === null ? '' : `/${f.total}`} samples`,
		...(f.errors ? [`${f.errors} error${f.errors === 1 ? '' : 's'}`] : []),
		...(info.status === 'interrupted' ? ['interrupted'] : []),
		formatDate(info.updatedAt),
	];
	const resume = f.left > 0 && f.state !== 'running' ? `\nResume runs ${f.left} sample${f.left === 1 ? '' : 's'} (never run or errored)` : '';
	return { label: info.name, description: parts.join(' · '), tooltip: tooltip + resume, icon: headlineIcon[f.state] };
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
			...s.metrics.map(
				(m) => `${m.score} ${m.metric}: ${(m.value * 100).toFixed(1)} %${m.ci95 ? ` [${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]` : ''}`,
			),
			`wall ${formatDuration(s.wallMs)}, ${s.samplesPerSecond.toFixed(2)} samples/s, ${s.strategy.name}${s.strategy.maxConcurrency ? ` (${s.strategy.maxConcurrency})` : ''}`,
		].join('\n'),
		icon: headlineIcon[evaluationHeadline(info).state],
	};
}
