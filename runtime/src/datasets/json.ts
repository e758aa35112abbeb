import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { markReiterable, type InvalidRow } from './invalidRow.js';
import type { FileDataset } from './jsonl.js';
import { stripBom } from './bom.js';

/**
 * Rows of a JSON file holding an array (or an object with exactly one array property, such as
 * `{ "data": [...] }`). The file is read when the run starts, not when the eval is defined; unlike
 * jsonl() and csv() the whole file is parsed at once — use JSON Lines for very large datasets.
 * @example foreach('question,answer', json('data/questions.json'))(...)
 */
export function json<T = any>(file: string): FileDataset<T> {
	if (typeof file !== 'string' || file === '') throw new TypeError('json(path): path must be a file path string');
	const absolute = path.resolve(file);
	return markReiterable({
		path: absolute,
		async *[Symbol.asyncIterator](): AsyncGenerator<T | InvalidRow> {
			const text = stripBom(await readFile(absolute, 'utf8'));
			let data: unknown;
			try {
				data = JSON.parse(text);
			} catch (error) {
				throw new Error(`${absolute}: invalid JSON (${(error as Error).message}); fix the file, or use jsonl() so one bad line does not stop the dataset`, {
					cause: error,
				});
			}
			if (!Array.isArray(data) && data && typeof data === 'object') {
				const arrays = Object.values(data).filter(Array.isArray);
				if (arrays.length === 1) data = arrays[0];
			}
			if (!Array.isArray(data))
				throw new Error(`${absolute}: expected a JSON array of rows (or an object with one array property); got ${data === null ? 'null' : typeof data}`);
			yield* data as T[];
		},
	});
}
