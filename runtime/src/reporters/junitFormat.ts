/**
 * JUnit XML for CI (GitHub, GitLab, Jenkins): one testsuite per run, one testcase per evaluation.
 * A testcase fails (<failure>) when one of its quality gates fails and errors (<error>) when the
 * evaluation could not run; an interrupted one is <skipped>. Its metrics, timing, and the samples
 * that failed or errored go to <system-out>. So the JUnit verdict is the exit code's verdict:
 * scores and sample errors are data, gates are what fail. A file that failed to load is an
 * errored testcase too. The layout follows the common JUnit schema (Jenkins' junit-10.xsd), which
 * test/cli/fixtures/junit-10.xsd checks. Pure: record in, text out.
 */
import * as path from 'node:path';
import type { EvalSummary, GateResult } from '../protocol/events.js';
import { formatMetric, formatStrategy } from './prettyFormat.js';
import { formatDuration } from '../contracts/format.js';
import type { EvalRecord, RunRecord } from './collect.js';

// XML 1.0 allows tab, newline, carriage return and most of the BMP; anything else (NUL, other
// control characters, lone surrogates) is not escapable at all, so it is replaced.
const invalidXmlChars = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
	return text.replace(invalidXmlChars, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(text: string): string {
	return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function gateLines(gates: readonly GateResult[] | undefined): string[] {
	return (gates ?? []).map((g) => `${g.passed ? 'pass' : 'FAIL'}  ${g.message}`);
}

function summaryLines(s: EvalSummary): string[] {
	const lines = s.metrics.map((m) => `metric   ${formatMetric(m)}`);
	lines.push(`samples  ${s.completed}${s.total !== null ? ` of ${s.total}` : ''} done, ${s.errors} error${s.errors === 1 ? '' : 's'}`);
	const latency = s.latency ? ` · latency p50 ${formatDuration(s.latency.p50)}, p95 ${formatDuration(s.latency.p95)}` : '';
	lines.push(`time     ${formatDuration(s.wallMs)} wall · ${s.samplesPerSecond.toFixed(2)} samples/s${latency}`);
	lines.push(`strategy ${formatStrategy(s.strategy)} · max in flight ${s.maxInFlight} · speedup ${s.speedup.toFixed(2)}×`);
	return lines;
}

function sampleLines(ev: EvalRecord): string[] {
	const lines: string[] = [];
	if (ev.failedCount > 0) {
		const more = ev.failedCount - ev.failed.length;
		lines.push(`failed samples (${ev.failedCount}): ${ev.failed.map((i) => `#${i}`).join(' ')}${more > 0 ? ` … and ${more} more` : ''}`);
	}
	if (ev.erroredCount > 0) {
		lines.push(`errored samples (${ev.erroredCount}):`);
		for (const { index, error } of ev.errored) lines.push(`  #${index} ${error.type}: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
		const more = ev.erroredCount - ev.errored.length;
		if (more > 0) lines.push(`  … and ${more} more (doteval show EXPERIMENT --errors)`);
	}
	return lines;
}

function testcase(ev: EvalRecord, root: string): { xml: string; failure: boolean; error: boolean; skipped: boolean } {
	const { start, end } = ev;
	const classname = path.relative(root, start.file).split(path.sep).join('/') || start.file;
	const status = end?.status ?? 'interrupted';
	const failedGates = (end?.gates ?? []).filter((g) => !g.passed);
	const body: string[] = [];
	let failure = false;
	let error = false;
	let skipped = false;
	if (status === 'failed') {
		error = true;
		const message = end?.failure?.message ?? 'the evaluation could not run';
		body.push(`      <error message="${xmlAttr(message)}" type="EvalFailed">${xmlText(message)}</error>`);
	} else if (status !== 'completed') {
		skipped = true;
		body.push(`      <skipped message="${xmlAttr(`${status}: resume the experiment to finish it`)}"/>`);
	}
	if (failedGates.length > 0) {
		failure = true;
		const message =
			failedGates[0]!.message + (failedGates.length > 1 ? ` (and ${failedGates.length - 1} more failed gate${failedGates.length > 2 ? 's' : ''})` : '');
		body.push(`      <failure message="${xmlAttr(message)}" type="QualityGate">${xmlText(failedGates.map((g) => g.message).join('\n'))}</failure>`);
	}
	const out = [`${start.evalId}  ${status}`, ...(end ? summaryLines(end.summary) : []), ...gateLines(end?.gates), ...sampleLines(ev)];
	body.push(`      <system-out>${xmlText(out.join('\n'))}</system-out>`);
	const time = seconds(end?.summary.wallMs ?? 0);
	return {
		xml: `    <testcase name="${xmlAttr(start.name)}" classname="${xmlAttr(classname)}" time="${time}">\n${body.join('\n')}\n    </testcase>`,
		failure,
		error,
		skipped,
	};
}

export interface JunitOptions {
	/** Eval files are named relative to this folder (the project or the repository). */
	root: string;
	/** Epoch ms of the run's start, when there was no run-start event (a listing). */
	now?: number;
}

export function formatJunit(record: RunRecord, { root, now = Date.now() }: JunitOptions): string {
	const cases = record.evals.map((ev) => testcase(ev, root));
	for (const load of record.loadErrors) {
		const where = load.line !== undefined ? `${load.file}:${load.line}:${load.column ?? 1}` : load.file;
		const file = path.relative(root, load.file).split(path.sep).join('/') || load.file;
		cases.push({
			xml: `    <testcase name="(load)" classname="${xmlAttr(file)}" time="0.000">\n      <error message="${xmlAttr(`could not load ${where}: ${load.message}`)}" type="LoadError">${xmlText(load.message)}</error>\n    </testcase>`,
			failure: false,
			error: true,
			skipped: false,
		});
	}
	const runGates = (record.end?.gates ?? []).filter((g) => !g.passed);
	if (runGates.length > 0) {
		cases.push({
			xml: `    <testcase name="(run gates)" classname="doteval" time="0.000">\n      <failure message="${xmlAttr(runGates[0]!.message)}" type="QualityGate">${xmlText(runGates.map((g) => g.message).join('\n'))}</failure>\n    </testcase>`,
			failure: true,
			error: false,
			skipped: false,
		});
	}
	const tests = cases.length;
	const failures = cases.filter((c) => c.failure && !c.error).length;
	const errors = cases.filter((c) => c.error).length;
	const skipped = cases.filter((c) => c.skipped && !c.error && !c.failure).length;
	const startedAt = record.start?.at ?? now;
	const endedAt = record.end?.at ?? now;
	const time = seconds(endedAt - startedAt);
	const experiment = record.start?.experiment ?? '';
	const properties = [
		['experiment', experiment],
		['storage', record.start?.storage ?? ''],
		['runtimeVersion', record.start?.runtimeVersion ?? ''],
		...(record.end ? [['exitCode', String(record.end.exitCode)]] : []),
	];
	const timestamp = new Date(startedAt).toISOString().slice(0, 19);
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="doteval" tests="${tests}" failures="${failures}" errors="${errors}" time="${time}">`,
		`  <testsuite name="${xmlAttr(`doteval ${experiment}`.trim())}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${timestamp}">`,
		'    <properties>',
		...properties.map(([name, value]) => `      <property name="${xmlAttr(name!)}" value="${xmlAttr(value!)}"/>`),
		'    </properties>',
		...cases.map((c) => c.xml),
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}
