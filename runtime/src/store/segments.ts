/**
 * Sealed segments (docs/store.md): the samples of an evaluation are split by sample index into files
 * of `span` indexes each, `evals/<key>.db` for indexes [0, span), `evals/<key>.<n>.db` for
 * [n·span, (n+1)·span). An index has exactly one home, so "stored once per index" (apply.ts) stays a
 * rule inside one file, a checkpoint rewrites only the segments its journals have samples for (in a
 * streaming run, the open one), and a reader opens only the segment of the page it shows.
 *
 * The span is fixed for an evaluation at its first checkpoint, from the size of its journaled
 * samples, so that a segment file holds about `targetSegmentBytes` (4 MB) whatever a sample weighs; it is
 * kept in the catalog (evaluation_files.segment_span). NULL there means one file for every index:
 * evaluations stored before segments existed (and migrated stores of doteval 0.1) stay as they are.
 */
import * as path from 'node:path';
import type { Database } from 'sql.js';
import { journalPath, scanSampleLines, type JournalRead, type JournalSource } from './journal.js';
import type { StoreLayout } from './paths.js';

/** About 4 MB of samples per file: sql.js holds a loaded file in wasm memory (which never shrinks) two or three times over. */
const targetSegmentBytes = 4 * 1024 * 1024;
const minSpan = 1_000;
const maxSpan = 100_000;

export const segmentOf = (index: number, span: number | null): number => (span ? Math.floor(index / span) : 0);

export function segmentFilePath(layout: StoreLayout, key: string, segment: number): string {
	return path.join(layout.evals, segment === 0 ? `${key}.db` : `${key}.${segment}.db`);
}

/** The span of a new evaluation, from its journaled samples' average size; DOTEVAL_SEGMENT_SAMPLES fixes it (tests, tuning). */
export function chooseSpan(sampleLines: number, sampleBytes: number): number {
	const fixed = Number(process.env.DOTEVAL_SEGMENT_SAMPLES);
	if (Number.isInteger(fixed) && fixed > 0) return fixed;
	const average = sampleLines > 0 ? sampleBytes / sampleLines : 1024;
	const span = Math.floor(targetSegmentBytes / Math.max(1, average) / 1000) * 1000;
	return Math.min(maxSpan, Math.max(minSpan, span));
}

/** For each journal, the line numbers of sample records that belong to one segment. */
export type SegmentLines = Map<string, Set<number>>;

export interface JournaledSamples {
	/** What reading each journal reported (bad lines), by file. */
	reads: Map<string, JournalRead>;
	sampleLines: number;
	sampleBytes: number;
	/** Segment → the journal lines of its samples, for a span. */
	bySegment(span: number | null): Map<number, SegmentLines>;
}

/**
 * One pass over `journals`: which lines hold samples of `runs`, and their indexes (read from the
 * line's `i`, unparsed). The replay of a segment then parses only its own lines (`replayIntoEvalFile`),
 * so every sample line is parsed once however many segments a checkpoint touches.
 */
export function journaledSamples(journals: readonly JournalSource[], runs: ReadonlySet<string>): JournaledSamples {
	const found = new Map<string, { lines: number[]; indexes: number[] }>();
	const reads = new Map<string, JournalRead>();
	let sampleLines = 0;
	let sampleBytes = 0;
	for (const journal of journals) {
		const file = journalPath(journal);
		const entry = { lines: [] as number[], indexes: [] as number[] };
		found.set(file, entry);
		reads.set(
			file,
			scanSampleLines(journal, runs, (lineNo, index, bytes) => {
				sampleLines++;
				sampleBytes += bytes;
				entry.lines.push(lineNo);
				entry.indexes.push(index);
			}),
		);
	}
	return {
		reads,
		sampleLines,
		sampleBytes,
		bySegment(span) {
			const bySegment = new Map<number, SegmentLines>();
			for (const [file, { lines, indexes }] of found) {
				lines.forEach((lineNo, i) => {
					const segment = segmentOf(indexes[i]!, span);
					let byFile = bySegment.get(segment);
					if (!byFile) bySegment.set(segment, (byFile = new Map()));
					let set = byFile.get(file);
					if (!set) byFile.set(file, (set = new Set()));
					set.add(lineNo);
				});
			}
			return bySegment;
		},
	};
}

/**
 * The segment files of an evaluation with their sample counts, in index order. An evaluation stored
 * before segments existed has one file and no rows in `segments`: its count is evaluation_files'.
 */
export function catalogSegments(catalog: Database, evaluationId: number): Map<number, number> {
	const rows = catalog.exec('SELECT seg, samples FROM segments WHERE evaluation_id = ? ORDER BY seg', [evaluationId])[0]?.values ?? [];
	if (rows.length) return new Map(rows.map(([seg, samples]) => [Number(seg), Number(samples)]));
	const one = catalog.exec('SELECT samples FROM evaluation_files WHERE evaluation_id = ?', [evaluationId])[0]?.values[0];
	return one ? new Map([[0, Number(one[0])]]) : new Map();
}

/** The sample filters whose counts the catalog keeps per segment (schema version 6). */
export type CountedFilter = 'passed' | 'failed' | 'errored';

/** What a filter counts, as an SQL condition on `samples` (the reader's filters and the catalog's counts agree). */
export const filterCondition: Record<CountedFilter, string> = {
	passed: 'passed = 1',
	failed: 'passed = 0 AND error_type IS NULL',
	errored: 'error_type IS NOT NULL',
};

/** A segment file's counts, to keep in the catalog's `segments` row. */
export function countSegment(db: Database, row: number | undefined): { samples: number; passed: number; failed: number; errored: number } {
	if (row === undefined) return { samples: 0, passed: 0, failed: 0, errored: 0 };
	const [samples, passed, failed, errored] = (
		db.exec(
			`SELECT count(*), coalesce(sum(${filterCondition.passed}), 0), coalesce(sum(${filterCondition.failed}), 0),
		coalesce(sum(${filterCondition.errored}), 0) FROM samples WHERE evaluation_id = ?`,
			[row],
		)[0]?.values[0] ?? []
	).map(Number);
	return { samples: samples!, passed: passed!, failed: failed!, errored: errored! };
}

/** Per segment, the count of samples a filter selects, where the catalog has it (undefined: count in the file). */
export function catalogFilterCounts(catalog: Database, evaluationId: number, filter: CountedFilter): Map<number, number | undefined> {
	const rows = catalog.exec(`SELECT seg, ${filter} FROM segments WHERE evaluation_id = ? ORDER BY seg`, [evaluationId])[0]?.values ?? [];
	if (rows.length) return new Map(rows.map(([seg, n]) => [Number(seg), n === null ? undefined : Number(n)]));
	return new Map([...catalogSegments(catalog, evaluationId).keys()].map((seg) => [seg, undefined]));
}

/** The span the catalog fixed for an evaluation (null: one file), and its file key if it has files yet. */
export function evaluationFiles(catalog: Database, evaluationId: number): { key: string | undefined; span: number | null } {
	const row = catalog.exec('SELECT file_key, segment_span FROM evaluation_files WHERE evaluation_id = ?', [evaluationId])[0]?.values[0];
	return { key: row ? String(row[0]) : undefined, span: row && row[1] !== null ? Number(row[1]) : null };
}
