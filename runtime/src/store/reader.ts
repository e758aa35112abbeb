/**
 * The read model (`StoreReader`) over a Snapshot: experiments, evaluations and their summaries from
 * the catalog; samples from the segment files of the one evaluation a query names. Sample queries are
 * paged and use the (evaluation_id, idx) index, so a page stays fast at 1,000,000 samples.
 */
import type { Database, SqlValue } from 'sql.js';
import type { EvalSummary, StrategyInfo } from '../protocol/events.js';
import type { EvaluationInfo, EvaluationRef, ExperimentInfo, LastResult, SampleInfo, SamplePage, SampleQuery, StoreReader } from './types.js';
import { evaluationFromRow, experimentFromRow, experimentListSql, sampleColumns, sampleFromRow, scoresBySample } from './rows.js';
import { emptySummaryOf } from './summary.js';
import { filterCondition } from './segments.js';
import type { Snapshot } from './snapshot.js';

const evaluationColumns = `x.name, e.id, e.eval_id, e.name, e.file, e.status, e.started_at, e.finished_at, e.git_commit, e.runtime_version,
	e.strategy_json, e.dataset_fingerprint, e.total`;

export class SqlStoreReader implements StoreReader {
	constructor(
		readonly path: string,
		protected snapshot: Snapshot,
	) {}

	/** Hook for the writer: bring the snapshot up to date before a read. */
	protected beforeRead(): void {}

	protected rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
		this.beforeRead();
		return this.snapshot.catalog.exec(sql, params)[0]?.values ?? [];
	}

	async listExperiments(nameFilter?: string): Promise<ExperimentInfo[]> {
		const rows = this.rows(experimentListSql, [`%${escapeLike(nameFilter ?? '')}%`]);
		return rows.map(experimentFromRow);
	}

	async experimentExists(name: string): Promise<boolean> {
		return this.rows('SELECT 1 FROM experiments WHERE name = ?', [name]).length > 0;
	}

	async listEvaluations(experiment: string): Promise<EvaluationInfo[]> {
		return this.rows(
			`SELECT ${evaluationColumns} FROM evaluations e JOIN experiments x ON x.id = e.experiment_id WHERE x.name = ? ORDER BY e.started_at, e.id`,
			[experiment],
		).map((r) => this.evaluation(r));
	}

	async evaluationIds(experiment: string): Promise<EvaluationRef[]> {
		return this.rows(`SELECT e.eval_id, e.name FROM evaluations e JOIN experiments x ON x.id = e.experiment_id WHERE x.name = ? ORDER BY e.started_at, e.id`, [
			experiment,
		]).map(([evalId, name]) => ({ evalId: String(evalId), name: String(name) }));
	}

	async scoreNames(experiment: string, evalIdOrName: string): Promise<string[]> {
		const names = new Set<string>();
		for (const file of this.segmentFiles(experiment, evalIdOrName)) {
			for (const [name] of file.db.exec(
				`SELECT sc.name FROM samples s JOIN scores sc ON sc.sample_id = s.id WHERE s.evaluation_id = ? GROUP BY sc.name ORDER BY min(s.id)`,
				[file.row],
			)[0]?.values ?? [])
				names.add(String(name));
		}
		return [...names];
	}

	async getEvaluation(experiment: string, evalIdOrName: string): Promise<EvaluationInfo | undefined> {
		const rows = this.rows(
			`SELECT ${evaluationColumns} FROM evaluations e JOIN experiments x ON x.id = e.experiment_id
			WHERE x.name = ? AND (e.eval_id = ? OR e.name = ?) ORDER BY e.eval_id = ? DESC LIMIT 1`,
			[experiment, evalIdOrName, evalIdOrName, evalIdOrName],
		);
		return rows[0] ? this.evaluation(rows[0]) : undefined;
	}

	private evaluation(r: SqlValue[]): EvaluationInfo {
		const { key, total, info } = evaluationFromRow(r);
		return { ...info, summary: this.summary(key, info.strategy, total) };
	}

	private summary(id: number, strategy: StrategyInfo, total: number | null): EvalSummary {
		return this.snapshot.summary(id, () => emptySummaryOf(strategy, total));
	}

	/** The catalog's id of an evaluation (by eval id or name). */
	evaluationKey(experiment: string, evalIdOrName: string): number | undefined {
		const rows = this.rows(
			`SELECT e.id FROM evaluations e JOIN experiments x ON x.id = e.experiment_id
			WHERE x.name = ? AND (e.eval_id = ? OR e.name = ?) ORDER BY e.eval_id = ? DESC LIMIT 1`,
			[experiment, evalIdOrName, evalIdOrName, evalIdOrName],
		);
		return rows[0] ? Number(rows[0][0]) : undefined;
	}

	/** The segment files of an evaluation that hold samples, in index order, one open at a time. */
	protected *segmentFiles(experiment: string, evalIdOrName: string): Generator<{ db: Database; row: number }> {
		const key = this.evaluationKey(experiment, evalIdOrName);
		if (key === undefined) return;
		for (const view of this.snapshot.segmentFiles(key)) if (view.row !== undefined) yield { db: view.db, row: view.row };
	}

	/**
	 * A page of samples across the evaluation's segments. The catalog counts each segment's samples,
	 * and those that passed, failed and errored, so that for a page with or without a filter only the
	 * segment(s) of the page are opened; a search (or a segment not counted yet) counts in its file.
	 */
	async samples(experiment: string, evalId: string, query: SampleQuery = {}): Promise<SamplePage> {
		const key = this.evaluationKey(experiment, evalId);
		if (key === undefined) return { total: 0, samples: [] };
		const where = ['s.evaluation_id = ?'];
		const params: SqlValue[] = [];
		const filter = query.filter === 'failed' || query.filter === 'errored' || query.filter === 'passed' ? query.filter : undefined;
		if (filter) where.push(filterCondition[filter]);
		if (query.search) {
			const like = (column: string): string => `${column} LIKE ? ESCAPE '\\'`;
			where.push(`(${['s.row_json', 's.prompt', 's.model_response', 's.error_message'].map(like).join(' OR ')})`);
			const pattern = `%${escapeLike(query.search)}%`;
			params.push(pattern, pattern, pattern, pattern);
		}
		// Counts the catalog cannot have: a search, or a segment with samples still in a journal.
		const counted = !query.search;
		const condition = where.join(' AND ');
		const limit = Math.max(0, Math.min(query.limit ?? 100, Number.MAX_SAFE_INTEGER));
		let skip = Math.max(0, query.offset ?? 0);
		let total = 0;
		const samples: SampleInfo[] = [];
		for (const { segment, samples: catalogCount } of this.snapshot.segments(key, filter)) {
			const stored = counted ? catalogCount : undefined;
			const wanted = limit - samples.length;
			// Known count, nothing wanted from it: no need to open it.
			if (stored !== undefined && (wanted === 0 || skip >= stored)) {
				total += stored;
				skip -= Math.min(skip, stored);
				continue;
			}
			const view = this.snapshot.segmentFile(key, segment);
			if (view.row === undefined) continue;
			const count =
				stored !== undefined
					? stored
					: Number(view.db.exec(`SELECT count(*) FROM samples s WHERE ${condition}`, [view.row, ...params])[0]?.values[0]?.[0] ?? 0);
			total += count;
			if (wanted > 0 && skip < count) {
				const rows =
					view.db.exec(`SELECT ${sampleColumns} FROM samples s WHERE ${condition} ORDER BY s.idx, s.trial LIMIT ? OFFSET ?`, [
						view.row,
						...params,
						wanted,
						skip,
					])[0]?.values ?? [];
				samples.push(...withScores(view.db, rows));
			}
			skip -= Math.min(skip, count);
		}
		return { total, samples };
	}

	async *allSamples(experiment: string, evalId: string, pageSize = 2000): AsyncGenerator<SampleInfo> {
		const key = this.evaluationKey(experiment, evalId);
		if (key === undefined) return;
		for (const { segment } of this.snapshot.segments(key)) {
			for (let after = -1, afterTrial = 0; ;) {
				// Opened per page: a long export must not hold a file another read has closed.
				const view = this.snapshot.segmentFile(key, segment);
				if (view.row === undefined) break;
				const rows =
					view.db.exec(`SELECT ${sampleColumns} FROM samples s WHERE s.evaluation_id = ? AND (s.idx, s.trial) > (?, ?) ORDER BY s.idx, s.trial LIMIT ?`, [
						view.row,
						after,
						afterTrial,
						pageSize,
					])[0]?.values ?? [];
				if (rows.length === 0) break;
				const page = withScores(view.db, rows);
				after = Number(rows[rows.length - 1]![1]);
				afterTrial = Number(rows[rows.length - 1]![18] ?? 0);
				yield* page;
			}
		}
	}

	async resultsForEval(evalId: string, limit = 10): Promise<LastResult[]> {
		const rows = this.rows(
			`SELECT ${evaluationColumns} FROM evaluations e JOIN experiments x ON x.id = e.experiment_id
			WHERE e.eval_id = ? ORDER BY coalesce(e.finished_at, e.started_at) DESC, e.id DESC LIMIT ?`,
			[evalId, limit],
		);
		return rows.map((r) => {
			const evaluation = this.evaluation(r);
			return { experiment: evaluation.experiment, evaluation };
		});
	}

	async close(): Promise<void> {
		this.snapshot.close();
	}
}

function withScores(db: Database, rows: SqlValue[][]): SampleInfo[] {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => Number(r[0]));
	const scores = scoresBySample(
		db.exec(
			`SELECT sample_id, name, value, value_json, passed, metrics, metadata_json FROM scores WHERE sample_id IN (${ids.join(',')}) ORDER BY sample_id, ord`,
		)[0]?.values ?? [],
	);
	return rows.map((r) => sampleFromRow(r, scores.get(Number(r[0])) ?? []));
}

function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
