/**
 * The PostgreSQL store's writer. Samples are buffered in memory and written in batches, each batch
 * one transaction (samples, their scores, the run's heartbeat, joined workers' finished chunks), at
 * least once a second and whenever 500 samples are waiting: a killed process loses only its samples
 * in flight and at most a second of finished ones. Many processes on many machines write into one
 * experiment at once; a sample index is stored once per evaluation (a success is final, an error
 * gives way to a later attempt), decided by the database in `INSERT … ON CONFLICT`.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EvalStatus } from '../../protocol/events.js';
import type { EvaluationStart, EvaluationStats, EvaluationWriter, SampleInfo, StoreWriter } from '../types.js';
import { isTimestampExperimentName } from '../paths.js';
import { StoreError, StoreRefusal } from '../errors.js';
import { UnknownExperiment } from '../errors.js';
import { connectionError } from './connect.js';
import { PgStoreReader } from './reader.js';
import { dbNow } from './schema.js';
import { liveness } from './liveness.js';
import { sampleParams, scoreParams, insertSamples, insertScores, replaceSamples, pendingKey } from './batch.js';
import { WorkQueue } from './workQueue.js';

export interface PgWriterOptions {
	/** What this process runs of each evaluation: '' all of it, 'i/n' a shard, 'join' claimed chunks. */
	part?: string;
	/** Write a batch when this many samples wait (default 500); at least once a second anyway. */
	batchSize?: number;
}

interface Pending {
	evaluationId: number;
	sample: SampleInfo;
	replace?: boolean;
}

/** A run's end, written in the same transaction as its last samples. */
interface RunEnd {
	runId: string;
	evaluationId: number;
	status: EvalStatus;
	wallMs: number | null;
	maxInFlight: number | null;
}

/** An evaluation being recorded; `joinWork` shares its samples with other processes (--workers-join). */
export interface PgEvaluationWriter extends EvaluationWriter {
	readonly evaluationId: number;
	readonly runId: string;
	/** Completed indexes as of now, the other workers' too (the set `completed` is refreshed in place). */
	refreshCompleted(): Promise<void>;
	/** Joins the work queue over rows 0 … rows − 1, each run `trials` times (a worker runs every trial of the rows it claims). */
	joinWork(rows: number, chunkSize?: number, trials?: number): Promise<WorkQueue>;
	/** Samples of the evaluation stored by every process so far, and how many are errors. */
	storedCount(): Promise<{ stored: number; errors: number }>;
}

export class PgStoreWriter extends PgStoreReader implements StoreWriter {
	private buffer: Pending[] = [];
	private ending: RunEnd[] = [];
	private readonly activeRuns = new Set<string>();
	private readonly queues = new Set<WorkQueue>();
	private timer: NodeJS.Timeout | undefined;
	private writing: Promise<void> = Promise.resolve();
	private queued = false;
	/** The last batch failed (connection lost…): its samples stay buffered and the next flush retries. */
	private failure: StoreError | undefined;
	private closed = false;
	private readonly host = hostname();

	constructor(
		path: string,
		pool: pg.Pool,
		private readonly url: string,
		private readonly options: PgWriterOptions = {},
	) {
		super(path, pool, url);
	}

	private async transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		let client: pg.PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			throw connectionError(error, this.url);
		}
		try {
			await client.query('BEGIN');
			const result = await body(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {});
			if (error instanceof StoreError || error instanceof StoreRefusal || error instanceof UnknownExperiment) throw error;
			throw connectionError(error, this.url);
		} finally {
			client.release();
		}
	}

	async beginEvaluation(start: EvaluationStart): Promise<PgEvaluationWriter> {
		this.ensureOpen();
		const runId = randomUUID();
		const strategy = JSON.stringify(start.strategy);
		const part = this.options.part ?? '';
		const evaluationId = await this.transaction(async (client) => {
			const ephemeral = start.ephemeral ?? isTimestampExperimentName(start.experiment);
			await client.query(`INSERT INTO doteval.experiments (name, ephemeral, created_at) VALUES ($1, $2, ${dbNow}) ON CONFLICT (name) DO NOTHING`, [
				start.experiment,
				ephemeral,
			]);
			const experimentId = Number((await client.query('SELECT id FROM doteval.experiments WHERE name = $1', [start.experiment])).rows[0].id);
			const inserted = await client.query(
				`INSERT INTO doteval.evaluations (experiment_id, eval_id, name, file, started_at, git_commit, strategy_json, runtime_version, dataset_fingerprint, total)
				VALUES ($1, $2, $3, $4, ${dbNow}, $5, $6, $7, $8, $9) ON CONFLICT (experiment_id, eval_id) DO NOTHING RETURNING id`,
				[experimentId, start.evalId, start.name, start.file, start.gitCommit, strategy, start.runtimeVersion, start.datasetFingerprint, start.total ?? null],
			);
			let id: number;
			if (inserted.rows.length) id = Number(inserted.rows[0].id);
			else {
				// Locked until commit: shards starting at once check the fingerprint one after the other.
				const row = (
					await client.query('SELECT id, dataset_fingerprint FROM doteval.evaluations WHERE experiment_id = $1 AND eval_id = $2 FOR UPDATE', [
						experimentId,
						start.evalId,
					])
				).rows[0];
				id = Number(row.id);
				const stored = row.dataset_fingerprint as string | null;
				if (stored !== null && start.datasetFingerprint !== null && stored !== start.datasetFingerprint && !start.force) {
					throw new StoreRefusal(
						`the dataset of ${start.evalId} changed since experiment '${start.experiment}' stored its samples ` +
							`(fingerprint ${stored.slice(0, 12)}, now ${start.datasetFingerprint.slice(0, 12)}); resuming would mix results of two datasets. ` +
							`Run with a new --experiment NAME, or pass --force to resume anyway.`,
					);
				}
				await client.query(
					`UPDATE doteval.evaluations SET name = $2, file = $3, git_commit = $4, strategy_json = $5, runtime_version = $6,
					dataset_fingerprint = coalesce($7, dataset_fingerprint), total = coalesce($8, total), summary_json = NULL WHERE id = $1`,
					[id, start.name, start.file, start.gitCommit, strategy, start.runtimeVersion, start.datasetFingerprint, start.total ?? null],
				);
			}
			await client.query(
				`INSERT INTO doteval.runs (evaluation_id, uid, host, pid, part, status, started_at, heartbeat_at, lease_ms, strategy_json)
				VALUES ($1, $2, $3, $4, $5, 'running', ${dbNow}, ${dbNow}, $6, $7)`,
				[id, runId, this.host, process.pid, part, liveness().staleMs, strategy],
			);
			return id;
		});
		this.activeRuns.add(runId);
		this.startTimer();
		const completedTrials: Set<number>[] = [new Set<number>()];
		const completed = completedTrials[0]!;
		const refreshCompleted = async () => {
			// Completed without error: skipped on resume. Errored and missing samples run again.
			for (const [idx, trial] of await this.db.rows('SELECT idx, trial FROM doteval.samples WHERE evaluation_id = $1 AND error_type IS NULL', [evaluationId])) {
				(completedTrials[Number(trial)] ??= new Set<number>()).add(Number(idx));
			}
		};
		await refreshCompleted();
		let queue: WorkQueue | undefined;
		return {
			completed,
			completedTrials,
			evaluationId,
			runId,
			refreshCompleted,
			recordSample: (sample: SampleInfo) => {
				this.ensureOpen();
				this.buffer.push({ evaluationId, sample, ...(start.replace ? { replace: true } : {}) });
				queue?.recorded(sample.index);
				if (this.buffer.length >= (this.options.batchSize ?? 500)) void this.flushBatch();
			},
			joinWork: async (rows: number, chunkSize?: number, trials = 1) => {
				queue = await WorkQueue.join(this.db, { evaluationId, owner: runId, total: rows, chunkSize, trials, completedTrials });
				this.queues.add(queue);
				return queue;
			},
			storedCount: async () => {
				const [row] = await this.db.rows('SELECT count(*), count(*) FILTER (WHERE error_type IS NOT NULL) FROM doteval.samples WHERE evaluation_id = $1', [
					evaluationId,
				]);
				return { stored: Number(row?.[0] ?? 0), errors: Number(row?.[1] ?? 0) };
			},
			finish: async (status: EvalStatus, stats?: EvaluationStats) => {
				this.ensureOpen();
				// One transaction (one commit, one fsync on the server) for the last samples, the last
				// chunks done and the run's end: at the end of a joined run every worker waits for it.
				this.ending.push({ runId, evaluationId, status, wallMs: stats?.wallMs ?? null, maxInFlight: stats?.maxInFlight ?? null });
				await this.flush();
				if (queue) this.queues.delete(queue);
				this.activeRuns.delete(runId);
				if (this.activeRuns.size === 0) this.stopTimer();
			},
		};
	}

	private startTimer(): void {
		if (this.timer) return;
		// Also when no sample finished: the heartbeat tells other machines this run is alive.
		this.timer = setInterval(() => void this.flushBatch(), liveness().heartbeatMs);
		this.timer.unref();
	}

	private stopTimer(): void {
		clearInterval(this.timer);
		this.timer = undefined;
	}

	/**
	 * One batch at a time, in order; a failure keeps the samples for the next attempt. A batch already
	 * queued takes every sample recorded until it starts, so a second one is not queued behind it.
	 */
	private flushBatch(): Promise<void> {
		if (this.queued) return this.writing;
		this.queued = true;
		this.writing = this.writing.then(async () => {
			this.queued = false;
			const batch = this.buffer;
			this.buffer = [];
			const ending = this.ending;
			this.ending = [];
			const doneChunks = [...this.queues].flatMap((q) => q.takeFinished());
			try {
				await this.writeBatch(batch, doneChunks, ending);
				this.failure = undefined;
			} catch (error) {
				this.buffer = batch.concat(this.buffer);
				this.ending = ending.concat(this.ending);
				for (const q of this.queues) q.restoreFinished(doneChunks);
				this.failure = error instanceof StoreError ? error : connectionError(error, this.url);
			}
		});
		return this.writing;
	}

	private async writeBatch(batch: Pending[], doneChunks: { evaluationId: number; firstIdx: number }[], ending: RunEnd[]): Promise<void> {
		if (batch.length === 0 && doneChunks.length === 0 && ending.length === 0 && this.activeRuns.size === 0) return;
		await this.transaction(async (client) => {
			if (batch.length) {
				const unique = latestPerIndex(batch);
				const ids = new Map<string, number>();
				for (const [text, part] of [
					[insertSamples, unique.filter((p) => !p.replace)],
					[replaceSamples, unique.filter((p) => p.replace)],
				] as const) {
					if (part.length === 0) continue;
					const stored = await client.query({ text, values: sampleParams(part), rowMode: 'array' });
					for (const [id, evaluationId, idx, trial] of stored.rows as number[][])
						ids.set(pendingKey(Number(evaluationId), Number(idx), Number(trial)), Number(id));
				}
				if (ids.size) {
					// A replaced error may have had scores (never, today; cheap to be sure).
					await client.query('DELETE FROM doteval.scores WHERE sample_id = ANY($1::bigint[])', [[...ids.values()]]);
					const params = scoreParams(unique, ids);
					if (params[0]!.length) await client.query(insertScores, params);
				}
				const evaluations = [...new Set(unique.map((p) => p.evaluationId))];
				await client.query('UPDATE doteval.evaluations SET summary_json = NULL WHERE id = ANY($1::bigint[]) AND summary_json IS NOT NULL', [evaluations]);
			}
			if (this.activeRuns.size) {
				await client.query(`UPDATE doteval.runs SET heartbeat_at = ${dbNow} WHERE uid = ANY($1::text[])`, [[...this.activeRuns]]);
				if (this.queues.size) {
					await client.query(`UPDATE doteval.chunks SET lease_until = ${dbNow} + $2::bigint WHERE owner = ANY($1::text[]) AND NOT done`, [
						[...this.activeRuns],
						liveness().staleMs,
					]);
				}
			}
			if (doneChunks.length) {
				await client.query(
					`UPDATE doteval.chunks c SET done = true, owner = NULL, lease_until = NULL
					FROM unnest($1::bigint[], $2::int[]) AS d(evaluation_id, first_idx) WHERE c.evaluation_id = d.evaluation_id AND c.first_idx = d.first_idx`,
					[doneChunks.map((c) => c.evaluationId), doneChunks.map((c) => c.firstIdx)],
				);
			}
			for (const end of ending) {
				await client.query(
					`UPDATE doteval.runs SET status = $2, finished_at = ${dbNow}, heartbeat_at = ${dbNow},
					wall_ms = coalesce($3::float8, ${dbNow} - started_at), max_in_flight = $4::int WHERE uid = $1`,
					[end.runId, end.status, end.wallMs, end.maxInFlight],
				);
				// Only when set: joined workers ending at once would otherwise queue on the evaluation's row lock.
				await client.query('UPDATE doteval.evaluations SET summary_json = NULL WHERE id = $1 AND summary_json IS NOT NULL', [end.evaluationId]);
			}
		});
	}

	/** Write everything buffered; throws when the database cannot be reached (samples stay buffered). */
	async flush(): Promise<void> {
		await this.flushBatch();
		if (this.failure) {
			// One more try after a pause: a restarting server or a dropped connection is common.
			await new Promise((resolve) => setTimeout(resolve, 1000));
			await this.flushBatch();
			if (this.failure) throw this.failure;
		}
	}

	private ensureOpen(): void {
		if (this.closed) throw new StoreError(`the doteval store ${this.path} was closed; samples can no longer be recorded`);
	}

	async renameExperiment(from: string, to: string): Promise<void> {
		await this.transaction(async (client) => {
			await this.assertChangeable(client, from);
			if ((await client.query('SELECT 1 FROM doteval.experiments WHERE name = $1', [to])).rows.length) {
				throw new StoreRefusal(`an experiment named '${to}' already exists; choose another name or delete it first`);
			}
			await client.query('UPDATE doteval.experiments SET name = $2, ephemeral = false WHERE name = $1', [from, to]);
		});
	}

	async deleteExperiment(name: string): Promise<void> {
		await this.transaction(async (client) => {
			await this.assertChangeable(client, name);
			await client.query('DELETE FROM doteval.experiments WHERE name = $1', [name]);
		});
	}

	/** Locks the experiment's row, so a run cannot begin into it while it is renamed or deleted. */
	private async assertChangeable(client: pg.PoolClient, name: string): Promise<void> {
		const row = (await client.query('SELECT id FROM doteval.experiments WHERE name = $1 FOR UPDATE', [name])).rows[0];
		if (!row) {
			const names = (await client.query('SELECT name FROM doteval.experiments ORDER BY created_at DESC LIMIT 21')).rows.map((r) => String(r.name));
			throw new UnknownExperiment(name, names);
		}
		const live = (
			await client.query(
				`SELECT r.host, r.pid FROM doteval.runs r JOIN doteval.evaluations e ON e.id = r.evaluation_id
			WHERE e.experiment_id = $1 AND r.finished_at IS NULL AND r.heartbeat_at > ${dbNow} - r.lease_ms`,
				[row.id],
			)
		).rows;
		if (live.length) {
			throw new StoreRefusal(
				`experiment '${name}' is being run right now (${live.map((r) => `process ${r.pid} on ${r.host}`).join(', ')}); wait for it to finish or stop it first`,
			);
		}
	}

	override async close(): Promise<void> {
		if (this.closed) return;
		try {
			if (this.buffer.length) await this.flush();
		} finally {
			this.closed = true;
			this.stopTimer();
			await this.writing;
			await super.close();
		}
	}
}

/** Within one batch, one row per (evaluation, index, trial): a success over an error, else the later one. */
function latestPerIndex(batch: Pending[]): Pending[] {
	const byKey = new Map<string, Pending>();
	for (const pending of batch) {
		const key = pendingKey(pending.evaluationId, pending.sample.index, pending.sample.trial);
		const seen = byKey.get(key);
		if (seen && seen.sample.error === null && pending.sample.error !== null) continue;
		byKey.set(key, pending);
	}
	return [...byKey.values()];
}
