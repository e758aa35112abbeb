/**
 * The CLI's one leveled logger. Everything it writes goes to stderr, because stdout may carry the
 * jsonl event stream. The level comes from `DOTEVAL_LOG` (error | warn | info | debug; default info).
 */
import type { Writable } from 'node:stream';
import { printableLines } from './format/printable.js';
import { runtimeWrite } from '../executor/sampleOutput.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
	error(message: string): void;
	warn(message: string): void;
	info(message: string): void;
	/** Undefined unless debug logging is on, so call sites write `log.debug?.(…)` and pay nothing. */
	debug?: (message: string) => void;
	/**
	 * Lets a live display (the pretty reporter's progress line) clear itself before a log line is
	 * written and redraw after, so the two never garble each other.
	 */
	setInterceptor(around: ((write: () => void) => void) | undefined): void;
}

export function parseLogLevel(value: string | undefined): LogLevel {
	return value && value in rank ? (value as LogLevel) : 'info';
}

export function createLogger(stream: Writable, level: LogLevel = 'info'): Logger {
	let around: ((write: () => void) => void) | undefined;
	const write = (prefix: string, message: string) => {
		// Messages quote data (error messages, names, paths): never let them drive the terminal.
		// The runtime's own line, even when a sample's code led to it: never taken as that sample's output.
		const emit = () => {
			runtimeWrite(() => stream.write(prefix + printableLines(message) + '\n'));
		};
		if (around) around(emit);
		else emit();
	};
	const enabled = (l: LogLevel) => rank[l] <= rank[level];
	return {
		error: (m) => {
			if (enabled('error')) write('error: ', m);
		},
		warn: (m) => {
			if (enabled('warn')) write('warning: ', m);
		},
		info: (m) => {
			if (enabled('info')) write('', m);
		},
		debug: enabled('debug') ? (m) => write('debug: ', m) : undefined,
		setInterceptor: (fn) => {
			around = fn;
		},
	};
}
