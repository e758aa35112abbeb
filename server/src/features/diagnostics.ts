/**
 * Problems visible without running the eval: pure, from one file's discovery facts and the
 * fixture names known for it.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { EvalFacts, FileFacts } from '../discovery/index';
import type { Range } from '../../../runtime/src/contracts/editorProtocol.js';

export const diagnosticSource = 'doteval';

export function diagnose(facts: FileFacts, sharedFixtures: ReadonlySet<string>): Diagnostic[] {
	const fixtures = new Set([...sharedFixtures, ...facts.fixtures]);
	const out: Diagnostic[] = [];
	for (const e of facts.evals) {
		out.push(...rowArity(e), ...unknownNames(e, fixtures), ...strategyProblems(e));
		if (e.staticOnly) {
			out.push(
				diagnostic(
					e.definition.nameRange,
					DiagnosticSeverity.Warning,
					'unnamed-eval',
					'This eval has no name at run time (an anonymous function that is not exported), so `doteval run` skips it. Export it as a const, or give the function a name.',
				),
			);
		}
	}
	out.push(...duplicateIds(facts.evals));
	return dedupe(out);
}

function diagnostic(range: Range, severity: DiagnosticSeverity, code: string, message: string): Diagnostic {
	return { range, severity, code, source: diagnosticSource, message };
}

const list = (names: readonly string[]) => names.join(', ');

function rowArity(e: EvalFacts): Diagnostic[] {
	const columns = e.definition.columns;
	if (columns.length === 0) return [];
	const out: Diagnostic[] = [];
	for (const row of e.rows) {
		// With one column a row that is an array is usually the value itself (a list of messages…).
		if (row.kind === 'array' && columns.length > 1 && row.arity !== columns.length) {
			out.push(
				diagnostic(
					row.range,
					DiagnosticSeverity.Error,
					'row-arity',
					`This row has ${row.arity} value${row.arity === 1 ? '' : 's'} but foreach declares ${columns.length} columns (${list(columns)}). Add or remove values, or change the column list.`,
				),
			);
		}
		if (row.kind === 'object') {
			const missing = columns.filter((c) => !row.keys!.includes(c));
			if (missing.length) {
				out.push(
					diagnostic(
						row.range,
						DiagnosticSeverity.Warning,
						'row-arity',
						`This row has no ${missing.map((m) => `"${m}"`).join(', ')} key${missing.length === 1 ? '' : 's'}; foreach declares the columns ${list(columns)}.`,
					),
				);
			}
		}
	}
	return out;
}

function unknownNames(e: EvalFacts, fixtures: ReadonlySet<string>): Diagnostic[] {
	const columns = e.definition.columns;
	if (!e.params || columns.length === 0) return [];
	return e.params
		.filter((p) => !columns.includes(p.name) && !fixtures.has(p.name))
		.map((p) =>
			diagnostic(
				p.range,
				DiagnosticSeverity.Warning,
				'unknown-name',
				`"${p.name}" is neither a column of this eval (${list(columns)}) nor a known fixture. Add it to the columns, or declare it with fixture('${p.name}', …) in this file or in a doteval.fixtures.ts next to it.`,
			),
		);
}

function strategyProblems(e: EvalFacts): Diagnostic[] {
	const out: Diagnostic[] = [];
	const s = e.strategy;
	if (!s) return out;
	if (s.name === 'SlidingWindow' && e.fnResolved && !e.definition.async) {
		out.push(
			diagnostic(
				e.definition.nameRange,
				DiagnosticSeverity.Warning,
				'sync-sliding-window',
				'SlidingWindow has no effect on a sync eval: its samples still run one at a time. Make the eval function async (and await the model).',
			),
		);
	}
	if (s.maxConcurrency !== undefined && s.maxConcurrencyRange && (!Number.isInteger(s.maxConcurrency) || s.maxConcurrency <= 0)) {
		out.push(
			diagnostic(s.maxConcurrencyRange, DiagnosticSeverity.Error, 'max-concurrency', `maxConcurrency must be a positive integer, got ${s.maxConcurrency}.`),
		);
	}
	return out;
}

function duplicateIds(evals: readonly EvalFacts[]): Diagnostic[] {
	const byId = new Map<string, EvalFacts[]>();
	for (const e of evals) {
		if (e.definition.dynamic) continue;
		byId.set(e.definition.id, [...(byId.get(e.definition.id) ?? []), e]);
	}
	const out: Diagnostic[] = [];
	for (const [id, same] of byId) {
		if (same.length < 2) continue;
		for (const e of same) {
			const others = same.filter((o) => o !== e).map((o) => o.definition.nameRange.start.line + 1);
			out.push(
				diagnostic(
					e.definition.nameRange,
					DiagnosticSeverity.Error,
					'duplicate-id',
					`Two evals have the id "${id}" (also on line ${others.join(', ')}); results would mix. Give one of them another name.`,
				),
			);
		}
	}
	return out;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
	const seen = new Set<string>();
	return diagnostics.filter((d) => {
		const key = `${JSON.stringify(d.range)}|${d.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
