/**
 * The store's SQLite schema, versioned with `PRAGMA user_version`. Each migration moves the schema
 * from version i to i + 1 and is applied in order when a database is opened. Never edit a migration
 * that has shipped: add a new one.
 *
 * Numbers that reports aggregate (score values, pass/fail, latency) live in plain REAL/INTEGER
 * columns: aggregating over JSON with json_extract is about 4× slower (docs/design/baselines.md §3).
 */
import type { Database } from 'sql.js';

export const migrations: string[] = [
	// 1: experiments → evaluations → runs (one per `doteval run` of an evaluation) and samples → scores.
	`
	CREATE TABLE experiments (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE,
		ephemeral INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE evaluations (
		id INTEGER PRIMARY KEY,
		experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
		eval_id TEXT NOT NULL,
		name TEXT NOT NULL,
		file TEXT NOT NULL,
		status TEXT NOT NULL,
		started_at INTEGER NOT NULL,
		finished_at INTEGER,
		git_commit TEXT,
		strategy_json TEXT NOT NULL,
		runtime_version TEXT NOT NULL,
		dataset_fingerprint TEXT,
		total INTEGER,
		UNIQUE (experiment_id, eval_id)
	);
	CREATE TABLE runs (
		id INTEGER PRIMARY KEY,
		evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
		uid TEXT NOT NULL UNIQUE,
		pid INTEGER NOT NULL,
		status TEXT NOT NULL,
		started_at INTEGER NOT NULL,
		finished_at INTEGER,
		wall_ms REAL,
		max_in_flight INTEGER,
		strategy_json TEXT NOT NULL
	);
	CREATE INDEX runs_by_evaluation ON runs (evaluation_id);
	CREATE TABLE samples (
		id INTEGER PRIMARY KEY,
		evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
		idx INTEGER NOT NULL,
		row_json TEXT NOT NULL,
		prompt TEXT,
		model_response TEXT,
		error_type TEXT,
		error_message TEXT,
		error_stack TEXT,
		passed INTEGER,
		attempts INTEGER NOT NULL,
		backoff_ms REAL NOT NULL,
		queued_at REAL,
		started_at REAL,
		finished_at REAL,
		queue_ms REAL,
		latency_ms REAL,
		metadata_json TEXT,
		UNIQUE (evaluation_id, idx)
	);
	CREATE TABLE scores (
		sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
		ord INTEGER NOT NULL,
		name TEXT NOT NULL,
		value REAL,
		value_json TEXT,
		passed INTEGER,
		metrics TEXT NOT NULL,
		metadata_json TEXT,
		PRIMARY KEY (sample_id, ord)
	) WITHOUT ROWID;
	`,
	// 2 (Store v2, a folder): in the catalog, which file holds an evaluation's samples and the summary
	// computed from them at the last checkpoint, so list/show/lenses never scan samples. Unused (empty)
	// in an evaluation's own file, which keeps the schema of version 1 for its one evaluation.
	`
	CREATE TABLE evaluation_files (
		evaluation_id INTEGER PRIMARY KEY REFERENCES evaluations(id) ON DELETE CASCADE,
		file_key TEXT NOT NULL UNIQUE,
		samples INTEGER NOT NULL DEFAULT 0,
		summary_json TEXT
	);
	`,
	// 3: what a sample's model calls used (doteval/models): { models, budgetMs, judgeMs } as JSON, and
	// whether the response cache answered the whole sample (kept out of latency and throughput).
	`
	ALTER TABLE samples ADD COLUMN model_json TEXT;
	ALTER TABLE samples ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
	`,
	// 4 (sealed segments, docs/store.md): in the catalog, how many sample indexes each file of an
	// evaluation spans (NULL: one file holds every index, as evaluations stored before segments do) and
	// how many samples each segment file holds, so a reader finds the segment of a page without opening
	// the others. Unused (empty) in an evaluation's own files.
	`
	ALTER TABLE evaluation_files ADD COLUMN segment_span INTEGER;
	CREATE TABLE segments (
		evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
		seg INTEGER NOT NULL,
		samples INTEGER NOT NULL,
		PRIMARY KEY (evaluation_id, seg)
	) WITHOUT ROWID;
	`,
	// 5: trials (\`trials: k\` runs each row k times): a sample is one (index, trial). SQLite cannot change
	// a UNIQUE constraint in place, so the table is rebuilt (SQLite's documented procedure: create, copy,
	// drop, rename) with every existing sample as trial 0 and its id kept, so its scores stay attached.
	// Foreign keys are off while migrations run (migrate() turns them on after), so the drop cascades nothing.
	`
	CREATE TABLE samples_v5 (
		id INTEGER PRIMARY KEY,
		evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
		idx INTEGER NOT NULL,
		trial INTEGER NOT NULL DEFAULT 0,
		row_json TEXT NOT NULL,
		prompt TEXT,
		model_response TEXT,
		error_type TEXT,
		error_message TEXT,
		error_stack TEXT,
		passed INTEGER,
		attempts INTEGER NOT NULL,
		backoff_ms REAL NOT NULL,
		queued_at REAL,
		started_at REAL,
		finished_at REAL,
		queue_ms REAL,
		latency_ms REAL,
		metadata_json TEXT,
		model_json TEXT,
		cached INTEGER NOT NULL DEFAULT 0,
		UNIQUE (evaluation_id, idx, trial)
	);
	INSERT INTO samples_v5 (id, evaluation_id, idx, trial, row_json, prompt, model_response, error_type, error_message, error_stack, passed, attempts,
		backoff_ms, queued_at, started_at, finished_at, queue_ms, latency_ms, metadata_json, model_json, cached)
		SELECT id, evaluation_id, idx, 0, row_json, prompt, model_response, error_type, error_message, error_stack, passed, attempts,
		backoff_ms, queued_at, started_at, finished_at, queue_ms, latency_ms, metadata_json, model_json, cached FROM samples;
	DROP TABLE samples;
	ALTER TABLE samples_v5 RENAME TO samples;
	`,
	// 6: in the catalog, how many of each segment's samples passed, failed and errored, so that a
	// filtered page (the results panel's filters, the lens's "n passed") finds its segment from the
	// catalog, like an unfiltered one, instead of counting in every segment. NULL: not counted yet
	// (a segment last written before version 6), counted in its file. Unused in an evaluation's files.
	`
	ALTER TABLE segments ADD COLUMN passed INTEGER;
	ALTER TABLE segments ADD COLUMN failed INTEGER;
	ALTER TABLE segments ADD COLUMN errored INTEGER;
	`,
];

export const schemaVersion = migrations.length;

export function userVersion(db: Database): number {
	return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/** Bring a database up to `schemaVersion`; returns false when it was already there. */
export function migrate(db: Database): boolean {
	const from = userVersion(db);
	if (from > schemaVersion) {
		throw new Error(`was written by a newer doteval (schema version ${from}, this one knows up to ${schemaVersion}); upgrade doteval`);
	}
	// Off while migrating: migration 4 drops and rebuilds samples, which must not cascade to scores.
	if (from < schemaVersion) db.exec('PRAGMA foreign_keys = OFF');
	for (let v = from; v < schemaVersion; v++) {
		db.exec('BEGIN');
		db.exec(migrations[v]);
		db.exec(`PRAGMA user_version = ${v + 1}`);
		db.exec('COMMIT');
	}
	db.exec('PRAGMA foreign_keys = ON');
	return from !== schemaVersion;
}
