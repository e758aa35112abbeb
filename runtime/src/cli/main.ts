#!/usr/bin/env node
/**
 * `doteval`: the command-line entry (built to runtime/dist/cli.js, the package's bin). Parses the
 * command name, hands the rest of argv to the command, and exits with the code it returns.
 */
import { UsageError, type CommandContext } from './command.js';
import { commandLoaders, commandSummaries } from './commands/index.js';
import { createLogger, parseLogLevel } from './logger.js';
import { runtimeVersion } from './version.js';
import { ExitCode } from '../protocol/events.js';
import { preferFastExit } from '../store/wasmTier.js';
import { printableLines } from './format/printable.js';

function mainUsage(): string {
	const names = Object.keys(commandSummaries);
	const width = Math.max(...names.map((n) => n.length));
	return [
		'Usage: doteval <command> [options]',
		'',
		'Commands:',
		...names.map((n) => `  ${n.padEnd(width)}  ${commandSummaries[n]}`),
		'',
		'Options:',
		'  -h, --help     show help (also: doteval <command> --help)',
		'  -v, --version  print the version',
		'',
		'Exit codes: 0 ok, 1 an eval could not run, 2 usage, 3 load error, 4 store error, 5 no evals, 6 quality gate failed, 130 interrupted.',
		'',
	].join('\n');
}

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
	const log = createLogger(ctx.stderr, parseLogLevel(ctx.env.DOTEVAL_LOG));
	const [name, ...rest] = argv;
	if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
		(name === undefined ? ctx.stderr : ctx.stdout).write(mainUsage());
		return name === undefined ? ExitCode.Usage : ExitCode.Ok;
	}
	if (name === '-v' || name === '--version') {
		ctx.stdout.write(runtimeVersion() + '\n');
		return ExitCode.Ok;
	}
	const load = Object.hasOwn(commandLoaders, name) ? commandLoaders[name] : undefined;
	if (!load) {
		log.error(name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`);
		ctx.stderr.write('\n' + mainUsage());
		return ExitCode.Usage;
	}
	const command = (await load()).default;
	if (rest.includes('--help') || rest.includes('-h')) {
		ctx.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
		return ExitCode.Ok;
	}
	try {
		return await command.run(rest, ctx);
	} catch (error) {
		if (error instanceof UsageError) {
			log.error(error.message);
			ctx.stderr.write('\n' + command.usage + (command.usage.endsWith('\n') ? '' : '\n'));
			return ExitCode.Usage;
		}
		throw error;
	}
}

const ctx: CommandContext = {
	cwd: process.cwd(),
	env: process.env,
	stdin: process.stdin,
	stdout: process.stdout,
	stderr: process.stderr,
	isTTY: !!process.stdout.isTTY,
};

/**
 * Exit once stdout and stderr are flushed, without waiting for handles the evals left open (a
 * keep-alive socket of an HTTP client, a forgotten timer): the run is over and its results stored.
 */
function exitWhenFlushed(code: number): void {
	process.exitCode = code;
	const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0 && !s.destroyed);
	if (pending.length === 0) process.exit(code);
	let left = pending.length;
	for (const stream of pending)
		stream.once('drain', () => {
			if (--left === 0) process.exit(code);
		});
}

/**
 * The reader of our output went away (`doteval list | head`): what it did not read is not wanted.
 * Stop writing there and let the command finish (a run still stores every sample); without this
 * listener Node crashes on the unhandled EPIPE.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
		throw error;
	});
}

ignoreClosedPipe(process.stdout);
ignoreClosedPipe(process.stderr);
preferFastExit();
main(process.argv.slice(2), ctx).then(exitWhenFlushed, (error: unknown) => {
	process.stderr.write(`doteval: internal error: ${printableLines((error as Error)?.stack ?? String(error))}\n`);
	exitWhenFlushed(ExitCode.EvalFailed);
});
