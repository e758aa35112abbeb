/**
 * Text parts of the timing panel (stat cards, percentile table, comparison table), built with
 * `h()` only, so experiment and evaluation names are always text.
 */
import type { CompareView, TimingView } from '../panels/messages.js';
import { h, type DocumentLike, type ElementLike } from './dom.js';
import { deltaTone, formatDelta, formatValue } from './format.js';
import { formatDuration } from '../../../runtime/src/contracts/format.js';

function stat<E extends ElementLike>(doc: DocumentLike<E>, key: string, label: string, value: string): E {
	return h(doc, 'div', { class: 'stat', 'data-stat': key }, h(doc, 'span', { class: 'stat-value' }, value), h(doc, 'span', { class: 'stat-label' }, label));
}

export function renderStats<E extends ElementLike>(doc: DocumentLike<E>, view: TimingView): E {
	return h(
		doc,
		'div',
		{ id: 'timing-stats', class: 'stats' },
		stat(doc, 'wallMs', 'wall time', formatDuration(view.wallMs)),
		stat(doc, 'samplesPerSecond', 'samples / s', view.samplesPerSecond.toFixed(2)),
		stat(doc, 'speedup', 'speedup over sequential', `${view.speedup.toFixed(1)}×`),
		stat(doc, 'maxInFlight', 'max in flight', String(view.maxInFlight)),
		stat(doc, 'samples', 'samples', String(view.samples)),
		stat(doc, 'retries', 'retries', `${view.retries} (${formatDuration(view.backoffMs)} back-off)`),
		...(view.models ? modelStats(doc, view.models) : []),
	);
}

/** Model calls (doteval/models): tokens/s next to samples/s, tokens, cost, cache hits, budget and judge time. */
function modelStats<E extends ElementLike>(doc: DocumentLike<E>, m: NonNullable<TimingView['models']>): E[] {
	const cost = m.costUsd === null ? 'unknown' : m.costUsd >= 0.01 ? `$${m.costUsd.toFixed(2)}` : `$${m.costUsd.toPrecision(2)}`;
	return [
		stat(doc, 'tokensPerSecond', 'tokens / s', m.tokensPerSecond.toFixed(0)),
		stat(doc, 'tokens', 'tokens in / out', `${m.inputTokens} / ${m.outputTokens}`),
		stat(doc, 'costUsd', 'cost', cost),
		stat(doc, 'cacheHits', 'cache hits', `${m.cacheHits} of ${m.calls} calls`),
		stat(doc, 'budgetMs', 'rate-limit wait', formatDuration(m.budgetMs)),
		stat(doc, 'judgeMs', 'judge time', formatDuration(m.judgeMs)),
	];
}

export function renderPercentiles<E extends ElementLike>(doc: DocumentLike<E>, view: TimingView): E {
	const latency = view.latency;
	const rows: [string, number | undefined][] = [
		['mean', latency?.mean],
		['p50', latency?.p50],
		['p90', latency?.p90],
		['p95', latency?.p95],
		['p99', latency?.p99],
		['max', latency?.max],
	];
	return h(
		doc,
		'table',
		{ id: 'percentiles', class: 'percentiles' },
		...rows.map(([label, value]) =>
			h(doc, 'tr', { 'data-percentile': label }, h(doc, 'th', {}, label), h(doc, 'td', {}, value === undefined ? '–' : formatDuration(value))),
		),
	);
}

export function renderTimingHeader<E extends ElementLike>(doc: DocumentLike<E>, view: TimingView): E {
	return h(
		doc,
		'header',
		{ class: 'panel-header' },
		h(doc, 'h1', {}, `Timing of ${view.name}`),
		h(doc, 'span', { class: 'muted' }, `${view.experiment} · ${view.status} · strategy ${view.strategy}`),
	);
}

/** Metric rows × experiment columns; each non-baseline cell shows its delta from the baseline. */
export function renderCompareTable<E extends ElementLike>(doc: DocumentLike<E>, view: CompareView): E {
	const head = h(
		doc,
		'tr',
		{},
		h(doc, 'th', {}, ''),
		...view.experiments.map((experiment, i) =>
			h(
				doc,
				'th',
				{ 'data-experiment': experiment },
				experiment,
				i === 0 ? h(doc, 'span', { class: 'muted' }, ' (baseline)') : null,
				h(doc, 'div', { class: 'muted compare-evals' }, (view.evaluations[i] ?? []).join(', ') || '(no evaluations)'),
			),
		),
	);
	const body = view.rows.map((row) =>
		h(
			doc,
			'tr',
			{ 'data-row': row.label, 'data-kind': row.kind },
			h(doc, 'th', {}, row.label),
			...row.values.map((value, i) => {
				const delta = row.deltas[i];
				const tone = deltaTone(delta, row.better);
				return h(
					doc,
					'td',
					{ 'data-experiment': view.experiments[i] },
					formatValue(value, row.unit),
					delta !== null ? h(doc, 'span', { class: `delta delta-${tone}` }, ` ${formatDelta(delta, row.unit)}`) : null,
				);
			}),
		),
	);
	return h(doc, 'table', { id: 'compare-table', class: 'compare' }, h(doc, 'thead', {}, head), h(doc, 'tbody', {}, ...body));
}
