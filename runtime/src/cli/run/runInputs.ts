/**
 * What `doteval run` asks of the library besides the executor: the shared fixture files of a set of
 * eval files, and what is known about an eval's dataset before it runs.
 */
import { existsSync } from 'node:fs';
import type { EvalDefinitionRuntime } from '../../core/types.js';
import { datasetFingerprint } from '../../datasets/fingerprint.js';
import { fixtureFilesFor } from '../../fixtures/visibility.js';
import { findProjectRoot } from '../../contracts/evalId.js';

/** Shared fixture files (doteval.fixtures.*) that apply to these eval files, in load order, each once. */
export function fixtureFilesForAll(evalFiles: readonly string[]): string[] {
	const files: string[] = [];
	for (const file of evalFiles) {
		for (const candidate of fixtureFilesFor(file, findProjectRoot(file, existsSync))) {
			if (!files.includes(candidate)) files.push(candidate);
		}
	}
	return files;
}

export interface DatasetFacts {
	/** Samples the eval covers (after --samples), when knowable without consuming the dataset. */
	total: number | null;
	/**
	 * Hash of the whole dataset (arrays and the file loaders; null for generators and functions): what
	 * `diff A::x B::y`, `--baseline` and `merge` pair evaluations by. Resuming does not refuse on it: a
	 * changed dataset is noticed row by row during the run (storedRows.ts), generators included.
	 */
	fingerprint: string | null;
}

export async function datasetFacts(definition: EvalDefinitionRuntime, samples: number | undefined): Promise<DatasetFacts> {
	// The whole dataset, not the first --samples rows: a later run with another --samples scores the same data.
	const fingerprint = await datasetFingerprint(definition.dataset);
	const rows = fingerprint?.rows ?? (Array.isArray(definition.dataset) ? definition.dataset.length : null);
	return { total: rows === null ? null : samples !== undefined ? Math.min(rows, samples) : rows, fingerprint: fingerprint?.hash ?? null };
}
