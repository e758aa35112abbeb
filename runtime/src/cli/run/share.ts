/**
 * Running a share of an evaluation on many machines:
 *  - `--shard i/n` runs the samples whose 0-based index leaves remainder i − 1 when divided by n
 *    (shard 1/4 runs 0, 4, 8, …): a fixed split that needs no coordination, and the same command
 *    in every job of a CI matrix or a Kubernetes Indexed Job covers every sample exactly once;
 *  - `--workers-join` (PostgreSQL store) claims chunks of rows as it goes (every trial of each), so
 *    any number of workers share one experiment and a fast one does more (store/postgres/workQueue.ts).
 */
import { UsageError } from '../command.js';
import type { EvaluationWriter } from '../../store/types.js';
import type { ExecuteOutcome } from '../../core/types.js';
import type { PgEvaluationWriter } from '../../store/postgres/writer.js';

export interface Shard {
	/** 1-based, as CI matrices and `$((JOB_COMPLETION_INDEX + 1))` give it. */
	index: number;
	count: number;
}

export function parseShard(value: string | boolean | undefined): Shard | undefined {
	if (value === undefined) return undefined;
	const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(value));
	const index = Number(match?.[1]);
	const count = Number(match?.[2]);
	if (!match || count < 1 || index < 1 || index > count) {
		throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n (shard i of n, e.g. --shard 2/4), got '${String(value)}'`);
	}
	return { index, count };
}

/** Whether sample `index` belongs to the shard. */
export const inShard =
	(shard: Shard) =>
	(index: number): boolean =>
		index % shard.count === shard.index - 1;

/** How many of the first `total` samples the shard runs. */
export function shardSize(shard: Shard, total: number): number {
	return total >= shard.index ? Math.floor((total - shard.index) / shard.count) + 1 : 0;
}

/** The store part a run writes, so that the store tells shards and workers apart. */
export function partOf(shard: Shard | undefined, join: boolean | undefined): string {
	return join ? 'join' : shard ? `${shard.index}/${shard.count}` : '';
}

export class CannotJoin extends Error {
	override name = 'CannotJoin';
}

function joinable(writer: EvaluationWriter): writer is PgEvaluationWriter {
	return typeof (writer as Partial<PgEvaluationWriter>).joinWork === 'function';
}

export interface JoinedRun {
	writer: EvaluationWriter;
	/** Samples: rows × trials. */
	total: number | null;
	/** Times each row runs (`trials: k` / `--trials k`). */
	trials: number;
	signal: AbortSignal;
	/** Write every sample recorded so far (ends a pass). */
	flush(): Promise<void>;
	/** One pass over the dataset, running the samples `take` accepts. */
	execute(take: (index: number) => boolean | Promise<boolean>): Promise<ExecuteOutcome>;
	/** Told when this worker waits for chunks leased to others. */
	waiting?(open: number): void;
	/** Told about every second how many samples all workers have stored. */
	progress?(stored: number, errors: number): void;
}

/** How often a worker reports the whole experiment's progress. */
const progressMs = 1000;

/**
 * How often a worker that waits for chunks leased to others looks again (they are marked done at
 * their worker's next batch, at the latest when that worker's pass ends). At the end of a run every
 * worker but the last waits here, so this is added to their exit: short, and one tiny query each.
 */
const waitPollMs = 100;

/**
 * Passes over the dataset until every chunk of the evaluation is done: after a pass, chunks still
 * leased to other live workers are waited for, and chunks whose lease ran out (a killed worker's)
 * are claimed by the next pass. A chunk still leased to this worker after a whole pass is run again
 * rather than waited for: its own heartbeat would keep renewing the lease, and every worker would
 * wait for it forever.
 */
export async function executeJoined(run: JoinedRun): Promise<ExecuteOutcome> {
	const { writer } = run;
	if (!joinable(writer))
		throw new CannotJoin('--workers-join needs the PostgreSQL store (--storage postgres://…): the workers share the experiment through it');
	if (run.total === null)
		throw new CannotJoin('--workers-join needs a dataset whose size is known before it runs (an array or a data file), to cut it into chunks');
	// The queue's chunks are of rows: a worker runs every trial of the rows it claims (total counts rows × trials).
	const queue = await writer.joinWork(Math.round(run.total / run.trials), undefined, run.trials);
	const report = run.progress;
	const ticker =
		report &&
		setInterval(
			() =>
				void writer.storedCount().then(
					(c) => report(c.stored, c.errors),
					() => {},
				),
			progressMs,
		);
	ticker?.unref();
	try {
		return await passes(run, writer, queue);
	} finally {
		clearInterval(ticker);
		// The last word: every worker's samples as they are now.
		if (report)
			await writer.storedCount().then(
				(c) => report(c.stored, c.errors),
				() => {},
			);
	}
}

async function passes(run: JoinedRun, writer: PgEvaluationWriter, queue: Awaited<ReturnType<PgEvaluationWriter['joinWork']>>): Promise<ExecuteOutcome> {
	for (;;) {
		const outcome = await run.execute((index) => queue.take(index));
		if (outcome.status !== 'completed' || outcome.failure || run.signal.aborted) return outcome;
		await queue.idle();
		queue.endPass();
		await run.flush();
		for (let told = false; ;) {
			const { open, claimable, mine } = await queue.remaining();
			if (open === 0) return outcome;
			// Another worker took the free chunk between our look and our claim: do not spin.
			if (claimable > 0 && queue.claimed === 0) await sleep(waitPollMs);
			if (claimable > 0 || mine > 0) break;
			if (!told) run.waiting?.(open);
			told = true;
			await sleep(waitPollMs);
			if (run.signal.aborted) return { ...outcome, status: 'interrupted' };
		}
		await writer.refreshCompleted();
		queue.newPass();
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
