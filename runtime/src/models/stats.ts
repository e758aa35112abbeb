/**
 * A sample's model figures, which model calls add to (context.ts) and the executor records
 * (executor/modelCalls.ts). Apart from context.ts so that the executor can make them without
 * importing context.ts, whose import declares a reader of the sample scope (core/sampleScope.ts).
 */
/** The model usage of the sample that is running: calls, cache hits, tokens, cost, and its budget-wait and judge time. */
export interface SampleModelStats {
	/** 0-based trial of the sample (`--trials k` runs each sample k times). */
	trial: number;
	/** Model calls made (cache hits included), and how many of them the cache answered. */
	calls: number;
	cacheHits: number;
	inputTokens: number;
	outputTokens: number;
	/** USD; null once a call's model has no price (unknown is not zero). */
	costUsd: number | null;
	/** Models without a price, to name in the sample's note. */
	unpricedModels: string[];
	/** Time waiting for the provider's budget (pacing and server-asked pauses), ms. */
	budgetMs: number;
	/** Time inside LLM judges (their budget waits excluded), ms. */
	judgeMs: number;
	/** Set when a call met an exhausted quota: the run stops. */
	quotaExhausted?: string;
	/** Set when `--cache replay` found no cached response: the sample fails, it is not retried. */
	cacheMiss?: string;
	/** True while a judge's calls run (their time counts as judge time, not task time). */
	inJudge: boolean;
}

export function newSampleStats(trial = 0): SampleModelStats {
	return { trial, calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedModels: [], budgetMs: 0, judgeMs: 0, inJudge: false };
}
