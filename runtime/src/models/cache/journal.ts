/**
 * The response cache on disk: one append-only journal (`<store folder>/cache/responses.jsonl`) and an
 * in-memory index of key → (offset, length) built when the cache is opened. A lookup is one Map get
 * and one positioned read; a store is one appended line. A newer line for a key wins (`--cache
 * record` refreshes entries by appending). Lines that do not parse (a torn write of a killed
 * process) are skipped, so a damaged tail costs those entries only.
 *
 * Each line: {"k":"<64 hex>","v":<CachedResponse>}. The key sits at a fixed place so the index can
 * be rebuilt without parsing the responses.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** One cached answer of a model API: status, the headers that describe the body, the body, and whether it was a stream. */
export interface CachedResponse {
	status: number;
	statusText?: string;
	/** The response headers that describe the body (content type), not the provider's request ids. */
	headers: Record<string, string>;
	body: string;
	/** True for an SSE stream: replayed as a stream of its events. */
	stream: boolean;
	/** Epoch ms when stored. */
	at: number;
}

const PREFIX = '{"k":"';
/** Up to this size the file read to build the index is kept, so a lookup reads memory, not the file (a replayed run makes one per call). */
const KEEP_READ_BYTES = 64 * 1024 * 1024;
const KEY_LEN = 64;

/** The response cache's file: an append-only journal with an in-memory index, for tools that inspect or pre-fill a cache. */
export class ResponseJournal {
	private readonly index = new Map<string, { offset: number; length: number }>();
	private readonly fd: number;
	private size: number;
	/** The file as read when the index was built (lines are never rewritten, only appended), when small enough to keep. */
	private snapshot: Buffer | undefined;
	/** Lines skipped when the index was built (damaged or foreign). */
	readonly skipped: number = 0;

	constructor(readonly file: string) {
		mkdirSync(path.dirname(file), { recursive: true });
		this.fd = openSync(file, 'a+');
		this.size = fstatSync(this.fd).size;
		this.skipped = this.buildIndex();
		// A torn last line (a killed writer): end it, so the next entry starts a line of its own.
		if (this.size > 0 && this.lastByte() !== 10) {
			writeSync(this.fd, '\n');
			this.size++;
		}
	}

	get entries(): number {
		return this.index.size;
	}

	private buildIndex(): number {
		if (this.size === 0) return 0;
		const buf = Buffer.allocUnsafe(this.size);
		let read = 0;
		while (read < this.size) read += readSync(this.fd, buf, read, this.size - read, read);
		if (this.size <= KEEP_READ_BYTES) this.snapshot = buf;
		let skipped = 0;
		let start = 0;
		while (start < this.size) {
			let end = buf.indexOf(10, start);
			if (end < 0) end = this.size;
			const length = end - start;
			const head = buf.toString('latin1', start, start + PREFIX.length + KEY_LEN + 2);
			if (length > PREFIX.length + KEY_LEN + 8 && head.startsWith(PREFIX) && head.endsWith('",')) {
				this.index.set(head.slice(PREFIX.length, PREFIX.length + KEY_LEN), { offset: start, length });
			} else if (length > 0) skipped++;
			start = end + 1;
		}
		return skipped;
	}

	private lastByte(): number {
		const b = Buffer.alloc(1);
		readSync(this.fd, b, 0, 1, this.size - 1);
		return b[0]!;
	}

	get(key: string): CachedResponse | undefined {
		const at = this.index.get(key);
		if (!at) return undefined;
		let line: string;
		if (this.snapshot && at.offset + at.length <= this.snapshot.length) line = this.snapshot.toString('utf8', at.offset, at.offset + at.length);
		else {
			const buf = Buffer.allocUnsafe(at.length);
			readSync(this.fd, buf, 0, at.length, at.offset);
			line = buf.toString('utf8');
		}
		try {
			return (JSON.parse(line) as { v: CachedResponse }).v;
		} catch {
			this.index.delete(key); // a torn line that happened to carry a whole key: treat as a miss
			return undefined;
		}
	}

	has(key: string): boolean {
		return this.index.has(key);
	}

	set(key: string, value: CachedResponse): void {
		if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`response cache: a key is 64 hex digits; got ${key.slice(0, 80)}`);
		const line = Buffer.from(`${PREFIX}${key}","v":${JSON.stringify(value)}}\n`, 'utf8');
		// O_APPEND: the line lands at the end even when another process appends too.
		writeSync(this.fd, line);
		const offset = fstatSync(this.fd).size - line.length;
		this.index.set(key, { offset, length: line.length - 1 });
		this.size = offset + line.length;
	}

	close(): void {
		closeSync(this.fd);
	}
}

const KEY = Symbol.for('doteval.models.journals');

/** One open journal per cache folder per process (the eval's and the CLI's runtime copies share it). */
export function journalAt(cacheDir: string): ResponseJournal {
	const g = globalThis as { [KEY]?: Map<string, ResponseJournal> };
	g[KEY] ??= new Map();
	const file = path.join(cacheDir, 'responses.jsonl');
	let journal = g[KEY].get(file);
	if (!journal) {
		journal = new ResponseJournal(file);
		g[KEY].set(file, journal);
	}
	return journal;
}
