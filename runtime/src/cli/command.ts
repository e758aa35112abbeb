/**
 * The shape of a `doteval <command>`: main.ts parses the command name and hands the rest of argv to
 * the command, with the process's streams injected so tests can run commands in-process too.
 */
import type { Readable, Writable } from 'node:stream';

export interface CommandContext {
	cwd: string;
	env: NodeJS.ProcessEnv;
	stdin: Readable;
	stdout: Writable;
	stderr: Writable;
	/** stdout is a terminal: animate, colour and ask questions; otherwise plain text. */
	isTTY: boolean;
}

export interface Command {
	name: string;
	/** One line for `doteval --help`. */
	summary: string;
	/** Full usage text for `doteval <name> --help`. */
	usage: string;
	/** Returns the process exit code (see ExitCode in protocol/events.ts). */
	run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** A bad command line: main.ts prints the message and the command's usage, and exits with ExitCode.Usage. */
export class UsageError extends Error {
	override name = 'UsageError';
}
