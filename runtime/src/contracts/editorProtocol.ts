/**
 * The editor protocol: every custom message between the extension (client) and the language server,
 * and every command id the extension contributes, declared once and imported by both sides (esbuild
 * inlines it into each bundle; the npm package does not export it). Standard LSP covers CodeLens,
 * diagnostics, hovers and symbols; these cover what LSP lacks.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Positions are 0-based lines and UTF-16 characters, LSP style. */
export interface Range {
	start: { line: number; character: number };
	end: { line: number; character: number };
}

export type DatasetInfo = { kind: 'inline'; length: number } | { kind: 'file'; loader: 'jsonl' | 'csv' | 'json'; path: string } | { kind: 'unknown' };

/** One eval found statically in a file. */
export interface EvalDefinition {
	/** `<path relative to the project root>::<name>`, exactly the id the runtime uses. */
	id: string;
	name: string;
	/** Absolute file system path. */
	file: string;
	/** Range of the whole `foreach(...)(fn)` call (or of the decorated method). */
	range: Range;
	/** Range of the name (binding, function or method name). */
	nameRange: Range;
	columns: string[];
	dataset: DatasetInfo;
	strategy: { name: string; maxConcurrency?: number } | null;
	async: boolean;
	/** Made in a loop or a factory: the real ids are known only when it runs. */
	dynamic: boolean;
	exported: boolean;
}

export interface FileEvals {
	uri: string;
	file: string;
	evals: EvalDefinition[];
}

/** client → server: every eval in the workspace, grouped by file. */
export namespace ListEvalsRequest {
	export const method = 'doteval/listEvals' as const;
	export const type = new RequestType<Record<string, never>, FileEvals[], void>(method);
}

/** server → client: the evals of one file changed (opened, edited, created, deleted on disk). */
export namespace EvalsChangedNotification {
	export const method = 'doteval/evalsChanged' as const;
	export const type = new NotificationType<FileEvals>(method);
}

/** client → server: the store was written (a run finished a batch); refresh lenses and hovers. */
export namespace StoreChangedNotification {
	export const method = 'doteval/storeChanged' as const;
	export const type = new NotificationType<{ path: string }>(method);
}

/**
 * Every command the extension contributes (package.json `contributes.commands`; a test keeps the two
 * equal). The server puts the first four on CodeLenses; the client registers them all.
 */
export const Commands = {
	run: 'doteval.run',
	debug: 'doteval.debug',
	runSamples: 'doteval.runSamples',
	openResults: 'doteval.openResults',
	/** Runs what an experiment's evaluation has left (never run, errored), into that experiment. */
	resume: 'doteval.resume',
	runInExperiment: 'doteval.runInExperiment',
	debugSample: 'doteval.debugSample',
	cancelRun: 'doteval.cancelRun',
	showLog: 'doteval.showLog',
	activationTime: 'doteval.activationTime',
	showRunMenu: 'doteval.showRunMenu',
	historyRefresh: 'doteval.history.refresh',
	historyOpenResults: 'doteval.history.openResults',
	historyOpenTiming: 'doteval.history.openTiming',
	historyCompare: 'doteval.history.compare',
	historyResume: 'doteval.history.resume',
	historyRunAgain: 'doteval.history.runAgain',
	historyRename: 'doteval.history.rename',
	historyDelete: 'doteval.history.delete',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Arguments of the CodeLens commands. */
export interface RunLensArgs {
	evalId: string;
	file: string;
	/** Run only the first N samples. */
	samples?: number;
	/** `openResults` and `resume`: the experiment of the result shown on the lens. */
	experiment?: string;
}

/** Settings the server reads from the client (section `doteval`). */
export interface ServerSettings {
	evalGlobs: string[];
	storagePath: string;
}

/** What the client sends in `initialize`: the settings, and a folder of its own for caches. */
export interface InitializationOptions extends ServerSettings {
	/** The extension's global storage folder: the server keeps the compiled TypeScript compiler there. */
	compileCacheDir?: string;
}
