/**
 * Per-sample retry policy: which errors to retry, how many attempts, how long to wait between them.
 * Exponential back-off with "equal jitter" (half fixed, half random) so a window of samples that failed
 * together does not retry in lock-step; a server's `Retry-After` wins over the computed delay.
 */
import { checkPositiveInteger } from '../concurrency/types.js';
import { isRetryableByDefault, retryAfterMs } from './classify.js';

/** `retries` of ForEach: which errors to retry, how often, how long to wait. */
export interface RetryOptions {
	/** Attempts in total, the first included (integer ≥ 1). Default 4 (3 retries), as the original. */
	maxAttempts?: number;
	/** Delay before the first retry (ms). Default 1000. */
	initialDelayMs?: number;
	/** Cap of the exponential delay (ms). Default 30000. */
	maxDelayMs?: number;
	/** Cap applied to a server's Retry-After (ms). Default 120000. */
	maxRetryAfterMs?: number;
	/** Decides whether an error is retried. Default: connection errors, timeouts, HTTP 408/429/5xx. */
	retryOn?: (error: unknown, attempt: number) => boolean;
}

/** A resolved retry policy (from RetryOptions, or your own object): asked after every failed attempt. */
export interface RetryPolicy {
	readonly maxAttempts: number;
	shouldRetry(error: unknown, attempt: number): boolean;
	/** Delay before attempt `attempt + 1` after `error` (ms). */
	delayMs(error: unknown, attempt: number): number;
}

function checkDelay(option: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		throw new TypeError(`retries: ${option} must be a number of milliseconds ≥ 0; got ${String(value)}`);
	return value;
}

/** Validates options eagerly (TypeErrors name the constraint) and builds the policy. */
export function createRetryPolicy(options: RetryOptions = {}, random: () => number = Math.random): RetryPolicy {
	if (typeof options !== 'object' || options === null) throw new TypeError('retries: expected false or an options object such as { maxAttempts: 3 }');
	const maxAttempts = checkPositiveInteger('retries', 'maxAttempts', options.maxAttempts ?? 4);
	const initialDelayMs = checkDelay('initialDelayMs', options.initialDelayMs ?? 1000);
	const maxDelayMs = checkDelay('maxDelayMs', options.maxDelayMs ?? 30000);
	const maxRetryAfterMs = checkDelay('maxRetryAfterMs', options.maxRetryAfterMs ?? 120000);
	const retryOn = options.retryOn ?? isRetryableByDefault;
	if (typeof retryOn !== 'function') throw new TypeError('retries: retryOn must be a function (error, attempt) => boolean');
	return {
		maxAttempts,
		shouldRetry: (error, attempt) => attempt < maxAttempts && Boolean(retryOn(error, attempt)),
		delayMs(error, attempt) {
			const asked = retryAfterMs(error);
			if (asked !== undefined) return Math.min(asked, maxRetryAfterMs);
			const exponential = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
			return exponential / 2 + (random() * exponential) / 2;
		},
	};
}

/** A policy that never retries (`retries: false`). */
export const noRetries: RetryPolicy = { maxAttempts: 1, shouldRetry: () => false, delayMs: () => 0 };

/** `retries` option as given to ForEach/foreach → a policy. `undefined` → the default policy. */
export function resolveRetries(option: RetryOptions | RetryPolicy | false | undefined): RetryPolicy {
	if (option === false) return noRetries;
	if (option === undefined) return createRetryPolicy();
	if (typeof (option as RetryPolicy).shouldRetry === 'function' && typeof (option as RetryPolicy).delayMs === 'function') return option as RetryPolicy;
	return createRetryPolicy(option as RetryOptions);
}
