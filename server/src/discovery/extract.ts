/**
 * Static facts about one `foreach(columns, dataset, options?)` call and its eval function:
 * what can be read from literals in the file without running it.
 */
import type { DatasetInfo, Range } from '../../../runtime/src/contracts/editorProtocol.js';
import { resolveImported, unwrap, type FileBindings } from './bindings';
import { rangeOf } from './ranges';
import { ADAPTIVE_DEFAULT_MAX_CONCURRENCY } from '../../../runtime/src/concurrency/defaults.js';
import type { TS } from './typescript';

export interface StrategyFacts {
	name: string;
	maxConcurrency?: number;
	/** Where the literal maxConcurrency is written, for diagnostics. */
	maxConcurrencyRange?: Range;
}

export interface RowFacts {
	readonly kind: 'array' | 'object';
	/** Elements of an array row, or keys of an object row. */
	readonly arity: number;
	readonly keys?: string[];
	readonly range: Range;
}

export interface DatasetFacts {
	info: DatasetInfo;
	/** Rows of an inline dataset written as array or object literals (others are skipped), on demand. */
	rows: () => RowFacts[];
}

export interface ParamFacts {
	name: string;
	range: Range;
}

export function columnsOf(ts: typeof TS, arg: TS.Expression | undefined): string[] {
	if (!arg) return [];
	const e = unwrap(ts, arg);
	if (!ts.isStringLiteral(e) && !ts.isNoSubstitutionTemplateLiteral(e)) return [];
	return e.text
		.split(',')
		.map((c) => c.trim())
		.filter((c) => c.length > 0);
}

const loaders = new Set(['jsonl', 'csv', 'json']);

export function datasetOf(ts: typeof TS, sf: TS.SourceFile, arg: TS.Expression | undefined, b: FileBindings): DatasetFacts {
	const unknown: DatasetFacts = { info: { kind: 'unknown' }, rows: () => [] };
	if (!arg) return unknown;
	let e = unwrap(ts, arg);
	// One hop through a top-level `const data = [...]` (or `= jsonl(...)`) in the same file.
	if (ts.isIdentifier(e)) {
		const init = b.consts.get(e.text);
		if (!init) return unknown;
		e = unwrap(ts, init);
	}
	if (ts.isArrayLiteralExpression(e)) {
		if (e.elements.some((el) => ts.isSpreadElement(el))) return unknown;
		return { info: { kind: 'inline', length: e.elements.length }, rows: () => rowsOf(ts, sf, e) };
	}
	if (ts.isCallExpression(e)) {
		const loader = resolveImported(ts, e.expression, b);
		const first = e.arguments[0] && unwrap(ts, e.arguments[0]);
		if (loader && loaders.has(loader) && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
			return { info: { kind: 'file', loader: loader as 'jsonl' | 'csv' | 'json', path: first.text }, rows: () => [] };
		}
	}
	return unknown;
}

/** A row of an inline dataset; its range is computed only when a diagnostic asks (most rows never need one). */
class Row implements RowFacts {
	constructor(
		readonly kind: 'array' | 'object',
		readonly arity: number,
		readonly keys: string[] | undefined,
		private readonly node: TS.Node,
		private readonly sf: TS.SourceFile,
	) {}

	get range(): Range {
		return rangeOf(this.sf, this.node);
	}
}

function rowsOf(ts: typeof TS, sf: TS.SourceFile, list: TS.ArrayLiteralExpression): RowFacts[] {
	const rows: RowFacts[] = [];
	for (const el of list.elements) {
		const row = unwrap(ts, el);
		if (ts.isArrayLiteralExpression(row) && !row.elements.some((x) => ts.isSpreadElement(x))) {
			rows.push(new Row('array', row.elements.length, undefined, row, sf));
		} else if (ts.isObjectLiteralExpression(row) && row.properties.every((p) => !ts.isSpreadAssignment(p))) {
			const keys = row.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '')).filter((k) => k);
			rows.push(new Row('object', keys.length, keys, row, sf));
		}
	}
	return rows;
}

/** `{ concurrency: new SlidingWindow({ maxConcurrency: 4 }) }`, directly or through a top-level const. */
export function strategyOfOptions(ts: typeof TS, sf: TS.SourceFile, options: TS.Expression | undefined, b: FileBindings): StrategyFacts | null {
	if (!options) return null;
	const o = unwrap(ts, options);
	if (!ts.isObjectLiteralExpression(o)) return null;
	for (const prop of o.properties) {
		if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name) || prop.name.text !== 'concurrency') continue;
		let value = unwrap(ts, prop.initializer);
		if (ts.isIdentifier(value)) value = b.consts.get(value.text) ? unwrap(ts, b.consts.get(value.text)!) : value;
		if (ts.isNewExpression(value)) return strategyOfNew(ts, sf, value, b);
		// `concurrency: 4` is a SlidingWindow of 4 (runtime/src/core/foreach.ts).
		const n = numberOf(ts, value);
		return n === undefined ? null : { name: 'SlidingWindow', maxConcurrency: n, maxConcurrencyRange: rangeOf(sf, value) };
	}
	return null;
}

function strategyOfNew(ts: typeof TS, sf: TS.SourceFile, expr: TS.NewExpression, b: FileBindings): StrategyFacts | null {
	const callee = expr.expression;
	const name = resolveImported(ts, callee, b) ?? (ts.isIdentifier(callee) ? callee.text : undefined);
	if (!name) return null;
	const facts: StrategyFacts = { name };
	const first = expr.arguments?.[0] && unwrap(ts, expr.arguments[0]);
	let literal: TS.Expression | undefined;
	if (first && ts.isObjectLiteralExpression(first)) {
		for (const p of first.properties) {
			if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'maxConcurrency') literal = unwrap(ts, p.initializer);
		}
	} else if (first) {
		literal = first;
	}
	const value = literal && numberOf(ts, literal);
	if (literal && value !== undefined) {
		facts.maxConcurrency = value;
		facts.maxConcurrencyRange = rangeOf(sf, literal);
	} else if (!literal && name === 'Adaptive') {
		facts.maxConcurrency = ADAPTIVE_DEFAULT_MAX_CONCURRENCY; // what the runtime reports for `new Adaptive()`
	}
	return facts;
}

function numberOf(ts: typeof TS, e: TS.Expression): number | undefined {
	if (ts.isNumericLiteral(e)) return Number(e.text);
	if (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand)) {
		if (e.operator === ts.SyntaxKind.MinusToken) return -Number(e.operand.text);
		if (e.operator === ts.SyntaxKind.PlusToken) return Number(e.operand.text);
	}
	return undefined;
}

export type EvalFunction = TS.ArrowFunction | TS.FunctionExpression | TS.FunctionDeclaration | TS.MethodDeclaration;

/** The eval function given to `foreach(...)(fn)`: inline, or a function/const of this file by name. */
export function evalFunctionOf(ts: typeof TS, arg: TS.Expression | undefined, b: FileBindings): EvalFunction | undefined {
	if (!arg) return undefined;
	const e = unwrap(ts, arg);
	if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
	if (ts.isIdentifier(e)) {
		const fn = b.functions.get(e.text);
		if (fn) return fn;
		const init = b.consts.get(e.text) && unwrap(ts, b.consts.get(e.text)!);
		if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
	}
	return undefined;
}

export function isAsync(ts: typeof TS, fn: EvalFunction | undefined): boolean {
	return !!fn?.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Required names destructured from the first parameter; null when it is not a destructuring or has a `...rest`. */
export function paramsOf(ts: typeof TS, sf: TS.SourceFile, fn: EvalFunction | undefined): ParamFacts[] | null {
	const first = fn?.parameters[0];
	if (!first || !ts.isObjectBindingPattern(first.name)) return null;
	const params: ParamFacts[] = [];
	for (const el of first.name.elements) {
		if (el.dotDotDotToken) return null;
		// `{ temperature = 0.7 }`: the runtime passes undefined when nothing provides it, so it is not an error.
		if (el.initializer) continue;
		const key = el.propertyName ?? el.name;
		if (ts.isIdentifier(key) || ts.isStringLiteral(key)) params.push({ name: key.text, range: rangeOf(sf, key) });
	}
	return params;
}
