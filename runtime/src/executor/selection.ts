/** Which dataset indexes one run covers: `--samples N` (the first N), `--only-samples` (these), minus those already done. */
import type { ExecuteOptions } from '../core/types.js';

const noTrials: readonly number[] = Object.freeze([]);
const firstTrialOnly: readonly number[] = Object.freeze([0]);

export class RowSelection {
	private readonly cap: number;
	private readonly only: ReadonlySet<number> | undefined;
	private readonly lastOnly: number;

	/** Times each row runs. */
	readonly trials: number;
	private readonly skipTrials: ReadonlyArray<ReadonlySet<number>>;

	constructor(
		private readonly options: Pick<ExecuteOptions, 'samples' | 'only' | 'skip' | 'take' | 'skipTrials'>,
		trials = 1,
	) {
		this.trials = trials;
		this.skipTrials = options.skipTrials ?? [options.skip];
		this.cap = options.samples ?? Infinity;
		this.only = options.only;
		let last = options.only ? -1 : Infinity;
		for (const i of options.only ?? []) if (i > last) last = i;
		this.lastOnly = last;
	}

	/** No row from `index` on is wanted: stop reading the dataset. */
	isPastEnd(index: number): boolean {
		return index >= this.cap || index > this.lastOnly;
	}

	/** Not in `--only-samples`: read (for the fingerprint) but neither run nor counted. */
	isExcluded(index: number): boolean {
		return this.only !== undefined && !this.only.has(index);
	}

	/** This process's share (--shard, --workers-join); a Promise while a chunk is being claimed. */
	isTaken(index: number): boolean | Promise<boolean> {
		return this.options.take?.(index) ?? true;
	}

	/** The row's trials not completed by an earlier run of this experiment, in order (empty: all done). Read-only: shared between rows. */
	trialsToRun(index: number): readonly number[] {
		// The common case, a single trial still to run, allocates nothing per row.
		if (this.trials === 1) return this.skipTrials[0]?.has(index) ? noTrials : firstTrialOnly;
		const out: number[] = [];
		for (let t = 0; t < this.trials; t++) if (!this.skipTrials[t]?.has(index)) out.push(t);
		return out;
	}

	/** Samples covered by a dataset of `rows` rows. */
	totalFor(rows: number): number {
		const covered = Math.min(rows, this.cap);
		if (!this.only) return covered;
		let n = 0;
		for (const i of this.only) if (i < covered) n++;
		return n;
	}
}
