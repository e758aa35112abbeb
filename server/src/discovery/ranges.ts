/** LSP ranges (0-based lines, UTF-16 characters) of syntax nodes. */
import type { Range } from '../protocol';
import type { TS } from './typescript';

export function rangeOf(sf: TS.SourceFile, node: TS.Node): Range {
	const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
	const end = sf.getLineAndCharacterOfPosition(node.end);
	return { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
}

/** 1-based line where a node starts, as a stack trace (and the runtime's `definedAt`) reports it. */
export function lineOf(sf: TS.SourceFile, node: TS.Node): number {
	return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}
