/**
 * Runs sample tasks on p-limit and tells the row pump when to read more rows. p-limit's own counters
 * are the bookkeeping: `activeCount` samples are running, `pendingCount` are queued behind them.
 *
 * Memory stays bounded: the pump reads rows only while fewer than two windows' worth of samples are
 * outstanding (running + queued), and resumes once they are down to one and a half.
 *
 * The pump resumes in a `setImmediate`, after the event loop's current phase: when many samples end
 * in one phase (their timers or sockets fire together), each one's successor starts at once from the
 * half window still queued, and reading the next rows (hashing, mapping) delays none of them.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export class SampleScheduler {
	private readonly limit: LimitFunction;
	private peak = 0;
	private wake: (() => void) | null = null;
	private wakeQueued = false;
	private readonly wakeLater = () => {
		this.wakeQueued = false;
		this.interrupt();
	};
	// Bound once: a sample's task allocates no closures here.
	private readonly settled = () => this.onSettled();
	private readonly crashed = (error: unknown) => {
		this.onCrash(error);
		this.onSettled();
	};

	/** `onCrash` receives what a task rejected with (a bug: tasks report their own errors). */
	constructor(
		concurrency: number,
		private readonly onCrash: (error: unknown) => void,
	) {
		this.limit = pLimit(Math.max(1, concurrency));
	}

	/** Samples allowed to run at once; an adaptive strategy changes it between attempts. */
	get concurrency(): number {
		return this.limit.concurrency;
	}

	set concurrency(value: number) {
		const next = Math.max(1, value);
		if (next !== this.limit.concurrency) this.limit.concurrency = next;
	}

	/** The most samples seen running at once (recorded by `noteStarted`). */
	get maxInFlight(): number {
		return this.peak;
	}

	/** Samples scheduled and not yet settled: running plus queued. */
	get outstanding(): number {
		return this.limit.activeCount + this.limit.pendingCount;
	}

	/** True while the pump may read another row. */
	get hasRoom(): boolean {
		return this.outstanding < this.limit.concurrency * 2;
	}

	/** A sample's task calls this when it really starts (not when it is skipped after a Ctrl+C). */
	noteStarted(): void {
		if (this.limit.activeCount > this.peak) this.peak = this.limit.activeCount;
	}

	/** Queues `task(...args)` (arguments instead of a closure: no allocation per sample). */
	run<A extends unknown[]>(task: (...args: A) => Promise<void>, ...args: A): void {
		this.limit(task, ...args).then(this.settled, this.crashed);
	}

	/** Resolves (in a later phase of the event loop) once the outstanding samples are down to one and a half windows, or on `interrupt()`. */
	waitForRoom(): Promise<void> {
		return new Promise((resolve) => {
			this.wake = resolve;
		});
	}

	/** Releases a pending `waitForRoom` (Ctrl+C, a fatal error): the pump re-checks and stops. */
	interrupt(): void {
		const wake = this.wake;
		this.wake = null;
		wake?.();
	}

	/** Resolves when every scheduled sample has settled. */
	async drain(): Promise<void> {
		while (this.outstanding > 0) await this.waitForRoom();
	}

	// p-limit decrements activeCount before the promise it returned settles, so the counters are current here.
	private onSettled(): void {
		if (this.wake && !this.wakeQueued && this.outstanding <= this.limit.concurrency * 1.5) {
			this.wakeQueued = true;
			setImmediate(this.wakeLater);
		}
	}
}
