/**
 * A reporter turns the run's events (the same ones the jsonl stream carries) into output. The run
 * loop calls onEvent for each event in order and close() once at the end.
 */
import type { RunEvent } from '../protocol/events.js';

export interface Reporter {
	onEvent(event: RunEvent): void;
	/** Stop any animation and flush; called once, also on an interrupted run. */
	close(): void;
}

export type ReporterName = 'pretty' | 'jsonl';
export const reporterNames: readonly ReporterName[] = ['pretty', 'jsonl'];
