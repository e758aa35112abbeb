/**
 * What the CI reporters (junit, github) keep of a run's events: per evaluation its start, its end
 * (summary, gates, failure), its failed and errored samples (the first ones in full, the rest
 * counted, so a run of 100,000 failing samples stays small), plus load errors and the run's end.
 */
import type { EvalEndEvent, EvalStartEvent, LoadErrorEvent, RunEndEvent, RunEvent, RunStartEvent, SampleError } from '../protocol/events.js';

export interface ErroredSample {
	index: number;
	error: SampleError;
}

export interface EvalRecord {
	start: EvalStartEvent;
	end?: EvalEndEvent;
	/** Indexes of samples that failed a check, in the order they finished (the first `keep`). */
	failed: number[];
	failedCount: number;
	errored: ErroredSample[];
	erroredCount: number;
}

export interface RunRecord {
	start?: RunStartEvent;
	evals: EvalRecord[];
	loadErrors: LoadErrorEvent[];
	end?: RunEndEvent;
}

export function createRunCollector(keep = 50): { record: RunRecord; onEvent(event: RunEvent): void } {
	const record: RunRecord = { evals: [], loadErrors: [] };
	const byId = new Map<string, EvalRecord>();
	return {
		record,
		onEvent(event) {
			switch (event.type) {
				case 'run-start':
					record.start = event;
					break;
				case 'load-error':
					record.loadErrors.push(event);
					break;
				case 'eval-start': {
					const ev: EvalRecord = { start: event, failed: [], failedCount: 0, errored: [], erroredCount: 0 };
					byId.set(event.evalId, ev);
					record.evals.push(ev);
					break;
				}
				case 'sample-end': {
					const ev = byId.get(event.evalId);
					if (!ev) break;
					if (event.error) {
						ev.erroredCount++;
						if (ev.errored.length < keep) ev.errored.push({ index: event.index, error: event.error });
					} else if (event.passed === false) {
						ev.failedCount++;
						if (ev.failed.length < keep) ev.failed.push(event.index);
					}
					break;
				}
				case 'eval-end': {
					const ev = byId.get(event.evalId);
					if (ev) ev.end = event;
					break;
				}
				case 'run-end':
					record.end = event;
					break;
				case 'sample-start':
					break;
			}
		},
	};
}
