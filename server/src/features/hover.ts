/** The hover on an eval: what discovery knows, and its last result in each experiment. */
import type { MarkupContent } from 'vscode-languageserver-types';
import type { EvalDefinition } from '../../../runtime/src/contracts/editorProtocol.js';
import { metricText, statusIcon } from './format';
import type { ResultView } from '../store/storeResults';
import { formatDuration } from '../../../runtime/src/contracts/format.js';

export function hoverMarkdown(e: EvalDefinition, results: readonly ResultView[]): MarkupContent {
	const lines = [`**${e.name}** · \`${e.id}\``, '', describe(e)];
	if (results.length === 0) {
		lines.push('', '_No results yet: run it with ▶ Run or `doteval run`._');
	} else {
		lines.push('', '| experiment | result | metrics | errors | wall | samples/s |', '|---|---|---|---|---|---|');
		for (const r of results) lines.push(row(r));
	}
	return { kind: 'markdown', value: lines.join('\n') };
}

function describe(e: EvalDefinition): string {
	const parts: string[] = [];
	if (e.dynamic) parts.push('made at run time (in a loop or a factory)');
	if (e.columns.length) parts.push(`columns: ${e.columns.map((c) => `\`${c}\``).join(', ')}`);
	if (e.dataset.kind === 'inline') parts.push(`dataset: ${e.dataset.length} inline rows`);
	if (e.dataset.kind === 'file') parts.push(`dataset: ${e.dataset.loader} \`${e.dataset.path}\``);
	const s = e.strategy;
	parts.push(s ? `${s.name}${s.maxConcurrency === undefined ? '' : `(${s.maxConcurrency})`}` : 'Sequential (default)');
	parts.push(e.async ? 'async' : 'sync');
	return parts.join(' · ');
}

function row(r: ResultView): string {
	const s = r.evaluation.summary;
	const total = s.total ?? s.completed;
	const done = r.passed === null ? `${s.completed}/${total} done` : `${r.passed}/${total} passed`;
	const metrics = s.metrics.length ? s.metrics.map(metricText).join('<br>') : '—';
	const errors =
		s.errors === 0
			? '0'
			: `${s.errors} (${Object.entries(s.errorsByType)
					.map(([t, n]) => `${t} ×${n}`)
					.join(', ')})`;
	return `| ${r.experiment} | ${statusIcon(r.evaluation, r.passed)} ${r.evaluation.status}, ${done} | ${metrics} | ${errors} | ${formatDuration(s.wallMs)} | ${s.samplesPerSecond.toFixed(2)} |`;
}
