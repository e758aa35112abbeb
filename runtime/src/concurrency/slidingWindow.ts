import type { ConcurrencyController, ConcurrencyStrategy } from './types.js';
import { checkPositiveInteger } from './types.js';
import type { StrategyInfo } from '../protocol/events.js';

/** Options of `new SlidingWindow(options)`. */
export interface SlidingWindowOptions {
	/** Samples in flight at once (integer ≥ 1). Default 10, as the original. */
	maxConcurrency?: number;
}

/**
 * Keeps `maxConcurrency` samples in flight and starts the next one as soon as any finishes: a
 * continuous window, no batch barrier. Only async evals overlap; a sync eval runs one sample at a time.
 * @example const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });
 */
export class SlidingWindow implements ConcurrencyStrategy {
	readonly name = 'SlidingWindow';
	readonly maxConcurrency: number;

	constructor(options: SlidingWindowOptions = {}) {
		if (typeof options !== 'object' || options === null) throw new TypeError('SlidingWindow: expected an options object such as { maxConcurrency: 4 }');
		this.maxConcurrency = checkPositiveInteger('SlidingWindow', 'maxConcurrency', options.maxConcurrency ?? 10);
	}

	describe(): StrategyInfo {
		return { name: this.name, maxConcurrency: this.maxConcurrency };
	}

	start(): ConcurrencyController {
		return { limit: this.maxConcurrency };
	}
}
