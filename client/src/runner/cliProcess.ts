/**
 * Runs `node <cli> run --reporter jsonl …` and streams its events. stdout carries one event per line;
 * stderr is the CLI's log. Cancelling sends SIGINT (the CLI stores its in-flight samples and exits 130)
 * and SIGKILL after a grace period. No `vscode` import, so it is tested against a fake CLI script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseEventLine, type RunEvent } from '../../../runtime/src/protocol/events.js';

export interface CliProcessOptions {
	node: string;
	cli: string;
	args: string[];
	cwd: string;
	env?: NodeJS.ProcessEnv;
	onEvent(event: RunEvent): void;
	/** A line of stderr, or a stdout line that is not an event. */
	onLog(line: string): void;
	/** How long SIGINT may take before SIGKILL (ms). */
	killAfterMs?: number;
}

export interface CliExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	cancelled: boolean;
	/** Set when the process could not start or the stream was refused. */
	error?: Error;
}

export interface CliProcess {
	readonly pid: number | undefined;
	readonly done: Promise<CliExit>;
	/** Graceful first (SIGINT), forceful after `killAfterMs`. */
	cancel(): void;
	/** Stop at once, e.g. because the stream speaks another protocol. */
	abort(error: Error): void;
}

export function startCli(options: CliProcessOptions): CliProcess {
	const child: ChildProcess = spawn(options.node, [options.cli, ...options.args], {
		cwd: options.cwd,
		env: { ...process.env, ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let cancelled = false;
	let failure: Error | undefined;
	let killTimer: NodeJS.Timeout | undefined;

	const stdout = createInterface({ input: child.stdout! });
	stdout.on('line', (line) => {
		if (failure || !line.trim()) return;
		let event: RunEvent;
		try {
			event = parseEventLine(line);
		} catch {
			options.onLog(line);
			return;
		}
		try {
			options.onEvent(event);
		} catch (error) {
			handle.abort(error as Error);
		}
	});
	createInterface({ input: child.stderr! }).on('line', options.onLog);

	const done = new Promise<CliExit>((resolve) => {
		child.once('error', (error) => {
			const message =
				(error as NodeJS.ErrnoException).code === 'ENOENT'
					? `Could not start "${options.node}": Node.js was not found. Install Node.js 20+ and make sure it is on PATH.`
					: `Could not start the doteval CLI: ${error.message}`;
			failure ??= new Error(message);
			resolve({ code: null, signal: null, cancelled, error: failure });
		});
		child.once('close', (code, signal) => {
			clearTimeout(killTimer);
			resolve({ code, signal, cancelled, error: failure });
		});
	});

	const handle: CliProcess = {
		pid: child.pid,
		done,
		cancel() {
			if (cancelled || child.exitCode !== null) return;
			cancelled = true;
			child.kill('SIGINT');
			killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 5000);
			killTimer.unref();
		},
		abort(error) {
			failure ??= error;
			child.kill('SIGKILL');
		},
	};
	return handle;
}
