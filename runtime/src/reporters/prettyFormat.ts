/**
 * The pretty reporter's text, as pure functions (event data in, text out) so they are unit-tested
 * without a terminal.
 */
import { printable, printableLines } from '../cli/format/printable.js';
import type { EvalEndEvent, EvalStartEvent, LoadErrorEvent, MetricSummary, RunStartEvent, StrategyInfo } from '../protocol/events.js';
import { formatDuration } from '../contracts/format.js';

export function formatStrategy(strategy: StrategyInfo): string {
	if (strategy.name === 'Sequential' || strategy.maxConcurrency === undefined) return printable(strategy.name);
	return `${printable(strategy.name)}(maxConcurrency=${strategy.maxConcurrency})`;
}

export function formatMetric(m: MetricSummary): string {
	let text = `${printable(m.score)} ${printable(m.metric)} ${m.value.toFixed(3)}`;
	// The interval says more than the standard error (which is 0 at 0 % or 100 %): show it when known.
	if (m.ci95) text += `  [95% CI ${m.ci95[0].toFixed(3)}, ${m.ci95[1].toFixed(3)}]`;
	else if (m.stderr !== undefined) text += ` ± ${m.stderr.toFixed(3)}`;
	if (m.valueExcludingErrors !== undefined) text += `  (${m.valueExcludingErrors.toFixed(3)} excluding errors)`;
	return text;
}

export function formatRunStart(event: RunStartEvent): string {
	return `doteval ${printable(event.runtimeVersion)} · experiment ${printable(event.experiment)} · store ${printable(event.storage)}\n`;
}

/** The summary printed when an evaluation ends. */
export function formatEvalSummary(end: EvalEndEvent, start: EvalStartEvent | undefined): string {
	const s = end.summary;
	const mark = end.status === 'completed' ? '✓' : end.status === 'interrupted' ? '■' : '✗';
	const lines = [`${mark} ${printable(end.evalId)}  ${end.status}`];
	const label = (name: string) => `  ${name.padEnd(12)}`;
	for (const metric of s.metrics) lines.push(label('metric') + formatMetric(metric));
	const total = s.total !== null ? ` of ${s.total}` : '';
	lines.push(
		label('samples') +
			`${s.completed}${total} done, ${s.errors} error${s.errors === 1 ? '' : 's'}` +
			(start && start.alreadyDone > 0 ? ` (${start.alreadyDone} from earlier runs)` : ''),
	);
	const byType = Object.entries(s.errorsByType);
	if (byType.length) lines.push(label('errors') + byType.map(([type, n]) => `${printable(type)} ×${n}`).join(', '));
	const latency = s.latency ? ` · latency p50 ${formatDuration(s.latency.p50)}, p95 ${formatDuration(s.latency.p95)}` : '';
	lines.push(label('time') + `${formatDuration(s.wallMs)} wall · ${s.samplesPerSecond.toFixed(2)} samples/s${latency}`);
	let concurrency = `${formatStrategy(s.strategy)} · max in flight ${s.maxInFlight} · speedup ${s.speedup.toFixed(2)}×`;
	if (s.retries > 0) concurrency += ` · ${s.retries} retr${s.retries === 1 ? 'y' : 'ies'} (${formatDuration(s.backoffMs)} back-off)`;
	lines.push(label('concurrency') + concurrency);
	const t = s.trials;
	if (t) {
		const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
		lines.push(
			label('trials') +
				`${t.k} per row · pass@${t.k} ${pct(t.passAtK)} · pass^${t.k} ${pct(t.passHatK)} · ${t.unstable} unstable row${t.unstable === 1 ? '' : 's'}` +
				(t.unstable ? ` (#${t.unstableIndexes.slice(0, 10).join(', #')}${t.unstable > 10 ? ', …' : ''})` : ''),
		);
	}
	for (const gate of end.gates ?? []) lines.push(label(gate.passed ? 'gate ✓' : 'gate ✗') + gate.message);
	return lines.join('\n') + '\n';
}

export interface LiveProgress {
	/** The eval's name: short enough to leave room for the numbers on an 80-column terminal. */
	label: string;
	total: number | null;
	alreadyDone: number;
	doneNow: number;
	errors: number;
	passed: number;
	judged: number;
	startedMs: number;
	/** Workers sharing the experiment (`--workers-join`): what all of them have stored (eval-progress). */
	shared?: { stored: number; errors: number };
}

/** The live line of a running evaluation: done/total, errors, elapsed, ETA, live accuracy. */
export function formatLiveLine(progress: LiveProgress, nowMs: number): string {
	const elapsed = nowMs - progress.startedMs;
	const { shared } = progress;
	// The store may lag this worker's own count by its last batch: never show less than that.
	const done = Math.max(progress.alreadyDone + progress.doneNow, shared?.stored ?? 0);
	const errors = Math.max(progress.errors, shared?.errors ?? 0);
	const parts = [`${printable(progress.label)} ${progress.total !== null ? `${done}/${progress.total}` : `${done}`}`];
	parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
	if (shared) parts.push('all workers');
	if (progress.judged > 0) parts.push(`accuracy ${(progress.passed / progress.judged).toFixed(3)}`);
	parts.push(`elapsed ${formatDuration(elapsed)}`);
	const progressed = done - progress.alreadyDone;
	if (progress.total !== null && progressed > 0 && done < progress.total) {
		parts.push(`ETA ${formatDuration(((progress.total - done) * elapsed) / progressed)}`);
	}
	return parts.join(' · ');
}

export function formatLoadError(event: LoadErrorEvent): string {
	const where = event.line !== undefined ? `${event.file}:${event.line}:${event.column ?? 1}` : event.file;
	return `✗ could not load ${printable(where)}\n  ${printableLines(event.message).split('\n').join('\n  ')}\n`;
}
