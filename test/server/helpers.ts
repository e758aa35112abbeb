/** Builders for expected discovery results: positions are computed from the source text itself. */
import type { EvalDefinition, Range } from '../../runtime/src/contracts/editorProtocol.js';

export const root = '/project';
export const file = '/project/evals/sentiment.eval.ts';

function position(src: string, offset: number): { line: number; character: number } {
	const before = src.slice(0, offset);
	const line = before.split('\n').length - 1;
	return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Range from the start of `from` (its nth occurrence) to the end of the first `to` after it. */
export function span(src: string, from: string, to = from, nth = 0): Range {
	let start = -1;
	for (let i = 0; i <= nth; i++) start = src.indexOf(from, start + 1);
	if (start < 0) throw new Error(`test bug: ${from} not in source`);
	const end = src.indexOf(to, start);
	if (end < 0) throw new Error(`test bug: ${to} not after ${from}`);
	return { start: position(src, start), end: position(src, end + to.length) };
}

/** A full EvalDefinition with the usual defaults; every field is still compared. */
export function def(fields: Partial<EvalDefinition> & Pick<EvalDefinition, 'name' | 'range' | 'nameRange'>): EvalDefinition {
	return {
		id: `evals/sentiment.eval.ts::${fields.name}`,
		file,
		columns: [],
		dataset: { kind: 'unknown' },
		strategy: null,
		async: true,
		dynamic: false,
		exported: true,
		...fields,
	};
}
