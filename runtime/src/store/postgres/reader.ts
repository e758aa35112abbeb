/**
 * The read model (StoreReader) over a PostgreSQL store. Every method is one or a few parameterized
 * queries; summaries are cached in `evaluations.summary_json` once no run of the evaluation runs (a
 * write makes the cache stale), so `list`, `show` and the editor's history do not scan samples again.
 */
import type pg from 'pg';
import type { EvalStatus, EvalSummary, StrategyInfo } from '../../protocol/events.js';
import type { EvaluationInfo, ExperimentInfo, LastResult, SampleInfo, SamplePage, SampleQuery, StoreReader } from '../types.js';
import { evaluationFromRow, experimentFromRow, sampleFromRow, scoresBySample } from '../rows.js';
import type { SqlValue } from 'sql.js';
import { queryable, type Queryable, type Row } from './query.js';
import { summarizeEvaluation } from './summary.js';
import { evaluationState } from './liveness.js';

const evaluationColumns = `x.name, e.id, e.eval_id, e.name, e.file, st.status, e.started_at, st.finished_at, e.git_commit, e.runtime_version,
	e.strategy_json, e.dataset_fingerprint, e.total, e.summary_json`;

const sampleColumns = `s.id, s.idx, s.row_json, s.prompt, s.model_response, s.error_type, s.error_message, s.error_stack, s.passed::int, s.attempts,
	s.backoff_ms, s.queued_at, s.started_at, s.finished_at, s.queue_ms, s.latency_ms, s.metadata_json, s.model_json, s.trial, s.output`;

export class PgStoreReader implements StoreReader {
	protected readonly db: Queryable;

	/** `path` is the store's URL without its password. */
	constructor(
		readonly path: string,
		protected readonly pool: pg.Pool,
		url: string,
	) {
		this.db = queryable(pool, url);
	}

	async listExperiments(nameFilter?: string): Promise<ExperimentInfo[]> {
		const rows = await this.db.rows(
			`SELECT x.name, x.ephemeral, x.created_at,
				max(coalesce(st.finished_at, e.started_at, x.created_at)) AS updated, count(e.id),
				count(e.id) FILTER (WHERE st.status = 'running'), count(e.id) FILTER (WHERE st.status = 'interrupted'), count(e.id) FILTER (WHERE st.status = 'failed')
			FROM doteval.experiments x LEFT JOIN doteval.evaluations e ON e.experiment_id = x.id ${evaluationState('e')}
			WHERE strpos(lower(x.name), lower($1)) > 0 GROUP BY x.id ORDER BY updated DESC, x.id DESC`,
			[nameFilter ?? ''],
		);
		return rows.map(experimentFromRow);
	}

	async experimentExists(name: string): Promise<boolean> {
		return (await this.db.rows('SELECT 1 FROM doteval.experiments WHERE name = $1', [name])).length > 0;
	}

	async listEvaluations(experiment: string): Promise<EvaluationInfo[]> {
		const rows = await this.db.rows(
			`SELECT ${evaluationColumns} FROM doteval.evaluations e JOIN doteval.experiments x ON x.id = e.experiment_id
			${evaluationState('e')} WHERE x.name = $1 ORDER BY e.started_at, e.id`,
			[experiment],
		);
		const out: EvaluationInfo[] = [];
		for (const row of rows) out.push(await this.evaluation(row));
		return out;
	}

	async evaluationIds(experiment: string): Promise<{ evalId: string; name: string }[]> {
		const rows = await this.db.rows(
			`SELECT e.eval_id, e.name FROM doteval.evaluations e JOIN doteval.experiments x ON x.id = e.experiment_id
			WHERE x.name = $1 ORDER BY e.started_at, e.id`,
			[experiment],
		);
		return rows.map(([evalId, name]) => ({ evalId: String(evalId), name: String(name) }));
	}

	async scoreNames(experiment: string, evalIdOrName: string): Promise<string[]> {
		const key = await this.evaluationKey(experiment, evalIdOrName);
		if (key === undefined) return [];
		return (
			await this.db.rows(
				`SELECT sc.name FROM doteval.samples s JOIN doteval.scores sc ON sc.sample_id = s.id WHERE s.evaluation_id = $1
			GROUP BY sc.name ORDER BY min(s.id)`,
				[key],
			)
		).map((r) => String(r[0]));
	}

	async getEvaluation(experiment: string, evalIdOrName: string): Promise<EvaluationInfo | undefined> {
		const rows = await this.db.rows(
			`SELECT ${evaluationColumns} FROM doteval.evaluations e JOIN doteval.experiments x ON x.id = e.experiment_id
			${evaluationState('e')}
			WHERE x.name = $1 AND (e.eval_id = $2 OR e.name = $2) ORDER BY e.eval_id = $2 DESC LIMIT 1`,
			[experiment, evalIdOrName],
		);
		return rows[0] ? this.evaluation(rows[0]) : undefined;
	}

	async evaluationKey(experiment: string, evalIdOrName: string): Promise<number | undefined> {
		const rows = await this.db.rows(
			`SELECT e.id FROM doteval.evaluations e JOIN doteval.experiments x ON x.id = e.experiment_id
			WHERE x.name = $1 AND (e.eval_id = $2 OR e.name = $2) ORDER BY e.eval_id = $2 DESC LIMIT 1`,
			[experiment, evalIdOrName],
		);
		return rows[0] ? Number(rows[0][0]) : undefined;
	}

	private async evaluation(r: Row): Promise<EvaluationInfo> {
		const { key, total, info } = evaluationFromRow(r);
		return { ...info, summary: await this.summary(key, info.strategy, total, info.status, r[13] as string | null) };
	}

	/** The cached summary, else computed (and cached when nothing runs, so that it cannot change). */
	private async summary(id: number, strategy: StrategyInfo, total: number | null, status: EvalStatus, cached: string | null): Promise<EvalSummary> {
		if (cached !== null) return JSON.parse(cached) as EvalSummary;
		const summary = await summarizeEvaluation(this.db, id, strategy, total);
		if (status !== 'running') {
			// Only if still stale: a writer that stored samples meanwhile has set it to NULL again… after us.
			await this.db.rows('UPDATE doteval.evaluations SET summary_json = $2 WHERE id = $1 AND summary_json IS NULL', [id, JSON.stringify(summary)]);
		}
		return summary;
	}

	async samples(experiment: string, evalId: string, query: SampleQuery = {}): Promise<SamplePage> {
		const key = await this.evaluationKey(experiment, evalId);
		if (key === undefined) return { total: 0, samples: [] };
		const where = ['s.evaluation_id = $1'];
		const params: unknown[] = [key];
		if (query.filter === 'failed') where.push('s.passed = false AND s.error_type IS NULL');
		else if (query.filter === 'errored') where.push('s.error_type IS NOT NULL');
		else if (query.filter === 'passed') where.push('s.passed = true');
		if (query.search) {
			params.push(query.search.toLowerCase());
			where.push(`(${['s.row_json', 's.prompt', 's.model_response', 's.error_message'].map((c) => `strpos(lower(${c}), $2) > 0`).join(' OR ')})`);
		}
		const condition = where.join(' AND ');
		const total = Number((await this.db.rows(`SELECT count(*) FROM doteval.samples s WHERE ${condition}`, params))[0]?.[0] ?? 0);
		const limit = Math.max(0, query.limit ?? 100);
		const offset = Math.max(0, query.offset ?? 0);
		const n = params.length;
		const rows = await this.db.rows(
			`SELECT ${sampleColumns} FROM doteval.samples s WHERE ${condition} ORDER BY s.idx, s.trial LIMIT $${n + 1} OFFSET $${n + 2}`,
			[...params, limit, offset],
		);
		return { total, samples: await this.withScores(rows) };
	}

	/** Every sample of an evaluation in index order, a page at a time (export, diff, show --full). */
	async *allSamples(experiment: string, evalId: string, pageSize = 2000): AsyncGenerator<SampleInfo> {
		const key = await this.evaluationKey(experiment, evalId);
		if (key === undefined) return;
		for (let after = -1, afterTrial = 0; ;) {
			const rows = await this.db.rows(
				`SELECT ${sampleColumns} FROM doteval.samples s WHERE s.evaluation_id = $1 AND (s.idx, s.trial) > ($2, $3) ORDER BY s.idx, s.trial LIMIT $4`,
				[key, after, afterTrial, pageSize],
			);
			if (rows.length === 0) return;
			yield* await this.withScores(rows);
			after = Number(rows[rows.length - 1]![1]);
			afterTrial = Number(rows[rows.length - 1]![18]);
		}
	}

	private async withScores(rows: Row[]): Promise<SampleInfo[]> {
		if (rows.length === 0) return [];
		const scores = scoresBySample(
			await this.db.rows(
				`SELECT sample_id, name, value, value_json, passed::int, metrics, metadata_json FROM doteval.scores
			WHERE sample_id = ANY($1::bigint[]) ORDER BY sample_id, ord`,
				[rows.map((r) => Number(r[0]))],
			),
		);
		return rows.map((r) => sampleFromRow(r as SqlValue[], scores.get(Number(r[0])) ?? []));
	}

	async resultsForEval(evalId: string, limit = 10): Promise<LastResult[]> {
		const rows = await this.db.rows(
			`SELECT ${evaluationColumns} FROM doteval.evaluations e JOIN doteval.experiments x ON x.id = e.experiment_id
			${evaluationState('e')}
			WHERE e.eval_id = $1 ORDER BY coalesce(st.finished_at, e.started_at) DESC, e.id DESC LIMIT $2`,
			[evalId, limit],
		);
		const out: LastResult[] = [];
		for (const row of rows) {
			const evaluation = await this.evaluation(row);
			out.push({ experiment: evaluation.experiment, evaluation });
		}
		return out;
	}

	/** Changes whenever a run writes (heartbeats included), finishes, or an experiment is renamed or deleted: for pollers. */
	async changeStamp(): Promise<string> {
		const [row] = await this.db.rows(`SELECT (SELECT coalesce(max(greatest(heartbeat_at, coalesce(finished_at, 0))), 0) || ':' || count(*) FROM doteval.runs),
			(SELECT count(*) || ':' || coalesce(sum(hashtext(name)::bigint), 0) FROM doteval.experiments)`);
		return `${String(row![0])}/${String(row![1])}`;
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}
