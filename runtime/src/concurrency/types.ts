/**
 * A concurrency strategy decides how many samples of an evaluation may be in flight. The executor
 * asks it for a controller per run, keeps `controller.limit` samples running (on p-limit), and reports
 * every attempt back so adaptive strategies can react. Strategies are duck-typed so that one made by
 * the user's copy of the runtime works with the CLI's copy.
 */
import type { StrategyInfo } from '../protocol/events.js';

/** What the executor tells a concurrency controller after each attempt. */
export interface AttemptReport {
	/** The attempt returned (true) or threw (false). */
	ok: boolean;
	error?: unknown;
	/** HTTP status found on the error, when any (429 = rate limited). */
	status?: number;
	/** Monotonic time (performance.now()) when the attempt ended. */
	at: number;
	/** The attempt's own time, without waits for a model provider's rate-limit budget. */
	latencyMs: number;
	/** Time the attempt waited for a model provider's rate-limit budget (doteval/models), ms. */
	waitedMs?: number;
}

/** The per-run state of a strategy: how many samples may be in flight now. */
export interface ConcurrencyController {
	/** Samples allowed in flight right now (≥ 1). Read after every attempt. */
	readonly limit: number;
	/** Called after every attempt, retried ones included. */
	onAttempt?(report: AttemptReport): void;
	/** Strategy-specific figures for reports (Adaptive: history of its decisions). */
	stats?(): Record<string, unknown>;
}

/** How many samples of an evaluation run at once (Sequential, SlidingWindow, Adaptive, or your own). */
export interface ConcurrencyStrategy {
	readonly name: string;
	describe(): StrategyInfo;
	/** A fresh controller for one run of one evaluation. */
	start(): ConcurrencyController;
}

/** Duck-typed check, so a strategy made by another copy of the runtime is recognised. */
export function isConcurrencyStrategy(x: unknown): x is ConcurrencyStrategy {
	return (
		typeof x === 'object' && x !== null && typeof (x as ConcurrencyStrategy).start === 'function' && typeof (x as ConcurrencyStrategy).describe === 'function'
	);
}

/** Throws a TypeError naming the constraint unless `value` is an integer ≥ `min`. */
export function checkPositiveInteger(owner: string, option: string, value: unknown, min = 1): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
		throw new TypeError(`${owner}: ${option} must be an integer ≥ ${min}; got ${typeof value === 'number' ? value : typeof value}`);
	}
	return value;
}
