/** Sums of the samples' model usage (`doteval/models`) for an evaluation's summary. */
import type { ModelUsageSummary, SampleEndEvent } from '../protocol/events.js';

type WithModels = Pick<SampleEndEvent, 'models' | 'timing'>;

/** True when every model call of the sample was answered by the response cache. */
export const answeredFromCache = (s: Pick<SampleEndEvent, 'models'>): boolean =>
	s.models !== undefined && s.models.calls > 0 && s.models.cacheHits === s.models.calls;

export class ModelUsageAccumulator {
	private any = false;
	private calls = 0;
	private cacheHits = 0;
	cachedSamples = 0;
	private inputTokens = 0;
	private outputTokens = 0;
	private costUsd: number | null = 0;
	private budgetMs = 0;
	private judgeMs = 0;

	add(s: WithModels): void {
		const m = s.models;
		if (!m) return;
		this.any = true;
		this.calls += m.calls;
		this.cacheHits += m.cacheHits;
		if (answeredFromCache(s)) this.cachedSamples++;
		this.inputTokens += m.inputTokens;
		this.outputTokens += m.outputTokens;
		this.costUsd = this.costUsd === null || m.costUsd === null ? null : this.costUsd + m.costUsd;
		this.budgetMs += s.timing?.budgetMs ?? 0;
		this.judgeMs += s.timing?.judgeMs ?? 0;
	}

	summary(wallMs: number): ModelUsageSummary | undefined {
		if (!this.any) return undefined;
		const tokens = this.inputTokens + this.outputTokens;
		return {
			calls: this.calls,
			cacheHits: this.cacheHits,
			cachedSamples: this.cachedSamples,
			inputTokens: this.inputTokens,
			outputTokens: this.outputTokens,
			costUsd: this.costUsd,
			tokensPerSecond: wallMs > 0 ? (tokens * 1000) / wallMs : 0,
			budgetMs: this.budgetMs,
			judgeMs: this.judgeMs,
		};
	}
}
