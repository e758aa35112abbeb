/** The real library and store behind `doteval run` (tests may pass another EvalRuntime). */
import { registryState, getEvalDefinition, beginFileLoad, endFileLoad } from '../../core/registry.js';
import { datasetFingerprint } from '../../datasets/fingerprint.js';
import { executeEval } from '../../executor/index.js';
import { createRunScope, fixtureFilesFor } from '../../fixtures/index.js';
import { findProjectRoot } from '../../evalId.js';
import { openStore, resolveStoragePath, timestampExperimentName } from '../../store/index.js';
import { gitCommit } from './gitCommit.js';
import type { EvalRuntime } from './runtimeApi.js';
import { existsSync } from 'node:fs';

export const defaultRuntime: EvalRuntime = {
	registryMark: () => registryState().evals.length,
	definedSince: (mark) => registryState().evals.slice(mark),
	toDefinition: getEvalDefinition,
	beginFileLoad,
	endFileLoad,
	fixtureFiles: (evalFiles) => {
		const files: string[] = [];
		for (const file of evalFiles) {
			for (const candidate of fixtureFilesFor(file, findProjectRoot(file, existsSync))) {
				if (!files.includes(candidate)) files.push(candidate);
			}
		}
		return files;
	},
	createRunScope: () => {
		const scope = createRunScope();
		return { scope, teardown: () => scope.teardown() };
	},
	async datasetInfo(definition, samples) {
		// Counting reads arrays and the file loaders ahead (re-iterable, no side effects); a changed
		// dataset is noticed row by row during the run (storedRows.ts), generators included.
		const rows = Array.isArray(definition.dataset) ? definition.dataset.length : (await datasetFingerprint(definition.dataset))?.rows ?? null;
		return { total: rows === null ? null : samples !== undefined ? Math.min(rows, samples) : rows };
	},
	executeEval,
	openStore: (file) => openStore(file),
	newExperimentName: () => timestampExperimentName(),
	resolveStoragePath,
	gitCommit,
};
