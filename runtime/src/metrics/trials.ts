/**
 * pass@k, pass^k and unstable rows of an evaluation whose rows ran k times (`trials: k`). One pure
 * function over per-row tallies, fed by the executor's accumulator during a run and by the stores'
 * SQL (a GROUP BY over the samples) afterwards, so both give the same figures.
 *
 * With exactly k trials per row, pass@k is the share of rows with at least one passing trial and
 * pass^k the share with every trial passing (the unbiased estimators for n = k trials reduce to these).
 */
import type { TrialsSummary } from '../protocol/events.js';

export interface RowTrials {
	index: number;
	/** Trials stored for the row. */
	trials: number;
	/** Of them, passed (sample `passed` true). */
	passed: number;
	/** Of them, with a pass/fail outcome (`passed` not null; errors count as failed). */
	judged: number;
}

const UNSTABLE_LISTED = 20;

/** More trials than this is a mistake (a row count passed as trials), not an experiment. */
export const MAX_TRIALS = 1000;

/** `k`: trials per row (highest trial + 1). Undefined when no row ran more than once. */
export function summarizeTrials(rows: Iterable<RowTrials>, k: number): TrialsSummary | undefined {
	if (k < 2) return undefined;
	let complete = 0;
	let incomplete = 0;
	let any = 0;
	let all = 0;
	let passedTrials = 0;
	let unstable = 0;
	const unstableIndexes: number[] = [];
	for (const row of rows) {
		if (row.trials < k) {
			incomplete++;
			continue;
		}
		if (row.judged < row.trials) continue; // no pass/fail outcome on some trial: nothing to rate
		complete++;
		passedTrials += row.passed;
		if (row.passed > 0) any++;
		if (row.passed === row.trials) all++;
		if (row.passed > 0 && row.passed < row.trials) {
			unstable++;
			unstableIndexes.push(row.index);
		}
	}
	unstableIndexes.sort((a, b) => a - b);
	const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
	return {
		k,
		rows: complete,
		incomplete,
		passAtK: share(any, complete),
		passHatK: share(all, complete),
		passAt1: share(passedTrials, complete * k),
		unstable,
		unstableIndexes: unstableIndexes.slice(0, UNSTABLE_LISTED),
	};
}

/** Tallies trials row by row as samples end (the executor's side; memory: one entry per row run). */
export class TrialsAccumulator {
	private readonly rows = new Map<number, RowTrials>();
	private k = 1;

	add(sample: { index: number; trial?: number; passed: boolean | null; error: unknown }): void {
		const trial = sample.trial ?? 0;
		if (trial + 1 > this.k) this.k = trial + 1;
		let row = this.rows.get(sample.index);
		if (!row) this.rows.set(sample.index, (row = { index: sample.index, trials: 0, passed: 0, judged: 0 }));
		row.trials++;
		if (sample.passed === true) row.passed++;
		if (sample.passed !== null || sample.error) row.judged++;
	}

	summary(): TrialsSummary | undefined {
		return summarizeTrials(this.rows.values(), this.k);
	}
}
