/** Evals as document and workspace symbols (Ctrl+Shift+O, Ctrl+T). */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import type { EvalDefinition } from '../../../runtime/src/contracts/editorProtocol.js';
import { parseEvalId } from '../../../runtime/src/contracts/evalId.js';

export function documentSymbols(evals: readonly EvalDefinition[]): DocumentSymbol[] {
	return evals.map((e) => ({
		name: e.name,
		detail: detail(e),
		kind: SymbolKind.Function,
		// The name (a binding before the call) and the call together: LSP needs selectionRange ⊆ range.
		range: {
			start: before(e.nameRange.start, e.range.start) ? e.nameRange.start : e.range.start,
			end: before(e.range.end, e.nameRange.end) ? e.nameRange.end : e.range.end,
		},
		selectionRange: e.nameRange,
	}));
}

export function workspaceSymbols(files: ReadonlyArray<{ uri: string; evals: readonly EvalDefinition[] }>, query: string): SymbolInformation[] {
	const q = query.toLowerCase();
	const out: SymbolInformation[] = [];
	for (const f of files) {
		for (const e of f.evals) {
			if (q && !e.id.toLowerCase().includes(q)) continue;
			out.push({ name: e.name, kind: SymbolKind.Function, location: { uri: f.uri, range: e.nameRange }, containerName: parseEvalId(e.id).file });
		}
	}
	return out;
}

function detail(e: EvalDefinition): string {
	return `doteval eval${e.columns.length ? ` (${e.columns.join(', ')})` : ''}${e.dynamic ? ', made at run time' : ''}`;
}

type Position = EvalDefinition['range']['start'];

function before(a: Position, b: Position): boolean {
	return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
