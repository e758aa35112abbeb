/**
 * The types an eval function receives, computed from the column spec and the dataset's row type:
 * tuples and arrays by position, objects by key, a scalar for a single column (as rows.ts maps them
 * at run time), plus the declared fixtures (`interface Fixtures`, augmented by the user).
 */
import type { Fixtures } from '../fixtures/types.js';
import type { InvalidRow } from '../datasets/invalidRow.js';
import type { Result, Score } from './result.js';

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer L} ` ? Trim<L> : S;

/** The column names of a spec such as "text, expected", in order: `['text', 'expected']`. */
export type ColumnList<S extends string> = string extends S
	? string[]
	: S extends `${infer Head},${infer Tail}`
		? [Trim<Head>, ...ColumnList<Tail>]
		: [Trim<S>];

/** The column names of a spec such as "text, expected", as a union: `'text' | 'expected'`. */
export type ColumnNames<S extends string> = ColumnList<S>[number];

/** The row type of a dataset: its element type (a dataset function's result's; a loader's rows, not its error rows). */
export type RowOf<D> = D extends () => infer R ? RowOfData<Awaited<R>> : RowOfData<D>;
type RowOfData<D> = D extends AsyncIterable<infer T> ? Exclude<T, InvalidRow> : D extends Iterable<infer T> ? T : unknown;

type IsTuple<T> = T extends readonly unknown[] ? (number extends T['length'] ? false : true) : false;
type IsRecordLike<T> = T extends readonly unknown[] ? false : T extends object ? (T extends Date | ArrayBufferView ? false : true) : false;

/** One column: an array row gives its first value, an object its key (or itself without that key), a scalar itself. */
type SingleColumn<Row, C extends string> = Row extends readonly unknown[]
	? Row[0]
	: IsRecordLike<Row> extends true
		? C extends keyof Row
			? Row[C]
			: Row
		: Row;

type ByPosition<Row extends readonly unknown[], Names extends readonly string[]> = {
	[I in keyof Names as I extends `${number}` ? Names[I] & string : never]: I extends keyof Row ? Row[I] : Row[number];
};
type ByKey<Row, Names extends string> = { [K in Names]: K extends keyof Row ? Row[K] : undefined };

/** The columns an eval function receives for one row, by name. `any` rows give `any` columns, `unknown` rows `unknown` ones. */
export type ColumnValues<Row, S extends string> = 0 extends 1 & Row
	? { [K in ColumnNames<S>]: any }
	: unknown extends Row
		? { [K in ColumnNames<S>]: unknown }
		: ColumnList<S> extends [infer Only extends string]
			? { [K in Only]: SingleColumn<Row, Only> }
			: Row extends readonly unknown[]
				? ByPosition<Row, ColumnList<S>>
				: ByKey<Row, ColumnNames<S>>;

/**
 * What an eval function receives: its columns by name, plus every declared fixture (a column wins over
 * a fixture of the same name). Destructuring any other name is a type error.
 */
export type EvalArgs<S extends string, Row = any> = ColumnValues<Row, S> & Omit<Fixtures, ColumnNames<S>>;

/** What an eval function may return: a Result, a bare Score, or a Promise of either. */
export type EvalReturn = Result | Score | Promise<Result | Score>;

type MissingKeys<Row, Names extends string> = Exclude<Names, keyof Row>;

/**
 * `unknown` when the spec fits the row type; else an object type naming the problem, which makes
 * `columns: S & CheckColumns<S, Row>` reject the spec with that name in the message.
 */
export type CheckColumns<S extends string, Row> = unknown extends Row
	? unknown
	: string extends S
		? unknown
		: ColumnList<S> extends [string]
			? unknown
			: IsRecordLike<Row> extends true
				? [MissingKeys<Row, ColumnNames<S>>] extends [never]
					? unknown
					: { 'column not in the row type': MissingKeys<Row, ColumnNames<S>> }
				: IsTuple<Row> extends true
					? Row extends readonly unknown[]
						? ColumnList<S>['length'] extends 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16
							? TupleFits<Row, ColumnList<S>>
							: unknown
						: unknown
					: Row extends readonly unknown[]
						? unknown
						: { 'several columns need array or object rows, the rows are': Row };

type TupleFits<Row extends readonly unknown[], Names extends readonly string[]> =
	Exclude<keyof Names & `${number}`, keyof Row> extends never ? unknown : { 'more columns than the row tuple has values': Row['length'] };
