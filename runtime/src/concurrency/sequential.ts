import type { ConcurrencyController, ConcurrencyStrategy } from './types.js';
import type { StrategyInfo } from '../protocol/events.js';

/**
 * One sample at a time, in dataset order. The default for every eval, sync or async: as the tutorial
 * says, "async functions run sequentially by default"; configure `SlidingWindow` to overlap them.
 */
export class Sequential implements ConcurrencyStrategy {
	readonly name = 'Sequential';

	describe(): StrategyInfo {
		return { name: this.name, maxConcurrency: 1 };
	}

	start(): ConcurrencyController {
		return { limit: 1 };
	}
}
