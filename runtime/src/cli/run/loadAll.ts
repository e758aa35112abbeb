/**
 * Loads the shared fixture files, then each eval file, and names the evals they define. A file
 * that fails to load is reported and skipped; the others still load.
 */
import * as path from 'node:path';
import { compileEvalFile, importCompiled, type CompiledFile } from '../../loader/loadEvalFile.js';
import { LoadError } from '../../loader/loadError.js';
import { collectEvals, type LoadedEval } from '../../loader/collectEvals.js';
import type { LoadErrorEvent } from '../../protocol/events.js';
import type { Logger } from '../logger.js';
import { registryState, getEvalDefinition, beginFileLoad, endFileLoad } from '../../core/registry.js';
import { fixtureFilesForAll } from './runInputs.js';

export interface LoadOutcome {
	evals: LoadedEval[];
	loadErrors: LoadErrorEvent[];
}

export function toLoadErrorEvent(error: unknown, file: string): LoadErrorEvent {
	if (error instanceof LoadError) {
		const event: LoadErrorEvent = { type: 'load-error', file: error.file, message: error.message };
		if (error.line !== undefined) {
			event.line = error.line;
			event.column = error.column ?? 1;
		}
		return event;
	}
	return { type: 'load-error', file, message: (error as Error)?.stack ?? String(error) };
}

/** Compiling starts at once for every file (in parallel, e.g. while the store opens). */
export interface PendingFiles {
	fixtureFiles: string[];
	evalFiles: readonly string[];
	compiled: Map<string, Promise<CompiledFile>>;
}

export function startCompiling(evalFiles: readonly string[]): PendingFiles {
	const fixtureFiles = fixtureFilesForAll(evalFiles);
	const compiled = new Map<string, Promise<CompiledFile>>();
	for (const file of [...fixtureFiles, ...evalFiles]) {
		const pending = compileEvalFile(file);
		pending.catch(() => {}); // reported when its turn to load comes
		compiled.set(file, pending);
	}
	return { fixtureFiles, evalFiles, compiled };
}

/** Import the shared fixture files, then each eval file, in order; name the evals they define. */
export async function loadAll(pending: PendingFiles, log: Logger, onLoadError: (event: LoadErrorEvent) => void): Promise<LoadOutcome> {
	const load = async (file: string) => importCompiled(await pending.compiled.get(file)!);
	const loadErrors: LoadErrorEvent[] = [];
	const fail = (error: unknown, file: string) => {
		const event = toLoadErrorEvent(error, file);
		loadErrors.push(event);
		onLoadError(event);
	};
	for (const fixtureFile of pending.fixtureFiles) {
		log.debug?.(`loading fixtures ${fixtureFile}`);
		beginFileLoad(fixtureFile);
		try {
			await load(fixtureFile);
		} catch (error) {
			fail(error, fixtureFile);
		} finally {
			endFileLoad();
		}
	}
	const evals: LoadedEval[] = [];
	for (const file of pending.evalFiles) {
		log.debug?.(`loading ${file}`);
		const mark = registryState().evals.length;
		beginFileLoad(file);
		try {
			const exports = await load(file);
			const found = collectEvals(file, exports, registryState().evals.slice(mark), getEvalDefinition);
			for (const warning of found.warnings) log.warn(warning);
			evals.push(...found.evals);
		} catch (error) {
			fail(error, path.resolve(file));
		} finally {
			endFileLoad();
		}
	}
	return { evals, loadErrors };
}
