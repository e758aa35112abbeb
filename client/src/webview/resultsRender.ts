/**
 * Renderers of the results panel: a table row, the detail of one sample, the header. Everything
 * from a sample becomes a text node through `h()`; nothing here touches HTML parsing.
 */
import type { ResultsHeader, SampleDetailView, SampleRowView, SampleStatus } from '../panels/messages.js';
import { formatScoreValue, resultsColumns, sampleTitle, trialLabel } from '../panels/resultsData.js';
import { h, type DocumentLike, type ElementLike } from './dom.js';
import { formatDuration } from '../../../runtime/src/contracts/format.js';

const statusLabel: Record<SampleStatus, string> = { passed: 'passed', failed: 'failed', error: 'error', unscored: '—' };

export function renderStatusBadge<E extends ElementLike>(doc: DocumentLike<E>, status: SampleStatus): E {
	return h(doc, 'span', { class: `badge badge-${status}`, 'data-status': status }, statusLabel[status]);
}

/** One table row at `position` of the current query (with a trial cell when `trials` > 1); a placeholder while its page loads. */
export function renderRow<E extends ElementLike>(
	doc: DocumentLike<E>,
	row: SampleRowView | undefined,
	position: number,
	selected: boolean,
	trials?: number,
): E {
	if (!row) {
		return h(
			doc,
			'div',
			{ class: 'results-row loading', role: 'row', 'data-position': position },
			h(doc, 'span', { class: 'cell cell-index' }, position + 1),
			h(doc, 'span', { class: 'cell cell-loading' }, 'loading…'),
		);
	}
	return h(
		doc,
		'div',
		{
			class: selected ? 'results-row selected' : 'results-row',
			role: 'row',
			'aria-selected': selected ? 'true' : 'false',
			'data-index': row.index,
			'data-trial': row.trial ?? 0,
			'data-position': position,
			'data-status': row.status,
		},
		h(doc, 'span', { class: 'cell cell-index', role: 'cell' }, row.index),
		trials !== undefined && trials > 1 ? h(doc, 'span', { class: 'cell cell-trial', role: 'cell' }, trialLabel(row.trial)) : null,
		h(doc, 'span', { class: 'cell cell-status', role: 'cell' }, renderStatusBadge(doc, row.status)),
		h(doc, 'span', { class: 'cell cell-row', role: 'cell', title: row.rowPreview }, row.rowPreview),
		h(doc, 'span', { class: 'cell cell-response', role: 'cell', title: row.responsePreview }, row.responsePreview),
		h(doc, 'span', { class: 'cell cell-scores', role: 'cell' }, row.scoresPreview),
		h(doc, 'span', { class: 'cell cell-latency', role: 'cell' }, formatDuration(row.latencyMs)),
	);
}

export function renderColumnHeader<E extends ElementLike>(doc: DocumentLike<E>, trials?: number): E {
	return h(
		doc,
		'div',
		{ class: 'results-row results-head', role: 'row' },
		...resultsColumns(trials).map((name) => h(doc, 'span', { class: 'cell', role: 'columnheader' }, name)),
	);
}

export function renderHeader<E extends ElementLike>(doc: DocumentLike<E>, header: ResultsHeader): E {
	return h(
		doc,
		'header',
		{ class: 'panel-header', 'data-experiment': header.experiment, 'data-eval-id': header.evalId },
		h(doc, 'h1', {}, header.name),
		h(doc, 'span', { class: 'muted' }, `${header.experiment} · ${header.status} · ${header.completed} samples · ${header.errors} errors`),
		header.metricsLine ? h(doc, 'span', { class: 'metrics' }, header.metricsLine) : null,
		header.usageLine ? h(doc, 'span', { class: 'usage' }, header.usageLine) : null,
	);
}

function section<E extends ElementLike>(doc: DocumentLike<E>, field: string, title: string, body: E | string): E {
	return h(
		doc,
		'section',
		{ class: 'detail-section', 'data-field': field },
		h(doc, 'h3', {}, title),
		typeof body === 'string' ? h(doc, 'pre', {}, body) : body,
	);
}

/** The detail of one sample: the row, prompt, model response, scores, error, what it printed, attempts and timing. */
export function renderDetail<E extends ElementLike>(doc: DocumentLike<E>, sample: SampleDetailView, trials?: number): E {
	const { timing } = sample;
	const scores = h(
		doc,
		'table',
		{ class: 'scores' },
		h(
			doc,
			'tr',
			{},
			h(doc, 'th', {}, 'score'),
			h(doc, 'th', {}, 'value'),
			h(doc, 'th', {}, 'passed'),
			h(doc, 'th', {}, 'metrics'),
			h(doc, 'th', {}, 'metadata'),
		),
		...sample.scores.map((score) =>
			h(
				doc,
				'tr',
				{ 'data-score': score.name },
				h(doc, 'td', {}, score.name),
				h(doc, 'td', {}, formatScoreValue(score.value)),
				h(doc, 'td', {}, score.passed === null ? '—' : score.passed ? 'yes' : 'no'),
				h(doc, 'td', {}, score.metrics.join(', ')),
				h(doc, 'td', {}, score.metadata ? JSON.stringify(score.metadata) : ''),
			),
		),
	);
	const timingTable = h(
		doc,
		'table',
		{ class: 'timing' },
		...(
			[
				['queued', new Date(timing.queuedAt).toISOString()],
				['started', new Date(timing.startedAt).toISOString()],
				['finished', new Date(timing.finishedAt).toISOString()],
				['queue wait', formatDuration(timing.queueMs)],
				['back-off', formatDuration(timing.backoffMs)],
				['run time', formatDuration(timing.latencyMs)],
			] as const
		).map(([label, value]) => h(doc, 'tr', {}, h(doc, 'th', {}, label), h(doc, 'td', {}, value))),
	);
	return h(
		doc,
		'div',
		{ class: 'detail-body', 'data-index': sample.index, 'data-trial': sample.trial ?? 0, 'data-status': sample.status },
		h(doc, 'h2', {}, `${sampleTitle(sample.index, sample.trial, trials)} `, renderStatusBadge(doc, sample.status)),
		section(doc, 'row', 'Row', JSON.stringify(sample.row, null, 2)),
		section(doc, 'prompt', 'Prompt', sample.prompt ?? '(none)'),
		section(doc, 'modelResponse', 'Model response', sample.modelResponse ?? '(none)'),
		section(doc, 'scores', 'Scores', scores),
		sample.error
			? section(doc, 'error', 'Error', `${sample.error.type}: ${sample.error.message}${sample.error.stack ? `\n\n${sample.error.stack}` : ''}`)
			: null,
		section(doc, 'output', 'Output', sample.output ?? '(nothing printed)'),
		section(doc, 'attempts', 'Attempts', String(sample.attempts)),
		section(doc, 'timing', 'Timing', timingTable),
	);
}
