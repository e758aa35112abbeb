/** Which dataset indexes one run covers: `--samples N` (the first N), `--only-samples` (these), minus those already done. */
import type { ExecuteOptions } from '../core/types.js';

export class RowSelection {
	private readonly cap: number;
	private readonly only: ReadonlySet<number> | undefined;
	private readonly lastOnly: number;

	constructor(private readonly options: Pick<ExecuteOptions, 'samples' | 'only' | 'skip'>) {
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

	/** Completed by an earlier run of this experiment. */
	isDone(index: number): boolean {
		return this.options.skip.has(index);
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
