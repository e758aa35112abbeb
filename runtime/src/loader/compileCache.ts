/**
 * A cache of compiled eval files, so that running an unchanged eval file again skips esbuild (and
 * starting its service process): most of `doteval run`'s start-up for a small eval.
 *
 * An entry holds the compiled code and every input esbuild read (the eval file and the local modules
 * it imports), with their size and mtime; it is used only while all of them are unchanged. The key
 * also covers what else decides the output: the esbuild and runtime versions, and whether `doteval`
 * resolves from the project or falls back to the CLI's own copy. Entries live in the OS temp folder,
 * outside the user's project; a broken or unreadable entry is simply a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Input {
	file: string;
	size: number;
	mtimeMs: number;
}

interface Entry {
	inputs: Input[];
	code: string;
}

const folder = path.join(os.tmpdir(), `doteval-compile-${process.getuid?.() ?? 'user'}`);

export function cacheKey(file: string, parts: string[]): string {
	return createHash('sha256')
		.update([path.resolve(file), ...parts].join('\0'))
		.digest('hex')
		.slice(0, 40);
}

function fingerprint(file: string): Input | undefined {
	try {
		const stat = statSync(file);
		return { file, size: stat.size, mtimeMs: stat.mtimeMs };
	} catch {
		return undefined;
	}
}

export function readCached(key: string): string | undefined {
	try {
		const entry = JSON.parse(readFileSync(path.join(folder, `${key}.json`), 'utf8')) as Entry;
		const unchanged = entry.inputs.every((input) => {
			const now = fingerprint(input.file);
			return now !== undefined && now.size === input.size && now.mtimeMs === input.mtimeMs;
		});
		return unchanged ? entry.code : undefined;
	} catch {
		return undefined;
	}
}

/** Remember `code`, compiled from `inputs` (absolute paths), as fingerprinted before compiling. */
export function writeCached(key: string, inputs: Input[], code: string): void {
	try {
		mkdirSync(folder, { recursive: true });
		const target = path.join(folder, `${key}.json`);
		const temp = `${target}.${process.pid}.tmp`;
		writeFileSync(temp, JSON.stringify({ inputs, code } satisfies Entry));
		renameSync(temp, target); // concurrent runs never read a half-written entry
	} catch {
		// a cache that cannot be written only costs the next run a compile
	}
}

export function fingerprintAll(files: string[]): Input[] | undefined {
	const inputs: Input[] = [];
	for (const file of files) {
		const input = fingerprint(file);
		if (!input) return undefined;
		inputs.push(input);
	}
	return inputs;
}
