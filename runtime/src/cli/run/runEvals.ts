/**
 * `doteval run`: find and load eval files, select evals, then run each one into the store while the
 * reporter shows progress. Returns the exit code (ExitCode in protocol/events.ts).
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { findProjectRoot } from '../../evalId.js';
import type { CommandContext } from '../command.js';
import { ExitCode, protocolVersion, type RunEvent, type EvalListedEvent } from '../../protocol/events.js';
import { StoreError } from '../../store/errors.js';
import type { StoreWriter } from '../../store/types.js';
import { findEvalFiles } from '../../loader/findEvalFiles.js';
import type { LoadedEval } from '../../loader/collectEvals.js';
import { createJsonlReporter } from '../../reporters/jsonl.js';
import { createPrettyReporter } from '../../reporters/pretty.js';
import type { Reporter } from '../../reporters/reporter.js';
import { createLogger, parseLogLevel, type Logger } from '../logger.js';
import { runtimeVersion } from '../version.js';
import { parseRunOptions, type RunOptions } from './options.js';
import { parseTargets, selectEvals } from './selectEvals.js';
import { loadAll, startCompiling } from './loadAll.js';
import { runEvaluation } from './runEvaluation.js';
import { handleInterrupts, type InterruptHandle } from './interrupt.js';
import { watchRun, type RunWatch } from './runWatch.js';
import { printable } from '../format/printable.js';
import { invocation, resumeCommand } from './resumeCommand.js';
import type { EvalRuntime } from './runtimeApi.js';

function makeReporter(options: RunOptions, ctx: CommandContext, log: Logger): Reporter {
	return options.reporter === 'jsonl'
		? createJsonlReporter(ctx.stdout)
		: createPrettyReporter({ out: ctx.stdout, isTTY: ctx.isTTY, logger: log });
}

function listEvals(evals: readonly LoadedEval[], options: RunOptions, ctx: CommandContext): void {
	for (const ev of evals) {
		if (options.reporter === 'jsonl') {
			const listed: EvalListedEvent = {
				type: 'eval-listed', evalId: ev.id, name: ev.name, file: ev.file, line: ev.line,
				strategy: ev.definition.strategyInfo, async: ev.definition.async,
			};
			ctx.stdout.write(JSON.stringify(listed) + '\n');
		} else ctx.stdout.write(printable(ev.id) + '\n');
	}
}

export async function runEvals(argv: string[], ctx: CommandContext, runtime: EvalRuntime): Promise<number> {
	const options = parseRunOptions(argv);
	const log = createLogger(ctx.stderr, parseLogLevel(ctx.env.DOTEVAL_LOG));
	// Listen from the start: a Ctrl+C while files load must not kill the process with samples unstored.
	const interrupts = handleInterrupts(log);
	let experiment = '';
	const watch = watchRun({
		log, stop: (reason) => interrupts.stop(reason), interrupted: () => interrupts.interrupted,
		resumeHint: () => resumeCommand(invocation(process.argv[1], ctx.cwd, ctx.env), argv, experiment),
	});
	try {
		return await runWith(argv, options, log, ctx, runtime, interrupts, watch, (name) => { experiment = name; });
	} finally {
		watch.dispose();
		interrupts.dispose();
	}
}

async function runWith(argv: string[], options: RunOptions, log: Logger, ctx: CommandContext, runtime: EvalRuntime, interrupts: InterruptHandle, watch: RunWatch, named: (experiment: string) => void): Promise<number> {
	const selection = parseTargets(options.targets, ctx.cwd);
	const files = findEvalFiles(selection.fileTargets, ctx.cwd);
	if (files.length === 0) {
		log.error(`no eval files found in ${selection.fileTargets.join(', ') || ctx.cwd} (looked for *.eval.ts, eval_*.ts and their .mts/.js/.mjs forms, outside node_modules and dot-folders)`);
		return ExitCode.NoEvals;
	}

	const compiling = startCompiling(files, runtime);
	const reporter = makeReporter(options, ctx, log);
	const emit = (event: RunEvent) => reporter.onEvent(event);
	let store: StoreWriter | undefined;
	let experiment = '';
	if (!options.list) {
		experiment = options.experiment ?? runtime.newExperimentName();
		named(experiment);
		const storage = runtime.resolveStoragePath({ storage: options.storage, cwd: ctx.cwd, env: ctx.env });
		try {
			store = await runtime.openStore(storage);
			log.debug?.(`store open at +${Math.round(performance.now())} ms`);
		} catch (error) {
			reporter.close();
			log.error(error instanceof StoreError ? error.message : `could not open the store ${storage}: ${(error as Error)?.message}`);
			return ExitCode.StoreError;
		}
		emit({
			type: 'run-start', protocolVersion, runtimeVersion: runtimeVersion(), experiment, storage,
			projectRoot: findProjectRoot(path.join(ctx.cwd, 'any-file'), existsSync), pid: process.pid, at: Date.now(),
		});
	}

	const loaded = await loadAll(compiling, runtime, log, (event) => {
		if (options.list && options.reporter !== 'jsonl') log.error(`${event.file}${event.line !== undefined ? `:${event.line}:${event.column}` : ''}: ${event.message}`);
		else emit(event);
	});
	log.debug?.(`files loaded at +${Math.round(performance.now())} ms`);
	const { selected, missing } = selectEvals(loaded.evals, selection, options.filter, ctx.cwd);
	for (const message of missing) log.error(message);
	const loadFailed = loaded.loadErrors.length > 0;
	const noEvalsCode = loadFailed ? ExitCode.LoadError : ExitCode.NoEvals;

	if (options.list) {
		listEvals(selected, options, ctx);
		reporter.close();
		if (selected.length === 0 && !loadFailed) log.error('no evals matched');
		return loadFailed ? ExitCode.LoadError : selected.length === 0 || missing.length > 0 ? ExitCode.NoEvals : ExitCode.Ok;
	}
	if (selected.length === 0 || missing.length > 0) {
		if (selected.length === 0 && missing.length === 0 && !loadFailed) {
			log.error(options.filter !== undefined ? `no eval id contains '${options.filter}'` : 'the files found define no evals (an eval is `export const evalX = foreach(...)(fn)`)');
		}
		const code = missing.length > 0 && !loadFailed ? ExitCode.NoEvals : noEvalsCode;
		await store!.close();
		emit({ type: 'run-end', status: 'failed', exitCode: code, at: Date.now() });
		reporter.close();
		return code;
	}

	const runScope = runtime.createRunScope();
	let failed = false;
	let storeFailed = false;
	try {
		const shared = {
			runtime, store: store!, experiment, options, signal: interrupts.signal, runScope, log, emit, watch,
			gitCommit: runtime.gitCommit(ctx.cwd), runtimeVersion: runtimeVersion(),
		};
		for (const ev of selected) {
			if (interrupts.interrupted) break;
			if ((await runEvaluation(ev, shared)) === 'failed') failed = true;
		}
	} finally {
		try {
			await runScope.teardown();
		} catch (error) {
			log.error(`fixture teardown failed: ${(error as Error)?.message ?? String(error)}`);
			failed = true;
		}
		try {
			await store!.close(); // the checkpoint: journaled samples into the SQLite file
		} catch (error) {
			log.error(error instanceof StoreError ? error.message : `could not write the store: ${(error as Error)?.message ?? String(error)}`);
			storeFailed = true;
		}
		log.debug?.(`store closed at +${Math.round(performance.now())} ms`);
	}

	const interrupted = interrupts.interrupted;
	const code = interrupted ? ExitCode.Interrupted
		: storeFailed ? ExitCode.StoreError
		: loadFailed ? ExitCode.LoadError
		: failed ? ExitCode.EvalFailed
		: ExitCode.Ok;
	const resume = interrupted ? resumeCommand(invocation(process.argv[1], ctx.cwd, ctx.env), argv, experiment) : undefined;
	emit({
		type: 'run-end', status: interrupted ? 'interrupted' : code === ExitCode.Ok ? 'completed' : 'failed',
		exitCode: code, ...(resume ? { resumeCommand: resume } : {}), at: Date.now(),
	});
	reporter.close();
	if (resume) log.info(`interrupted; resume with:\n  ${resume}`);
	else if (options.reporter === 'pretty' && !options.experiment) log.info(`stored as experiment ${experiment}; see it with: doteval show ${experiment}`);
	return code;
}
