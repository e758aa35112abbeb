/**
 * The PostgreSQL store's schema, in its own `doteval` schema of the database, versioned in
 * `doteval.migrations`: each migration moves version i to i + 1 and runs in its own transaction,
 * under an advisory lock so that many workers starting at once migrate once. Never edit a migration
 * that has shipped: add a new one.
 *
 * Times that decide whether a writer is alive (heartbeats, leases) are the database's clock, not the
 * machines', so that machines with skewed clocks agree.
 */
import type pg from 'pg';
import { StoreError } from '../errors.js';

export const migrations: string[] = [
	// 1: experiments → evaluations → runs (one per process that ran the evaluation) and samples → scores;
	// chunks: the samples of an evaluation that joined workers claim (SELECT … FOR UPDATE SKIP LOCKED).
	`
	CREATE TABLE doteval.experiments (
		id bigserial PRIMARY KEY,
		name text NOT NULL UNIQUE,
		ephemeral boolean NOT NULL DEFAULT false,
		created_at bigint NOT NULL
	);
	CREATE TABLE doteval.evaluations (
		id bigserial PRIMARY KEY,
		experiment_id bigint NOT NULL REFERENCES doteval.experiments(id) ON DELETE CASCADE,
		eval_id text NOT NULL,
		name text NOT NULL,
		file text NOT NULL,
		started_at bigint NOT NULL,
		git_commit text,
		strategy_json text NOT NULL,
		runtime_version text NOT NULL,
		dataset_fingerprint text,
		total integer,
		-- The EvalSummary once no run of the evaluation is running; NULL when a write made it stale.
		summary_json text,
		UNIQUE (experiment_id, eval_id)
	);
	CREATE INDEX evaluations_by_eval_id ON doteval.evaluations (eval_id);
	CREATE TABLE doteval.runs (
		id bigserial PRIMARY KEY,
		evaluation_id bigint NOT NULL REFERENCES doteval.evaluations(id) ON DELETE CASCADE,
		uid text NOT NULL UNIQUE,
		host text NOT NULL,
		pid integer NOT NULL,
		-- '' for a whole run, 'i/n' for a shard, 'join' for a worker sharing the experiment.
		part text NOT NULL,
		status text NOT NULL,
		started_at bigint NOT NULL,
		finished_at bigint,
		heartbeat_at bigint NOT NULL,
		-- Not stamped for this long (ms): the run died. The writer's setting, so every reader agrees.
		lease_ms bigint NOT NULL,
		wall_ms double precision,
		max_in_flight integer,
		strategy_json text NOT NULL
	);
	CREATE INDEX runs_by_evaluation ON doteval.runs (evaluation_id);
	CREATE TABLE doteval.samples (
		id bigserial PRIMARY KEY,
		evaluation_id bigint NOT NULL REFERENCES doteval.evaluations(id) ON DELETE CASCADE,
		idx integer NOT NULL,
		row_json text NOT NULL,
		prompt text,
		model_response text,
		error_type text,
		error_message text,
		error_stack text,
		passed boolean,
		attempts integer NOT NULL,
		backoff_ms double precision NOT NULL,
		queued_at double precision,
		started_at double precision,
		finished_at double precision,
		queue_ms double precision,
		latency_ms double precision,
		metadata_json text,
		UNIQUE (evaluation_id, idx)
	);
	CREATE TABLE doteval.scores (
		sample_id bigint NOT NULL REFERENCES doteval.samples(id) ON DELETE CASCADE,
		ord integer NOT NULL,
		name text NOT NULL,
		value double precision,
		value_json text,
		passed boolean,
		metrics text NOT NULL,
		metadata_json text,
		PRIMARY KEY (sample_id, ord)
	);
	CREATE TABLE doteval.chunks (
		evaluation_id bigint NOT NULL REFERENCES doteval.evaluations(id) ON DELETE CASCADE,
		first_idx integer NOT NULL,
		end_idx integer NOT NULL,
		done boolean NOT NULL DEFAULT false,
		owner text,
		lease_until bigint,
		PRIMARY KEY (evaluation_id, first_idx)
	);
	`,
	// 2: trials (\`trials: k\` runs each row k times): a sample is one (index, trial); existing samples are
	// trial 0. Additive: a column with a default and the unique key widened by it.
	`
	ALTER TABLE doteval.samples ADD COLUMN trial integer NOT NULL DEFAULT 0;
	ALTER TABLE doteval.samples DROP CONSTRAINT samples_evaluation_id_idx_key;
	ALTER TABLE doteval.samples ADD CONSTRAINT samples_evaluation_id_idx_trial_key UNIQUE (evaluation_id, idx, trial);
	`,
	// 3: what the embedded store keeps too: the model calls of \`doteval/models\` (tokens, cost, budget
	// wait, judge time), whether the response cache answered the sample, and what it printed. Additive.
	`
	ALTER TABLE doteval.samples ADD COLUMN model_json text;
	ALTER TABLE doteval.samples ADD COLUMN cached boolean NOT NULL DEFAULT false;
	ALTER TABLE doteval.samples ADD COLUMN output text;
	`,
];

export const schemaVersion = migrations.length;

/** The database's clock in epoch ms, as SQL. */
export const dbNow = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** Bring the database to `schemaVersion`; refuses a database written by a newer doteval. */
export async function migrate(client: pg.PoolClient): Promise<void> {
	// Locked before anything is created: workers that start together would race on CREATE SCHEMA.
	await client.query(`SELECT pg_advisory_lock(hashtext('doteval schema migration'))`);
	try {
		// Created only when missing: `IF NOT EXISTS` still needs the CREATE privilege, which team
		// members other than the schema's owner need not have.
		if ((await client.query(`SELECT to_regclass('doteval.migrations') IS NULL AS missing`)).rows[0].missing) {
			await client.query('CREATE SCHEMA IF NOT EXISTS doteval');
			await client.query('CREATE TABLE IF NOT EXISTS doteval.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
		}
		const from = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM doteval.migrations')).rows[0].v);
		if (from > schemaVersion) {
			throw new StoreError(
				`the PostgreSQL store was written by a newer doteval (schema version ${from}, this one knows up to ${schemaVersion}); upgrade doteval`,
			);
		}
		for (let v = from; v < schemaVersion; v++) {
			await client.query('BEGIN');
			try {
				await client.query(migrations[v]!);
				await client.query('INSERT INTO doteval.migrations (version) VALUES ($1)', [v + 1]);
				await client.query('COMMIT');
			} catch (error) {
				await client.query('ROLLBACK');
				throw error;
			}
		}
	} finally {
		await client.query(`SELECT pg_advisory_unlock(hashtext('doteval schema migration'))`);
	}
}
