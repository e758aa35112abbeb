/**
 * The append-only journal: the durable record of a run while it runs. One file per writer process,
 * one JSON object per line, written with a single fd and writeSync (6–17× faster than awaiting a
 * FileHandle per line, measured when the store was designed) and fsynced every `syncEvery` records or `syncMs`, whichever
 * comes first. A kill -9 loses nothing already written (the OS has it); a power loss loses at most the
 * unsynced batch and the one being synced. A torn last line (a crash mid-write) is skipped by readers.
 *
 * The fsync of a batch runs on libuv's thread pool while the run goes on (group commit): waiting for
 * the disk was about half of what journaling a sample cost, time the writer's thread now spends on
 * samples and checkpoints instead. One fsync is in flight at a time; records written meanwhile are
 * synced by the next one. `sync()` (an evaluation's begin and end, close) still waits for the disk.
 */
import { closeSync, fsync, fsyncSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import type { EvalStatus } from '../protocol/events.js';
import type { EvaluationStart, SampleInfo } from './types.js';

/** An evaluation's start as journaled: what `beginEvaluation` was told, plus the writer's identity. */
export interface BeginRecord extends Omit<EvaluationStart, 'force' | 'total' | 'ephemeral' | 'replace'> {
	t: 'begin';
	run: string;
	pid: number;
	at: number;
	ephemeral: boolean;
	total: number | null;
}
export interface SampleRecord {
	t: 's';
	run: string;
	/** The sample's index again, before `s`: a reader finds a line's segment without parsing it (absent in older journals). */
	i?: number;
	s: SampleInfo;
	/** 1: replaces a stored sample of its index that finished earlier, even a completed one (`--rerun`). */
	r?: 1;
}
export interface EndRecord {
	t: 'end';
	run: string;
	status: EvalStatus;
	at: number;
	wallMs: number | null;
	maxInFlight: number | null;
}
export type JournalRecord = BeginRecord | SampleRecord | EndRecord;

export interface JournalOptions {
	syncEvery?: number;
	syncMs?: number;
}

export class JournalWriter {
	private fd: number;
	private unsynced = 0;
	/** A background fsync is running; `again`: records were written after it began. */
	private inFlight = false;
	private again = false;
	private closed = false;
	private lastSync = Date.now();
	private timer: NodeJS.Timeout | undefined;
	/** A background fsync that failed, reported by the next append or sync (it has no caller). */
	private failure: Error | undefined;
	private readonly syncEvery: number;
	private readonly syncMs: number;
	bytes: number;

	constructor(
		readonly file: string,
		options: JournalOptions = {},
	) {
		this.fd = openSync(file, 'a');
		this.bytes = fstatSync(this.fd).size;
		this.syncEvery = options.syncEvery ?? 100;
		this.syncMs = options.syncMs ?? 1000;
	}

	append(record: JournalRecord): void {
		if (this.failure) throw this.failure;
		const line = `${JSON.stringify(record)}\n`;
		this.bytes += writeSync(this.fd, line);
		this.unsynced++;
		if (this.unsynced >= this.syncEvery || Date.now() - this.lastSync >= this.syncMs) this.syncInBackground();
		else if (!this.timer) {
			// The last records of a burst must not wait for the next append to become durable.
			this.timer = setTimeout(() => this.syncInBackground(), this.syncMs);
			this.timer.unref();
		}
	}

	/** Start an fsync of what is written so far without waiting for it; a failure is thrown by the next append. */
	private syncInBackground(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.unsynced === 0) return;
		this.unsynced = 0;
		this.lastSync = Date.now();
		if (this.inFlight) {
			this.again = true;
			return;
		}
		this.inFlight = true;
		fsync(this.fd, (error) => {
			this.inFlight = false;
			if (this.closed) return; // close() synced everything itself, and waited
			if (error) this.failure ??= error;
			else if (this.again) {
				this.again = false;
				this.unsynced++;
				this.syncInBackground();
			}
		});
	}

	/** Wait until everything written is on disk. */
	sync(): void {
		if (this.failure) throw this.failure;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.unsynced === 0 && !this.inFlight) return;
		// Also while a background fsync runs: it may have begun before the last records were written.
		fsyncSync(this.fd);
		this.unsynced = 0;
		this.again = false;
		this.lastSync = Date.now();
	}

	close(): void {
		try {
			this.sync();
		} finally {
			this.closed = true;
			closeSync(this.fd);
		}
	}
}

const statuses = new Set(['running', 'completed', 'interrupted', 'failed']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * Whether a parsed line has the shape the applier relies on. Valid JSON of the wrong shape (a
 * hand-edited line, a foreign file) would otherwise fail deep inside SQL, for every command.
 */
export function validRecord(v: unknown): v is JournalRecord {
	if (!isObject(v) || typeof v.run !== 'string') return false;
	if (v.t === 's') {
		const s = v.s;
		return (
			isObject(s) &&
			isInt(s.index) &&
			Array.isArray(s.scores) &&
			s.scores.every((x) => isObject(x) && typeof x.name === 'string') &&
			isObject(s.timing) &&
			(s.row === undefined || isObject(s.row)) &&
			(s.error === null || s.error === undefined || (isObject(s.error) && typeof s.error.type === 'string'))
		);
	}
	if (v.t === 'begin') {
		return (
			typeof v.experiment === 'string' &&
			v.experiment !== '' &&
			typeof v.evalId === 'string' &&
			typeof v.name === 'string' &&
			typeof v.file === 'string' &&
			isObject(v.strategy) &&
			typeof v.at === 'number' &&
			Number.isFinite(v.at) &&
			typeof v.pid === 'number' &&
			typeof v.runtimeVersion === 'string'
		);
	}
	if (v.t === 'end') return typeof v.status === 'string' && statuses.has(v.status) && typeof v.at === 'number' && Number.isFinite(v.at);
	return false;
}

export interface JournalRead {
	/** Offset after the last complete line (where the next read should start). */
	end: number;
	/** Complete lines that are not a valid record (unparseable, or the wrong shape): skipped. */
	bad: number;
	/** Line numbers (1-based, counted from `from`) of the first bad lines, for messages. */
	badLines: number[];
}

/**
 * A journal a reader holds open since its snapshot was loaded. A checkpoint (or an adoption) deletes
 * a journal once its lines are in the store's files; a reader whose catalog is older than those files
 * must still read the lines, or the samples vanish from its view (an evaluation read just after its
 * run ended showed 0 samples). An open descriptor keeps a deleted file readable (on Windows too:
 * libuv opens files with FILE_SHARE_DELETE, so the writer can still delete it).
 */
export interface OpenJournal {
	readonly file: string;
	readonly fd: number;
}

/** A journal by path (opened for each read) or held open (`OpenJournal`). */
export type JournalSource = string | OpenJournal;

export const journalPath = (source: JournalSource): string => (typeof source === 'string' ? source : source.file);

/** Opens the journals that still exist (one may be deleted since it was listed). */
export function openJournals(files: readonly string[]): OpenJournal[] {
	const open: OpenJournal[] = [];
	for (const file of files) {
		try {
			open.push({ file, fd: openSync(file, 'r') });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				closeJournals(open);
				throw error;
			}
		}
	}
	return open;
}

export function closeJournals(journals: readonly OpenJournal[]): void {
	for (const { fd } of journals) closeSync(fd);
}

/**
 * Calls `onLine` for each complete line from `from` on (line numbers count from `from`); returns the
 * offset after the last complete line. A torn last line (no newline yet) is not read.
 */
function forEachLine(source: JournalSource, from: number, onLine: (line: string, lineNo: number) => void): number {
	let fd: number;
	if (typeof source !== 'string') fd = source.fd;
	else
		try {
			fd = openSync(source, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return from;
			throw error;
		}
	// 64 kB at a time: the text of a chunk and its lines then stay small objects that V8's young
	// generation frees cheaply. With 1 MB chunks each pass of a checkpoint left megabyte strings in
	// the large-object space until a full GC (~10 MB of a 1M-sample run's peak heap).
	const chunk = Buffer.allocUnsafe(64 * 1024);
	// Work on bytes, so that a multi-byte character split across two reads is never mangled.
	let pending: Buffer = Buffer.alloc(0);
	let position = from;
	let end = from;
	let lineNo = 0;
	try {
		for (;;) {
			const read = readSync(fd, chunk, 0, chunk.length, position);
			if (read === 0) break;
			position += read;
			const bytes = pending.length ? Buffer.concat([pending, chunk.subarray(0, read)]) : chunk.subarray(0, read);
			const lastNewline = bytes.lastIndexOf(10);
			if (lastNewline < 0) {
				pending = Buffer.from(bytes);
				continue;
			}
			for (const line of bytes.toString('utf8', 0, lastNewline).split('\n')) onLine(line, ++lineNo);
			pending = Buffer.from(bytes.subarray(lastNewline + 1));
			end = position - pending.length;
		}
	} finally {
		if (typeof source === 'string') closeSync(fd);
	}
	return end;
}

/**
 * Calls `onRecord` for each valid record from `from` on. Bad lines are counted, not thrown: a reader
 * must always be able to show what is there, and a checkpoint quarantines a journal with bad lines
 * instead of deleting it. `runs`, when given, skips the sample lines of other runs without parsing.
 */
export function readJournal(
	file: JournalSource,
	onRecord: (record: JournalRecord, lineNo: number, bytes: number) => void,
	from = 0,
	runs?: ReadonlySet<string>,
	/** When given, only the sample lines it accepts (by line number) are parsed and passed on: one segment's. */
	sampleLine?: (lineNo: number) => boolean,
): JournalRead {
	let bad = 0;
	const badLines: number[] = [];
	const end = forEachLine(file, from, (line, lineNo) => {
		if (!line) return;
		if (line.startsWith(samplePrefix) && ((runs && !runs.has(runOfSampleLine(line))) || (sampleLine && !sampleLine(lineNo)))) return;
		const record = parse(line);
		if (!record) {
			// A segment's replay counts only its own lines: the scan that listed them counted the others.
			if (sampleLine && !sampleLine(lineNo)) return;
			bad++;
			if (badLines.length < 5) badLines.push(lineNo);
			return;
		}
		if (record.t === 's' && sampleLine && !sampleLine(lineNo)) return;
		onRecord(record, lineNo, line.length + 1);
	});
	return { end, bad, badLines };
}

/**
 * A quick pass for catalogs: begin and end records are parsed and passed on; of a sample line only
 * its run is taken (`onSample`), unparsed, so scanning a 32 MB journal costs little. Sample lines are
 * validated when they are applied (readJournal).
 */
export function scanJournal(file: JournalSource, onRecord: (record: BeginRecord | EndRecord) => void, onSample: (run: string) => void): JournalRead {
	let bad = 0;
	const badLines: number[] = [];
	const end = forEachLine(file, 0, (line, lineNo) => {
		if (!line) return;
		if (line.startsWith(samplePrefix)) {
			onSample(runOfSampleLine(line));
			return;
		}
		const record = parse(line);
		if (!record) {
			bad++;
			if (badLines.length < 5) badLines.push(lineNo);
		} else if (record.t === 's') onSample(record.run);
		else onRecord(record);
	});
	return { end, bad, badLines };
}

/**
 * The sample lines of `runs` with their indexes, for finding the segment each belongs to. A line as
 * JournalWriter writes it carries its index in `i` and is not parsed here (it is validated when its
 * segment replays it); any other line is parsed, and counted as bad if it is not a valid record.
 */
export function scanSampleLines(file: JournalSource, runs: ReadonlySet<string>, onSample: (lineNo: number, index: number, bytes: number) => void): JournalRead {
	let bad = 0;
	const badLines: number[] = [];
	const end = forEachLine(file, 0, (line, lineNo) => {
		if (!line) return;
		if (line.startsWith(samplePrefix)) {
			const run = runOfSampleLine(line);
			if (!runs.has(run)) return;
			const index = indexOfSampleLine(line, run);
			if (index !== undefined) return onSample(lineNo, index, line.length + 1);
		}
		const record = parse(line);
		if (!record) {
			bad++;
			if (badLines.length < 5) badLines.push(lineNo);
		} else if (record.t === 's' && runs.has(record.run)) onSample(lineNo, record.s.index, line.length + 1);
	});
	return { end, bad, badLines };
}

const indexPrefix = '","i":';

function indexOfSampleLine(line: string, run: string): number | undefined {
	const at = samplePrefix.length + run.length;
	if (!line.startsWith(indexPrefix, at)) return undefined;
	const from = at + indexPrefix.length;
	const to = line.indexOf(',', from);
	const index = Number(line.slice(from, to));
	return to > from && Number.isInteger(index) && index >= 0 ? index : undefined;
}

function parse(line: string): JournalRecord | undefined {
	try {
		const record: unknown = JSON.parse(line);
		return validRecord(record) ? record : undefined;
	} catch {
		return undefined;
	}
}

/** How JournalWriter writes a sample line (JSON.stringify keeps key order): the run's uuid follows. */
const samplePrefix = '{"t":"s","run":"';
const runOfSampleLine = (line: string): string => line.slice(samplePrefix.length, line.indexOf('"', samplePrefix.length));
