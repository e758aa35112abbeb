/**
 * The first lenses of a document before the TypeScript compiler is loaded (1–2.5 s cold, the largest
 * share of the time to the first lens): a text scan that recognises only the plainest eval files.
 * doteval is imported once, by name and without aliases; the starters are `foreach` and the
 * instances made by lines `const <name> = new ForEach(`; and every other use of a starter is a line
 * that begins `export const <name> = <starter>(`. Anything else (a namespace import, `batch`, a
 * starter in a comment, a string or another shape) and it answers `undefined`, "not sure": the caller
 * then parses. The parse follows anyway once the compiler is loaded, and its lenses replace these. Pure.
 */
import { makeEvalId } from '../../../runtime/src/contracts/evalId.js';
import type { LensTarget } from '../features/codeLens';

const namedImport = /^import\s*\{([^}]*)\}\s*from\s*['"]doteval['"]/gm;
const anyImport = /\bfrom\s*['"]doteval['"]|\brequire\s*\(|\bimport\s*\(/g;
const instance = /^(?:export )?const ([A-Za-z_]\w*) = new ForEach\(/gm;
const exportedCall = /^export const ([A-Za-z_]\w*) = ([A-Za-z_]\w*)\(/gm;

const uses = (text: string, name: string) => [...text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].length;

export function quickScan(fileName: string, text: string, projectRoot: string): LensTarget[] | undefined {
	if (/\bbatch\b/.test(text)) return undefined;
	const imports = [...text.matchAll(namedImport)];
	if (imports.length !== 1 || [...text.matchAll(anyImport)].length !== 1) return undefined;
	const names = imports[0]![1]!.split(',').map((n) => n.trim());
	if (names.some((n) => /\sas\s/.test(n))) return undefined;
	// Each starter, with how many of its uses are not calls that define an eval (its import or declaration).
	const starters = new Map<string, number>();
	if (names.includes('foreach')) starters.set('foreach', 1);
	if (names.includes('ForEach')) {
		const made = [...text.matchAll(instance)].map((m) => m[1]!);
		if (uses(text, 'ForEach') !== 1 + made.length) return undefined;
		for (const name of made) starters.set(name, 1);
	} else if (uses(text, 'ForEach') > 0) return undefined;
	const evals = [...text.matchAll(exportedCall)].filter((m) => starters.has(m[2]!));
	for (const [starter, other] of starters) {
		if (uses(text, starter) !== other + evals.filter((m) => m[2] === starter).length) return undefined;
	}
	if (evals.length === 0) return undefined;
	// Not inside a block comment or a multi-line template literal (an odd number of backticks before it).
	const hidden = (at: number) => text.lastIndexOf('/*', at) > text.lastIndexOf('*/', at) || (text.slice(0, at).match(/`/g)?.length ?? 0) % 2 === 1;
	if (evals.some((m) => hidden(m.index))) return undefined;
	const lineStarts = [0];
	for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
	return evals.map((m) => {
		const offset = m.index + m[0].length - m[2]!.length - 1; // where the call starts, as the parse's range does
		let line = lineStarts.length - 1;
		while (lineStarts[line]! > offset) line--;
		return { id: makeEvalId(projectRoot, fileName, m[1]!), file: fileName, dynamic: false, range: { start: { line, character: offset - lineStarts[line]! } } };
	});
}
