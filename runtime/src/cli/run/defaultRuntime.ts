/** The real library and store behind `doteval run` (tests may pass another EvalRuntime). */
import { registryState, getEvalDefinition, beginFileLoad, endFileLoad } from '../../core/registry.js';
import { datasetFingerprint } from '../../datasets/fingerprint.js';
import { executeEval } from '../../executor/index.js';
import { createRunScope, fixtureFilesFor } from '../../fixtures/index.js';
import { findProjectRoot } from '../../evalId.js';
import { resolveStoragePath, timestampExperimentName } from '../../store/index.js';
import { openStoreAt } from '../../store/open.js';
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
		// The whole dataset, not the first --samples rows: a later run with another --samples must
		// not look like a changed dataset. Arrays and the file loaders only (re-iterable, no side effects).
		const fingerprint = await datasetFingerprint(definition.dataset);
		const rows = fingerprint?.rows ?? (Array.isArray(definition.dataset) ? definition.dataset.length : null);
		return {
			total: rows === null ? null : samples !== undefined ? Math.min(rows, samples) : rows,
			fingerprint: fingerprint?.hash ?? null,
		};
	},
	executeEval,
	openStore: (location, options) => openStoreAt(location, options),
	newExperimentName: () => timestampExperimentName(),
	resolveStoragePath,
	gitCommit,
};
