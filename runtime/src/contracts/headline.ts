/**
 * An evaluation's headline, one rule for every place that shows it: the result lens and the hover
 * (server), the Test Explorer's eval item and the Experiments view (client). Pure.
 *
 * The state says what a user should look at first: a run in progress, a run that could not start,
 * an interrupted one, errors, failed samples, samples not run yet (a partial run, resumable), or all
 * passed. A check mark only when every sample of the whole dataset ran and passed.
 */
import type { EvalStatus } from '../protocol/events.js';

export type HeadlineState = 'running' | 'could-not-run' | 'interrupted' | 'errored' | 'failed' | 'incomplete' | 'passed';

export interface HeadlineFacts {
	status: EvalStatus;
	/** Samples the evaluation covers (null: unknown). */
	total: number | null;
	/** Samples stored, errored ones included. */
	completed: number;
	errors: number;
	/** Samples that passed; null when the store cannot tell. */
	passed: number | null;
}

export interface Headline {
	state: HeadlineState;
	/** A glyph every editor font has (no ⏸, which renders as an empty box in many). */
	icon: string;
	/** Samples a resume would run: never run, or errored. */
	left: number;
	/** Samples with a verdict that did not pass (errors excluded). */
	failed: number;
}

export const headlineIcons: Record<HeadlineState, string> = {
	running: '◌',
	'could-not-run': '✗',
	interrupted: '■',
	errored: '⚠',
	failed: '✗',
	incomplete: '◐',
	passed: '✓',
};

export function headline(f: HeadlineFacts): Headline {
	const left = f.total === null ? f.errors : Math.max(0, f.total - (f.completed - f.errors));
	const failed = f.passed === null ? 0 : Math.max(0, f.completed - f.errors - f.passed);
	const state: HeadlineState =
		f.status === 'running'
			? 'running'
			: f.status === 'failed'
				? 'could-not-run'
				: f.status === 'interrupted'
					? 'interrupted'
					: f.errors > 0
						? 'errored'
						: failed > 0
							? 'failed'
							: left > 0
								? 'incomplete'
								: 'passed';
	return { state, icon: headlineIcons[state], left, failed };
}
