/**
 * Names the evals a loaded file defined and gives them their ids. The registry holds every eval
 * defined while the file loaded, exported or not; an export names its eval by identity (the binding
 * name wins over the function's own name, as the language server does statically).
 */
import { existsSync } from 'node:fs';
import { findProjectRoot, makeEvalId } from '../contracts/evalId.js';
import type { EvalDefinitionRuntime } from '../core/types.js';

export interface LoadedEval {
	/** `<path relative to the project root>::<name>` */
	id: string;
	name: string;
	/** Absolute path of the eval file. */
	file: string;
	/** 1-based line of the definition, when known. */
	line: number | null;
	definition: EvalDefinitionRuntime;
}

export interface CollectResult {
	evals: LoadedEval[];
	/** Problems worth a warning (an eval with no name, two evals with one name). */
	warnings: string[];
}

export function collectEvals(
	file: string,
	moduleExports: Record<string, unknown>,
	definedWhileLoading: readonly EvalDefinitionRuntime[],
	toDefinition: (value: unknown) => EvalDefinitionRuntime | undefined,
	exists: (p: string) => boolean = existsSync,
): CollectResult {
	const exportNames = new Map<EvalDefinitionRuntime, string>();
	const ordered: EvalDefinitionRuntime[] = [...definedWhileLoading];
	for (const [key, value] of Object.entries(moduleExports)) {
		const definition = toDefinition(value);
		if (!definition) continue;
		if (!exportNames.has(definition)) exportNames.set(definition, key === 'default' ? (definition.name ?? 'default') : key);
		if (!ordered.includes(definition)) ordered.push(definition); // re-exported from elsewhere
	}
	const root = findProjectRoot(file, exists);
	const evals: LoadedEval[] = [];
	const warnings: string[] = [];
	const seen = new Set<string>();
	for (const definition of ordered) {
		const name = exportNames.get(definition) ?? definition.name;
		if (!name) {
			warnings.push(`${file}: an eval has no name (an anonymous function that is not exported); export it as a const to run it`);
			continue;
		}
		const id = makeEvalId(root, file, name);
		if (seen.has(id)) {
			warnings.push(`${file}: two evals are named '${name}'; only the first runs. Give each eval its own name.`);
			continue;
		}
		seen.add(id);
		// The executor's messages (dataset, fixture and return-value errors) name the eval by this.
		if (definition.name === undefined) definition.name = name;
		const line = definition.definedAt && definition.definedAt.file === file ? definition.definedAt.line : null;
		evals.push({ id, name, file, line, definition });
	}
	return { evals, warnings };
}
