/**
 * Opens a dataset for one run: calls a dataset function (once), then returns a sync or async iterator.
 * Arrays and other sync iterables stay sync so the executor pays no await per row.
 */
export interface OpenedDataset {
	next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
	async: boolean;
	/** Row count when known up front (arrays). */
	length: number | null;
	close(): Promise<void>;
}

export async function openDataset(dataset: unknown): Promise<OpenedDataset> {
	let d = dataset;
	if (typeof d === 'function') d = await (d as () => unknown)();
	if (d && typeof (d as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		const it = (d as AsyncIterable<unknown>)[Symbol.asyncIterator]();
		return { next: () => it.next(), async: true, length: null, close: async () => void (await it.return?.()) };
	}
	if (d && typeof d !== 'string' && typeof (d as Iterable<unknown>)[Symbol.iterator] === 'function') {
		const it = (d as Iterable<unknown>)[Symbol.iterator]();
		return { next: () => it.next(), async: false, length: Array.isArray(d) ? d.length : null, close: async () => void it.return?.() };
	}
	throw new TypeError(
		`the dataset must be an array, an iterable or an async iterable (or a function returning one); the dataset function returned ${d === null ? 'null' : typeof d}`,
	);
}
