/**
 * One provider/key's rate-limit budget, shared by every sample, eval and judge of the run.
 *
 * Calls are paced, not just counted: each call reserves the earliest slot its requests/min and
 * tokens/min allow (GCRA: a theoretical arrival time per limit), so a window of 1,000 samples sends
 * at the limit's rate instead of in a burst. A 429/503 that names a pause (`retry-after-ms`,
 * `retry-after`) pauses the whole budget, so nobody else runs into the same wall; when the pause
 * ends, calls go out at the paced rate again (no thundering herd). `insufficient_quota` exhausts
 * the budget: every call after it fails at once.
 *
 * Limits come from the options (rpm, tpm), else from the response headers (x-ratelimit-*,
 * anthropic-ratelimit-*): until the first answer arrives, a budget without configured limits lets
 * one call go and holds the others, so a window of 1,000 does not burst into a limit it could have
 * read from that first answer's headers. Without headers either, the budget is unpaced until the
 * first 429; it then paces at the rate that was succeeding and probes upward (× 1.25 per quiet
 * second) until the next 429.
 */
import type { LearnedLimits } from './headers.js';

/** A budget's configured limits; without them the budget learns them from the response headers. */
export interface BudgetLimits {
	/** Requests per minute. */
	rpm?: number;
	/** Tokens per minute (prompt + completion, as providers count them). */
	tpm?: number;
}

/** The provider said the quota is spent (`insufficient_quota`): this and every later call of the budget fail at once, and the run stops. */
export class QuotaExhaustedError extends Error {
	override name = 'QuotaExhaustedError';
}

/** Learned limits are paced a little below what the server states: its clock and ours differ. */
const LEARNED_MARGIN = 0.97;
const PROBE_EVERY_MS = 1000;
const PROBE_FACTOR = 1.25;
const MIN_OK_TO_MEASURE = 10;

const now = () => performance.now();

/** How late a timer may fire before the pace lets the calls it delayed catch up (a small burst). */
const CATCH_UP_MS = 10;

interface Waiter {
	tokens: number;
	resolve(): void;
	reject(error: unknown): void;
	signal?: AbortSignal | null;
	onAbort?: () => void;
}

export class Budget {
	private configured: BudgetLimits;
	private learned: LearnedLimits = {};
	/** Requests/min found by probing, when neither options nor headers say. */
	private probedRpm: number | undefined;
	private lastProbeAt = 0;
	private requestTat = 0;
	private tokenTat = 0;
	private pausedUntil = 0;
	private exhausted: string | undefined;
	/** No answer seen yet and no configured limit: one call at a time until the first answer. */
	private firstCall: 'none' | 'in-flight' | 'answered';
	private readonly recentOk: number[] = [];
	/** Mean completion tokens of answered calls, to estimate a call's tokens before it is sent. */
	private outputMean = 0;
	private outputCount = 0;
	readonly stats = { calls: 0, waitedMs: 0, pauses: 0, rateLimited: 0 };

	constructor(
		readonly name: string,
		limits: BudgetLimits = {},
	) {
		this.configured = { ...limits };
		this.firstCall = limits.rpm || limits.tpm ? 'answered' : 'none';
	}

	/** Options given by another client of the same provider/key: the stricter limit wins. */
	configure(limits: BudgetLimits): void {
		for (const key of ['rpm', 'tpm'] as const) {
			const v = limits[key];
			if (v === undefined) continue;
			const old = this.configured[key];
			this.configured[key] = old === undefined ? v : Math.min(old, v);
		}
	}

	get limits(): { rpm: number | undefined; tpm: number | undefined } {
		const learnedRpm = this.learned.rpm && this.learned.rpm * LEARNED_MARGIN;
		const learnedTpm = this.learned.tpm && this.learned.tpm * LEARNED_MARGIN;
		return { rpm: this.configured.rpm ?? learnedRpm ?? this.probedRpm, tpm: this.configured.tpm ?? learnedTpm };
	}

	get exhaustedBecause(): string | undefined {
		return this.exhausted;
	}

	/** Tokens a call will likely use: its prompt's (estimated by the caller) plus the usual answer. */
	estimateTokens(promptTokens: number, maxOutput?: number): number {
		return promptTokens + (this.outputCount > 0 ? this.outputMean : (maxOutput ?? 0));
	}

	/**
	 * Waits for this call's slot (first come, first served); resolves with the ms waited. Rejects
	 * with QuotaExhaustedError once the quota is gone, and with the signal's reason when aborted.
	 */
	async acquire(tokens: number, signal?: AbortSignal | null): Promise<number> {
		if (this.exhausted !== undefined) throw new QuotaExhaustedError(this.exhausted);
		if (signal?.aborted) throw signal.reason ?? new DOMException('aborted', 'AbortError');
		const t0 = now();
		if (this.queue.length === 0 && this.nextSlot(t0) <= t0) this.take(tokens, t0);
		else {
			await new Promise<void>((resolve, reject) => {
				const waiter: Waiter = { tokens, resolve, reject, signal };
				if (signal) {
					waiter.onAbort = () => {
						const i = this.queue.indexOf(waiter);
						if (i >= 0) this.queue.splice(i, 1);
						reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
					};
					signal.addEventListener('abort', waiter.onAbort, { once: true });
				}
				this.queue.push(waiter);
				this.drain();
			});
		}
		const waited = now() - t0;
		this.stats.calls++;
		this.stats.waitedMs += waited;
		return waited;
	}

	private readonly queue: Waiter[] = [];
	private timer: ReturnType<typeof setTimeout> | undefined;
	private timerAt = Infinity;

	private nextSlot(t: number): number {
		if (this.firstCall === 'in-flight') return Infinity; // released by answered()
		const { rpm, tpm } = this.limits;
		let slot = this.pausedUntil;
		if (rpm) slot = Math.max(slot, this.requestTat);
		if (tpm) slot = Math.max(slot, this.tokenTat);
		return slot <= t ? t : slot;
	}

	private take(tokens: number, t: number): void {
		if (this.firstCall === 'none') this.firstCall = 'in-flight';
		const { rpm, tpm } = this.limits;
		if (rpm) this.requestTat = Math.max(this.requestTat, t - CATCH_UP_MS) + 60_000 / rpm;
		if (tpm) this.tokenTat = Math.max(this.tokenTat, t - CATCH_UP_MS) + (tokens * 60_000) / tpm;
	}

	/** Lets waiters go while their slots have come, then sleeps until the next slot (one timer). */
	private drain = (): void => {
		if (this.timer !== undefined && this.timerAt <= now()) this.timer = undefined;
		while (this.queue.length > 0) {
			if (this.exhausted !== undefined) {
				for (const w of this.queue.splice(0)) this.release(w, new QuotaExhaustedError(this.exhausted));
				return;
			}
			const t = now();
			this.probe(t);
			const slot = this.nextSlot(t);
			if (slot === Infinity) return;
			if (slot > t) {
				if (this.timer !== undefined && this.timerAt <= slot) return;
				if (this.timer !== undefined) clearTimeout(this.timer);
				this.timerAt = slot;
				this.timer = setTimeout(() => {
					this.timer = undefined;
					this.drain();
				}, slot - t);
				return;
			}
			const w = this.queue.shift()!;
			this.take(w.tokens, t);
			this.release(w);
		}
	};

	private release(w: Waiter, error?: unknown): void {
		if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
		if (error) w.reject(error);
		else w.resolve();
	}

	/** A call got an answer (any status) or failed to connect: the others may go (limits learned first). */
	answered(): void {
		if (this.firstCall === 'answered') return;
		this.firstCall = 'answered';
		this.drain();
	}

	/** A call's tokens once known: corrects the estimate it was paced with. */
	settle(estimated: number, actual: { input: number; output: number } | undefined): void {
		if (!actual) return;
		this.outputCount++;
		this.outputMean += (actual.output - this.outputMean) / this.outputCount;
		const { tpm } = this.limits;
		if (tpm) this.tokenTat += ((actual.input + actual.output - estimated) * 60_000) / tpm;
	}

	/** Limits stated by a response's headers. */
	learn(limits: LearnedLimits): void {
		if (limits.rpm !== undefined) this.learned.rpm = limits.rpm;
		if (limits.tpm !== undefined) this.learned.tpm = limits.tpm;
	}

	succeeded(): void {
		const t = now();
		this.recentOk.push(t);
		while (this.recentOk.length > 0 && this.recentOk[0]! < t - 2000) this.recentOk.shift();
	}

	/** A 429/503: pause everyone for `ms` (the server's word, else our guess). */
	rateLimited(ms: number): void {
		const t = now();
		this.stats.rateLimited++;
		if (t + ms > this.pausedUntil) {
			this.pausedUntil = t + ms;
			this.stats.pauses++;
		}
		const { rpm } = this.limits;
		if (this.configured.rpm === undefined && this.learned.rpm === undefined) {
			// No stated limit: pace at what was getting through, then probe upward again.
			// Too few successes to measure a rate (a lone 429): the pause alone answers it.
			const ok = this.recentOk.filter((x) => x >= t - 1000).length;
			if (ok >= MIN_OK_TO_MEASURE) {
				this.probedRpm = Math.min(rpm ?? Infinity, ok * 60 * 0.95);
				this.lastProbeAt = this.pausedUntil;
			}
		}
	}

	/** Remaining 0 with a reset time: pause until then, without a 429 having happened. */
	pauseFor(ms: number): void {
		const t = now();
		if (t + ms > this.pausedUntil) this.pausedUntil = t + ms;
	}

	exhaust(message: string): void {
		this.exhausted ??= message;
		this.drain();
	}

	private probe(t: number): void {
		if (this.probedRpm === undefined || t - this.lastProbeAt < PROBE_EVERY_MS) return;
		this.lastProbeAt = t;
		this.probedRpm *= PROBE_FACTOR;
	}
}
