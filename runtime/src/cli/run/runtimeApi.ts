/**
 * What `doteval run` needs from the library (registry, fixtures, executor) and from the store, in
 * one interface, so the run loop reads as a story and tests can stand in for either side.
 */
import type { EvalDefinitionRuntime, ExecuteOptions, ExecuteOutcome } from '../../core/types.js';
import type { StoreWriter } from '../../store/types.js';

export interface RunScope {
	/** Handed to the executor as ExecuteOptions.runScope. */
	scope: unknown;
	/** Tears down every run-scoped fixture that was set up (always called, also after Ctrl+C). */
	teardown(): Promise<void>;
}

export interface DatasetInfo {
	/** Samples the eval covers (after --samples), when knowable without consuming the dataset. */
	total: number | null;
}

export interface EvalRuntime {
	/** A mark in the registry of defined evals, taken before a file loads. */
	registryMark(): number;
	/** Every eval defined since the mark, in definition order. */
	definedSince(mark: number): EvalDefinitionRuntime[];
	/** Around each file's import, so evals defined there without a usable stack know their file. */
	beginFileLoad(file: string): void;
	endFileLoad(): void;
	/** The eval definition behind an exported value, or undefined. */
	toDefinition(value: unknown): EvalDefinitionRuntime | undefined;
	/** Shared fixture files (doteval.fixtures.*) that apply to these eval files, in load order. */
	fixtureFiles(evalFiles: readonly string[]): string[];
	createRunScope(): RunScope;
	datasetInfo(definition: EvalDefinitionRuntime, samples: number | undefined): Promise<DatasetInfo>;
	executeEval(definition: EvalDefinitionRuntime, options: ExecuteOptions): Promise<ExecuteOutcome>;
	openStore(path: string): Promise<StoreWriter>;
	newExperimentName(): string;
	resolveStoragePath(options: { storage?: string; cwd: string; env: NodeJS.ProcessEnv }): string;
	gitCommit(cwd: string): string | null;
}
