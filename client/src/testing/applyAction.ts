/** Applies the RunTracker's UI actions to a vscode.TestRun (the only place test states are set). */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { UiAction } from './runTracker';
import type { SampleOutcome } from './sampleOutcome';
import { terminalLine, terminalOutput, terminalText } from './terminalText';
import { evalNode } from './treeModel';
import { ensureEvalItem, ensureSampleItem } from './testItems';
import { formatDuration } from '../../../runtime/src/contracts/format.js';
import { runningDescription } from '../status/formatProgress';

/** Past this many sample items per eval the Test Explorer stops growing; the results panel shows all. */
export const maxSampleItems = 2000;

function evalItemFor(controller: vscode.TestController, ref: { evalId: string; name: string; file: string; line: number | null }): vscode.TestItem {
	const line = ref.line ? ref.line - 1 : 0;
	const range = { start: { line, character: 0 }, end: { line, character: 0 } };
	return ensureEvalItem(controller, evalNode({ id: ref.evalId, name: ref.name, file: ref.file, range, dynamic: false }), path.basename(ref.file));
}

export function reportOutcome(run: vscode.TestRun, item: vscode.TestItem, outcome: SampleOutcome): void {
	const messages = outcome.messages.map((m) => {
		const message = m.expected !== undefined && m.actual !== undefined ? vscode.TestMessage.diff(m.text, m.expected, m.actual) : new vscode.TestMessage(m.text);
		const thrown = m.frames?.[0];
		// An error points at the line that threw (its stack, source-mapped); a failed score at the eval.
		if (thrown) message.location = new vscode.Location(vscode.Uri.file(thrown.file), new vscode.Position(thrown.line - 1, thrown.column - 1));
		else if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
		if (m.frames?.length) {
			message.stackTrace = m.frames.map(
				(f) => new vscode.TestMessageStackFrame(f.label || '<anonymous>', vscode.Uri.file(f.file), new vscode.Position(f.line - 1, f.column - 1)),
			);
		}
		return message;
	});
	if (outcome.output) {
		// On the sample's item, so Test Results shows it when that sample is selected; at the eval's line.
		// The dim header names the sample in the whole run's output, where every sample's prints follow.
		const where = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
		run.appendOutput(`\u001b[2m── ${terminalLine(item.label)} ──\u001b[0m\r\n${terminalOutput(outcome.output)}`, where, item);
	}
	if (outcome.state === 'passed') run.passed(item, outcome.durationMs);
	else if (outcome.state === 'failed') run.failed(item, messages, outcome.durationMs);
	else run.errored(item, messages, outcome.durationMs);
}

export class ActionApplier {
	private readonly evalItems = new Map<string, vscode.TestItem>();
	private readonly capped = new Set<string>();
	/** Per running eval: samples this run finished, of how many (null: unknown), and the description it had. */
	private readonly progress = new Map<string, { done: number; total: number | null; before: string | undefined }>();

	/** Evals of a partial run that ended normally: their state is the experiment's whole evaluation (aggregateState.ts), set by the caller. */
	readonly deferred: { item: vscode.TestItem; evalId: string; wallMs: number }[] = [];

	/** `partial`: the run covers only some samples (`--only-samples`, `--samples`) of an experiment that may hold the rest. */
	constructor(
		private readonly controller: vscode.TestController,
		private readonly run: vscode.TestRun,
		private readonly log: (line: string) => void,
		private readonly partial = false,
	) {}

	apply(action: UiAction): void {
		switch (action.kind) {
			case 'run-started':
				this.run.appendOutput(`doteval: experiment ${action.experiment} (runtime ${action.runtimeVersion})\r\n`);
				return;
			case 'eval-started': {
				const item = evalItemFor(this.controller, action.eval);
				this.evalItems.set(action.eval.evalId, item);
				this.progress.set(action.eval.evalId, {
					done: 0,
					total: action.total === null ? null : Math.max(0, action.total - action.alreadyDone),
					before: item.description,
				});
				this.showProgress(action.eval.evalId);
				this.run.started(item);
				return;
			}
			case 'sample-started': {
				const item = this.sampleItem(action.eval, action.index, action.label);
				if (item) {
					item.description = ''; // not undefined: that would not reach the editor (a 'not run' would stay)
					this.run.started(item);
				}
				return;
			}
			case 'sample-ended': {
				const item = this.sampleItem(action.eval, action.index, action.label);
				if (item) reportOutcome(this.run, item, action.outcome);
				const progress = this.progress.get(action.eval.evalId);
				if (progress) progress.done++;
				this.showProgress(action.eval.evalId);
				return;
			}
			case 'eval-ended': {
				const item = this.evalItems.get(action.eval.evalId) ?? evalItemFor(this.controller, action.eval);
				const progress = this.progress.get(action.eval.evalId);
				// '' and not undefined: an undefined description is not sent to the editor, so "running 4/5" would stay.
				if (progress) item.description = progress.before ?? '';
				this.progress.delete(action.eval.evalId);
				const s = action.summary;
				const metrics = s.metrics.map((m) => `${m.metric} ${(m.value * 100).toFixed(1)} %`).join(', ');
				this.run.appendOutput(
					`${action.eval.name}: ${action.status}, ${s.completed}/${s.total ?? '?'} samples, ${s.errors} errors${metrics ? `, ${metrics}` : ''}, ${formatDuration(s.wallMs)}\r\n`,
				);
				if (action.status === 'failed') this.run.errored(item, new vscode.TestMessage(`${action.eval.name} could not run; see the doteval log.`), s.wallMs);
				else if (action.status === 'interrupted') this.interrupted(item, action);
				else if (this.partial) this.deferred.push({ item, evalId: action.eval.evalId, wallMs: s.wallMs });
				else if (action.samplesErrored > 0) this.run.errored(item, new vscode.TestMessage(`${action.samplesErrored} sample(s) errored`), s.wallMs);
				else if (action.samplesFailed > 0) this.run.failed(item, new vscode.TestMessage(`${action.samplesFailed} sample(s) failed`), s.wallMs);
				else this.run.passed(item, s.wallMs);
				return;
			}
			case 'load-error': {
				const where = `${action.file}${action.line !== undefined ? `:${action.line}:${action.column ?? 1}` : ''}`;
				const message = new vscode.TestMessage(`${where}: ${action.message}`);
				const uri = vscode.Uri.file(action.file);
				message.location = new vscode.Location(uri, new vscode.Position(Math.max(0, (action.line ?? 1) - 1), Math.max(0, (action.column ?? 1) - 1)));
				this.log(`load error: ${where}: ${action.message}`);
				this.run.appendOutput(terminalText(`load error: ${where}: ${action.message}\n`));
				for (const [, folder] of this.controller.items) {
					const fileItem = folder.children.get(`file:${action.file}`);
					if (fileItem) this.run.errored(fileItem, message);
				}
				return;
			}
			case 'run-ended':
				this.run.appendOutput(
					`doteval: run ${action.status} (exit ${action.exitCode})${action.resumeCommand ? `; resume with: ${action.resumeCommand}` : ''}\r\n`,
				);
				return;
		}
	}

	/**
	 * Not passed: VS Code shows a parent as the worst of its children, so a skipped eval whose finished
	 * samples passed would read as passed. The eval errors with what happened; unrun samples are skipped.
	 */
	private interrupted(item: vscode.TestItem, action: Extract<UiAction, { kind: 'eval-ended' }>): void {
		for (const index of action.notRun) {
			const sample = this.sampleItem(action.eval, index, undefined);
			if (!sample) continue;
			sample.description = 'not run';
			this.run.skipped(sample);
		}
		const s = action.summary;
		const notRun = action.notRun.length || (s.total === null ? 0 : Math.max(0, s.total - s.completed));
		const message =
			`${action.eval.name} was interrupted: ${s.completed} of ${s.total ?? '?'} samples ran${notRun ? `, ${notRun} not run` : ''}. ` +
			"The run's output shows the command that resumes it.";
		this.run.errored(item, new vscode.TestMessage(message), s.wallMs);
		this.run.appendOutput(terminalText(`${message}\n`));
	}

	/** The running eval's description: `running 3/8` (this run's samples done, of those it runs). */
	private showProgress(evalId: string): void {
		const item = this.evalItems.get(evalId);
		const progress = this.progress.get(evalId);
		if (item && progress) item.description = runningDescription(progress.done, progress.total);
	}

	private sampleItem(
		ref: { evalId: string; name: string; file: string; line: number | null },
		index: number,
		label: string | undefined,
	): vscode.TestItem | undefined {
		let evalItem = this.evalItems.get(ref.evalId);
		if (!evalItem) {
			evalItem = evalItemFor(this.controller, ref);
			this.evalItems.set(ref.evalId, evalItem);
		}
		if (evalItem.children.size >= maxSampleItems && !evalItem.children.get(`${evalItem.id}#${index}`)) {
			if (!this.capped.has(ref.evalId)) {
				this.capped.add(ref.evalId);
				this.log(`${ref.name}: more than ${maxSampleItems} samples; the Test Explorer shows the first ${maxSampleItems}, the results panel shows all`);
			}
			return undefined;
		}
		return ensureSampleItem(this.controller, evalItem, index, label);
	}
}
