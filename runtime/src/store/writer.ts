/**
 * The store's writer (`openStore`): the read model plus evaluations being recorded. Samples go to the
 * journal only and are never kept in memory; reads see the snapshot (catalog + journals), loaded
 * again when this process's journal has grown since.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { nodeCrypto } from './builtins.js';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { EvalStatus } from '../protocol/events.js';
import type { EvaluationStart, EvaluationStats, EvaluationWriter, SampleInfo, StoreWriter } from './types.js';
import { JournalWriter, readJournal, type JournalOptions, type JournalRecord } from './journal.js';
import { listJournals } from './journalFiles.js';
import { catalogSegments, evaluationFiles, segmentFilePath } from './segments.js';
import { isTimestampExperimentName, newJournalName, writerAlive, type StoreLayout } from './paths.js';
import { SqlStoreReader } from './reader.js';
import { loadSnapshot, type Snapshot } from './snapshot.js';
import { checkpointStore } from './checkpoint.js';
import { assertWritable, removeStaleTemporaries } from './file.js';
import { defaultNotice, prepareStore, storeLayout, type StoreOpenOptions } from './store.js';
import { withLock } from './lock.js';
import { BackgroundCheckpoint, backgroundCheckpointSupported } from './background.js';
import { StoreError, StoreRefusal, UnknownExperiment } from './errors.js';

// Where it was defined before; kept so that importers of the writer find it.
export { UnknownExperiment };

export interface OpenStoreOptions extends StoreOpenOptions {
	journal?: JournalOptions;
	/** Checkpoint during a run when the journal exceeds max(checkpointMinBytes, checkpointRatio × bytes the last checkpoint wrote). */
	checkpointRatio?: number;
	checkpointMinBytes?: number;
}

export class SqlStoreWriter extends SqlStoreReader implements StoreWriter {
	private journal: JournalWriter | undefined;
	/** Our journal's size when the snapshot was loaded; -1: load it again before the next read. */
	private snapshotJournalBytes = 0;
	private checkpointBytes: number;
	private closed = false;
	/** Our closed journals not yet confirmed to be in the store's files. */
	private handedOff: string[] = [];
	private background: BackgroundCheckpoint | undefined;
	/** A checkpoint during the run failed: said once; the journal keeps everything and close() tries again. */
	private midRunFailure = false;
	/** This writer records into an evaluation stored in one file (before segments): checkpoints run in a worker. */
	private unsegmented = false;
	/** The first journal write that failed (a full disk): every later record fails too, and close() reports it. */
	private writeFailure: StoreError | undefined;

	constructor(
		private readonly layout: StoreLayout,
		snapshot: Snapshot,
		private readonly SQL: SqlJsStatic,
		private readonly options: OpenStoreOptions,
	) {
		super(layout.dir, snapshot);
		this.checkpointBytes = snapshot.size;
	}

	protected override beforeRead(): void {
		const bytes = this.journal?.bytes ?? 0;
		if (this.snapshotJournalBytes === bytes) return;
		this.snapshot.close();
		this.snapshot = loadSnapshot(this.SQL, this.layout);
		this.snapshotJournalBytes = bytes;
	}

	private notice(message: string): void {
		(this.options.onNotice ?? defaultNotice)(message);
	}

	private openJournal(): JournalWriter {
		if (!this.journal) {
			try {
				mkdirSync(this.layout.journals, { recursive: true });
				assertWritable(this.layout.journals, 'folder');
				this.journal = new JournalWriter(path.join(this.layout.journals, newJournalName()), this.options.journal);
			} catch (error) {
				if (error instanceof StoreError) throw error;
				throw new StoreError(`cannot create a journal for the doteval store in ${this.layout.journals}: ${(error as Error).message}`);
			}
		}
		return this.journal;
	}

	/** Append a record; a full disk or a vanished folder is a StoreError that says where. */
	private append(record: JournalRecord): void {
		const journal = this.openJournal();
		try {
			journal.append(record);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			const fix =
				code === 'ENOSPC' || code === 'EDQUOT'
					? 'the disk is full: free some space, then resume the run (every sample recorded before is kept)'
					: 'check the folder, then resume the run';
			this.writeFailure ??= new StoreError(`cannot write to the journal ${journal.file}: ${(error as Error).message}; ${fix}`);
			throw this.writeFailure;
		}
	}

	async beginEvaluation(start: EvaluationStart): Promise<EvaluationWriter> {
		this.beforeRead();
		const key = this.evaluationKey(start.experiment, start.evalId);
		const completedTrials: Set<number>[] = [new Set<number>()];
		const completed = completedTrials[0]!;
		if (key !== undefined) {
			const files = evaluationFiles(this.snapshot.catalog, key);
			if (files.key !== undefined && files.span === null) this.unsegmented = true;
			this.threshold = undefined;
			const stored = this.snapshot.catalog.exec('SELECT dataset_fingerprint FROM evaluations WHERE id = ?', [key])[0]?.values[0]?.[0] ?? null;
			if (stored !== null && start.datasetFingerprint !== null && stored !== start.datasetFingerprint && !start.force) {
				throw new StoreRefusal(
					`the dataset of ${start.evalId} changed since experiment '${start.experiment}' stored its samples ` +
						`(fingerprint ${String(stored).slice(0, 12)}, now ${start.datasetFingerprint.slice(0, 12)}); resuming would mix results of two datasets. ` +
						`Run with a new --experiment NAME, or pass --force to resume anyway.`,
				);
			}
			// Completed without error: skipped on resume. Errored and missing samples run again.
			for (const view of this.snapshot.segmentFiles(key)) {
				if (view.row === undefined) continue;
				// (index, trial) as one number (trials ≤ 1000 < 1024): one value a row keeps the skip set of 100,000 fast.
				const statement = view.db.prepare('SELECT idx * 1024 + trial FROM samples WHERE evaluation_id = ? AND error_type IS NULL');
				statement.bind([view.row]);
				while (statement.step()) {
					const packed = statement.get()[0] as number;
					const trial = packed % 1024;
					if (trial === 0) completed.add(packed / 1024);
					else (completedTrials[trial] ??= new Set<number>()).add((packed - trial) / 1024);
				}
				statement.free();
			}
			// Nothing reads it while samples stream in: a run's memory stays flat.
			this.snapshot.closeEvalFile();
		}
		const run = nodeCrypto().randomUUID();
		this.append({
			t: 'begin',
			run,
			pid: process.pid,
			at: Date.now(),
			experiment: start.experiment,
			ephemeral: start.ephemeral ?? isTimestampExperimentName(start.experiment),
			evalId: start.evalId,
			name: start.name,
			file: start.file,
			strategy: start.strategy,
			gitCommit: start.gitCommit,
			runtimeVersion: start.runtimeVersion,
			datasetFingerprint: start.datasetFingerprint,
			total: start.total ?? null,
		});
		this.journal!.sync();
		return {
			completed,
			completedTrials,
			recordSample: (sample: SampleInfo) => {
				this.ensureOpen();
				this.append({ t: 's', run, i: sample.index, s: sample, ...(start.replace ? { r: 1 as const } : {}) });
				this.maybeCheckpoint();
			},
			finish: async (status: EvalStatus, stats?: EvaluationStats) => {
				this.ensureOpen();
				// After a failed write (a full disk) the run's end cannot be recorded either; close() reports
				// the failure once, with the file and the fix, instead of every caller on the way.
				if (this.writeFailure) return;
				try {
					this.append({ t: 'end', run, status, at: Date.now(), wallMs: stats?.wallMs ?? null, maxInFlight: stats?.maxInFlight ?? null });
					this.journal!.sync();
				} catch (error) {
					if (!(error instanceof StoreError) && typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
					this.writeFailure ??=
						error instanceof StoreError ? error : new StoreError(`cannot write to the journal ${this.journal?.file}: ${(error as Error).message}`);
				}
			},
		};
	}

	private ensureOpen(): void {
		if (this.closed) throw new StoreError(`the doteval store ${this.path} was closed; samples can no longer be recorded`);
	}

	private maybeCheckpoint(): void {
		if (this.background) {
			const done = this.background.poll();
			if (done !== null) this.settleBackground(done);
		}
		const full = this.journal !== undefined && this.journal.bytes > this.checkpointThreshold() && !this.midRunFailure;
		// A checkpoint of segmented evaluations loads only the segments it writes (a few MB each): in
		// this thread it costs a short pause, not memory. In the worker (background.ts) it ran beside
		// the run, but recording got only ~1.4x faster (the worker's file writes slow the journal's
		// fsyncs) for ~50 MB more peak RSS, and the 1M-sample run must stay under 200 MB. An evaluation
		// stored in one file (before segments) is loaded whole: that is done in the worker.
		if (this.unsegmented && backgroundCheckpointSupported()) {
			if (full) {
				// Later records go to a new journal while the worker writes the closed ones into the files.
				this.journal!.close();
				this.handedOff.push(this.journal!.file);
				this.journal = undefined;
				this.snapshotJournalBytes = -1;
			}
			// A few journals per job, oldest first: a worker that falls behind catches up in bounded
			// steps instead of loading one huge backlog (its memory stays flat).
			if (!this.background && this.handedOff.length && !this.midRunFailure)
				this.background = new BackgroundCheckpoint(this.layout.dir, this.handedOff.slice(0, journalsPerBackgroundJob));
			return;
		}
		if (!full) return;
		try {
			const started = Date.now();
			this.checkpoint();
			if (process.env.DOTEVAL_DEBUG_STORE) process.stderr.write(`doteval: checkpoint during the run in the writer's thread in ${Date.now() - started} ms\n`);
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			// The journal holds every sample; the run goes on and close() tries again (and reports).
			this.midRunFailure = true;
			this.notice(`a checkpoint during the run failed (${error.message}); samples stay in the journal`);
		}
	}

	/** Journal bytes that start a checkpoint; computed once per checkpoint, not per sample (process.env is slow to read). */
	private threshold: number | undefined;

	private checkpointThreshold(): number {
		return (this.threshold ??= Math.max(
			this.options.checkpointMinBytes ?? defaultCheckpointBytes(this.unsegmented),
			(this.options.checkpointRatio ?? 0.5) * this.checkpointBytes,
		));
	}

	private settleBackground(done: boolean): void {
		const finished = this.background!;
		this.background = undefined;
		if (!done) {
			// Its journals stay handed off: close() writes them in this thread (and reports what fails).
			this.midRunFailure = true;
			return;
		}
		this.handedOff = this.handedOff.filter((file) => !finished.journals.includes(file));
		this.checkpointBytes = finished.bytes() ?? this.checkpointBytes;
		this.threshold = undefined;
	}

	/** Write everything journaled (ours and crashed writers') into the store's files. */
	checkpoint(change?: (catalog: Database) => void): void {
		if (this.background) this.settleBackground(this.background.wait());
		withLock(
			this.layout.lock,
			() => {
				const own = [...this.handedOff, ...(this.journal ? [this.journal.file] : [])];
				this.journal?.close();
				this.journal = undefined;
				this.snapshot.closeEvalFile();
				this.snapshotJournalBytes = -1;
				let result;
				try {
					result = checkpointStore(this.SQL, this.layout, own, change);
				} catch (error) {
					this.handedOff = own; // still on disk: the next checkpoint (or the next open) includes them
					throw error;
				}
				this.handedOff = [];
				result.catalog.close();
				this.checkpointBytes = result.bytes;
				this.threshold = undefined;
				for (const notice of result.notices) this.notice(notice);
			},
			this.options.lockTimeoutMs,
		);
	}

	async flush(): Promise<void> {
		this.journal?.sync();
	}

	async renameExperiment(from: string, to: string): Promise<void> {
		this.checkpoint((db) => {
			this.assertChangeable(db, from);
			if (db.exec('SELECT 1 FROM experiments WHERE name = ?', [to]).length)
				throw new StoreRefusal(`an experiment named '${to}' already exists; choose another name or delete it first`);
			db.run('UPDATE experiments SET name = ?, ephemeral = 0 WHERE name = ?', [to, from]);
		});
	}

	async deleteExperiment(name: string): Promise<void> {
		let files: string[] = [];
		this.checkpoint((db) => {
			this.assertChangeable(db, name);
			files = (
				db.exec(
					`SELECT f.evaluation_id, f.file_key FROM evaluation_files f JOIN evaluations e ON e.id = f.evaluation_id JOIN experiments x ON x.id = e.experiment_id WHERE x.name = ?`,
					[name],
				)[0]?.values ?? []
			).flatMap(([id, key]) => [...catalogSegments(db, Number(id)).keys()].map((segment) => segmentFilePath(this.layout, String(key), segment)));
			db.run('DELETE FROM experiments WHERE name = ?', [name]);
		});
		// After the catalog no longer lists them (a crash before this leaves unreferenced files, not lost data).
		for (const file of files) {
			try {
				unlinkSync(file);
			} catch {
				// already gone
			}
		}
	}

	private assertChangeable(db: Database, name: string): void {
		if (!db.exec('SELECT 1 FROM experiments WHERE name = ?', [name]).length) throw new UnknownExperiment(name, experimentNames(db));
		const running = new Set(
			(
				db.exec(
					`SELECT r.pid, r.started_at FROM runs r JOIN evaluations e ON e.id = r.evaluation_id JOIN experiments x ON x.id = e.experiment_id
			WHERE x.name = ? AND r.finished_at IS NULL`,
					[name],
				)[0]?.values ?? []
			)
				.filter(([pid, at]) => writerAlive(Number(pid), Number(at)))
				.map(([pid]) => Number(pid)),
		);
		// A live writer's journal not yet checkpointed would bring the old name back at its checkpoint.
		for (const journal of listJournals(this.layout)) {
			if (journal.orphaned || journal.file === this.journal?.file || running.has(journal.pid)) continue;
			readJournal(journal.file, (record) => {
				if (record.t === 'begin' && record.experiment === name) running.add(journal.pid);
			});
		}
		if (running.size)
			throw new StoreRefusal(`experiment '${name}' is being run right now (process ${[...running].join(', ')}); wait for it to finish or stop it first`);
	}

	override async close(): Promise<void> {
		this.closeNow();
	}

	/** close() for callers that cannot wait (process exit paths): the checkpoint is synchronous anyway. */
	closeNow(): void {
		if (this.closed) return;
		this.closed = true;
		const pending =
			(this.journal?.bytes ?? 0) > 0 || this.handedOff.length > 0 || this.background !== undefined || listJournals(this.layout).some((j) => j.orphaned);
		try {
			if (pending) this.checkpoint();
		} finally {
			try {
				this.journal?.close();
			} catch {
				// its fsync fails on a full disk too: what was written is in the OS, and reported below
			}
			this.snapshot.close();
		}
		// Samples after the failure were not stored: the run must not end as if they were.
		if (this.writeFailure) throw this.writeFailure;
	}
}

/**
 * Journal bytes before a checkpoint during a run: 4 MB (about one segment's worth, a pause of well
 * under a second) in this thread, 32 MB for a worker's; DOTEVAL_CHECKPOINT_BYTES overrides (tests, tuning).
 */
/** Journals a background checkpoint takes at once (each about checkpointMinBytes). */
const journalsPerBackgroundJob = 2;

function defaultCheckpointBytes(inWorker: boolean): number {
	const fromEnv = Number(process.env.DOTEVAL_CHECKPOINT_BYTES);
	return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (inWorker ? 32 : 4) * 1024 * 1024;
}

function experimentNames(db: Database): string[] {
	return (db.exec('SELECT name FROM experiments ORDER BY created_at DESC')[0]?.values ?? []).map((v) => String(v[0]));
}

/**
 * Open the store for writing. Journals of writers that died (kill -9, crash) are adopted right away,
 * so their samples count for resume and their runs show as interrupted; temporaries of killed
 * checkpoints are removed. A read-only store is refused before anything runs.
 */
export async function openStore(dir: string, options: OpenStoreOptions = {}): Promise<SqlStoreWriter> {
	const layout = storeLayout(dir);
	for (const [target, what] of [
		[layout.dir, 'folder'],
		[layout.catalog, 'file'],
		[layout.journals, 'folder'],
		[layout.evals, 'folder'],
	] as const)
		assertWritable(target, what);
	const SQL = await prepareStore(layout, options);
	removeStaleTemporaries([layout.dir, layout.evals]);
	const writer = new SqlStoreWriter(layout, loadSnapshot(SQL, layout), SQL, options);
	if (listJournals(layout).some((j) => j.orphaned)) writer.checkpoint();
	return writer;
}
