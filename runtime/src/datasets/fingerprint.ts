/**
 * Dataset fingerprints: a SHA-256 over the rows a run covers, so a resumed experiment can notice that
 * its dataset changed. Rule: a dataset is only read ahead of the run when that is free of side effects
 * — arrays and the file loaders (re-iterable); for generators, one-shot iterables and dataset
 * functions `datasetFingerprint` returns null, and the executor's outcome carries the fingerprint of
 * the rows it actually read instead (`ExecuteOutcome.datasetFingerprint`).
 */
import { createHash, type Hash } from 'node:crypto';
import { toJsonSafe } from '../core/jsonSafe.js';
import { isInvalidRow, isReiterable } from './invalidRow.js';

export class RowHasher {
	private readonly hash: Hash = createHash('sha256');
	/** Rows' text not yet hashed: hashing it in pieces of ~64 KB, not two calls per row, costs a row a string append. */
	private pending = '';
	rows = 0;

	add(row: unknown): void {
		// Each row's text ends with '\n', so a piece never splits a character: the hash is that of the whole text.
		this.pending += `${isInvalidRow(row) ? `!invalid ${row.message}` : (JSON.stringify(toJsonSafe(row)) ?? 'null')}\n`;
		this.rows++;
		if (this.pending.length >= 65536) this.flush();
	}

	digest(): string {
		this.flush();
		return this.hash.digest('hex');
	}

	private flush(): void {
		if (this.pending) this.hash.update(this.pending);
		this.pending = '';
	}
}

/**
 * Fingerprint of the first `samples` rows (all rows when omitted) of a re-iterable dataset (an array,
 * or `jsonl()`/`csv()`/`json()`), or null for datasets that cannot be read twice. Equal to the hash in
 * `ExecuteOutcome.datasetFingerprint` when the run read the same rows.
 */
export async function datasetFingerprint(dataset: unknown, samples?: number): Promise<{ hash: string; rows: number } | null> {
	if (!isReiterable(dataset)) return null;
	const hasher = new RowHasher();
	const limit = samples ?? Infinity;
	if (limit <= 0) return { hash: hasher.digest(), rows: 0 };
	if (Array.isArray(dataset)) {
		for (let i = 0; i < dataset.length && i < limit; i++) hasher.add(dataset[i]);
	} else {
		for await (const row of dataset as AsyncIterable<unknown>) {
			hasher.add(row);
			if (hasher.rows >= limit) break;
		}
	}
	return { hash: hasher.digest(), rows: hasher.rows };
}
