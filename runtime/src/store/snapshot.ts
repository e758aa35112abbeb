/**
 * What a reader sees: the catalog with every journal's begin and end records applied (running
 * writers' too, so a run shows while it runs), and, opened only when asked for, one segment file of
 * one evaluation with its journaled samples replayed into it. Opening costs the catalog plus a quick
 * scan of the journals, never the samples of other evaluations.
 */
import { statSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { EvalSummary, StrategyInfo } from '../protocol/events.js';
import { Applier } from './apply.js';
import { closeJournals, openJournals, scanJournal, type OpenJournal } from './journal.js';
import { listJournals } from './journalFiles.js';
import { emptyDatabase, readDatabase } from './file.js';
import { evaluationRow, replayIntoEvalFile, runRecords, summarizeEvalFile } from './evalFile.js';
import type { StoreLayout } from './paths.js';
import { catalogFilterCounts, catalogSegments, evaluationFiles, journaledSamples, segmentFilePath, type CountedFilter, type SegmentLines } from './segments.js';
import { runsOf, summarizeParts, type SummaryPart } from './summary.js';

export interface EvalFileView {
	db: Database;
	/** Its evaluation's row id in `db`; undefined when nothing is stored for it yet. */
	row: number | undefined;
}

/** One segment of an evaluation as a reader sees it; `samples` is unknown (undefined) while a journal has samples for it. */
export interface SegmentInfo {
	segment: number;
	samples: number | undefined;
}

export class Snapshot {
	private open: { evaluationId: number; segment: number; view: EvalFileView } | undefined;
	private readonly summaries = new Map<number, EvalSummary>();
	private readonly journaledSegments = new Map<number, Map<number, SegmentLines>>();

	constructor(
		private readonly SQL: SqlJsStatic,
		readonly layout: StoreLayout,
		readonly catalog: Database,
		/** Journals with records not yet in the files (held open: see OpenJournal), and the runs that have some. */
		private readonly journals: OpenJournal[],
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

	/** Segment → the journal lines of its samples not yet in its file (read once per snapshot). */
	private journaled(evaluationId: number): Map<number, SegmentLines> {
		let bySegment = this.journaledSegments.get(evaluationId);
		if (!bySegment) {
			bySegment = this.hasJournaled(evaluationId)
				? journaledSamples(this.journals, this.runsOf(evaluationId)).bySegment(evaluationFiles(this.catalog, evaluationId).span)
				: new Map();
			this.journaledSegments.set(evaluationId, bySegment);
		}
		return bySegment;
	}

	/**
	 * The evaluation's segments in index order: those in the catalog and those only journals have
	 * samples for yet. `samples` counts what `filter` selects (all samples without one), when known.
	 */
	segments(evaluationId: number, filter?: CountedFilter): SegmentInfo[] {
		const stored = filter ? catalogFilterCounts(this.catalog, evaluationId, filter) : catalogSegments(this.catalog, evaluationId);
		const journaled = this.journaled(evaluationId);
		return [...new Set([...stored.keys(), ...journaled.keys()])]
			.sort((a, b) => a - b)
			.map((segment) => ({ segment, samples: journaled.has(segment) ? undefined : stored.get(segment) }));
	}

	/** One segment's file with its journaled samples; kept open until another one is asked for. */
	segmentFile(evaluationId: number, segment: number): EvalFileView {
		if (this.open?.evaluationId === evaluationId && this.open.segment === segment) return this.open.view;
		this.closeEvalFile();
		const { key } = evaluationFiles(this.catalog, evaluationId);
		const db = key === undefined ? emptyDatabase(this.SQL) : readDatabase(this.SQL, segmentFilePath(this.layout, key, segment), 'evaluation').db;
		const lines = this.journaled(evaluationId).get(segment);
		if (lines) replayIntoEvalFile(db, this.journals, this.runsOf(evaluationId), lines, runRecords(this.catalog, evaluationId));
		const view = { db, row: evaluationRow(db) };
		this.open = { evaluationId, segment, view };
		return view;
	}

	/** Every segment's file in index order, one open at a time (for a whole-evaluation pass). */
	*segmentFiles(evaluationId: number): Generator<EvalFileView & { segment: number }> {
		for (const { segment } of this.segments(evaluationId)) yield { ...this.segmentFile(evaluationId, segment), segment };
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
		else summary = this.summarize(evaluationId) ?? fallback();
		this.summaries.set(evaluationId, summary);
		return summary;
	}

	private summarize(evaluationId: number): EvalSummary | undefined {
		if (evaluationFiles(this.catalog, evaluationId).span === null) return summarizeEvalFile(this.segmentFile(evaluationId, 0).db)?.summary;
		const [strategy, total] = this.catalog.exec('SELECT strategy_json, total FROM evaluations WHERE id = ?', [evaluationId])[0]?.values[0] ?? [];
		if (strategy === undefined) return undefined;
		return summarizeParts(
			this.parts(evaluationId),
			runsOf(this.catalog, evaluationId),
			JSON.parse(String(strategy)) as StrategyInfo,
			total === null || total === undefined ? null : Number(total),
		);
	}

	private *parts(evaluationId: number): Generator<SummaryPart> {
		for (const view of this.segmentFiles(evaluationId)) if (view.row !== undefined) yield { db: view.db, evaluationId: view.row };
	}

	close(): void {
		this.closeEvalFile();
		this.catalog.close();
		closeJournals(this.journals);
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
		let journals: OpenJournal[];
		try {
			journals = openJournals(listJournals(layout).map((j) => j.file));
		} catch (error) {
			db.close();
			throw error;
		}
		const runs = new Set<string>();
		const applier = new Applier(db);
		db.exec('BEGIN');
		try {
			for (const file of journals) {
				scanJournal(
					file,
					(record) => {
						applier.apply(record);
						runs.add(record.run);
					},
					(run) => runs.add(run),
				);
			}
			applier.settleRuns(journals.length > 0);
			db.exec('COMMIT');
		} catch (error) {
			db.close();
			closeJournals(journals);
			throw error;
		} finally {
			applier.free();
		}
		if (fileStamp(layout.catalog) === before || attempt >= 4) return new Snapshot(SQL, layout, db, journals, runs, size);
		db.close();
		closeJournals(journals);
	}
}
