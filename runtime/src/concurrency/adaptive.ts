/**
 * Adaptive concurrency: the original's hill-climb on throughput (dotevals `Adaptive`, described in docs/design/adaptive.md),
 * plus what the original never did:
 *  - it hears about failed attempts. Errors shrink the window at the next adaptation round
 *    (× errorBackoffFactor per error); an HTTP 429 shrinks it at once (at most once per quarter
 *    interval, so one burst of 429s from a full window counts once);
 *  - it converges on a rate limit from below: a slow start doubles the window every round while
 *    throughput keeps rising with it (the original's +2 per three 2-second rounds needed minutes to
 *    reach a window of 50), and rounds last a few call latencies instead of 2 s;
 *    Waits for the budget do not end it while throughput still rises: the budget holds every call
 *    until the first answer states the limits, so the first round always waits;
 *  - and from above: when most calls wait for a provider's rate-limit budget (doteval/models) and
 *    throughput no longer rises, the window is set to what the measured throughput needs (Little's
 *    law: throughput × latency, plus a margin): cut when it is larger, since samples beyond that only
 *    queue for the budget, and grown when it is smaller, since the budget's slots would go unused.
 * `slowStart: false` with a fixed `adaptationIntervalMs` is the original algorithm.
 *
 * Rounds run when an attempt ends and the round's time has passed, instead of on a background timer:
 * nothing to clean up, and nothing to adapt without completions.
 */
import type { AttemptReport, ConcurrencyController, ConcurrencyStrategy } from './types.js';
import { checkPositiveInteger } from './types.js';
import { ADAPTIVE_DEFAULT_MAX_CONCURRENCY } from './defaults.js';
import type { StrategyInfo } from '../protocol/events.js';

/** Options of `new Adaptive(options)`. */
export interface AdaptiveOptions {
	initialConcurrency?: number;
	minConcurrency?: number;
	maxConcurrency?: number;
	/** Time between adaptation rounds (ms). Default: twice the mean call latency, between 50 ms and 2 s. */
	adaptationIntervalMs?: number;
	/** Double the window each round while throughput rises with it, until the first plateau, error or budget wait. Default true. */
	slowStart?: boolean;
	/** Completions used to measure throughput. Default 20. */
	throughputWindow?: number;
	/** Throughput ratio above which a round counts as "rising". Default 0.98. */
	increaseThreshold?: number;
	/** Throughput ratio below which a round counts as "falling". Default 0.90. */
	decreaseThreshold?: number;
	/** Consecutive rising (or falling) rounds before the window changes. Default 3. */
	stabilityWindow?: number;
	/** Multiplier applied per error (and once per 429 burst). Default 0.7. */
	errorBackoffFactor?: number;
}

type Required_ = Required<Omit<AdaptiveOptions, 'adaptationIntervalMs'>> & { adaptationIntervalMs: number | 'auto' };

const DEFAULTS: Required_ = {
	initialConcurrency: 5,
	minConcurrency: 1,
	maxConcurrency: ADAPTIVE_DEFAULT_MAX_CONCURRENCY,
	adaptationIntervalMs: 'auto',
	slowStart: true,
	throughputWindow: 20,
	increaseThreshold: 0.98,
	decreaseThreshold: 0.9,
	stabilityWindow: 3,
	errorBackoffFactor: 0.7,
};

function checkRatio(option: string, value: number, low: number, high: number): number {
	if (typeof value !== 'number' || !(value > low && value <= high))
		throw new TypeError(`Adaptive: ${option} must be a number in (${low}, ${high}]; got ${value}`);
	return value;
}

/**
 * Finds the concurrency a rate-limited API sustains: grows while samples succeed, halves on HTTP 429 or errors.
 * @example new ForEach({ concurrency: new Adaptive({ maxConcurrency: 20 }) })
 */
export class Adaptive implements ConcurrencyStrategy {
	readonly name = 'Adaptive';
	readonly options: Readonly<Required_>;

	constructor(options: AdaptiveOptions = {}) {
		if (typeof options !== 'object' || options === null) throw new TypeError('Adaptive: expected an options object such as { maxConcurrency: 50 }');
		const o: Required_ = { ...DEFAULTS, ...options, adaptationIntervalMs: options.adaptationIntervalMs ?? 'auto' };
		checkPositiveInteger('Adaptive', 'minConcurrency', o.minConcurrency);
		checkPositiveInteger('Adaptive', 'maxConcurrency', o.maxConcurrency);
		checkPositiveInteger('Adaptive', 'initialConcurrency', o.initialConcurrency);
		if (o.minConcurrency > o.maxConcurrency)
			throw new TypeError(`Adaptive: minConcurrency (${o.minConcurrency}) must be ≤ maxConcurrency (${o.maxConcurrency})`);
		if (o.initialConcurrency < o.minConcurrency || o.initialConcurrency > o.maxConcurrency) {
			throw new TypeError(
				`Adaptive: initialConcurrency (${o.initialConcurrency}) must be between minConcurrency (${o.minConcurrency}) and maxConcurrency (${o.maxConcurrency})`,
			);
		}
		if (o.adaptationIntervalMs !== 'auto' && (typeof o.adaptationIntervalMs !== 'number' || !(o.adaptationIntervalMs > 0)))
			throw new TypeError(`Adaptive: adaptationIntervalMs must be a number > 0; got ${o.adaptationIntervalMs}`);
		checkPositiveInteger('Adaptive', 'throughputWindow', o.throughputWindow, 2);
		checkPositiveInteger('Adaptive', 'stabilityWindow', o.stabilityWindow);
		checkRatio('increaseThreshold', o.increaseThreshold, 0, 10);
		checkRatio('decreaseThreshold', o.decreaseThreshold, 0, 1);
		checkRatio('errorBackoffFactor', o.errorBackoffFactor, 0, 1);
		this.options = Object.freeze(o);
	}

	describe(): StrategyInfo {
		const { maxConcurrency, ...rest } = this.options;
		return { name: this.name, maxConcurrency, options: { ...rest } };
	}

	start(): AdaptiveController {
		return new AdaptiveController(this.options);
	}
}

/** One decision of an Adaptive controller (reported in the eval's strategy stats). */
export interface AdaptationStep {
	/** ms since the run started. */
	atMs: number;
	concurrency: number;
	/** Completions per second when the decision was taken (null: not measured, e.g. an error round). */
	throughput: number | null;
	reason: 'increase' | 'decrease' | 'errors' | 'rate-limited' | 'steady' | 'budget-bound';
}

/** The state of one Adaptive run: the current limit and the history of its changes. */
export class AdaptiveController implements ConcurrencyController {
	limit: number;
	private readonly completions: number[] = [];
	private completionHead = 0;
	private lastThroughput: number | null = null;
	private consecutiveIncreases = 0;
	private consecutiveDecreases = 0;
	private recentErrors = 0;
	private totalCompleted = 0;
	private totalErrors = 0;
	private lastRoundAt: number;
	private lastRateLimitShrinkAt = -Infinity;
	private readonly startedAt: number;
	private slowStarting: boolean;
	/** This round's completions, attempts that waited for a budget, and latency sum. */
	private roundOk = 0;
	private roundWaited = 0;
	private roundLatency = 0;
	private roundThroughput: number | null = null;
	private meanLatency: number | null = null;
	readonly history: AdaptationStep[] = [];

	constructor(
		private readonly o: Readonly<Required_>,
		now = performance.now(),
	) {
		this.limit = o.initialConcurrency;
		this.slowStarting = o.slowStart;
		this.startedAt = now;
		this.lastRoundAt = now;
	}

	onAttempt(report: AttemptReport): void {
		if (report.ok) {
			this.totalCompleted++;
			this.recordCompletion(report.at);
			this.roundOk++;
			this.roundLatency += report.latencyMs;
			if ((report.waitedMs ?? 0) > 1) this.roundWaited++;
			this.meanLatency = this.meanLatency === null ? report.latencyMs : this.meanLatency * 0.9 + report.latencyMs * 0.1;
		} else {
			this.totalErrors++;
			this.recentErrors++;
			if (report.status === 429 && report.at - this.lastRateLimitShrinkAt >= this.interval() / 4) {
				this.lastRateLimitShrinkAt = report.at;
				this.recentErrors = 0;
				this.slowStarting = false;
				this.shrink(this.o.errorBackoffFactor, report.at, null, 'rate-limited');
				this.startRound(report.at);
				return;
			}
		}
		if (report.at - this.lastRoundAt >= this.interval()) this.round(report.at);
	}

	private interval(): number {
		if (this.o.adaptationIntervalMs !== 'auto') return this.o.adaptationIntervalMs;
		return Math.min(2000, Math.max(50, 2 * (this.meanLatency ?? 25)));
	}

	private startRound(now: number): void {
		this.lastRoundAt = now;
		this.roundOk = 0;
		this.roundWaited = 0;
		this.roundLatency = 0;
	}

	private recordCompletion(at: number): void {
		// Ring buffer of the last `throughputWindow` completion times.
		if (this.completions.length < this.o.throughputWindow) this.completions.push(at);
		else {
			this.completions[this.completionHead] = at;
			this.completionHead = (this.completionHead + 1) % this.o.throughputWindow;
		}
	}

	private throughput(): number | null {
		const k = this.completions.length;
		if (k < 2) return null;
		const first = this.completions[k < this.o.throughputWindow ? 0 : this.completionHead]!;
		const last = this.completions[k < this.o.throughputWindow ? k - 1 : (this.completionHead + k - 1) % k]!;
		const span = last - first;
		return span > 0 ? ((k - 1) * 1000) / span : null;
	}

	private round(now: number): void {
		const elapsed = now - this.lastRoundAt;
		const ok = this.roundOk;
		const waited = this.roundWaited;
		const latency = ok > 0 ? this.roundLatency / ok : 0;
		this.startRound(now);
		if (this.recentErrors > 0) {
			const factor = this.o.errorBackoffFactor ** this.recentErrors;
			this.recentErrors = 0;
			this.slowStarting = false;
			this.shrink(factor, now, null, 'errors');
			return;
		}
		const roundThroughput = elapsed > 0 && ok > 0 ? (ok * 1000) / elapsed : null;
		const previous = this.roundThroughput;
		if (roundThroughput !== null) this.roundThroughput = roundThroughput;
		// Slow start: still rising with the window, so the limit does not bind yet, even when calls
		// waited (the budget holds every call until the first answer shows the limits).
		const rising = roundThroughput !== null && (previous === null || roundThroughput >= previous * 1.3);
		if (this.slowStarting && rising) {
			if (this.limit >= this.o.maxConcurrency) this.slowStarting = false;
			else {
				this.limit = Math.min(this.o.maxConcurrency, this.limit * 2);
				this.history.push({ atMs: now - this.startedAt, concurrency: this.limit, throughput: roundThroughput, reason: 'increase' });
			}
			return;
		}
		if (roundThroughput !== null && ok >= 4 && waited * 2 >= ok) {
			// Most calls queued for the provider's budget: the limit binds, not the window. Keep the
			// window the throughput needs (Little's law, plus a margin for jitter): fewer would leave
			// budget slots unused, more would only queue for the budget.
			this.slowStarting = false;
			const needed = Math.ceil(((roundThroughput * latency) / 1000) * 1.25) + 1;
			const target = Math.max(this.o.minConcurrency, Math.min(this.o.maxConcurrency, needed));
			if (target !== this.limit) {
				this.limit = target;
				this.consecutiveIncreases = 0;
				this.history.push({ atMs: now - this.startedAt, concurrency: this.limit, throughput: roundThroughput, reason: 'budget-bound' });
			}
			return;
		}
		if (roundThroughput !== null) this.slowStarting = false; // a plateau without budget waits: from here on, the hill-climb
		const throughput = this.throughput();
		if (throughput === null) return;
		let reason: AdaptationStep['reason'] = 'steady';
		if (this.lastThroughput !== null) {
			const ratio = throughput / this.lastThroughput;
			if (ratio > this.o.increaseThreshold) {
				this.consecutiveDecreases = 0;
				if (++this.consecutiveIncreases >= this.o.stabilityWindow) {
					this.consecutiveIncreases = 0;
					this.limit = Math.min(this.o.maxConcurrency, increased(this.limit));
					reason = 'increase';
				}
			} else if (ratio < this.o.decreaseThreshold) {
				this.consecutiveIncreases = 0;
				if (++this.consecutiveDecreases >= this.o.stabilityWindow) {
					this.consecutiveDecreases = 0;
					this.limit = Math.max(this.o.minConcurrency, Math.floor(this.limit * 0.8));
					reason = 'decrease';
				}
			} else {
				this.consecutiveIncreases = 0;
				this.consecutiveDecreases = 0;
			}
		}
		this.lastThroughput = throughput;
		this.history.push({ atMs: now - this.startedAt, concurrency: this.limit, throughput, reason });
	}

	private shrink(factor: number, now: number, throughput: number | null, reason: AdaptationStep['reason']): void {
		this.slowStarting = false;
		this.limit = Math.max(this.o.minConcurrency, Math.floor(this.limit * factor));
		this.consecutiveIncreases = 0;
		this.consecutiveDecreases = 0;
		this.history.push({ atMs: now - this.startedAt, concurrency: this.limit, throughput, reason });
	}

	stats(): Record<string, unknown> {
		return {
			currentConcurrency: this.limit,
			throughput: this.throughput(),
			totalCompleted: this.totalCompleted,
			totalErrors: this.totalErrors,
			history: this.history.slice(-10),
		};
	}
}

/** The original's increase rule: +2 below 10, ×1.2 below 50, ×1.1 above (always at least +1). */
function increased(current: number): number {
	if (current < 10) return current + 2;
	if (current < 50) return Math.max(current + 1, Math.floor(current * 1.2));
	return Math.max(current + 1, Math.floor(current * 1.1));
}
