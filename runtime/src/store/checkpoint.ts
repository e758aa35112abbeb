/**
 * The checkpoint (under the lock): journals into the store's files.
 *
 *  1. load the catalog (verified) and apply the begin/end records of the journals it adopts (this
 *     writer's own, plus those of writers that died);
 *  2. for each evaluation those journals touch, and each whose writer died mid-run: load its file
 *     (verified), replay its records, settle its runs, summarize it, write it atomically, and copy
 *     its state and summary into the catalog: one evaluation in memory at a time;
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
import { copyStateToCatalog, evaluationFileKey, evaluationState, replayIntoEvalFile, summarizeEvalFile } from './evalFile.js';
import { evalFilePath, writerAlive, type StoreLayout } from './paths.js';
import { StoreError } from './errors.js';

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
		const adopted = [...own, ...listJournals(layout).filter((j) => j.orphaned && !own.includes(j.file)).map((j) => j.file)];
		const reads = new Map<string, Pick<JournalRead, 'bad' | 'badLines'>>();
		const sampleRuns = new Set<string>();
		const applier = new Applier(catalog);
		catalog.exec('BEGIN');
		try {
			for (const file of adopted) {
				reads.set(file, scanJournal(file, (record) => {
					applier.apply(record);
					sampleRuns.add(record.run);
				}, (run) => sampleRuns.add(run)));
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

function checkpointEvaluation(SQL: SqlJsStatic, layout: StoreLayout, catalog: Database, evaluationId: number, adopted: string[], reads: Map<string, Pick<JournalRead, 'bad' | 'badLines'>>): number {
	const runs = new Set(values(catalog.exec('SELECT uid FROM runs WHERE evaluation_id = ? ORDER BY started_at, uid', [evaluationId])).map((r) => String(r[0])));
	const [name] = values(catalog.exec('SELECT name FROM evaluations WHERE id = ?', [evaluationId]))[0] ?? ['eval'];
	let key = values(catalog.exec('SELECT file_key FROM evaluation_files WHERE evaluation_id = ?', [evaluationId]))[0]?.[0] as string | undefined;
	key ??= evaluationFileKey(String(name), runs.values().next().value ?? String(evaluationId));
	const file = evalFilePath(layout, key);
	const { db } = readDatabase(SQL, file, 'evaluation');
	try {
		for (const [journal, read] of replayIntoEvalFile(db, adopted, runs)) {
			const before = reads.get(journal);
			// Sample lines are validated here, not in the catalog's scan: add what this pass found.
			if (read.bad) reads.set(journal, { bad: (before?.bad ?? 0) + read.bad, badLines: [...(before?.badLines ?? []), ...read.badLines].slice(0, 5) });
		}
		const state = evaluationState(db);
		const summarized = summarizeEvalFile(db);
		if (state) copyStateToCatalog(catalog, evaluationId, state);
		catalog.run(`INSERT INTO evaluation_files (evaluation_id, file_key, samples, summary_json) VALUES (?, ?, ?, ?)
			ON CONFLICT (evaluation_id) DO UPDATE SET samples = excluded.samples, summary_json = excluded.summary_json`,
		[evaluationId, key, summarized?.samples ?? 0, summarized ? JSON.stringify(summarized.summary) : null]);
		const image = db.export();
		write(file, image);
		return image.length;
	} finally {
		db.close();
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
	const fix = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full: free some space, then run again (every sample recorded so far is kept in the journals and is written at the next open)'
		: code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `doteval may not write there: make ${file} writable, or store elsewhere with --storage PATH`
		: 'check the folder, then run again';
	return new StoreError(`cannot write the doteval store file ${file} (${code}): ${fix}`);
}
