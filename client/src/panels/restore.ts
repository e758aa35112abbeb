/**
 * Bringing panels back after VS Code restarts: the view types and a strict reader of the state a
 * webview saved (webview state is data from the page, so it is checked before use).
 */
import type { PanelRestoreState } from './messages.js';

export const RESULTS_VIEW_TYPE = 'doteval.results';
export const TIMING_VIEW_TYPE = 'doteval.timing';

/** The restore state inside a webview's saved state (results nest it under `restore`), or undefined. */
export function parseRestoreState(saved: unknown): PanelRestoreState | undefined {
	const candidate = isObject(saved) && isObject(saved.restore) ? saved.restore : saved;
	if (!isObject(candidate) || typeof candidate.storePath !== 'string' || candidate.storePath === '') return undefined;
	const { panel, storePath } = candidate;
	if ((panel === 'results' || panel === 'timing') && typeof candidate.experiment === 'string' && typeof candidate.evalId === 'string') {
		return { panel, storePath, experiment: candidate.experiment, evalId: candidate.evalId };
	}
	if (
		panel === 'compare' &&
		Array.isArray(candidate.experiments) &&
		candidate.experiments.length > 0 &&
		candidate.experiments.every((e) => typeof e === 'string')
	) {
		return { panel, storePath, experiments: candidate.experiments as string[] };
	}
	return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
