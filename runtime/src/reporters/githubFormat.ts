/**
 * GitHub Actions output, as pure functions: workflow-command annotations (`::error file=…,line=…`)
 * at the eval's definition line for failed gates, evaluations that could not run, files that did
 * not load and errored samples; and the markdown job summary (metrics with intervals, timing,
 * gates, and the diff against the baseline) for $GITHUB_STEP_SUMMARY.
 */
import * as path from 'node:path';
import type { GateResult, MetricSummary } from '../protocol/events.js';
import { formatStrategy } from './prettyFormat.js';
import { formatDuration } from '../contracts/format.js';
import type { EvalRecord, RunRecord } from './collect.js';

// Control characters (a NUL in a model's output) would garble the log line: shown as U+FFFD.
const controlChars = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;

/** Workflow commands: data escapes %, CR and LF; properties also ':' and ','. */
export const escapeData = (text: string) => text.replace(controlChars, '\uFFFD').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

interface Location {
	file?: string;
	line?: number | null;
	col?: number;
}

function command(level: 'error' | 'warning' | 'notice', title: string, message: string, at: Location): string {
	const props = [
		...(at.file ? [`file=${escapeProperty(at.file)}`] : []),
		...(at.file && at.line ? [`line=${at.line}`] : []),
		...(at.file && at.line && at.col ? [`col=${at.col}`] : []),
		`title=${escapeProperty(title)}`,
	];
	return `::${level} ${props.join(',')}::${escapeData(message)}\n`;
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Errored samples annotated per evaluation; GitHub shows only the first few annotations of a step anyway. */
const erroredAnnotations = 5;

export function formatAnnotations(record: RunRecord, root: string): string {
	let out = '';
	for (const load of record.loadErrors) {
		out += command('error', 'doteval: could not load', load.message, { file: relative(root, load.file), line: load.line, col: load.column });
	}
	for (const ev of record.evals) {
		const at = { file: relative(root, ev.start.file), line: ev.start.line };
		const end = ev.end;
		if (end?.status === 'failed')
			out += command('error', `doteval: ${ev.start.evalId} could not run`, end.failure?.message ?? 'the evaluation could not run', at);
		for (const gate of end?.gates ?? []) {
			if (!gate.passed) out += command('error', `doteval gate failed: ${ev.start.evalId}`, gate.message, at);
		}
		for (const { index, error } of ev.errored.slice(0, erroredAnnotations)) {
			out += command('warning', `doteval: ${ev.start.evalId} sample #${index} errored`, `${error.type}: ${error.message}`, at);
		}
		const more = ev.erroredCount - Math.min(ev.errored.length, erroredAnnotations);
		if (more > 0)
			out += command(
				'warning',
				`doteval: ${ev.start.evalId}`,
				`${more} more errored sample${more === 1 ? '' : 's'} (doteval show ${record.start?.experiment ?? 'EXPERIMENT'} --errors)`,
				at,
			);
	}
	for (const gate of record.end?.gates ?? []) {
		if (!gate.passed) out += command('error', 'doteval gate failed', gate.message, {});
	}
	return out;
}

/** A table cell: no line breaks, no pipes, no HTML (GitHub renders HTML in summaries). */
export function cell(text: string): string {
	return text
		.replace(/\s*[\r\n]+\s*/g, ' ')
		.replace(controlChars, '\uFFFD')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/\|/g, '\\|');
}

const fixed = (n: number) => n.toFixed(3);
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(3)}`;
const interval = (m: MetricSummary) => (m.ci95 ? `[${fixed(m.ci95[0])}, ${fixed(m.ci95[1])}]` : '—');
const statusIcon = (status: string) => (status === 'completed' ? '✅' : status === 'failed' ? '❌' : '⏸️');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function metricsRows(ev: EvalRecord): string[] {
	const end = ev.end;
	const id = cell(ev.start.evalId);
	if (!end) return [`| ${id} | ⏸️ not finished | | | | | |`];
	const s = end.summary;
	const samples = `${s.completed}${s.total !== null ? `/${s.total}` : ''}`;
	const status = `${statusIcon(end.status)} ${end.status}`;
	if (s.metrics.length === 0) return [`| ${id} | ${status} | — | — | — | ${samples} | ${s.errors} |`];
	return s.metrics.map(
		(m, i) =>
			`| ${i === 0 ? id : ''} | ${i === 0 ? status : ''} | ${cell(`${m.score}.${m.metric}`)} | ${fixed(m.value)} | ${interval(m)} | ${i === 0 ? samples : ''} | ${i === 0 ? s.errors : ''} |`,
	);
}

function timingRow(ev: EvalRecord): string {
	const s = ev.end?.summary;
	if (!s) return `| ${cell(ev.start.evalId)} | — | — | — | — | — | — |`;
	const l = s.latency;
	return `| ${cell(ev.start.evalId)} | ${formatDuration(s.wallMs)} | ${s.samplesPerSecond.toFixed(2)} | ${l ? formatDuration(l.p50) : '—'} | ${l ? formatDuration(l.p95) : '—'} | ${cell(formatStrategy(s.strategy))} | ${s.speedup.toFixed(2)}× |`;
}

function gateRows(ev: EvalRecord): string[] {
	return (ev.end?.gates ?? [])
		.filter((g) => g.kind === 'threshold')
		.map((g) => `| ${cell(ev.start.evalId)} | ${g.passed ? '✅' : '❌'} | ${cell(g.message)} |`);
}

function baselineRow(evalId: string, g: GateResult): string {
	const p = g.mcnemarP === undefined || g.mcnemarP === null ? '—' : g.mcnemarP < 0.001 ? g.mcnemarP.toExponential(1) : g.mcnemarP.toFixed(3);
	if (g.delta === undefined) return `| ${cell(evalId)} | ${g.passed ? '✅' : '❌'} | — | — | — | — | — | ${cell(g.message)} |`;
	const ci = g.ci95 ? `[${signed(g.ci95[0])}, ${signed(g.ci95[1])}]` : '—';
	return `| ${cell(evalId)} | ${g.passed ? '✅' : '❌'} | ${cell(g.metric)} | ${fixed(g.baselineValue!)} | ${fixed(g.value!)} | ${signed(g.delta)} | ${ci} | ${p} |`;
}

export function formatJobSummary(record: RunRecord): string {
	const experiment = record.start?.experiment ?? '';
	const code_ = record.end?.exitCode;
	const verdict = code_ === undefined ? '' : code_ === 0 ? ' — ✅ passed' : ` — ❌ exit ${code_}`;
	const out = [`## doteval: experiment ${code(experiment)}${verdict}`, ''];
	for (const load of record.loadErrors)
		out.push(`> ❌ could not load ${code(load.file)}${load.line !== undefined ? ` (line ${load.line})` : ''}: ${cell(load.message)}`, '');
	if (record.evals.length) {
		out.push('| Eval | Status | Metric | Value | 95% CI | Samples | Errors |', '| --- | --- | --- | ---: | --- | ---: | ---: |');
		for (const ev of record.evals) out.push(...metricsRows(ev));
		out.push('', '### Timing', '', '| Eval | Wall | Samples/s | p50 | p95 | Concurrency | Speedup |', '| --- | ---: | ---: | ---: | ---: | --- | ---: |');
		for (const ev of record.evals) out.push(timingRow(ev));
	}
	const thresholds = record.evals.flatMap(gateRows);
	const runGates = (record.end?.gates ?? []).map((g) => `| (run) | ${g.passed ? '✅' : '❌'} | ${cell(g.message)} |`);
	if (thresholds.length || runGates.length) {
		out.push('', '### Gates', '', '| Eval | | Check |', '| --- | --- | --- |', ...thresholds, ...runGates);
	}
	const baseline = record.evals.flatMap((ev) => (ev.end?.gates ?? []).filter((g) => g.kind === 'baseline').map((g) => ({ ev, g })));
	if (baseline.length) {
		out.push(
			'',
			`### Against baseline ${code(baseline[0]!.g.baseline ?? '')}`,
			'',
			'| Eval | | Score | Baseline | Now | Δ | 95% CI of Δ | McNemar p |',
			'| --- | --- | --- | ---: | ---: | ---: | --- | ---: |',
		);
		for (const { ev, g } of baseline) out.push(baselineRow(ev.start.evalId, g));
	}
	const errored = record.evals.filter((ev) => ev.erroredCount > 0);
	if (errored.length) {
		out.push('', '### Errored samples', '');
		for (const ev of errored) {
			const list = ev.errored
				.slice(0, 10)
				.map(({ index, error }) => `#${index} ${error.type}`)
				.join(', ');
			out.push(`- ${cell(ev.start.evalId)}: ${ev.erroredCount} — ${cell(list)}${ev.erroredCount > 10 ? ', …' : ''}`);
		}
	}
	return out.join('\n') + '\n';
}
