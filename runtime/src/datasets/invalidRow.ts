/**
 * A dataset row that could not be read (a malformed JSONL line, a bad CSV record). Loaders yield it in
 * the row's place, so indexes stay stable; the executor records it as an error sample and goes on.
 */
const INVALID_ROW = Symbol.for('doteval.invalidRow');

/** A row a loader could not read; the executor records it as an error sample. */
export interface InvalidRow {
	readonly [INVALID_ROW]: true;
	/** Error type for the sample record, e.g. 'DatasetRowError'. */
	readonly type: string;
	/** Names file:line and the fix. */
	readonly message: string;
}

/**
 * For your own loaders: yield this in place of a row that cannot be read, so the run records it and goes on.
 * @example yield invalidRow(`${file}:${line}: not valid JSON; fix the line`);
 */
export function invalidRow(message: string, type = 'DatasetRowError'): InvalidRow {
	return { [INVALID_ROW]: true, type, message } as InvalidRow;
}

/** True for a row made by `invalidRow()` (any copy of the runtime). */
export function isInvalidRow(x: unknown): x is InvalidRow {
	return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[INVALID_ROW] === true;
}

const REITERABLE = Symbol.for('doteval.reiterable');

/** Marks a dataset that can be iterated more than once from the start (file loaders): a fingerprint may read it ahead of the run. */
export function markReiterable<T extends object>(dataset: T): T {
	Object.defineProperty(dataset, REITERABLE, { value: true });
	return dataset;
}

export function isReiterable(x: unknown): boolean {
	return Array.isArray(x) || (typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[REITERABLE] === true);
}
