/** The text of one stored evaluation for `doteval show`: metrics, errors, timing; and sample lines. */
import type { MetricSummary } from '../../protocol/events.js';
import type { EvaluationInfo, SampleInfo } from '../../store/index.js';
import { formatStrategy } from '../../reporters/prettyFormat.js';
import { formatDuration } from '../../contracts/format.js';
import { formatTable } from './table.js';
import { formatModelSummary, formatSampleModels } from './models.js';
import { formatTrialsSummary } from './trials.js';
import { clip, oneLine, statusText, type Style } from './style.js';
import { printable } from './printable.js';

const fixed = (n: number): string => n.toFixed(3);
const interval = (m: MetricSummary): string => (m.ci95 ? `[${fixed(m.ci95[0])}, ${fixed(m.ci95[1])}]` : '—');

export function formatEvaluation(e: EvaluationInfo, style: Style): string {
	const s = e.summary;
	const out: string[] = [`${style.bold(printable(e.evalId))}  ${statusText(style, e.status)}`];
	const total = s.total !== null ? ` of ${s.total}` : '';
	out.push(`  Samples   ${s.completed}${total} stored, ${s.errors} error${s.errors === 1 ? '' : 's'}`);
	if (s.metrics.length) {
		const anyErrors = s.errors > 0;
		const rows = [['Score', 'Metric', 'Value', '95% CI', ...(anyErrors ? ['Excluding errors'] : [])].map(style.dim)];
		for (const m of s.metrics) {
			rows.push([
				printable(m.score),
				printable(m.metric),
				fixed(m.value),
				interval(m),
				...(anyErrors ? [m.valueExcludingErrors === undefined ? '—' : fixed(m.valueExcludingErrors)] : []),
			]);
		}
		out.push(formatTable(rows, { indent: '    ', right: [2] }).trimEnd());
	} else {
		out.push('  Metrics   none (no sample has a score yet)');
	}
	if (s.errors > 0) {
		const byType = Object.entries(s.errorsByType)
			.sort((a, b) => b[1] - a[1])
			.map(([type, n]) => `${printable(type)} ${n}`)
			.join(', ');
		const pct = s.completed ? ` (${((100 * s.errors) / s.completed).toFixed(1)}%)` : '';
		out.push(`  Errors    ${style.red(`${s.errors}/${s.completed}`)}${pct}: ${byType}`);
	} else {
		out.push(`  Errors    0/${s.completed}`);
	}
	const l = s.latency;
	out.push(
		`  Timing    wall ${formatDuration(s.wallMs)} · ${s.samplesPerSecond.toFixed(2)} samples/s` +
			(l ? ` · latency p50 ${formatDuration(l.p50)}, p90 ${formatDuration(l.p90)}, p99 ${formatDuration(l.p99)}` : ''),
	);
	out.push(
		`            concurrency ${formatStrategy(s.strategy)}, max in flight ${s.maxInFlight} · ` +
			`speedup ${s.speedup.toFixed(2)}× over one at a time (sum of latencies / wall)`,
	);
	if (s.retries > 0) out.push(`            retries ${s.retries}, back-off ${formatDuration(s.backoffMs)}`);
	if (s.models) out.push(...formatModelSummary(s.models));
	if (s.trials) out.push(...formatTrialsSummary(s.trials));
	return out.join('\n') + '\n';
}

/** One line per sample: index, outcome, scores, latency, row (and the error when there is one). */
export function formatSampleLine(sample: SampleInfo, style: Style): string {
	const outcome = sample.error ? style.red('error') : sample.passed === true ? style.green('pass ') : sample.passed === false ? style.red('fail ') : 'done ';
	const scores = sample.scores.map((sc) => `${printable(sc.name)}=${oneLine(sc.value, 40)}`).join(' ');
	const id = `#${sample.index}${sample.trial ? `/t${sample.trial}` : ''}`;
	const parts = [`    ${id.padEnd(6)} ${outcome}`];
	if (scores) parts.push(scores);
	parts.push(formatDuration(sample.timing.latencyMs));
	if (sample.attempts > 1) parts.push(`${sample.attempts} attempts`);
	if (sample.models) parts.push(formatSampleModels(sample.models));
	parts.push(`row ${oneLine(sample.row, 100)}`);
	if (sample.modelResponse !== null) parts.push(`response ${oneLine(sample.modelResponse, 60)}`);
	if (sample.error) parts.push(style.red(`${clip(sample.error.type, 60)}: ${clip(sample.error.message, 160)}`));
	return parts.join('  ');
}
