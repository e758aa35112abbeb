/**
 * One evaluation's own file (evals/<key>.db): the schema of version 1 holding exactly one
 * evaluation, its runs, samples and scores, so every sample query and the summary work on it as they
 * did on the single-file store. The experiment's name is not kept here (it is the catalog's, and a
 * rename must not rewrite every evaluation's file): its experiment row is always named ''.
 */
import { nodeCrypto } from './builtins.js';
import type { Database } from 'sql.js';
import type { EvalStatus, EvalSummary, StrategyInfo } from '../protocol/events.js';
import { Applier } from './apply.js';
import { journalPath, readJournal, type JournalRead, type JournalRecord, type JournalSource } from './journal.js';
import { summarizeEvaluation } from './summary.js';
import type { SegmentLines } from './segments.js';

/** A file name a person can recognise in `ls evals/` and that the first run fixes for good. */
export function evaluationFileKey(name: string, firstRun: string): string {
	const readable = name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'eval';
	return `${readable}-${nodeCrypto().createHash('sha256').update(firstRun).digest('hex').slice(0, 12)}`;
}

const inEvalFile = (record: JournalRecord): JournalRecord => (record.t === 'begin' ? { ...record, experiment: '' } : record);

/**
 * Replays the records of `runs` from `journals` into an evaluation's database and settles its runs;
 * with `segmentLines`, only the sample lines listed there (one segment's). `seed` is applied first: the
 * runs as the catalog knows them (runRecords), for a segment file that has not seen them yet.
 * Returns what each journal read reported (bad lines) by file.
 */
export function replayIntoEvalFile(
	db: Database,
	journals: readonly JournalSource[],
	runs: ReadonlySet<string>,
	segmentLines?: SegmentLines,
	seed: JournalRecord[] = [],
): Map<string, JournalRead> {
	const reads = new Map<string, JournalRead>();
	const applier = new Applier(db);
	db.exec('BEGIN');
	try {
		for (const record of seed) applier.apply(inEvalFile(record));
		for (const journal of journals) {
			const file = journalPath(journal);
			// One segment's file: its samples only (the lines journaledSamples found), every begin and end.
			const lines = segmentLines?.get(file);
			const sampleLine = segmentLines ? (lineNo: number) => lines?.has(lineNo) === true : undefined;
			reads.set(
				file,
				readJournal(
					journal,
					(record) => {
						if (runs.has(record.run)) applier.apply(inEvalFile(record));
					},
					0,
					runs,
					sampleLine,
				),
			);
		}
		applier.settle();
		db.exec('COMMIT');
	} catch (error) {
		db.exec('ROLLBACK');
		throw error;
	} finally {
		applier.free();
	}
	return reads;
}

/**
 * The begin (and end) records of an evaluation's runs, rebuilt from the catalog. A segment opened
 * after the journal with a run's begin record was retired needs them before that run's samples can
 * be applied to it (an applier drops samples of runs it does not know).
 */
export function runRecords(catalog: Database, evaluationId: number): JournalRecord[] {
	const rows =
		catalog.exec(
			`SELECT r.uid, r.pid, r.started_at, r.strategy_json, r.status, r.finished_at, r.wall_ms, r.max_in_flight,
			e.eval_id, e.name, e.file, e.git_commit, e.runtime_version, e.dataset_fingerprint, e.total, x.ephemeral
		FROM runs r JOIN evaluations e ON e.id = r.evaluation_id JOIN experiments x ON x.id = e.experiment_id WHERE r.evaluation_id = ? ORDER BY r.started_at, r.id`,
			[evaluationId],
		)[0]?.values ?? [];
	return rows.flatMap(
		([
			uid,
			pid,
			startedAt,
			strategy,
			status,
			finishedAt,
			wallMs,
			maxInFlight,
			evalId,
			name,
			file,
			gitCommit,
			runtimeVersion,
			fingerprint,
			total,
			ephemeral,
		]): JournalRecord[] => {
			const begin: JournalRecord = {
				t: 'begin',
				run: String(uid),
				pid: Number(pid),
				at: Number(startedAt),
				experiment: '',
				ephemeral: ephemeral === 1,
				evalId: String(evalId),
				name: String(name),
				file: String(file),
				strategy: JSON.parse(String(strategy)) as StrategyInfo,
				gitCommit: gitCommit === null ? null : String(gitCommit),
				runtimeVersion: String(runtimeVersion),
				datasetFingerprint: fingerprint === null ? null : String(fingerprint),
				total: total === null ? null : Number(total),
			};
			if (finishedAt === null || status === 'running') return [begin];
			return [
				begin,
				{
					t: 'end',
					run: String(uid),
					status: String(status) as EvalStatus,
					at: Number(finishedAt),
					wallMs: wallMs === null ? null : Number(wallMs),
					maxInFlight: maxInFlight === null ? null : Number(maxInFlight),
				},
			];
		},
	);
}

/** The row id of the file's one evaluation, if it has one yet. */
export function evaluationRow(db: Database): number | undefined {
	const id = db.exec('SELECT id FROM evaluations ORDER BY id LIMIT 1')[0]?.values[0]?.[0];
	return id === undefined || id === null ? undefined : Number(id);
}

export function summarizeEvalFile(db: Database): { summary: EvalSummary; samples: number } | undefined {
	const id = evaluationRow(db);
	if (id === undefined) return undefined;
	const [strategy, total] = db.exec('SELECT strategy_json, total FROM evaluations WHERE id = ?', [id])[0]!.values[0]!;
	const summary = summarizeEvaluation(db, id, JSON.parse(String(strategy)) as StrategyInfo, total === null ? null : Number(total));
	return { summary, samples: summary.completed };
}

export interface EvaluationState {
	status: string;
	startedAt: number;
	finishedAt: number | null;
	runs: { uid: string; status: string; finishedAt: number | null; wallMs: number | null; maxInFlight: number | null }[];
}

/** Run and evaluation states after settle, to copy into the catalog (this file knows the samples' times). */
export function evaluationState(db: Database): EvaluationState | undefined {
	const id = evaluationRow(db);
	if (id === undefined) return undefined;
	const [status, startedAt, finishedAt] = db.exec('SELECT status, started_at, finished_at FROM evaluations WHERE id = ?', [id])[0]!.values[0]!;
	const runs = (db.exec('SELECT uid, status, finished_at, wall_ms, max_in_flight FROM runs WHERE evaluation_id = ?', [id])[0]?.values ?? []).map(
		([uid, s, f, w, m]) => ({
			uid: String(uid),
			status: String(s),
			finishedAt: f === null ? null : Number(f),
			wallMs: w === null ? null : Number(w),
			maxInFlight: m === null ? null : Number(m),
		}),
	);
	return { status: String(status), startedAt: Number(startedAt), finishedAt: finishedAt === null ? null : Number(finishedAt), runs };
}

/**
 * The state of an evaluation from several of its segment files: each settled its runs on its own
 * samples, so an interrupted run ended at the latest finish any of them saw.
 */
export function mergeStates(states: EvaluationState[]): EvaluationState {
	const runs = new Map<string, EvaluationState['runs'][number]>();
	for (const state of states) {
		for (const run of state.runs) {
			const seen = runs.get(run.uid);
			if (!seen || (run.finishedAt ?? -Infinity) > (seen.finishedAt ?? -Infinity)) runs.set(run.uid, run);
		}
	}
	const last = states[states.length - 1]!;
	return { ...last, startedAt: Math.min(...states.map((s) => s.startedAt)), runs: [...runs.values()] };
}

/** Copy the settled state of an evaluation's file into the catalog's rows. */
export function copyStateToCatalog(catalog: Database, evaluationId: number, state: EvaluationState): void {
	for (const run of state.runs) {
		catalog.run('UPDATE runs SET status = ?, finished_at = ?, wall_ms = ?, max_in_flight = ? WHERE uid = ?', [
			run.status,
			run.finishedAt,
			run.wallMs,
			run.maxInFlight,
			run.uid,
		]);
	}
	catalog.run('UPDATE evaluations SET status = ?, started_at = ?, finished_at = ? WHERE id = ?', [
		state.status,
		state.startedAt,
		state.finishedAt,
		evaluationId,
	]);
}
