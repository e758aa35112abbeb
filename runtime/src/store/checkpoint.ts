/**
 * The checkpoint (under the lock): journals into the store's files.
 *
 *  1. load the catalog (verified) and apply the begin/end records of the journals it adopts (this
 *     writer's own, plus those of writers that died);
 *  2. for each evaluation those journals touch, and each whose writer died mid-run: for each of its
 *     segment files the journals have samples for (segments.ts), load it (verified), replay its
 *     records, settle its runs, write it atomically; then copy its state, segment counts and summary
 *     into the catalog: one segment file in memory at a time;
 *  3. let `change` edit the catalog (rename, delete), write the catalog atomically;
 *  4. retire the adopted journals (deleted, or quarantined if some lines could not be applied).
 *
 * A crash anywhere leaves the journals in place; replaying them again is idempotent, and the file
 * name of a new evaluation comes from its first run, so a redo writes the same files.
 */
import { mkdirSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { Applier } from './apply.js';
import { scanJournal, type JournalRead } from './journal.js';
import { listJournals, retireJournal } from './journalFiles.js';
import { readDatabase, removeStaleTemporaries, replaceFileAtomically } from './file.js';
import {
	copyStateToCatalog,
	evaluationFileKey,
	evaluationRow,
	evaluationState,
	mergeStates,
	replayIntoEvalFile,
	runRecords,
	summarizeEvalFile,
	type EvaluationState,
} from './evalFile.js';
import { catalogSegments, chooseSpan, countSegment, evaluationFiles, journaledSamples, segmentFilePath } from './segments.js';
import { runsOf, summarizeParts, type SummaryPart } from './summary.js';
import type { EvalSummary, StrategyInfo } from '../protocol/events.js';
import { writerAlive, type StoreLayout } from './paths.js';
import { StoreError } from './errors.js';
import { listingFor, writeListing } from './listing.js';

export interface CheckpointResult {
	catalog: Database;
	/** Bytes written (the catalog and the evaluation files rewritten). */
	bytes: number;
	adopted: string[];
	/** Quarantined journals and the like: the caller tells the user. */
	notices: string[];
}

type Sql = ReturnType<Database['exec']>;
const values = (result: Sql) => result[0]?.values ?? [];

export function checkpointStore(SQL: SqlJsStatic, layout: StoreLayout, own: string[], change?: (catalog: Database) => void): CheckpointResult {
	try {
		mkdirSync(layout.evals, { recursive: true });
	} catch (error) {
		throw asStoreError(error, layout.evals);
	}
	removeStaleTemporaries([layout.dir, layout.evals]);
	const { db: catalog } = readDatabase(SQL, layout.catalog, 'catalog');
	try {
		const adopted = [
			...own,
			...listJournals(layout)
				.filter((j) => j.orphaned && !own.includes(j.file))
				.map((j) => j.file),
		];
		const reads = new Map<string, Pick<JournalRead, 'bad' | 'badLines'>>();
		const sampleRuns = new Set<string>();
		const applier = new Applier(catalog);
		catalog.exec('BEGIN');
		try {
			for (const file of adopted) {
				reads.set(
					file,
					scanJournal(
						file,
						(record) => {
							applier.apply(record);
							sampleRuns.add(record.run);
						},
						(run) => sampleRuns.add(run),
					),
				);
			}
		} finally {
			applier.free();
		}
		const touched = touchedEvaluations(catalog, sampleRuns);
		let bytes = 0;
		for (const evaluationId of touched) bytes += checkpointEvaluation(SQL, layout, catalog, evaluationId, adopted, reads);
		const settle = new Applier(catalog);
		try {
			settle.settle();
		} finally {
			settle.free();
		}
		catalog.exec('COMMIT');
		change?.(catalog);
		const image = catalog.export();
		catalog.exec('PRAGMA foreign_keys = ON'); // export() reopens the database with default pragmas
		write(layout.catalog, image);
		bytes += image.length;
		// After the catalog: a kill in between leaves a listing of the older catalog, which readers refuse.
		writeListing(layout, listingFor(catalog, image));
		const notices = adopted.map((file) => retireJournal(layout, file, reads.get(file))).filter((n): n is string => n !== undefined);
		return { catalog, bytes, adopted, notices };
	} catch (error) {
		catalog.close();
		throw error;
	}
}

/** Evaluations with records in the adopted journals, and those with a run whose writer died. */
function touchedEvaluations(catalog: Database, runs: Set<string>): number[] {
	const ids = new Set<number>();
	const byRun = catalog.prepare('SELECT evaluation_id FROM runs WHERE uid = ?');
	try {
		for (const run of runs) {
			byRun.bind([run]);
			if (byRun.step()) ids.add(Number(byRun.get()[0]));
			byRun.reset();
		}
	} finally {
		byRun.free();
	}
	for (const [evaluationId, pid, startedAt] of values(catalog.exec('SELECT evaluation_id, pid, started_at FROM runs WHERE finished_at IS NULL'))) {
		if (!writerAlive(Number(pid), Number(startedAt))) ids.add(Number(evaluationId));
	}
	return [...ids].sort((a, b) => a - b);
}

function checkpointEvaluation(
	SQL: SqlJsStatic,
	layout: StoreLayout,
	catalog: Database,
	evaluationId: number,
	adopted: string[],
	reads: Map<string, Pick<JournalRead, 'bad' | 'badLines'>>,
): number {
	const runs = new Set(values(catalog.exec('SELECT uid FROM runs WHERE evaluation_id = ? ORDER BY started_at, uid', [evaluationId])).map((r) => String(r[0])));
	const [name] = values(catalog.exec('SELECT name FROM evaluations WHERE id = ?', [evaluationId]))[0] ?? ['eval'];
	const journaled = journaledSamples(adopted, runs);
	// Sample lines are validated here, not in the catalog's scan: by the scan (lines it had to parse)
	// and by each segment's replay (its own lines).
	for (const [journal, read] of journaled.reads) addBad(reads, journal, read);
	const files = evaluationFiles(catalog, evaluationId);
	const key = files.key ?? evaluationFileKey(String(name), runs.values().next().value ?? String(evaluationId));
	// A new evaluation's span is fixed now, from what its samples weigh; an existing one keeps its own.
	const span = files.key === undefined ? chooseSpan(journaled.sampleLines, journaled.sampleBytes) : files.span;
	const bySegment = journaled.bySegment(span);
	const known = catalogSegments(catalog, evaluationId);
	// Only the segments with journaled samples are rewritten; with none (a dead writer's run without
	// samples), the last one settles the run.
	const touched = bySegment.size ? [...bySegment.keys()].sort((a, b) => a - b) : [Math.max(0, ...known.keys())];
	catalog.run(`INSERT INTO evaluation_files (evaluation_id, file_key, samples, segment_span) VALUES (?, ?, 0, ?) ON CONFLICT (evaluation_id) DO NOTHING`, [
		evaluationId,
		key,
		span,
	]);
	const seed = runRecords(catalog, evaluationId);
	let bytes = 0;
	let single: { summary: EvalSummary; samples: number } | undefined;
	const states: EvaluationState[] = [];
	for (const segment of touched) {
		const file = segmentFilePath(layout, key, segment);
		const { db } = readDatabase(SQL, file, 'evaluation');
		try {
			for (const [journal, read] of replayIntoEvalFile(db, adopted, runs, bySegment.get(segment) ?? new Map(), seed)) addBad(reads, journal, read);
			const state = evaluationState(db);
			if (state) states.push(state);
			const counts = countSegment(db, evaluationRow(db));
			catalog.run(
				`INSERT INTO segments (evaluation_id, seg, samples, passed, failed, errored) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (evaluation_id, seg)
				DO UPDATE SET samples = excluded.samples, passed = excluded.passed, failed = excluded.failed, errored = excluded.errored`,
				[evaluationId, segment, counts.samples, counts.passed, counts.failed, counts.errored],
			);
			if (span === null) single = summarizeEvalFile(db);
			const image = db.export();
			write(file, image);
			bytes += image.length;
		} finally {
			db.close();
		}
	}
	if (states.length) copyStateToCatalog(catalog, evaluationId, mergeStates(states));
	const samples = [...catalogSegments(catalog, evaluationId).values()].reduce((a, b) => a + b, 0);
	const summary = span === null ? single?.summary : segmentedSummary(SQL, layout, catalog, evaluationId, key);
	catalog.run('UPDATE evaluation_files SET samples = ?, summary_json = ? WHERE evaluation_id = ?', [
		samples,
		summary ? JSON.stringify(summary) : null,
		evaluationId,
	]);
	return bytes;
}

function addBad(reads: Map<string, Pick<JournalRead, 'bad' | 'badLines'>>, journal: string, read: Pick<JournalRead, 'bad' | 'badLines'>): void {
	if (!read.bad) return;
	const before = reads.get(journal);
	reads.set(journal, { bad: (before?.bad ?? 0) + read.bad, badLines: [...(before?.badLines ?? []), ...read.badLines].sort((a, b) => a - b).slice(0, 5) });
}

/**
 * The summary over every segment, one file in memory at a time. Not while a live writer still runs
 * the evaluation: readers summarize a running evaluation themselves (its journal has samples the
 * files do not), so computing it at every checkpoint during a run would cost O(n) each time.
 */
function segmentedSummary(SQL: SqlJsStatic, layout: StoreLayout, catalog: Database, evaluationId: number, key: string): EvalSummary | undefined {
	const running = values(catalog.exec('SELECT pid, started_at FROM runs WHERE evaluation_id = ? AND finished_at IS NULL', [evaluationId]));
	if (running.some(([pid, at]) => writerAlive(Number(pid), Number(at)))) return undefined;
	const [strategy, total] = values(catalog.exec('SELECT strategy_json, total FROM evaluations WHERE id = ?', [evaluationId]))[0]!;
	return summarizeParts(
		segmentParts(SQL, layout, key, [...catalogSegments(catalog, evaluationId).keys()]),
		runsOf(catalog, evaluationId),
		JSON.parse(String(strategy)) as StrategyInfo,
		total === null ? null : Number(total),
	);
}

/** Each segment file, opened when the summary asks for it and closed when it asks for the next. */
function* segmentParts(SQL: SqlJsStatic, layout: StoreLayout, key: string, segments: number[]): Generator<SummaryPart> {
	for (const segment of segments) {
		const { db } = readDatabase(SQL, segmentFilePath(layout, key, segment), 'evaluation');
		try {
			const row = evaluationRow(db);
			if (row !== undefined) yield { db, evaluationId: row };
		} finally {
			db.close();
		}
	}
}

function write(file: string, image: Uint8Array): void {
	try {
		replaceFileAtomically(file, image);
	} catch (error) {
		throw asStoreError(error, file);
	}
}

/** File system failures become StoreErrors that say what to do; refusals pass through as they are. */
export function asStoreError(error: unknown, file: string): Error {
	if (error instanceof StoreError || typeof (error as NodeJS.ErrnoException).code !== 'string') return error as Error;
	const code = (error as NodeJS.ErrnoException).code;
	const fix =
		code === 'ENOSPC' || code === 'EDQUOT'
			? 'the disk is full: free some space, then run again (every sample recorded so far is kept in the journals and is written at the next open)'
			: code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
				? `doteval may not write there: make ${file} writable, or store elsewhere with --storage PATH`
				: 'check the folder, then run again';
	return new StoreError(`cannot write the doteval store file ${file} (${code}): ${fix}`);
}
