/**
 * The changed-dataset check of a resumed evaluation: the rows its stored samples were made from,
 * compared with the rows the dataset yields now, one by one as the executor reads them (so it
 * covers generators and dataset functions, which cannot be read ahead). Only rows of samples that
 * are kept (completed without error) count: rows never covered, and rows of errored samples, which
 * run again, may change.
 */
import { createHash } from 'node:crypto';
import type { ExecuteOptions } from '../../core/types.js';
import type { StoreReader } from '../../store/types.js';
import { oneLine } from '../format/style.js';

// A digest per stored row, not the row: a resume of 100,000 samples keeps 100,000 short strings.
const digest = (row: unknown): string =>
	createHash('sha256')
		.update(JSON.stringify(row) ?? 'null')
		.digest('base64');

export async function storedRowsCheck(
	store: StoreReader,
	experiment: string,
	evalId: string,
	completed: ReadonlySet<number>,
): Promise<ExecuteOptions['storedRows']> {
	if (completed.size === 0) return undefined;
	const digests = new Map<number, string>();
	const pageSize = 1000;
	for (let offset = 0; ; offset += pageSize) {
		const page = await store.samples(experiment, evalId, { offset, limit: pageSize });
		for (const sample of page.samples) if (completed.has(sample.index)) digests.set(sample.index, digest(sample.row));
		if (page.samples.length < pageSize) break;
	}
	let lastIndex = -1;
	for (const index of digests.keys()) if (index > lastIndex) lastIndex = index;
	return {
		lastIndex,
		differs(index, row) {
			const stored = digests.get(index);
			if (stored === undefined || stored === digest(row)) return undefined;
			return (
				`the dataset of ${evalId} changed since experiment '${experiment}' stored its samples: row ${index} is now ${oneLine(row, 100)}, ` +
				`not the row its stored sample was made from (doteval show ${experiment} --full lists them); resuming would mix results of two datasets. ` +
				'Run with a new --experiment NAME, or pass --force to resume anyway.'
			);
		},
	};
}
