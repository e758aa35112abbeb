/**
 * `--reporter jsonl`: exactly the events of protocol/events.ts on stdout, one JSON object per line,
 * written as they happen (writes to pipes and files are synchronous in Node on POSIX, so a consumer
 * reading the pipe sees each line as soon as the event occurs).
 */
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import type { RunEvent } from '../protocol/events.js';
import type { Reporter } from './reporter.js';

export function formatEventLine(event: RunEvent): string {
	return JSON.stringify(event) + '\n';
}

export function createJsonlReporter(out: Writable): Reporter {
	return {
		onEvent: (event) => {
			out.write(formatEventLine(event));
		},
		close: () => {},
	};
}

/** `--reporter jsonl:FILE`: the same stream into a file, each line written as it happens. */
export function createJsonlFileReporter(file: string): Reporter {
	mkdirSync(path.dirname(file), { recursive: true });
	const fd = openSync(file, 'w');
	return {
		onEvent: (event) => {
			writeSync(fd, formatEventLine(event));
		},
		close: () => closeSync(fd),
	};
}
