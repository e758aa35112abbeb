/** Shared helpers for runtime tests: run an eval in-process and collect what the executor reports. */
import type { ExecuteOptions, ExecuteOutcome } from '../../runtime/src/core/types.js';
import type { SampleEndEvent } from '../../runtime/src/protocol/events.js';
import { executeEval, getEvalDefinition } from '../../runtime/src/runner/index.js';

export type Sample = Omit<SampleEndEvent, 'type' | 'evalId'>;

export interface RunResult {
	outcome: ExecuteOutcome;
	samples: Sample[];
	starts: Array<[number, number]>;
}

export async function run(evalObject: unknown, options: Partial<ExecuteOptions> = {}): Promise<RunResult> {
	const def = getEvalDefinition(evalObject);
	if (!def) throw new Error('not an eval');
	const samples: Sample[] = [];
	const starts: Array<[number, number]> = [];
	const outcome = await executeEval(def, {
		skip: new Set(),
		signal: new AbortController().signal,
		runScope: undefined,
		onSampleStart: (index, attempt) => starts.push([index, attempt]),
		onSampleEnd: (sample) => samples.push(sample),
		...options,
	});
	return { outcome, samples, starts };
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Tracks how many calls are in flight at once. */
export function inFlightProbe() {
	let current = 0;
	let max = 0;
	return {
		get max() {
			return max;
		},
		async around<T>(fn: () => Promise<T>): Promise<T> {
			current++;
			max = Math.max(max, current);
			try {
				return await fn();
			} finally {
				current--;
			}
		},
	};
}
