/**
 * Which of the loaded evals run: `file.ts::name` selectors pick by name within a file, `--filter`
 * by id substring. A name that matches nothing is reported with the names the file does define.
 */
import * as path from 'node:path';
import { splitEvalSelector } from '../../contracts/evalId.js';
import type { LoadedEval } from '../../loader/collectEvals.js';

export interface Selection {
	/** The file part of each target (for finding files). */
	fileTargets: string[];
	/** Absolute file → names asked for; a file named without `::` is absent (all its evals). */
	names: Map<string, Set<string>>;
}

export function parseTargets(targets: readonly string[], cwd: string): Selection {
	const names = new Map<string, Set<string>>();
	const whole = new Set<string>();
	const fileTargets: string[] = [];
	for (const target of targets) {
		const { file, name } = splitEvalSelector(target);
		const absolute = path.resolve(cwd, file);
		if (!fileTargets.includes(file)) fileTargets.push(file);
		if (name === undefined || name === '') whole.add(absolute);
		else {
			const set = names.get(absolute) ?? new Set<string>();
			set.add(name);
			names.set(absolute, set);
		}
	}
	for (const file of whole) names.delete(file);
	return { fileTargets, names };
}

export interface SelectResult {
	selected: LoadedEval[];
	/** Messages for names that matched nothing. */
	missing: string[];
}

/** `unloaded`: files that failed to load (their load error says why; "defines no evals" would mislead). */
export function selectEvals(
	evals: readonly LoadedEval[],
	selection: Selection,
	filter: string | undefined,
	cwd: string,
	unloaded: ReadonlySet<string> = new Set(),
): SelectResult {
	const missing: string[] = [];
	for (const [file, wanted] of selection.names) {
		if (unloaded.has(file)) continue;
		const defined = evals.filter((e) => e.file === file).map((e) => e.name);
		for (const name of wanted) {
			if (!defined.includes(name)) {
				const rel = path.relative(cwd, file) || file;
				missing.push(`no eval named '${name}' in ${rel}; ${defined.length ? `it defines: ${defined.join(', ')}` : 'it defines no evals'}`);
			}
		}
	}
	const selected = evals.filter((e) => {
		const wanted = selection.names.get(e.file);
		if (wanted && !wanted.has(e.name)) return false;
		return filter === undefined || e.id.includes(filter);
	});
	return { selected, missing };
}
