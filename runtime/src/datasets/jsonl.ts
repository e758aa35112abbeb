import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as path from 'node:path';
import { invalidRow, markReiterable, type InvalidRow } from './invalidRow.js';
import { stripBom } from './bom.js';

/** A dataset read lazily from a file (jsonl, csv, json): re-readable, yields an InvalidRow for a row it cannot parse. */
export interface FileDataset<T = unknown> extends AsyncIterable<T | InvalidRow> {
	readonly path: string;
}

/**
 * Rows of a JSON Lines file, one JSON value per line, read lazily (a 1,000,000-line file is never held
 * in memory). Blank lines are skipped. A malformed line becomes an error sample naming file:line; the
 * run goes on. Each iteration re-reads the file from the start.
 * @example foreach('question,answer', jsonl('data/gsm8k.jsonl'))(...)
 */
export function jsonl<T = Record<string, any>>(file: string): FileDataset<T> {
	if (typeof file !== 'string' || file === '') throw new TypeError('jsonl(path): path must be a file path string');
	const absolute = path.resolve(file);
	return markReiterable({
		path: absolute,
		async *[Symbol.asyncIterator](): AsyncGenerator<T | InvalidRow> {
			const lines = createInterface({ input: createReadStream(absolute, { encoding: 'utf8' }), crlfDelay: Infinity });
			let lineNumber = 0;
			try {
				for await (const line of lines) {
					lineNumber++;
					if (line.trim() === '') continue;
					try {
						yield JSON.parse(lineNumber === 1 ? stripBom(line) : line) as T;
					} catch (error) {
						yield invalidRow(
							`${absolute}:${lineNumber}: invalid JSON (${(error as Error).message}); fix or remove this line — each line must be one JSON value`,
						);
					}
				}
			} finally {
				lines.close();
			}
		},
	});
}
