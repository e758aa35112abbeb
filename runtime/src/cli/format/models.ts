/** The model-call lines of `doteval show`: tokens, cost, cache hits, budget and judge time. */
import type { ModelUsageSummary, SampleModelUsage } from '../../protocol/events.js';
import { formatDuration } from '../../contracts/format.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatUsd(usd: number | null): string {
	if (usd === null) return 'cost unknown (a model has no price; see setPrices in docs/models.md)';
	return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

export function formatModelSummary(m: ModelUsageSummary): string[] {
	const lines = [`  Models    ${int(m.calls)} call${m.calls === 1 ? '' : 's'} (${int(m.cacheHits)} from cache) · tokens ${int(m.inputTokens)} in, ${int(m.outputTokens)} out · ${m.tokensPerSecond.toFixed(0)} tokens/s · ${formatUsd(m.costUsd)}`];
	const extra: string[] = [];
	if (m.cachedSamples > 0) extra.push(`${int(m.cachedSamples)} sample${m.cachedSamples === 1 ? '' : 's'} answered from the cache (not in latency, tokens or cost)`);
	if (m.budgetMs > 0) extra.push(`rate-limit wait ${formatDuration(m.budgetMs)} in all`);
	if (m.judgeMs > 0) extra.push(`judges ${formatDuration(m.judgeMs)}`);
	if (extra.length) lines.push(`            ${extra.join(' · ')}`);
	return lines;
}

export function formatSampleModels(m: SampleModelUsage): string {
	if (m.calls > 0 && m.cacheHits === m.calls) return 'cached';
	return `${int(m.inputTokens + m.outputTokens)} tokens${m.costUsd !== null && m.costUsd > 0 ? ` ${formatUsd(m.costUsd)}` : ''}`;
}
