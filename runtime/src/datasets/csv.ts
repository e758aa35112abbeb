import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { parse, type Options as CsvParseOptions } from 'csv-parse';
import { invalidRow, markReiterable, type InvalidRow } from './invalidRow.js';
import type { FileDataset } from './jsonl.js';

/** csv-parse options for `csv(path, options)` (those that would drop rows silently are excluded). */
export type CsvOptions = Omit<CsvParseOptions, 'info' | 'on_skip' | 'onSkip' | 'skip_records_with_error' | 'skipRecordsWithError'>;

/**
 * Rows of a CSV file, parsed lazily with csv-parse. By default the first line is the header and rows
 * are objects keyed by it (`columns: true`); any csv-parse option may be given (`delimiter`, `cast`,
 * `columns: false` for arrays, …). A malformed record becomes an error sample naming file:line; the
 * run goes on.
 * @example foreach('text,expected', csv('data/sentiment.csv'))(...)
 */
export function csv<T = Record<string, string>>(file: string, options: CsvOptions = {}): FileDataset<T> {
	if (typeof file !== 'string' || file === '') throw new TypeError('csv(path, options): path must be a file path string');
	const absolute = path.resolve(file);
	return markReiterable({
		path: absolute,
		async *[Symbol.asyncIterator](): AsyncGenerator<T | InvalidRow> {
			// Skipped records are reported through on_skip, possibly before records that precede them
			// are consumed; ordering by line keeps every row at its index.
			const skipped: Array<{ line: number; message: string }> = [];
			const parser = createReadStream(absolute).pipe(
				parse({
					columns: true,
					skip_empty_lines: true,
					bom: true, // Excel's "CSV UTF-8" starts with one; kept, it would rename the first column
					...options,
					info: true,
					skip_records_with_error: true,
					on_skip: (error) => {
						const line = (error as { lines?: number } | undefined)?.lines ?? 0;
						skipped.push({ line, message: error?.message ?? 'unreadable record' });
						return undefined;
					},
				}),
			);
			const describeSkip = (s: { line: number; message: string }) =>
				invalidRow(
					`${absolute}:${s.line}: malformed CSV record (${s.message}); fix this line (quote fields that contain the delimiter or quotes) or remove it`,
				);
			for await (const item of parser as AsyncIterable<{ record: T; info: { lines: number } }>) {
				while (skipped.length > 0 && skipped[0]!.line < item.info.lines) yield describeSkip(skipped.shift()!);
				yield item.record;
			}
			while (skipped.length > 0) yield describeSkip(skipped.shift()!);
		},
	});
}
