/**
 * Applies journal records to a database. Applying is idempotent and order-tolerant, so a journal can
 * be replayed over a database that already holds some of it (readers do that; so does a checkpoint
 * that crashed before deleting the journals it had adopted):
 *  - a run is inserted once (by uid) and never goes back from finished to running;
 *  - a sample is stored once per (evaluation, index, trial); a success is never replaced, an error is
 *    replaced by a later attempt (a success, or a newer error); a sample of `--rerun` (`r`) replaces
 *    one that finished before it (so replaying an older re-run never undoes a newer one).
 */
import { modelColumns } from './modelColumns.js';
import type { Database, Statement } from 'sql.js';
import type { ScoreRecord } from '../protocol/events.js';
import type { BeginRecord, EndRecord, JournalRecord, SampleRecord } from './journal.js';
import { writerAlive } from './paths.js';

const sql = {
	insertExperiment: 'INSERT OR IGNORE INTO experiments (name, ephemeral, created_at) VALUES (?, ?, ?)',
	experimentId: 'SELECT id FROM experiments WHERE name = ?',
	evaluation: 'SELECT id FROM evaluations WHERE experiment_id = ? AND eval_id = ?',
	insertEvaluation: `INSERT INTO evaluations (experiment_id, eval_id, name, file, status, started_at, git_commit, strategy_json, runtime_version, dataset_fingerprint, total)
		VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
	updateEvaluation: `UPDATE evaluations SET name = ?, file = ?, git_commit = ?, strategy_json = ?, runtime_version = ?, dataset_fingerprint = ?, total = coalesce(?, total) WHERE id = ?`,
	insertRun: `INSERT OR IGNORE INTO runs (evaluation_id, uid, pid, status, started_at, strategy_json) VALUES (?, ?, ?, 'running', ?, ?)`,
	runEvaluation: 'SELECT evaluation_id FROM runs WHERE uid = ?',
	endRun: `UPDATE runs SET status = ?, finished_at = ?, wall_ms = coalesce(?, ? - started_at), max_in_flight = ? WHERE uid = ? AND finished_at IS NULL`,
	existingSample: 'SELECT id, error_type, finished_at FROM samples WHERE evaluation_id = ? AND idx = ? AND trial = ?',
	deleteScores: 'DELETE FROM scores WHERE sample_id = ?',
	deleteSample: 'DELETE FROM samples WHERE id = ?',
	// The common case (a new sample) in one statement, with the id chosen here: `RETURNING id` made
	// each insert about 4 µs (a third) dearer in sql.js. Any conflict (its index, or an id taken by
	// someone else) modifies no row and takes the slow path.
	insertSample: `INSERT INTO samples (id, evaluation_id, idx, row_json, prompt, model_response, error_type, error_message, error_stack, passed, attempts, backoff_ms,
		queued_at, started_at, finished_at, queue_ms, latency_ms, metadata_json, model_json, cached, trial, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
	maxSampleId: 'SELECT coalesce(max(id), 0) FROM samples',
	insertScore: 'INSERT INTO scores (sample_id, ord, name, value, value_json, passed, metrics, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
	lastId: 'SELECT last_insert_rowid()',
} as const;

type Key = keyof typeof sql;
type Param = number | string | null | Uint8Array;

export class Applier {
	private readonly statements = new Map<Key, Statement>();
	private readonly runs = new Map<string, number>();
	/** The id the next new sample gets (read from the table at the first sample). */
	private nextSampleId: number | undefined;

	constructor(private readonly db: Database) {}

	private stmt(key: Key): Statement {
		let statement = this.statements.get(key);
		if (!statement) this.statements.set(key, (statement = this.db.prepare(sql[key])));
		return statement;
	}

	private one(key: Key, params: Param[]): Param[] | undefined {
		const statement = this.stmt(key);
		statement.bind(params);
		const row = statement.step() ? (statement.get() as Param[]) : undefined;
		statement.reset();
		return row;
	}

	private run(key: Key, params: Param[]): void {
		this.stmt(key).run(params);
	}

	apply(record: JournalRecord): void {
		if (record.t === 's') this.sample(record);
		else if (record.t === 'begin') this.begin(record);
		else if (record.t === 'end') this.end(record);
	}

	private begin(r: BeginRecord): void {
		this.run('insertExperiment', [r.experiment, r.ephemeral ? 1 : 0, r.at]);
		const experimentId = this.one('experimentId', [r.experiment])![0] as number;
		const strategy = JSON.stringify(r.strategy);
		let evaluationId = this.one('evaluation', [experimentId, r.evalId])?.[0] as number | undefined;
		if (evaluationId === undefined) {
			this.run('insertEvaluation', [experimentId, r.evalId, r.name, r.file, r.at, r.gitCommit, strategy, r.runtimeVersion, r.datasetFingerprint, r.total]);
			evaluationId = this.one('lastId', [])![0] as number;
		}
		this.run('insertRun', [evaluationId, r.run, r.pid, r.at, strategy]);
		// Only a run seen for the first time describes the evaluation's latest state (replays are older).
		if (this.db.getRowsModified() === 1) {
			this.run('updateEvaluation', [r.name, r.file, r.gitCommit, strategy, r.runtimeVersion, r.datasetFingerprint, r.total, evaluationId]);
		}
		this.runs.set(r.run, evaluationId);
	}

	private end(r: EndRecord): void {
		this.run('endRun', [r.status, r.at, r.wallMs, r.at, r.maxInFlight, r.run]);
	}

	private evaluationOfRun(uid: string): number | undefined {
		let id = this.runs.get(uid);
		if (id === undefined) {
			id = this.one('runEvaluation', [uid])?.[0] as number | undefined;
			if (id !== undefined) this.runs.set(uid, id);
		}
		return id;
	}

	private sample({ run, s, r }: SampleRecord): void {
		const evaluationId = this.evaluationOfRun(run);
		if (evaluationId === undefined) return; // its run was deleted with its experiment
		const t = s.timing;
		const error = s.error;
		const params: Param[] = [
			0, // its id: set by insert()
			evaluationId,
			s.index,
			JSON.stringify(s.row ?? {}),
			s.prompt ?? null,
			s.modelResponse ?? null,
			error?.type ?? null,
			error ? error.message : null,
			error?.stack ?? null,
			s.passed === null || s.passed === undefined ? null : s.passed ? 1 : 0,
			s.attempts ?? 1,
			t?.backoffMs ?? 0,
			t?.queuedAt ?? null,
			t?.startedAt ?? null,
			t?.finishedAt ?? null,
			t?.queueMs ?? null,
			t?.latencyMs ?? null,
			s.metadata && Object.keys(s.metadata).length ? JSON.stringify(s.metadata) : null,
			...modelColumns(s),
			s.trial ?? 0,
			typeof s.output === 'string' && s.output ? s.output : null,
		];
		let sampleId = this.insert(params);
		if (sampleId === undefined) {
			// Stored before: a success is final unless re-run; an error gives way to this later attempt.
			const existing = this.one('existingSample', [evaluationId, s.index, s.trial ?? 0]);
			// Read the maximum again for the retry: without a stored sample of its index, the conflict was
			// its id (samples inserted by other code since we read the maximum).
			this.nextSampleId = undefined;
			if (existing !== undefined) {
				const rerunIsNewer = r === 1 && (existing[2] === null || (s.timing?.finishedAt ?? 0) > Number(existing[2]));
				if (existing[1] === null && !rerunIsNewer) return;
				this.run('deleteScores', [existing[0]]);
				this.run('deleteSample', [existing[0]]);
			}
			sampleId = this.insert(params);
			if (sampleId === undefined) throw new Error(`sample ${s.index} could not be stored`);
		}
		s.scores?.forEach((score, ord) => this.run('insertScore', scoreParams(sampleId!, ord, score)));
	}

	/** Insert a sample with the next free id; that id, or undefined when it conflicts with a stored row. */
	private insert(params: Param[]): number | undefined {
		this.nextSampleId ??= Number(this.one('maxSampleId', [])![0]) + 1;
		const id = this.nextSampleId;
		params[0] = id;
		this.run('insertSample', params);
		if (this.db.getRowsModified() !== 1) return undefined;
		this.nextSampleId++;
		return id;
	}

	/**
	 * Runs left 'running' by a process that no longer exists were interrupted (kill -9, crash), and each
	 * evaluation shows the state of its latest run.
	 */
	settle(): void {
		this.settleRuns(true);
	}

	/**
	 * settle() for a reader's snapshot: with `applied` false (no journal records applied), a catalog as
	 * its last checkpoint settled it changes only if a run's writer died since; then the evaluations'
	 * states are settled again, otherwise that statement (the costliest of a `doteval list`) is skipped.
	 */
	settleRuns(applied: boolean): void {
		let changed = applied;
		const orphans = this.db.exec(`SELECT uid, pid, started_at FROM runs WHERE finished_at IS NULL`)[0]?.values ?? [];
		for (const [uid, pid, startedAt] of orphans) {
			if (writerAlive(Number(pid), Number(startedAt))) continue;
			changed = true;
			this.db.run(
				`UPDATE runs SET status = 'interrupted', finished_at = coalesce(
				(SELECT max(finished_at) FROM samples WHERE evaluation_id = runs.evaluation_id AND finished_at >= runs.started_at), started_at)
				WHERE uid = ?`,
				[uid as string],
			);
		}
		if (!changed) return;
		this.db.run(`UPDATE evaluations SET
			status = (SELECT status FROM runs WHERE evaluation_id = evaluations.id ORDER BY started_at DESC, id DESC LIMIT 1),
			finished_at = (SELECT finished_at FROM runs WHERE evaluation_id = evaluations.id ORDER BY started_at DESC, id DESC LIMIT 1),
			started_at = coalesce((SELECT min(started_at) FROM runs WHERE evaluation_id = evaluations.id), started_at)
			WHERE EXISTS (SELECT 1 FROM runs WHERE evaluation_id = evaluations.id)`);
	}

	free(): void {
		for (const statement of this.statements.values()) statement.free();
		this.statements.clear();
	}
}

function scoreParams(sampleId: number, ord: number, score: ScoreRecord): Param[] {
	const v = score.value;
	const numeric = typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null;
	// Plain numbers need no JSON; booleans keep theirs so that they read back as booleans.
	const json = typeof v === 'number' && Number.isFinite(v) ? null : JSON.stringify(v ?? null);
	const passed = score.passed === null || score.passed === undefined ? null : score.passed ? 1 : 0;
	const metadata = score.metadata && Object.keys(score.metadata).length ? JSON.stringify(score.metadata) : null;
	return [sampleId, ord, score.name, numeric, json, passed, JSON.stringify(score.metrics ?? []), metadata];
}
