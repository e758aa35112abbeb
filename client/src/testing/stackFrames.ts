/**
 * Where an errored sample threw: the frames of its (source-mapped: the CLI runs with source maps on)
 * stack that are the user's code. Frames inside Node, node_modules and the doteval runtime are
 * hidden — they point at files a user did not write (or that exist only in the extension's bundle).
 * Pure: a stack string and the runtime's folders in, frames out.
 */
import { fileURLToPath } from 'node:url';

export interface StackFrame {
	/** The function name V8 printed (`evalSentiment`, `async Promise.all`), or '' for an anonymous one. */
	label: string;
	file: string;
	/** 1-based, as V8 prints them. */
	line: number;
	column: number;
}

// `    at name (file:line:col)` or `    at file:line:col`; file may be a file:// URL.
const framePattern = /^\s*at (?:(.*?) \()?((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?\s*$/;

export function parseStack(stack: string | undefined): StackFrame[] {
	const frames: StackFrame[] = [];
	for (const text of (stack ?? '').split('\n')) {
		const m = framePattern.exec(text);
		if (!m) continue;
		let file = m[2]!;
		if (file.startsWith('file://')) {
			try {
				file = fileURLToPath(file);
			} catch {
				continue;
			}
		}
		frames.push({ label: (m[1] ?? '').replace(/^async /, ''), file, line: Number(m[3]), column: Number(m[4]) });
	}
	return frames;
}

export interface FrameFilter {
	/** Folders of the runtime that ran the sample (with a trailing separator). */
	runtimeDirs?: readonly string[];
	/** Whether a file exists: a bundled runtime's source maps name files of the machine that built it. */
	exists?: (file: string) => boolean;
}

/** The user's frames, innermost first: files that exist, not Node's (`node:`), not node_modules, not the runtime's. */
export function userFrames(frames: readonly StackFrame[], { runtimeDirs = [], exists = () => true }: FrameFilter = {}): StackFrame[] {
	const absolute = (file: string) => file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
	return frames.filter(
		(f) => absolute(f.file) && !/[\\/]node_modules[\\/]/.test(f.file) && !runtimeDirs.some((dir) => f.file.startsWith(dir)) && exists(f.file),
	);
}

/** The message of an error without its stack (the stack is shown as frames). */
export function errorHeadline(type: string, message: string): string {
	return message.startsWith(`${type}:`) ? message : `${type}: ${message}`;
}
