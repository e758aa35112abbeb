/**
 * Pure data shaping for the results panel, shared by the host (sample → row view) and the webview
 * (which rows and pages are visible). No `vscode`, no DOM, no Node APIs: both bundles import it.
 */
import type { EvaluationInfo, SampleInfo } from '../../../runtime/src/store/types.js';
import type { ResultsHeader, SampleDetailView, SampleRowView, SampleStatus } from './messages.js';

/** Characters of a cell preview; the detail view shows everything. */
export const PREVIEW_CHARS = 160;

export function sampleStatus(sample: Pick<SampleInfo, 'error' | 'passed'>): SampleStatus {
	if (sample.error) return 'error';
	if (sample.passed === true) return 'passed';
	if (sample.passed === false) return 'failed';
	return 'unscored';
}

/** One line, whitespace collapsed, cut at `max` characters with an ellipsis. */
export function preview(value: unknown, max = PREVIEW_CHARS): string {
	const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : (JSON.stringify(value) ?? String(value));
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** `text: This movie…, expected: positive` — the row's columns in their own order. */
export function rowPreview(row: Record<string, unknown>, max = PREVIEW_CHARS): string {
	return preview(
		Object.entries(row)
			.map(([key, value]) => `${key}: ${preview(value, max)}`)
			.join(', '),
		max,
	);
}

export function formatScoreValue(value: unknown): string {
	if (value === true) return '✓';
	if (value === false) return '✗';
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
	return preview(value, 40);
}

/**
 * `exactMatch ✓`; a failed score whose metadata names what was compared (as exactMatch does with
 * `result` and `expected`) says so: `exactMatch ✗ (positive ≠ neutral)`, so the failed filter reads
 * like a diff even when the eval stores no model response.
 */
export function scoresPreview(scores: SampleInfo['scores']): string {
	return preview(
		scores
			.map((score) => {
				const got = score.metadata?.result;
				const expected = score.metadata?.expected;
				const diff = score.passed === false && got !== undefined && expected !== undefined ? ` (${preview(got, 40)} ≠ ${preview(expected, 40)})` : '';
				return `${score.name} ${formatScoreValue(score.value)}${diff}`;
			})
			.join(', '),
	);
}

/**
 * What the evaluator compared when the eval did not set `modelResponse`: the first score's `result`
 * (or `actual`, `output`) from its metadata, as exactMatch records it. Undefined when none names one.
 */
export function evaluatedValue(scores: SampleInfo['scores']): unknown {
	for (const score of scores) {
		const meta = score.metadata ?? {};
		const key = ['result', 'actual', 'output'].find((k) => k in meta && meta[k] !== undefined && meta[k] !== null);
		if (key) return meta[key];
	}
	return undefined;
}

/** One sample of an evaluation: its row index and trial (rows × trials samples when trials run). */
export function sampleKey(index: number, trial: number | undefined): string {
	return `${index}/${trial ?? 0}`;
}

/** The table's columns: a trial column after `#` when the evaluation runs each row more than once. */
export function resultsColumns(trials: number | undefined): string[] {
	const columns = ['#', 'status', 'row', 'model response', 'scores', 'latency'];
	if (trials !== undefined && trials > 1) columns.splice(1, 0, 'trial');
	return columns;
}

/** A trial cell: `t0`, `t1`, … (as `doteval show --full` names them: `#3/t1`). */
export function trialLabel(trial: number | undefined): string {
	return `t${trial ?? 0}`;
}

/** The detail's heading: `Sample 3`, or `Sample 3 · trial 1` when the evaluation runs trials. */
export function sampleTitle(index: number, trial: number | undefined, trials: number | undefined): string {
	return trials !== undefined && trials > 1 ? `Sample ${index} · trial ${trial ?? 0}` : `Sample ${index}`;
}

export function toRowView(sample: SampleInfo): SampleRowView {
	return {
		index: sample.index,
		...(sample.trial ? { trial: sample.trial } : {}),
		status: sampleStatus(sample),
		rowPreview: rowPreview(sample.row),
		responsePreview:
			sample.error && sample.modelResponse === null
				? preview(`${sample.error.type}: ${sample.error.message}`)
				: preview(sample.modelResponse ?? evaluatedValue(sample.scores) ?? ''),
		scoresPreview: scoresPreview(sample.scores),
		latencyMs: sample.timing.latencyMs,
	};
}

export function toDetailView(sample: SampleInfo): SampleDetailView {
	return {
		index: sample.index,
		...(sample.trial ? { trial: sample.trial } : {}),
		status: sampleStatus(sample),
		row: sample.row,
		prompt: sample.prompt,
		modelResponse: sample.modelResponse,
		scores: sample.scores,
		error: sample.error,
		attempts: sample.attempts,
		timing: sample.timing,
		output: sample.output ? plainOutput(sample.output) : null,
	};
}

/**
 * A sample's printed output as plain text for the page: terminal escapes (colours, cursor moves) and
 * control characters other than newline and tab removed, carriage-return line ends made plain.
 */
export function plainOutput(text: string): string {
	return text
		.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '')
		.replace(/\r\n/g, '\n')
		.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export function toResultsHeader(evaluation: EvaluationInfo): ResultsHeader {
	const { summary } = evaluation;
	return {
		experiment: evaluation.experiment,
		evalId: evaluation.evalId,
		name: evaluation.name,
		status: evaluation.status,
		completed: summary.completed,
		errors: summary.errors,
		metricsLine: summary.metrics.map((m) => `${m.score} ${m.metric} ${m.value.toFixed(3)}`).join(' · '),
		usageLine: usageLine(summary),
		...(summary.trials && summary.trials.k > 1 ? { trials: summary.trials.k } : {}),
	};
}

/** Tokens and cost of the model calls, and pass@k / pass^k / unstable rows of trials, for the header. */
export function usageLine(summary: EvaluationInfo['summary']): string {
	const parts: string[] = [];
	const m = summary.models;
	if (m) {
		parts.push(`${(m.inputTokens + m.outputTokens).toLocaleString('en-US')} tokens`);
		parts.push(m.costUsd === null ? 'cost unknown' : m.costUsd >= 0.01 ? `$${m.costUsd.toFixed(2)}` : `$${m.costUsd.toPrecision(2)}`);
		if (m.cacheHits > 0) parts.push(`${m.cacheHits.toLocaleString('en-US')} cache hits`);
	}
	const t = summary.trials;
	if (t) {
		const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
		parts.push(
			`pass@${t.k} ${pct(t.passAtK)}`,
			`pass^${t.k} ${pct(t.passHatK)}`,
			`${t.unstable} unstable row${t.unstable === 1 ? '' : 's'}${t.unstable ? ` (#${t.unstableIndexes.slice(0, 5).join(', #')}${t.unstable > 5 ? ', …' : ''})` : ''}`,
		);
	}
	return parts.join(' · ');
}

/** Rows [start, end) to render for a scroll position, with `overscan` extra rows on each side. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 10): { start: number; end: number } {
	if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
	const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
	const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
	const start = Math.min(total, Math.max(0, first - overscan));
	const end = Math.min(total, last + overscan);
	return { start, end: Math.max(start, end) };
}

/** Page numbers (page p covers [p·pageSize, (p+1)·pageSize)) that rows [start, end) touch. */
export function pagesForRange(start: number, end: number, pageSize: number): number[] {
	if (end <= start || pageSize <= 0) return [];
	const pages: number[] = [];
	for (let page = Math.floor(start / pageSize); page * pageSize < end; page++) pages.push(page);
	return pages;
}

/**
 * Pages to drop from a cache holding `cached` once `keep` are needed: farthest from the visible
 * pages first, so scrolling back a little stays instant while memory stays bounded.
 */
export function pagesToEvict(cached: number[], keep: number[], maxPages: number): number[] {
	if (cached.length <= maxPages) return [];
	const center = keep.length ? (keep[0] + keep[keep.length - 1]) / 2 : 0;
	const keepSet = new Set(keep);
	const candidates = cached.filter((p) => !keepSet.has(p)).sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
	return candidates.slice(0, cached.length - maxPages);
}

/** What an empty table says instead of showing nothing: `No failed samples.`, `No samples match "x".` */
export function emptyStateText(filter: 'all' | 'failed' | 'errored', search: string, rowCount: number): string | undefined {
	if (rowCount > 0) return undefined;
	const which = filter === 'all' ? '' : `${filter} `;
	if (search) return `No ${which}samples match "${search}".`;
	return filter === 'all' ? 'No samples stored for this evaluation yet.' : `No ${which}samples.`;
}
