/**
 * The store's writer (`openStore`): the read model plus evaluations being recorded. Samples go to the
 * journal only and are never kept in memory; the in-memory database is the last checkpoint, brought
 * up to date with this process's own journal only when something reads it (and dropped after a
 * checkpoint during a run until then).
 */
import { mkdirSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { EvalStatus } from '../protocol/events.js';
import type { EvaluationStart, EvaluationStats, EvaluationWriter, SampleInfo, StoreWriter } from './types.js';
import { loadSqlJs } from './sqljs.js';
import { Applier } from './apply.js';
import { JournalWriter, readJournal, type JournalOptions, type JournalRecord } from './journal.js';
import { isTimestampExperimentName, journalDir, lockPath, newJournalName, writerAlive } from './paths.js';
import { SqlStoreReader } from './reader.js';
import { listJournals, loadSnapshot, rewriteDatabase } from './store.js';
import { withLock } from './lock.js';
import { BackgroundCheckpoint, backgroundCheckpointSupported } from './background.js';
import { StoreError, StoreRefusal } from './errors.js';

export interface OpenStoreOptions {
	journal?: JournalOptions;
	/** Checkpoint during a run when the journal exceeds max(checkpointMinBytes, checkpointRatio × database size). */
	checkpointRatio?: number;
	checkpointMinBytes?: number;
	lockTimeoutMs?: number;
}

export class SqlStoreWriter extends SqlStoreReader implements StoreWriter {
	private journal: JournalWriter | undefined;
	private applied = 0;
	private dbSize: number;
	private closed = false;
	/** The in-memory copy was freed after a checkpoint; the next read loads it again. */
	private unloaded = false;
	/** Our closed journals not yet confirmed to be in the database file. */
	private handedOff: string[] = [];
	private background: BackgroundCheckpoint | undefined;

	constructor(file: string, db: Database, size: number, private readonly SQL: SqlJsStatic, private readonly options: OpenStoreOptions) {
		super(file, db);
		this.dbSize = size;
	}

	protected override beforeRead(): void {
		if (this.unloaded) {
			this.summaries.clear();
			// Dropped after a checkpoint during a run (flat memory); reload for this read.
			this.db = loadSnapshot(this.SQL, this.path).db;
			this.unloaded = false;
			this.applied = this.journal?.bytes ?? 0; // the snapshot replayed our journal too
			return;
		}
		const journal = this.journal;
		if (!journal || journal.bytes <= this.applied) return;
		this.summaries.clear();
		const applier = new Applier(this.db);
		this.db.exec('BEGIN');
		try {
			this.applied = readJournal(journal.file, (record) => applier.apply(record), this.applied).end;
			applier.settle();
		} finally {
			this.db.exec('COMMIT');
			applier.free();
		}
	}

	private openJournal(): JournalWriter {
		if (!this.journal) {
			try {
				mkdirSync(journalDir(this.path), { recursive: true });
				this.journal = new JournalWriter(path.join(journalDir(this.path), newJournalName()), this.options.journal);
			} catch (error) {
				throw new StoreError(`cannot create a journal for the doteval store in ${journalDir(this.path)}: ${(error as Error).message}`);
			}
			this.applied = 0;
		}
		return this.journal;
	}

	/** Append a record; a full disk or a vanished folder is a StoreError that says where. */
	private append(record: JournalRecord): void {
		const journal = this.openJournal();
		try {
			journal.append(record);
		} catch (error) {
			throw new StoreError(`cannot write to the journal ${journal.file}: ${(error as Error).message}`);
		}
	}

	async beginEvaluation(start: EvaluationStart): Promise<EvaluationWriter> {
		this.beforeRead();
		const key = this.evaluationKey(start.experiment, start.evalId);
		const completed = new Set<number>();
		if (key !== undefined) {
			const stored = this.db.exec('SELECT dataset_fingerprint FROM evaluations WHERE id = ?', [key])[0]?.values[0]?.[0] ?? null;
			if (stored !== null && start.datasetFingerprint !== null && stored !== start.datasetFingerprint && !start.force) {
				throw new StoreRefusal(
					`the dataset of ${start.evalId} changed since experiment '${start.experiment}' stored its samples ` +
						`(fingerprint ${String(stored).slice(0, 12)}, now ${start.datasetFingerprint.slice(0, 12)}); resuming would mix results of two datasets. ` +
						`Run with a new --experiment NAME, or pass --force to resume anyway.`,
				);
			}
			// Completed without error: skipped on resume. Errored and missing samples run again.
			const statement = this.db.prepare('SELECT idx FROM samples WHERE evaluation_id = ? AND error_type IS NULL');
			statement.bind([key]);
			while (statement.step()) completed.add(statement.get()[0] as number);
			statement.free();
		}
		const run = randomUUID();
		this.append({
			t: 'begin', run, pid: process.pid, at: Date.now(), experiment: start.experiment,
			ephemeral: start.ephemeral ?? isTimestampExperimentName(start.experiment),
			evalId: start.evalId, name: start.name, file: start.file, strategy: start.strategy, gitCommit: start.gitCommit,
			runtimeVersion: start.runtimeVersion, datasetFingerprint: start.datasetFingerprint, total: start.total ?? null,
		});
		this.journal!.sync();
		return {
			completed,
			recordSample: (sample: SampleInfo) => {
				this.ensureOpen();
				this.append({ t: 's', run, s: sample });
				this.maybeCheckpoint();
			},
			finish: async (status: EvalStatus, stats?: EvaluationStats) => {
				this.ensureOpen();
				this.append({ t: 'end', run, status, at: Date.now(), wallMs: stats?.wallMs ?? null, maxInFlight: stats?.maxInFlight ?? null });
				this.journal!.sync();
			},
		};
	}

	private ensureOpen(): void {
		if (this.closed) throw new StoreError(`the doteval store ${this.path} was closed; samples can no longer be recorded`);
	}

	private maybeCheckpoint(): void {
		if (this.background) {
			const done = this.background.poll();
			if (done === null) return; // one checkpoint at a time
			this.settleBackground(done);
		}
		const threshold = Math.max(this.options.checkpointMinBytes ?? defaultCheckpointBytes(), (this.options.checkpointRatio ?? 0.5) * this.dbSize);
		if (!this.journal || this.journal.bytes <= threshold) return;
		// Nothing reads the database while samples stream in: free it until something does.
		this.db.close();
		this.unloaded = true;
		if (backgroundCheckpointSupported()) {
			// Later records go to a new journal while a worker writes the closed ones into the file.
			this.journal.close();
			this.handedOff.push(this.journal.file);
			this.journal = undefined;
			this.background = new BackgroundCheckpoint(this.path, [...this.handedOff]);
		} else {
			this.checkpoint();
			this.db.close();
			this.unloaded = true;
		}
	}

	private settleBackground(done: boolean): void {
		const finished = this.background!;
		this.background = undefined;
		if (!done) return; // its journals stay handed off: the next checkpoint includes them
		this.handedOff = this.handedOff.filter((file) => !finished.journals.includes(file));
		try {
			this.dbSize = statSync(this.path).size;
		} catch {
			// keep the previous size
		}
	}

	/** Write everything journaled (ours and crashed writers') into the SQLite file. */
	checkpoint(change?: (db: Database) => void): void {
		if (this.background) this.settleBackground(this.background.wait());
		withLock(lockPath(this.path), () => {
			const own = [...this.handedOff, ...(this.journal ? [this.journal.file] : [])];
			this.handedOff = [];
			this.journal?.close();
			this.journal = undefined;
			// Free the old copy first: a checkpoint should not need two databases in memory.
			this.db.close();
			try {
				const { db, size } = rewriteDatabase(this.SQL, this.path, own, change);
				this.summaries.clear();
				this.db = db;
				this.dbSize = size;
				this.unloaded = false;
			} catch (error) {
				this.summaries.clear();
				this.db = loadSnapshot(this.SQL, this.path).db;
				this.unloaded = false;
				throw error;
			}
		}, this.options.lockTimeoutMs);
	}

	async flush(): Promise<void> {
		this.journal?.sync();
	}

	async renameExperiment(from: string, to: string): Promise<void> {
		this.checkpoint((db) => {
			this.assertChangeable(db, from);
			if (db.exec('SELECT 1 FROM experiments WHERE name = ?', [to]).length) throw new StoreRefusal(`an experiment named '${to}' already exists; choose another name or delete it first`);
			db.run('UPDATE experiments SET name = ?, ephemeral = 0 WHERE name = ?', [to, from]);
		});
	}

	async deleteExperiment(name: string): Promise<void> {
		this.checkpoint((db) => {
			this.assertChangeable(db, name);
			db.run('DELETE FROM experiments WHERE name = ?', [name]);
		});
	}

	private assertChangeable(db: Database, name: string): void {
		if (!db.exec('SELECT 1 FROM experiments WHERE name = ?', [name]).length) throw new UnknownExperiment(name, experimentNames(db));
		const running = new Set((db.exec(`SELECT r.pid, r.started_at FROM runs r JOIN evaluations e ON e.id = r.evaluation_id JOIN experiments x ON x.id = e.experiment_id
			WHERE x.name = ? AND r.finished_at IS NULL`, [name])[0]?.values ?? []).filter(([pid, at]) => writerAlive(Number(pid), Number(at))).map(([pid]) => Number(pid)));
		// A live writer's journal not yet checkpointed would bring the old name back at its checkpoint.
		for (const journal of listJournals(this.path)) {
			if (journal.orphaned || journal.file === this.journal?.file || running.has(journal.pid)) continue;
			readJournal(journal.file, (record) => {
				if (record.t === 'begin' && record.experiment === name) running.add(journal.pid);
			});
		}
		if (running.size) throw new StoreRefusal(`experiment '${name}' is being run right now (process ${[...running].join(', ')}); wait for it to finish or stop it first`);
	}

	override async close(): Promise<void> {
		this.closeNow();
	}

	/** close() for callers that cannot wait (process exit paths): the checkpoint is synchronous anyway. */
	closeNow(): void {
		if (this.closed) return;
		this.closed = true;
		const pending = (this.journal?.bytes ?? 0) > 0 || this.handedOff.length > 0 || this.background !== undefined || listJournals(this.path).some((j) => j.orphaned);
		try {
			if (pending) this.checkpoint();
		} finally {
			this.journal?.close();
			this.db.close();
		}
	}
}

/** 32 MB of journal before a checkpoint during a run; DOTEVAL_CHECKPOINT_BYTES overrides (tests, tuning). */
function defaultCheckpointBytes(): number {
	const fromEnv = Number(process.env.DOTEVAL_CHECKPOINT_BYTES);
	return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 32 * 1024 * 1024;
}

export class UnknownExperiment extends Error {
	override name = 'UnknownExperiment';
	constructor(readonly experiment: string, readonly existing: string[]) {
		super(`no experiment named '${experiment}'; ${existing.length ? `experiments: ${existing.slice(0, 20).join(', ')}${existing.length > 20 ? `, … (${existing.length} in all)` : ''}` : 'the store has no experiments yet'}`);
	}
}

function experimentNames(db: Database): string[] {
	return (db.exec('SELECT name FROM experiments ORDER BY created_at DESC')[0]?.values ?? []).map((v) => String(v[0]));
}

/**
 * Open the store for writing. Journals of writers that died (kill -9, crash) are adopted right away,
 * so their samples count for resume and their runs show as interrupted.
 */
export async function openStore(dbPath: string, options: OpenStoreOptions = {}): Promise<SqlStoreWriter> {
	const file = path.resolve(dbPath);
	const SQL = await loadSqlJs(file);
	const { db, size } = loadSnapshot(SQL, file);
	const writer = new SqlStoreWriter(file, db, size, SQL, options);
	if (listJournals(file).some((j) => j.orphaned)) writer.checkpoint();
	return writer;
}
