/**
 * Workers sharing one evaluation (`doteval run --workers-join`): its row indexes are cut into
 * chunks (rows of doteval.chunks), and each worker claims the next free chunk as its executor reaches
 * it, with `SELECT … FOR UPDATE SKIP LOCKED` (two workers never wait for each other, nor take the same
 * chunk) and a lease that the worker's heartbeat renews. A worker runs every trial of the rows it
 * claims (`trials: k`), so a chunk of n rows is n × k samples, and it is marked done in the same
 * transaction as the last of them; the lease of a killed worker runs out and its chunk is claimed
 * again, by a worker's next pass over the dataset, and only its samples not yet stored run again.
 *
 * A fast worker simply claims more chunks: nothing waits for a slow one until the very end, when a
 * chunk still leased to it is the only work left.
 *
 * As the executor enters a chunk, the next free one is claimed in the background: the claim's round
 * trip (a transaction on a busy server) then overlaps the chunk's samples instead of stalling the
 * executor's window at every chunk boundary — measured as most of the gap between a worker's
 * throughput and the window's ideal (docs/scale-out.md). A worker holds at most one chunk ahead.
 */
import type { Queryable } from './query.js';
import { dbNow } from './schema.js';
import { liveness } from './liveness.js';

export interface JoinOptions {
	evaluationId: number;
	/** The run id of this worker (chunk owner). */
	owner: string;
	/** Rows this run covers: 0 … total − 1 (chunks beyond, from an earlier run over more rows, are not its concern). */
	total: number;
	chunkSize?: number;
	/** Times each row runs; a row's trials 0 … trials − 1 are its samples (default 1). */
	trials?: number;
	/** Per trial, the indexes stored without error (kept up to date by the writer, in place). */
	completedTrials: ReadonlyArray<ReadonlySet<number> | undefined>;
}

interface Chunk {
	firstIdx: number;
	endIdx: number;
	/** Samples (trials of its rows) taken and not yet recorded. */
	pending: number;
	/** The executor went past its last index. */
	passed: boolean;
	/** The executor reached it (a chunk claimed ahead may not be, when a pass ends early). */
	entered: boolean;
}

export interface Remaining {
	/** Chunks not done. */
	open: number;
	/** Of them, free to claim (never claimed, or their lease ran out). */
	claimable: number;
	/** Of them, leased to this worker: after a whole pass, only by a bookkeeping slip; run again, never waited for. */
	mine: number;
}

/** About 256 chunks per evaluation (a short tail at the end), 1 to 100 samples each; DOTEVAL_CHUNK_SIZE overrides. */
export function defaultChunkSize(total: number, env: NodeJS.ProcessEnv = process.env): number {
	const fromEnv = Number(env.DOTEVAL_CHUNK_SIZE);
	if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
	return Math.max(1, Math.min(100, Math.ceil(total / 256)));
}

/** The chunk starts in ascending order; `startOf(i)` is the start of the chunk holding index i. */
export class ChunkLayout {
	constructor(
		readonly starts: readonly number[],
		readonly ends: readonly number[],
	) {}

	/** Index of the chunk holding `index`, or −1 when none does. */
	private find(index: number): number {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (this.starts[mid]! > index) hi = mid - 1;
			else if (this.ends[mid]! <= index) lo = mid + 1;
			else return mid;
		}
		return -1;
	}

	startOf(index: number): number | undefined {
		const at = this.find(index);
		return at < 0 ? undefined : this.starts[at];
	}

	/** Starts of the chunks from `from` (a start) up to, not including, `to`. */
	*between(from: number, to: number): Generator<number> {
		for (let at = Math.max(0, this.find(from)); at < this.starts.length && this.starts[at]! < to; at++) if (this.starts[at]! >= from) yield this.starts[at]!;
	}
}

export class WorkQueue {
	/** This pass: chunk first index → whether it is ours. */
	private decided = new Map<number, boolean>();
	/** No free chunk at or after this index in this pass. */
	private exhaustedFrom = Infinity;
	private readonly owned = new Map<number, Chunk>();
	private current: Chunk | undefined;
	private finished: number[] = [];
	/** The claim of the chunk after the current one, while in flight. */
	private ahead: Promise<void> | undefined;
	/** Chunks claimed in this pass. */
	claimed = 0;

	private constructor(
		private readonly db: Queryable,
		private readonly options: JoinOptions,
		readonly layout: ChunkLayout,
	) {}

	/**
	 * Joins the evaluation's chunks: creates those missing for 0 … total − 1 (the first worker, or a
	 * run over a grown dataset, past the stored ones: the stored layout is kept, whatever chunk size
	 * made it), and opens again the done chunks that lack a stored success (samples that errored, or
	 * beyond the end of an earlier, shorter run, or trials beyond those of an earlier run with fewer),
	 * so that joining resumes like any run: skip what is done, retry errors.
	 */
	static async join(db: Queryable, options: JoinOptions): Promise<WorkQueue> {
		const size = options.chunkSize ?? defaultChunkSize(options.total);
		const { evaluationId: id, total } = options;
		const trials = options.trials ?? 1;
		await db.rows(
			`INSERT INTO doteval.chunks (evaluation_id, first_idx, end_idx)
			SELECT $1, g, least(g + $2, $3) FROM generate_series((SELECT coalesce(max(end_idx), 0) FROM doteval.chunks WHERE evaluation_id = $1), $3 - 1, $2) AS g
			ON CONFLICT DO NOTHING`,
			[id, size, total],
		);
		await db.rows(
			`UPDATE doteval.chunks c SET done = false, owner = NULL, lease_until = NULL
			WHERE c.evaluation_id = $1 AND c.done AND c.first_idx < $2
				AND (SELECT count(*) FROM doteval.samples s WHERE s.evaluation_id = $1 AND s.idx >= c.first_idx AND s.idx < least(c.end_idx, $2)
					AND s.trial < $3 AND s.error_type IS NULL)
					< (least(c.end_idx, $2) - c.first_idx) * $3`,
			[id, total, trials],
		);
		const rows = await db.rows('SELECT first_idx, end_idx FROM doteval.chunks WHERE evaluation_id = $1 AND first_idx < $2 ORDER BY first_idx', [id, total]);
		return new WorkQueue(
			db,
			options,
			new ChunkLayout(
				rows.map((r) => Number(r[0])),
				rows.map((r) => Number(r[1])),
			),
		);
	}

	/** Whether row `index` (all its trials) is this worker's to run (the executor asks in index order). */
	take(index: number): boolean | Promise<boolean> {
		const first = this.layout.startOf(index);
		if (first === undefined) return false; // beyond this run's samples
		if (this.current && this.current.firstIdx !== first) {
			this.pass(this.current);
			this.current = undefined;
		}
		const known = this.decided.get(first) ?? (first >= this.exhaustedFrom ? false : undefined);
		if (known !== undefined) return this.count(known, index, first);
		// The claim ahead may answer for this chunk: ask again once it is in.
		if (this.ahead) return this.ahead.then(() => this.take(index));
		return this.claimFrom(first).then((mine) => this.count(mine, index, first));
	}

	private count(mine: boolean, index: number, first: number): boolean {
		if (!mine) return false;
		const chunk = this.owned.get(first)!;
		if (!chunk.entered) {
			chunk.entered = true;
			this.claimAhead(chunk);
		}
		this.current = chunk;
		chunk.pending += this.trialsToRun(index);
		return true;
	}

	/** The row's trials not yet stored without error: the samples the executor will record for it. */
	private trialsToRun(index: number): number {
		let n = 0;
		for (let t = 0; t < (this.options.trials ?? 1); t++) if (!this.options.completedTrials[t]?.has(index)) n++;
		return n;
	}

	/** Claim the first free chunk after `chunk` in the background (failures surface at the executor's own claim). */
	private claimAhead(chunk: Chunk): void {
		const next = this.layout.startOf(chunk.endIdx);
		if (next === undefined || this.ahead || this.decided.has(next) || next >= this.exhaustedFrom) return;
		this.ahead = this.claimFrom(next)
			.then(
				() => {},
				() => {},
			)
			.finally(() => {
				this.ahead = undefined;
			});
	}

	/**
	 * Claim the first free chunk at or after `first`; the chunks skipped over are others'. The free
	 * chunk is picked by a scalar subquery (an InitPlan, run once): as a subquery joined in FROM, the
	 * planner may rescan it once per row of the joined table, and each rescan locked and claimed
	 * another chunk — one worker took every chunk in one statement while the others waited.
	 */
	private async claimFrom(first: number): Promise<boolean> {
		const rows = await this.db.rows(
			`UPDATE doteval.chunks SET owner = $3, lease_until = ${dbNow} + $4::bigint
			WHERE evaluation_id = $1 AND first_idx = (SELECT first_idx FROM doteval.chunks WHERE evaluation_id = $1 AND first_idx >= $2 AND first_idx < $5 AND NOT done
				AND (owner IS NULL OR owner = $3 OR lease_until < ${dbNow}) ORDER BY first_idx LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING first_idx, end_idx`,
			[this.options.evaluationId, first, this.options.owner, liveness().staleMs, this.options.total],
		);
		if (!rows.length) {
			this.exhaustedFrom = first;
			return false;
		}
		const claimed = Number(rows[0]![0]);
		for (const f of this.layout.between(first, claimed)) this.decided.set(f, false);
		this.decided.set(claimed, true);
		this.owned.set(claimed, { firstIdx: claimed, endIdx: Number(rows[0]![1]), pending: 0, passed: false, entered: false });
		this.claimed++;
		return claimed === first;
	}

	/** The writer stored a sample (a trial) of row `index` (it is in the batch being buffered). */
	recorded(index: number): void {
		const first = this.layout.startOf(index);
		const chunk = first === undefined ? undefined : this.owned.get(first);
		if (!chunk) return;
		chunk.pending = Math.max(0, chunk.pending - 1);
		this.settle(chunk);
	}

	private pass(chunk: Chunk): void {
		chunk.passed = true;
		this.settle(chunk);
	}

	private settle(chunk: Chunk): void {
		if (!chunk.passed || chunk.pending > 0 || !this.owned.has(chunk.firstIdx)) return;
		this.owned.delete(chunk.firstIdx);
		this.finished.push(chunk.firstIdx);
	}

	/**
	 * The executor read the whole dataset: every chunk it reached is passed. A chunk claimed ahead
	 * and never reached stays leased to this worker, and the next pass runs it.
	 */
	endPass(): void {
		for (const chunk of [...this.owned.values()]) {
			if (chunk.entered) this.pass(chunk);
			else this.owned.delete(chunk.firstIdx);
		}
		this.current = undefined;
	}

	/** Resolves when no claim ahead is in flight (before a pass ends: its claim belongs to this pass). */
	async idle(): Promise<void> {
		await this.ahead;
	}

	/** Start another pass (after other workers' chunks became free again). */
	newPass(): void {
		this.decided.clear();
		this.exhaustedFrom = Infinity;
		this.current = undefined;
		this.claimed = 0;
	}

	/** Chunks whose samples are all recorded: the writer marks them done with its next batch. */
	takeFinished(): { evaluationId: number; firstIdx: number }[] {
		const out = this.finished.map((firstIdx) => ({ evaluationId: this.options.evaluationId, firstIdx }));
		this.finished = [];
		return out;
	}

	/** The batch carrying them failed: mark them with the next one. */
	restoreFinished(chunks: { evaluationId: number; firstIdx: number }[]): void {
		for (const c of chunks) if (c.evaluationId === this.options.evaluationId) this.finished.push(c.firstIdx);
	}

	/** The open chunks of this run's samples (chunks of an earlier run's further samples are not waited for). */
	async remaining(): Promise<Remaining> {
		const row = (
			await this.db.rows(
				`SELECT count(*), count(*) FILTER (WHERE owner IS NULL OR lease_until < ${dbNow}), count(*) FILTER (WHERE owner = $3)
			FROM doteval.chunks WHERE evaluation_id = $1 AND first_idx < $2 AND NOT done`,
				[this.options.evaluationId, this.options.total, this.options.owner],
			)
		)[0]!;
		return { open: Number(row[0]), claimable: Number(row[1]), mine: Number(row[2]) };
	}
}
