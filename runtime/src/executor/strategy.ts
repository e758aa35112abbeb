/** Which concurrency strategy one run of an eval uses: `--concurrency N` wins, a sync eval runs one sample at a time. */
import type { EvalDefinitionRuntime, ExecuteOptions } from '../core/types.js';
import type { ConcurrencyStrategy } from '../concurrency/types.js';
import { checkPositiveInteger } from '../concurrency/types.js';
import { Sequential } from '../concurrency/sequential.js';
import { SlidingWindow } from '../concurrency/slidingWindow.js';

/** Throws a TypeError naming the option when `--concurrency` is not an integer ≥ 1; pushes a warning when it cannot apply. */
export function chooseStrategy(def: EvalDefinitionRuntime, options: Pick<ExecuteOptions, 'concurrencyOverride'>, warnings: string[]): ConcurrencyStrategy {
	const override = options.concurrencyOverride;
	if (override !== undefined) {
		checkPositiveInteger('--concurrency', 'N', override);
		if (def.async) return new SlidingWindow({ maxConcurrency: override });
		if (override > 1) warnings.push(`--concurrency ${override} has no effect on ${def.name ?? 'this eval'}: it is synchronous and runs one sample at a time`);
		return new Sequential();
	}
	return (def.async && def.concurrency) || new Sequential();
}
