/**
 * Row → eval arguments. Arrays/tuples map by position, plain objects by key (missing keys → undefined,
 * extra keys ignored), a scalar maps to the single column. A row with fewer values than columns, or a
 * scalar for several columns, is an error record (`RowMappingError`) naming the row and both counts.
 */
import { isInvalidRow } from '../datasets/invalidRow.js';
import { toJsonSafe } from '../core/jsonSafe.js';

export class RowMappingError extends Error {
	override name = 'RowMappingError';
}

/** The row as a sample record stores it (what a resumed run compares with the stored one). */
export function storedRowOf(raw: unknown, columns: readonly string[], index: number): Record<string, unknown> {
	if (isInvalidRow(raw)) return {};
	const mapped = mapRow(raw, columns, index);
	return (mapped instanceof RowMappingError ? { row: toJsonSafe(raw) } : toJsonSafe(mapped)) as Record<string, unknown>;
}

export function mapRow(row: unknown, columns: readonly string[], index: number): Record<string, unknown> | RowMappingError {
	const out: Record<string, unknown> = {};
	if (Array.isArray(row)) {
		if (row.length < columns.length) {
			return new RowMappingError(
				`row ${index} has ${row.length} value${row.length === 1 ? '' : 's'} but ${columns.length} columns are declared (${columns.join(', ')}); give every row ${columns.length} values, or declare fewer columns`,
			);
		}
		for (let i = 0; i < columns.length; i++) out[columns[i]!] = row[i];
		return out;
	}
	if (row !== null && typeof row === 'object' && !(row instanceof Date) && !ArrayBuffer.isView(row)) {
		const obj = row as Record<string, unknown>;
		if (columns.length === 1 && !(columns[0]! in obj)) {
			out[columns[0]!] = row; // one column, an object without that key: the object is the value
			return out;
		}
		for (const c of columns) out[c] = obj[c];
		return out;
	}
	if (columns.length === 1) {
		out[columns[0]!] = row;
		return out;
	}
	return new RowMappingError(
		`row ${index} is a single value (${typeof row}) but ${columns.length} columns are declared (${columns.join(', ')}); use an array or an object per row`,
	);
}
