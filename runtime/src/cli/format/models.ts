/** The model-call lines of `doteval show`: tokens, cost, cache hits, budget and judge time. */
import type { ModelUsageSummary, SampleModelUsage } from '../../protocol/events.js';
import { formatDuration } from '../../contracts/format.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatUsd(usd: number | null): string {
	if (usd === null) return 'cost unknown (a model has no price; see setPrices in docs/models.md)';
	return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

export function formatModelSummary(m: ModelUsageSummary): string[] {
	const lines = [
		`  Models    ${int(m.calls)} call${m.calls === 1 ? '' : 's'} (${int(m.cacheHits)} from cache) · tokens ${int(m.inputTokens)} in, ${int(m.outputTokens)} out · ${m.tokensPerSecond.toFixed(0)} tokens/s · ${formatUsd(m.costUsd)}`,
	];
	const extra: string[] = [];
	if (m.cachedSamples > 0)
		extra.push(`${int(m.cachedSamples)} sample${m.cachedSamples === 1 ? '' : 's'} answered from the cache (not in latency, tokens or cost)`);
	if (m.budgetMs > 0) extra.push(`rate-limit wait ${formatDuration(m.budgetMs)} in all`);
	if (m.judgeMs > 0) extra.push(`judges ${formatDuration(m.judgeMs)}`);
	if (extra.length) lines.push(`            ${extra.join(' · ')}`);
	return lines;
}

export function formatSampleModels(m: SampleModelUsage): string {
	if (m.calls > 0 && m.cacheHits === m.calls) return 'cached';
	return `${int(m.inputTokens + m.outputTokens)} tokens${m.costUsd !== null && m.costUsd > 0 ? ` ${formatUsd(m.costUsd)}` : ''}`;
}

/** Calls, tokens and cost summed over evaluations (cost null once one is unknown). */
export function sumModelUsage(list: ReadonlyArray<ModelUsageSummary | null>): ModelUsageSummary | null {
	const present = list.filter((m): m is ModelUsageSummary => m !== null);
	if (!present.length) return null;
	const sum = (pick: (m: ModelUsageSummary) => number) => present.reduce((n, m) => n + pick(m), 0);
	return {
		calls: sum((m) => m.calls),
		cacheHits: sum((m) => m.cacheHits),
		cachedSamples: sum((m) => m.cachedSamples),
		inputTokens: sum((m) => m.inputTokens),
		outputTokens: sum((m) => m.outputTokens),
		costUsd: present.some((m) => m.costUsd === null) ? null : sum((m) => m.costUsd!),
		tokensPerSecond: 0,
		budgetMs: sum((m) => m.budgetMs),
		judgeMs: sum((m) => m.judgeMs),
	};
}

const signedInt = (n: number): string => (n > 0 ? `+${int(n)}` : n < 0 ? `−${int(-n)}` : '±0');
const signedUsd = (n: number): string => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${formatUsd(Math.abs(n))}`;
const usd = (m: ModelUsageSummary | null): string => (!m ? '—' : m.costUsd === null ? 'unknown' : formatUsd(m.costUsd));

/**
 * The model lines of `doteval diff`: calls, tokens and cost of A → B with B − A. A side without
 * model calls shows `—`; a cost one side cannot price shows `unknown` and no delta.
 */
export function formatModelsDiff(a: ModelUsageSummary | null, b: ModelUsageSummary | null, title = 'Models'): string[] {
	const line = (label: string, pick: (m: ModelUsageSummary) => number) => {
		const delta = a && b ? `  (${signedInt(pick(b) - pick(a))})` : '';
		return `    ${label.padEnd(11)} ${(a ? int(pick(a)) : '—').padStart(9)} → ${(b ? int(pick(b)) : '—').padStart(9)}${delta}`;
	};
	const costDelta = a?.costUsd != null && b?.costUsd != null ? `  (${signedUsd(b.costUsd - a.costUsd)})` : '';
	return [
		`  ${title}   A → B (B − A)`,
		line('calls', (m) => m.calls),
		line('from cache', (m) => m.cacheHits),
		line('tokens in', (m) => m.inputTokens),
		line('tokens out', (m) => m.outputTokens),
		`    ${'cost'.padEnd(11)} ${usd(a).padStart(9)} → ${usd(b).padStart(9)}${costDelta}`,
	];
}
