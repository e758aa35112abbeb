/**
 * What a reader sees: the catalog with every journal's begin and end records applied (running
 * writers' too, so a run shows while it runs), and, opened only when asked for, one evaluation's file
 * with that evaluation's journaled samples replayed into it. Opening costs the catalog plus a quick
 * scan of the journals, never the samples of other evaluations.
 */
import { statSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { EvalSummary } from '../protocol/events.js';
import { Applier } from './apply.js';
import { scanJournal } from './journal.js';
import { listJournals } from './journalFiles.js';
import { emptyDatabase, readDatabase } from './file.js';
import { evaluationRow, replayIntoEvalFile, summarizeEvalFile } from './evalFile.js';
import { evalFilePath, type StoreLayout } from './paths.js';

export interface EvalFileView {
	db: Database;
	/** Its evaluation's row id in `db`; undefined when nothing is stored for it yet. */
	row: number | undefined;
}

export class Snapshot {
	private open: { evaluationId: number; view: EvalFileView } | undefined;
	private readonly summaries = new Map<number, EvalSummary>();

	constructor(
		private readonly SQL: SqlJsStatic,
		readonly layout: StoreLayout,
		readonly catalog: Database,
		/** Journals with records not yet in the files, and the runs that have some. */
		private readonly journals: string[],
		private readonly journaledRuns: ReadonlySet<string>,
		/** Bytes of the catalog file when loaded. */
		readonly size: number,
	) {}

	private runsOf(evaluationId: number): Set<string> {
		return new Set((this.catalog.exec('SELECT uid FROM runs WHERE evaluation_id = ?', [evaluationId])[0]?.values ?? []).map((r) => String(r[0])));
	}

	private hasJournaled(evaluationId: number): boolean {
		for (const run of this.runsOf(evaluationId)) if (this.journaledRuns.has(run)) return true;
		return false;
	}

	/** The evaluation's file with its journaled records; kept open until another evaluation is asked for. */
	evalFile(evaluationId: number): EvalFileView {
		if (this.open?.evaluationId === evaluationId) return this.open.view;
		this.closeEvalFile();
		const key = this.catalog.exec('SELECT file_key FROM evaluation_files WHERE evaluation_id = ?', [evaluationId])[0]?.values[0]?.[0];
		const db = key === undefined ? emptyDatabase(this.SQL) : readDatabase(this.SQL, evalFilePath(this.layout, String(key)), 'evaluation').db;
		const runs = this.runsOf(evaluationId);
		if ([...runs].some((run) => this.journaledRuns.has(run))) replayIntoEvalFile(db, this.journals, runs);
		const view = { db, row: evaluationRow(db) };
		this.open = { evaluationId, view };
		return view;
	}

	closeEvalFile(): void {
		this.open?.view.db.close();
		this.open = undefined;
	}

	/** From the catalog, unless journals hold records of it not yet summarized there. */
	summary(evaluationId: number, fallback: () => EvalSummary): EvalSummary {
		let summary = this.summaries.get(evaluationId);
		if (summary) return summary;
		const stored = this.catalog.exec('SELECT summary_json FROM evaluation_files WHERE evaluation_id = ?', [evaluationId])[0]?.values[0]?.[0];
		if (typeof stored === 'string' && !this.hasJournaled(evaluationId)) summary = JSON.parse(stored) as EvalSummary;
		else summary = summarizeEvalFile(this.evalFile(evaluationId).db)?.summary ?? fallback();
		this.summaries.set(evaluationId, summary);
		return summary;
	}

	close(): void {
		this.closeEvalFile();
		this.catalog.close();
	}
}

function fileStamp(file: string): string {
	try {
		const s = statSync(file);
		return `${s.ino}:${s.size}:${s.mtimeMs}`;
	} catch {
		return 'none';
	}
}

/**
 * The catalog with every journal's begin/end records. If a checkpoint replaced the catalog while we
 * scanned, start again: a checkpoint deletes the journals it has written into the files.
 */
export function loadSnapshot(SQL: SqlJsStatic, layout: StoreLayout): Snapshot {
	for (let attempt = 0; ; attempt++) {
		const before = fileStamp(layout.catalog);
		const { db, size } = readDatabase(SQL, layout.catalog, 'catalog');
		const journals = listJournals(layout).map((j) => j.file);
		const runs = new Set<string>();
		const applier = new Applier(db);
		db.exec('BEGIN');
		try {
			for (const file of journals) {
				scanJournal(file, (record) => {
					applier.apply(record);
					runs.add(record.run);
				}, (run) => runs.add(run));
			}
			applier.settle();
			db.exec('COMMIT');
		} catch (error) {
			db.close();
			throw error;
		} finally {
			applier.free();
		}
		if (fileStamp(layout.catalog) === before || attempt >= 4) return new Snapshot(SQL, layout, db, journals, runs, size);
		db.close();
	}
}
