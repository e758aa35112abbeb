/**
 * The executor's side of `doteval/models`: each sample runs inside its async context (core/sampleScope.ts), so the
 * fetch drop-in and the AI SDK middleware can add their figures to it; at the end the figures
 * become the sample's `models` record and `timing.budgetMs`/`judgeMs`, and two outcomes override
 * whatever the eval did: a `--cache replay` miss fails the sample (not retried), an exhausted quota
 * fails it and stops the run.
 */
import type { SampleError, SampleModelUsage } from '../protocol/events.js';
import { newSampleStats, type SampleModelStats } from '../models/stats.js';

export { newSampleStats, type SampleModelStats };

/** Budget and judge time so far: an attempt's latency is its time minus what these grew by. */
export const nonTaskMs = (s: SampleModelStats): number => s.budgetMs + s.judgeMs;

/** The error a model outcome imposes on the sample, if any; `fatal` when the run must stop. */
export function modelOutcomeError(s: SampleModelStats): { error: SampleError; fatal: boolean } | undefined {
	if (s.quotaExhausted) return { error: { type: 'QuotaExhaustedError', message: s.quotaExhausted }, fatal: true };
	if (s.cacheMiss) return { error: { type: 'CacheMissError', message: s.cacheMiss }, fatal: false };
	return undefined;
}

export function modelUsageOf(s: SampleModelStats): SampleModelUsage | undefined {
	if (s.calls === 0) return undefined;
	const usage: SampleModelUsage = { calls: s.calls, cacheHits: s.cacheHits, inputTokens: s.inputTokens, outputTokens: s.outputTokens, costUsd: s.costUsd };
	if (s.unpricedModels.length > 0) usage.unpricedModels = [...s.unpricedModels];
	return usage;
}
