/**
 * `doteval run`: find and load eval files, select evals, then run each one into the store while the
 * reporter shows progress. Returns the exit code (ExitCode in protocol/events.ts).
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { findProjectRoot } from '../../contracts/evalId.js';
import type { CommandContext } from '../command.js';
import { ExitCode, protocolVersion, type RunEvent, type EvalListedEvent, type GateResult } from '../../protocol/events.js';
import { StoreError } from '../../store/errors.js';
import type { StoreWriter } from '../../store/types.js';
import { resolveStoragePath, timestampExperimentName } from '../../store/paths.js';
import { openStoreAt } from '../../store/open.js';
import { isPostgresUrl, redactText, redactUrl } from '../../store/postgres/location.js';
import { partOf } from './share.js';
import { createRunScope } from '../../fixtures/scope.js';
import { findEvalFiles } from '../../loader/findEvalFiles.js';
import type { LoadedEval } from '../../loader/collectEvals.js';
import { createJsonlFileReporter, createJsonlReporter } from '../../reporters/jsonl.js';
import { createPrettyReporter } from '../../reporters/pretty.js';
import type { Reporter } from '../../reporters/reporter.js';
import { combineReporters } from '../../reporters/spec.js';
import { createJunitReporter } from '../../reporters/junit.js';
import { createGithubReporter } from '../../reporters/github.js';
import { createRunGates } from './gates.js';
import { createLogger, parseLogLevel, type Logger } from '../logger.js';
import { runtimeVersion } from '../version.js';
import { parseRunOptions, type RunOptions } from './options.js';
import { parseTargets, selectEvals, type Selection } from './selectEvals.js';
import { loadAll, startCompiling, type PendingFiles } from './loadAll.js';
import { runEvaluation } from './runEvaluation.js';
import { handleInterrupts, type InterruptHandle } from './interrupt.js';
import { watchRun, type RunWatch } from './runWatch.js';
import { captureSampleOutput, runtimeWrite } from '../../executor/sampleOutput.js';
import { printable } from '../format/printable.js';
import { invocation, resumeCommand } from './resumeCommand.js';
import { gitCommit } from './gitCommit.js';
import { setModelRunSettings } from '../../models/context.js';
import { cacheDirFor } from '../../models/cache/location.js';

/** One invocation of `doteval run`: its options and where its output goes. */
interface Invocation {
	argv: string[];
	options: RunOptions;
	ctx: CommandContext;
	log: Logger;
	emit(event: RunEvent): void;
	/** Closes the reporter (idempotent): before the last log lines, so a TTY progress line is gone. */
	closeReporter(): void;
	interrupts: InterruptHandle;
	/** Stalls, process.exit() and unhandled rejections of user code (runWatch.ts). */
	watch: RunWatch;
	/** The experiment, once chosen (for the resume command in runWatch's messages). */
	experiment: string;
}

export async function runEvals(argv: string[], ctx: CommandContext): Promise<number> {
	const options = parseRunOptions(argv);
	const log = createLogger(ctx.stderr, parseLogLevel(ctx.env.DOTEVAL_LOG));
	// Listen from the start: a Ctrl+C while files load must not kill the process with samples unstored.
	const interrupts = handleInterrupts(log);
	let experiment = '';
	const watch = watchRun({
		log,
		stop: (reason) => interrupts.stop(reason),
		interrupted: () => interrupts.interrupted,
		resumeHint: () => resumeCommand(invocation(process.argv[1], ctx.cwd, ctx.env), argv, experiment),
	});
	try {
		const selection = parseTargets(options.targets, ctx.cwd);
		const files = findEvalFiles(selection.fileTargets, ctx.cwd);
		if (files.length === 0) {
			log.error(
				`no eval files found in ${selection.fileTargets.join(', ') || ctx.cwd} (looked for *.eval.ts, eval_*.ts and their .mts/.js/.mjs forms, outside node_modules and dot-folders)`,
			);
			return ExitCode.NoEvals;
		}
		const compiling = startCompiling(files); // in parallel with opening the store
		const reporter = makeReporter(options, ctx, log);
		let open = true;
		const closeReporter = () => {
			if (open) reporter.close();
			open = false;
		};
		// Each sample's prints go into its record; on a terminal they show as before, but never into the jsonl stream.
		const stopCapture = captureSampleOutput({ passThrough: options.reporter !== 'jsonl' });
		const run: Invocation = {
			argv,
			options,
			ctx,
			log,
			emit: (event) => runtimeWrite(() => reporter.onEvent(event)),
			closeReporter,
			interrupts,
			watch,
			get experiment() {
				return experiment;
			},
			set experiment(name) {
				experiment = name;
			},
		};
		try {
			return options.list ? await listOnly(run, compiling, selection) : await runSelected(run, compiling, selection);
		} finally {
			closeReporter();
			stopCapture();
		}
	} finally {
		watch.dispose();
		interrupts.dispose();
	}
}

/** The stdout reporter (pretty or jsonl) plus the file and CI ones --reporter lists. */
function makeReporter(options: RunOptions, ctx: CommandContext, log: Logger): Reporter {
	const root = findProjectRoot(path.join(ctx.cwd, 'any-file'), existsSync);
	const reporters = [options.reporter === 'jsonl' ? createJsonlReporter(ctx.stdout) : createPrettyReporter({ out: ctx.stdout, isTTY: ctx.isTTY, logger: log })];
	for (const spec of options.extraReporters) {
		if (spec.name === 'junit') reporters.push(createJunitReporter(path.resolve(ctx.cwd, spec.file), ctx.env.GITHUB_WORKSPACE || root));
		else if (spec.name === 'jsonl') reporters.push(createJsonlFileReporter(path.resolve(ctx.cwd, spec.file)));
		else reporters.push(createGithubReporter({ out: ctx.stdout, env: ctx.env, cwd: root }));
	}
	return combineReporters(reporters);
}

/** `doteval run --list`: load and select, print the ids (or eval-listed events), run nothing. */
async function listOnly(run: Invocation, compiling: PendingFiles, selection: Selection): Promise<number> {
	const { options, ctx, log } = run;
	const loaded = await loadAll(compiling, log, (event) => {
		if (options.reporter !== 'jsonl') log.error(`${event.file}${event.line !== undefined ? `:${event.line}:${event.column}` : ''}: ${event.message}`);
		else run.emit(event);
	});
	const { selected, missing } = selectEvals(loaded.evals, selection, options.filter, ctx.cwd);
	for (const message of missing) log.error(message);
	for (const ev of selected)
		runtimeWrite(() => ctx.stdout.write(options.reporter === 'jsonl' ? JSON.stringify(listedEvent(ev)) + '\n' : printable(ev.id) + '\n'));
	run.closeReporter();
	const loadFailed = loaded.loadErrors.length > 0;
	if (selected.length === 0 && !loadFailed) log.error('no evals matched');
	return loadFailed ? ExitCode.LoadError : selected.length === 0 || missing.length > 0 ? ExitCode.NoEvals : ExitCode.Ok;
}

function listedEvent(ev: LoadedEval): EvalListedEvent {
	return { type: 'eval-listed', evalId: ev.id, name: ev.name, file: ev.file, line: ev.line, strategy: ev.definition.strategyInfo, async: ev.definition.async };
}

/** Opens the store, loads and selects, runs every selected eval in turn, and reports how the run ended. */
async function runSelected(run: Invocation, compiling: PendingFiles, selection: Selection): Promise<number> {
	const { options, ctx, log } = run;
	const experiment = options.experiment ?? timestampExperimentName();
	run.experiment = experiment;
	const storage = resolveStoragePath({ storage: options.storage, cwd: ctx.cwd, env: ctx.env });
	// Shared through globalThis with the eval files' own copy of doteval/models.
	setModelRunSettings({ cache: options.cache, cacheDir: cacheDirFor(storage) });
	if (options.workersJoin && !isPostgresUrl(storage)) {
		log.error(
			`--workers-join needs the PostgreSQL store (--storage postgres://… or DOTEVAL_STORAGE): the workers share the experiment through it; ${storage} is a file. To split a run over machines with embedded stores, use --shard I/N and doteval merge`,
		);
		return ExitCode.Usage;
	}
	let store: StoreWriter;
	try {
		store = await openStoreAt(storage, { part: partOf(options.shard, options.workersJoin), env: ctx.env });
		log.debug?.(`store open at +${Math.round(performance.now())} ms`);
	} catch (error) {
		log.error(error instanceof StoreError ? error.message : redactText(`could not open the store ${storage}: ${(error as Error)?.message}`, storage));
		return ExitCode.StoreError;
	}
	if (options.baseline !== undefined && !(await store.experimentExists(options.baseline))) {
		const names = (await store.listExperiments()).map((e) => e.name);
		log.error(
			`--baseline: no experiment named '${options.baseline}' in ${storage}; ${names.length ? `experiments: ${names.slice(0, 20).join(', ')}` : 'the store has no experiments yet'} (run the baseline first, e.g. on the main branch, with --experiment ${options.baseline})`,
		);
		await store.close();
		return ExitCode.Usage;
	}
	run.emit({
		type: 'run-start',
		protocolVersion,
		runtimeVersion: runtimeVersion(),
		experiment,
		storage: redactUrl(storage),
		projectRoot: findProjectRoot(path.join(ctx.cwd, 'any-file'), existsSync),
		pid: process.pid,
		at: Date.now(),
	});

	const loaded = await loadAll(compiling, log, run.emit);
	log.debug?.(`files loaded at +${Math.round(performance.now())} ms`);
	const unloaded = new Set(loaded.loadErrors.map((e) => path.resolve(e.file)));
	const { selected, missing } = selectEvals(loaded.evals, selection, options.filter, ctx.cwd, unloaded);
	for (const message of missing) log.error(message);
	const loadFailed = loaded.loadErrors.length > 0;
	if (selected.length === 0 || missing.length > 0) {
		if (selected.length === 0 && missing.length === 0 && !loadFailed) {
			log.error(
				options.filter !== undefined
					? `no eval id contains '${options.filter}'`
					: 'the files found define no evals (an eval is `export const evalX = foreach(...)(fn)`)',
			);
		}
		const code = missing.length > 0 && !loadFailed ? ExitCode.NoEvals : loadFailed ? ExitCode.LoadError : ExitCode.NoEvals;
		await store.close();
		run.emit({ type: 'run-end', status: 'failed', exitCode: code, at: Date.now() });
		return code;
	}

	const { failed, storeFailed, gateFailures, runGates } = await runEach(run, selected, store, experiment);
	const interrupted = run.interrupts.interrupted;
	// A gate is the last word: an eval that did not load or run, or a store failure, says more.
	const code = interrupted
		? ExitCode.Interrupted
		: storeFailed
			? ExitCode.StoreError
			: loadFailed
				? ExitCode.LoadError
				: failed
					? ExitCode.EvalFailed
					: gateFailures.length > 0
						? ExitCode.GateFailed
						: ExitCode.Ok;
	const resume = interrupted ? resumeCommand(invocation(process.argv[1], ctx.cwd, ctx.env), run.argv, experiment) : undefined;
	run.emit({
		type: 'run-end',
		status: interrupted ? 'interrupted' : code === ExitCode.Ok ? 'completed' : 'failed',
		exitCode: code,
		...(resume ? { resumeCommand: resume } : {}),
		...(runGates.length ? { gates: runGates } : {}),
		at: Date.now(),
	});
	run.closeReporter();
	if (resume) log.info(`interrupted; resume with:\n  ${resume}`);
	if (code === ExitCode.GateFailed) log.error(`quality gate failed (exit ${ExitCode.GateFailed}):\n${gateFailures.map((line) => `  ${line}`).join('\n')}`);
	else if (options.reporter === 'pretty' && !options.experiment) log.info(`stored as experiment ${experiment}; see it with: doteval show ${experiment}`);
	return code;
}

/** Runs the evals one after another (until a Ctrl+C), then tears down run fixtures and closes the store, whatever happened. */
async function runEach(
	run: Invocation,
	selected: readonly LoadedEval[],
	store: StoreWriter,
	experiment: string,
): Promise<{ failed: boolean; storeFailed: boolean; gateFailures: string[]; runGates: GateResult[] }> {
	const { log } = run;
	const runScope = createRunScope();
	const gates = createRunGates(run.options, store, experiment);
	const gateFailures: string[] = [];
	let runGates: GateResult[] = [];
	let failed = false;
	let storeFailed = false;
	try {
		const shared = {
			store,
			experiment,
			options: run.options,
			signal: run.interrupts.signal,
			runScope,
			log,
			watch: run.watch,
			emit: (event: RunEvent) => {
				if (event.type === 'eval-end') for (const g of event.gates ?? []) if (!g.passed) gateFailures.push(`${event.evalId}: ${g.message}`);
				run.emit(event);
			},
			gitCommit: gitCommit(run.ctx.cwd),
			runtimeVersion: runtimeVersion(),
			checkGates: gates.check,
		};
		for (const ev of selected) {
			if (run.interrupts.interrupted) break;
			if ((await runEvaluation(ev, shared)) === 'failed') failed = true;
		}
		if (!run.interrupts.interrupted) {
			runGates = gates.finish();
			for (const g of runGates) if (!g.passed) gateFailures.push(g.message);
		}
	} catch (error) {
		// The store went away mid-run (a PostgreSQL server restarted, a disk filled): say so, exit 4.
		if (!(error instanceof StoreError)) throw error;
		log.error(error.message);
		storeFailed = true;
	} finally {
		try {
			await runScope.teardown();
		} catch (error) {
			log.error(`fixture teardown failed: ${(error as Error)?.message ?? String(error)}`);
			failed = true;
		}
		try {
			await store.close(); // the checkpoint: journaled samples into the SQLite file (PostgreSQL: the last batch)
		} catch (error) {
			log.error(error instanceof StoreError ? error.message : `could not write the store: ${(error as Error)?.message ?? String(error)}`);
			storeFailed = true;
		}
		log.debug?.(`store closed at +${Math.round(performance.now())} ms`);
	}
	return { failed, storeFailed, gateFailures, runGates };
}
