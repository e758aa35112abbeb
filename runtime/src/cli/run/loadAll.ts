/**
 * Loads the shared fixture files, then each eval file, and names the evals they define. A file
 * that fails to load is reported and skipped; the others still load.
 */
import * as path from 'node:path';
import { loadEvalFile } from '../../loader/loadEvalFile.js';
import { LoadError } from '../../loader/loadError.js';
import { collectEvals, type LoadedEval } from '../../loader/collectEvals.js';
import type { LoadErrorEvent } from '../../protocol/events.js';
import type { Logger } from '../logger.js';
import type { EvalRuntime } from './runtimeApi.js';

export interface LoadOutcome {
	evals: LoadedEval[];
	loadErrors: LoadErrorEvent[];
}

export function toLoadErrorEvent(error: unknown, file: string): LoadErrorEvent {
	if (error instanceof LoadError) {
		const event: LoadErrorEvent = { type: 'load-error', file: error.file, message: error.message };
		if (error.line !== undefined) { event.line = error.line; event.column = error.column ?? 1; }
		return event;
	}
	return { type: 'load-error', file, message: (error as Error)?.stack ?? String(error) };
}

export async function loadAll(files: readonly string[], runtime: EvalRuntime, log: Logger, onLoadError: (event: LoadErrorEvent) => void): Promise<LoadOutcome> {
	const loadErrors: LoadErrorEvent[] = [];
	const fail = (error: unknown, file: string) => {
		const event = toLoadErrorEvent(error, file);
		loadErrors.push(event);
		onLoadError(event);
	};
	for (const fixtureFile of runtime.fixtureFiles(files)) {
		log.debug?.(`loading fixtures ${fixtureFile}`);
		runtime.beginFileLoad(fixtureFile);
		try {
			await loadEvalFile(fixtureFile);
		} catch (error) {
			fail(error, fixtureFile);
		} finally {
			runtime.endFileLoad();
		}
	}
	const evals: LoadedEval[] = [];
	for (const file of files) {
		log.debug?.(`loading ${file}`);
		const mark = runtime.registryMark();
		runtime.beginFileLoad(file);
		try {
			const exports = await loadEvalFile(file);
			const found = collectEvals(file, exports, runtime.definedSince(mark), (v) => runtime.toDefinition(v));
			for (const warning of found.warnings) log.warn(warning);
			evals.push(...found.evals);
		} catch (error) {
			fail(error, path.resolve(file));
		} finally {
			runtime.endFileLoad();
		}
	}
	return { evals, loadErrors };
}
