/**
 * Starts `doteval run` processes for the editor: picks the runtime, spawns the CLI in the project
 * root, maps its jsonl stream through a RunTracker and publishes every UI action, so the Test
 * Explorer, the status bar and the history view follow the run live.
 */
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../../runtime/src/protocol/events.js';
import { RunTracker, type UiAction } from '../testing/runTracker';
import type { FrameFilter } from '../testing/stackFrames';
import { readSettings } from '../config';
import { showError, type Log } from '../log';
import { runArgs } from './cliArgs';
import { startCli, type CliExit } from './cliProcess';
import { debugConfiguration } from './debugConfig';
import { findNode } from './nodeCommand';
import type { RunPlan } from './plan';
import { resolveRuntime, type ResolvedRuntime } from './resolveRuntime';

export interface RunSession {
	readonly plan: RunPlan;
	readonly tracker: RunTracker;
	cancel(): void;
}

export interface RunOutcome {
	exit: CliExit;
	tracker: RunTracker;
}

const exitMeaning: Record<number, string> = {
	[ExitCode.EvalFailed]: 'an eval could not run',
	[ExitCode.Usage]: 'the command line was refused',
	[ExitCode.LoadError]: 'an eval file failed to load or compile',
	[ExitCode.StoreError]: 'the store is corrupt or unreadable',
	[ExitCode.NoEvals]: 'no eval matched',
};

export class RunService implements vscode.Disposable {
	private readonly actionEmitter = new vscode.EventEmitter<{ session: RunSession; action: UiAction }>();
	private readonly sessionsEmitter = new vscode.EventEmitter<void>();
	/** Every UI action of every run, as it happens. */
	readonly onAction = this.actionEmitter.event;
	/** A run started or ended. */
	readonly onSessionsChanged = this.sessionsEmitter.event;
	readonly sessions = new Set<RunSession>();
	private bundledNoticeShown = false;

	constructor(
		private readonly extensionPath: string,
		private readonly log: Log,
	) {}

	/** The runtime that runs `anchor` (an eval file or folder): the setting, the workspace's install, or the bundled one. */
	private runtimeFor(anchor: string, projectRoot: string): ResolvedRuntime {
		const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(anchor));
		const settings = readSettings(folder ?? vscode.Uri.file(anchor));
		return resolveRuntime({
			target: anchor,
			runtimePath: settings.runtimePath,
			baseDir: folder?.uri.fsPath ?? projectRoot,
			bundledCli: path.join(this.extensionPath, 'dist', 'runtime', 'cli.js'),
			bundledVersion: bundledVersion(this.extensionPath),
		});
	}

	/** Which stack frames are the user's, for samples of `file`: the runtime that runs it is hidden (stored results too). */
	frameFilterFor(file: string): FrameFilter {
		return { runtimeDirs: runtimeDirs(this.runtimeFor(file, path.dirname(file)).cli), exists: fs.existsSync };
	}

	resolve(plan: RunPlan): ResolvedRuntime {
		const runtime = this.runtimeFor(plan.anchor, plan.projectRoot);
		this.log.info(`runtime: ${runtime.cli} (${runtime.source}${runtime.version ? ` ${runtime.version}` : ''})`);
		if (runtime.source === 'bundled' && !this.bundledNoticeShown) {
			this.bundledNoticeShown = true;
			void vscode.window.showInformationMessage(
				'doteval is not installed in this project, so the runtime bundled with the extension runs your evals. ' +
					'Install it (npm install doteval) to use your own version.',
			);
		}
		return runtime;
	}

	/** Runs one plan to the end (or cancellation); `onAction` sees its UI actions first. */
	async run(plan: RunPlan, token: vscode.CancellationToken | undefined, onAction: (action: UiAction) => void): Promise<RunOutcome> {
		const runtime = this.resolve(plan);
		const args = runArgs(plan);
		const tracker = new RunTracker(plan.onlySamples, { runtimeDirs: runtimeDirs(runtime.cli), exists: fs.existsSync });
		const node = findNode();
		const deliver = (actions: UiAction[]) => {
			for (const action of actions) {
				onAction(action);
				this.actionEmitter.fire({ session, action });
			}
		};
		this.log.info(`run (in ${plan.projectRoot}): ${node.command} ${runtime.cli} ${args.join(' ')}`);
		const proc = startCli({
			node: node.command,
			cli: runtime.cli,
			args,
			cwd: plan.projectRoot,
			env: { ...node.env, ...runtime.env },
			onLog: (line) => this.log.info(line),
			onEvent: (event) => deliver(tracker.accept(event)),
		});
		const session: RunSession = { plan, tracker, cancel: () => proc.cancel() };
		this.sessions.add(session);
		this.sessionsEmitter.fire();
		const cancelListener = token?.onCancellationRequested(() => {
			this.log.info('cancel requested: stopping the run (in-flight samples are stored)');
			proc.cancel();
		});
		try {
			const exit = await proc.done;
			deliver(tracker.processEnded());
			this.report(exit);
			return { exit, tracker };
		} finally {
			cancelListener?.dispose();
			this.sessions.delete(session);
			this.sessionsEmitter.fire();
		}
	}

	/** Starts Node's debugger on the CLI; resolves when the session ends. */
	async debug(plan: RunPlan, token?: vscode.CancellationToken): Promise<boolean> {
		const runtime = this.resolve(plan);
		const node = findNode();
		const config = { ...debugConfiguration(runtime.cli, plan, { ...node.env, ...runtime.env }), runtimeExecutable: node.command };
		this.log.info(`debug (in ${plan.projectRoot}): ${config.program} ${config.args.join(' ')}`);
		const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(plan.anchor));
		const ended = new Promise<void>((resolve) => {
			const listener = vscode.debug.onDidTerminateDebugSession((s) => {
				if (s.configuration.name === config.name) {
					listener.dispose();
					resolve();
				}
			});
		});
		let session: vscode.DebugSession | undefined;
		const startListener = vscode.debug.onDidStartDebugSession((s) => {
			if (s.configuration.name === config.name) session ??= s;
		});
		const cancelListener = token?.onCancellationRequested(() => void (session && vscode.debug.stopDebugging(session)));
		try {
			const started = await vscode.debug.startDebugging(folder, config as unknown as vscode.DebugConfiguration);
			if (!started) {
				this.log.error('the debug session did not start');
				return false;
			}
			await ended;
		} finally {
			startListener.dispose();
			cancelListener?.dispose();
		}
		this.log.info(`debug session ended: ${config.name}`);
		return true;
	}

	cancelAll(): void {
		for (const session of this.sessions) session.cancel();
	}

	private report(exit: CliExit): void {
		if (exit.error) {
			void showError(this.log, exit.error.message);
			return;
		}
		if (exit.cancelled) {
			this.log.info(`run cancelled (exit ${exit.code ?? exit.signal})`);
			return;
		}
		if (exit.code === ExitCode.Ok || exit.code === ExitCode.Interrupted) {
			this.log.info(`run finished (exit ${exit.code})`);
			return;
		}
		const meaning = (exit.code !== null && exitMeaning[exit.code]) || `exit ${exit.code ?? exit.signal}`;
		void showError(this.log, `doteval run failed: ${meaning} (exit ${exit.code ?? exit.signal}). The log has the details.`);
	}

	dispose(): void {
		this.cancelAll();
		this.actionEmitter.dispose();
		this.sessionsEmitter.dispose();
	}
}

/**
 * The runtime's folders: its CLI's, as given and with symlinks resolved (a linked package prints real
 * paths), and the doteval package around it (the nearest package.json above: `bin/doteval.js` and `dist/`
 * load `dist/chunks/…`, whose source maps point into its `src/`).
 */
function runtimeDirs(cli: string): string[] {
	const dir = path.dirname(cli);
	let real = dir;
	try {
		real = path.dirname(fs.realpathSync(cli));
	} catch {
		/* the run reports a missing runtime */
	}
	const dirs = [dir, real].flatMap((d) => [d, packageRootOf(d) ?? d]);
	return [...new Set(dirs)].map((d) => (d.endsWith(path.sep) ? d : d + path.sep));
}

/** The folder of the nearest package.json above `dir`, when it is doteval's (never a user's project). */
function packageRootOf(dir: string): string | null {
	for (let d = dir; ; d = path.dirname(d)) {
		const manifest = path.join(d, 'package.json');
		if (fs.existsSync(manifest)) {
			try {
				return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'doteval' ? d : null;
			} catch {
				return null;
			}
		}
		if (path.dirname(d) === d) return null;
	}
}

function bundledVersion(extensionPath: string): string | null {
	try {
		return (JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
	} catch {
		return null;
	}
}
