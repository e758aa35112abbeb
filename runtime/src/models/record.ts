/** Adding one answered call to the current sample's figures (tokens, cost, cache hits). */
import { currentSample, type SampleModelStats } from './context.js';
import { costOf, type PriceTable } from './prices.js';
import type { ResponseFacts } from './usage.js';

export function recordCall(
	facts: ResponseFacts,
	options: { cacheHit: boolean; requestModel?: string; prices?: PriceTable },
	sample: SampleModelStats | undefined = currentSample(),
): void {
	if (!sample) return;
	sample.calls++;
	// A cache hit costs nothing and used no tokens this run: keep it out of tokens and cost.
	if (options.cacheHit) {
		sample.cacheHits++;
		return;
	}
	const usage = facts.usage;
	if (!usage) return;
	sample.inputTokens += usage.input;
	sample.outputTokens += usage.output;
	const model = facts.model ?? options.requestModel;
	const cost = model === undefined ? undefined : costOf(model, usage.input, usage.output, options.prices);
	if (cost === undefined) {
		sample.costUsd = null;
		const name = model ?? '(unnamed model)';
		if (!sample.unpricedModels.includes(name)) sample.unpricedModels.push(name);
	} else if (sample.costUsd !== null) sample.costUsd += cost;
}
