/**
 * The lenses above each eval: run, debug, run a few samples, and the last result when the store
 * has one. Pure: definitions and a result lookup in, lenses out.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import { Commands, type EvalDefinition, type RunLensArgs } from '../../../runtime/src/contracts/editorProtocol.js';
import { headlineOf, percent } from './format';
import type { ResultView } from '../store/storeResults';
import { parseEvalId } from '../../../runtime/src/contracts/evalId.js';
import { formatDuration } from '../../../runtime/src/contracts/format.js';

export const sampleRunSize = 10;

/** What the lenses need of an eval: a whole definition, or the first scan's answer (discovery/quickScan.ts). */
export type LensTarget = Pick<EvalDefinition, 'id' | 'file' | 'dynamic'> & { range: { start: EvalDefinition['range']['start'] } };

/** `now`: the clock a running evaluation's lens reads its elapsed time against (the lens ticks while it runs). */
export function codeLenses(evals: readonly LensTarget[], lastResult: (evalId: string) => ResultView | undefined, now = Date.now()): CodeLens[] {
	const lenses: CodeLens[] = [];
	for (const e of evals) {
		const range = { start: e.range.start, end: e.range.start };
		if (e.dynamic) {
			// Its real ids exist only at run time: offer to run the whole file.
			const args: RunLensArgs = { evalId: parseEvalId(e.id).file, file: e.file };
			lenses.push({ range, command: { title: '▶ Run file (evals made at run time)', command: Commands.run, arguments: [args] } });
			continue;
		}
		const args: RunLensArgs = { evalId: e.id, file: e.file };
		lenses.push(
			{ range, command: { title: '▶ Run', command: Commands.run, arguments: [args] } },
			{ range, command: { title: 'Debug', command: Commands.debug, arguments: [args] } },
			{ range, command: { title: `Run ${sampleRunSize} samples`, command: Commands.runSamples, arguments: [{ ...args, samples: sampleRunSize }] } },
		);
		const last = lastResult(e.id);
		if (last) {
			const open: RunLensArgs = { evalId: e.id, file: e.file, experiment: last.experiment };
			lenses.push({ range, command: { title: resultTitle(last, now), command: Commands.openResults, arguments: [open] } });
			const resume = resumeTitle(last);
			if (resume) lenses.push({ range, command: { title: resume, command: Commands.resume, arguments: [open] } });
		}
	}
	return lenses;
}

/**
 * `✗ 7/8 · 87.5 % · 2.01 s · current`: passed of the samples stored, the headline metric, and how
 * much of the dataset ran when not all of it did (`· 1 of 20 ran`). The icon follows the headline rule.
 * While the evaluation runs, its wall time is as of `now` (the store's figure when read, plus the
 * time since), so the lens's timer ticks between store writes.
 */
export function resultTitle(r: ResultView, now = r.readAt): string {
	const s = r.evaluation.summary;
	const total = s.total ?? s.completed;
	const h = headlineOf(r.evaluation, r.passed);
	// An interrupted evaluation leads with what happened and how far it got, not with a pass count.
	const parts =
		r.evaluation.status === 'interrupted'
			? [`interrupted`, `${s.completed}/${total} ran`]
			: [r.passed === null ? `${s.completed}/${total}` : `${r.passed}/${s.completed}`];
	const metric = s.metrics[0];
	if (metric) parts.push(percent(metric.value));
	else if (r.passed !== null && s.completed > 0) parts.push(percent(r.passed / s.completed));
	if (r.evaluation.status !== 'interrupted' && s.completed < total) parts.push(`${s.completed} of ${total} ran`);
	const wallMs = r.evaluation.status === 'running' ? s.wallMs + Math.max(0, now - r.readAt) : s.wallMs;
	parts.push(formatDuration(wallMs), r.experiment);
	return `${h.icon} ${parts.join(' · ')}`;
}

/** `Resume · 4 of 8 left` when the experiment has samples never run or errored (none while it runs). */
export function resumeTitle(r: ResultView): string | undefined {
	const s = r.evaluation.summary;
	const h = headlineOf(r.evaluation, r.passed);
	if (r.evaluation.status === 'running' || s.total === null || h.left === 0) return undefined;
	return `Resume · ${h.left} of ${s.total} left`;
}
