/**
 * Follows one `doteval run --reporter jsonl` stream and says what the UI must do, event by event.
 * Pure: RunEvents in, plain `UiAction`s and a progress snapshot out; no `vscode` import, so the whole
 * event → test state mapping is unit-tested without an editor.
 */
import { emptySummaryOf, protocolVersion, type EvalStatus, type EvalSummary, type RunEvent, type StrategyInfo } from '../../../runtime/src/protocol/events.js';
import { sampleLabel } from './treeModel';
import { sampleOutcome, type SampleOutcome } from './sampleOutcome';
import { parseEvalId } from '../../../runtime/src/contracts/evalId.js';
import type { FrameFilter } from './stackFrames';

export interface EvalRef {
	evalId: string;
	name: string;
	/** Absolute path of the eval's file. */
	file: string;
	line: number | null;
}

export type UiAction =
	| { kind: 'run-started'; experiment: string; storage: string; runtimeVersion: string }
	| { kind: 'eval-started'; eval: EvalRef; total: number | null; alreadyDone: number }
	/** `label`: the sample's label from its row, when the event carries the row (its first attempt). */
	| { kind: 'sample-started'; eval: EvalRef; index: number; label?: string }
	| { kind: 'sample-ended'; eval: EvalRef; index: number; label: string; outcome: SampleOutcome }
	/** `notRun`: planned samples this run never finished (an interrupted run), by index. */
	| { kind: 'eval-ended'; eval: EvalRef; status: EvalStatus; summary: EvalSummary; samplesFailed: number; samplesErrored: number; notRun: number[] }
	| { kind: 'load-error'; file: string; message: string; line?: number; column?: number }
	| { kind: 'run-ended'; status: 'completed' | 'interrupted' | 'failed'; exitCode: number; resumeCommand?: string };

export interface RunProgress {
	experiment: string | null;
	/** Samples finished in this run, and the total to do (null while unknown). */
	done: number;
	total: number | null;
	passed: number;
	/** Samples with a pass/fail verdict (errors count as not passed). */
	judged: number;
	errored: number;
}

/** A stream from a runtime whose protocol this extension does not speak. */
export class ProtocolVersionError extends Error {
	override name = 'ProtocolVersionError';
	constructor(readonly got: unknown) {
		super(
			`The doteval runtime speaks event protocol ${String(got)}, but this extension understands protocol ${protocolVersion}. ` +
				'Install a doteval runtime and extension of matching versions (or set "doteval.runtimePath").',
		);
	}
}

type EvalEntry = EvalRef & {
	failed: number;
	errored: number;
	ended: Set<number>;
	planned: number[] | null;
	/** From eval-start, to say what we can when the stream stops before eval-end. */
	total: number | null;
	alreadyDone: number;
	strategy: StrategyInfo | null;
	startedAt: number | null;
	closed: boolean;
};

export class RunTracker {
	private readonly evals = new Map<string, EvalEntry>();
	private started = false;
	private totals = new Map<string, number | null>();
	readonly progress: RunProgress = { experiment: null, done: 0, total: null, passed: 0, judged: 0, errored: 0 };

	/** `onlySamples`: the sample indexes the run was asked for (`--only-samples`), when it was. */
	/** `frames`: which stack frames of an errored sample are the user's (stackFrames.ts). */
	constructor(
		private readonly onlySamples?: readonly number[],
		private readonly frames: FrameFilter = {},
	) {}

	/** Maps one event; throws ProtocolVersionError when the first event announces another protocol. */
	accept(event: RunEvent): UiAction[] {
		if (!this.started && event.type !== 'run-start') {
			// A stream must begin with run-start; tolerate its absence but never map events twice.
			this.started = true;
		}
		switch (event.type) {
			case 'run-start': {
				if (event.protocolVersion !== protocolVersion) throw new ProtocolVersionError(event.protocolVersion);
				this.started = true;
				this.progress.experiment = event.experiment;
				return [{ kind: 'run-started', experiment: event.experiment, storage: event.storage, runtimeVersion: event.runtimeVersion }];
			}
			case 'eval-start': {
				const ref = { evalId: event.evalId, name: event.name, file: event.file, line: event.line };
				// Which samples this run means to finish: known for a fresh run (not a resume) of a sized dataset.
				const planned = this.onlySamples?.length
					? [...this.onlySamples]
					: event.total !== null && event.alreadyDone === 0
						? Array.from({ length: event.total }, (_, i) => i)
						: null;
				this.evals.set(event.evalId, {
					...ref,
					failed: 0,
					errored: 0,
					ended: new Set(),
					planned,
					total: event.total,
					alreadyDone: event.alreadyDone,
					strategy: event.strategy,
					startedAt: event.at,
					closed: false,
				});
				this.totals.set(event.evalId, event.total === null ? null : Math.max(0, event.total - event.alreadyDone));
				this.progress.total = [...this.totals.values()].some((t) => t === null) ? null : [...this.totals.values()].reduce<number>((a, b) => a + (b ?? 0), 0);
				return [{ kind: 'eval-started', eval: ref, total: event.total, alreadyDone: event.alreadyDone }];
			}
			case 'sample-start': {
				const ref = this.ref(event.evalId);
				return [{ kind: 'sample-started', eval: ref, index: event.index, ...(event.row ? { label: sampleLabel(event.index, event.row) } : {}) }];
			}
			case 'sample-end': {
				const entry = this.entry(event.evalId);
				const outcome = sampleOutcome(event, this.frames);
				this.progress.done++;
				if (outcome.state === 'errored') {
					this.progress.errored++;
					entry.errored++;
				}
				if (outcome.state === 'failed') entry.failed++;
				entry.ended.add(event.index);
				if (event.passed !== null || event.error) this.progress.judged++;
				if (outcome.state === 'passed' && event.passed === true) this.progress.passed++;
				return [{ kind: 'sample-ended', eval: this.ref(event.evalId), index: event.index, label: sampleLabel(event.index, event.row), outcome }];
			}
			case 'eval-end': {
				const entry = this.entry(event.evalId);
				entry.closed = true;
				const notRun = event.status === 'interrupted' ? (entry.planned ?? []).filter((i) => !entry.ended.has(i)) : [];
				return [
					{
						kind: 'eval-ended',
						eval: this.ref(event.evalId),
						status: event.status,
						summary: event.summary,
						samplesFailed: entry.failed,
						samplesErrored: entry.errored,
						notRun,
					},
				];
			}
			case 'load-error':
				return [{ kind: 'load-error', file: event.file, message: event.message, line: event.line, column: event.column }];
			case 'run-end':
				return [{ kind: 'run-ended', status: event.status, exitCode: event.exitCode, resumeCommand: event.resumeCommand }];
			default:
				// An event type added later without a protocol bump is optional by the compatibility rule.
				return [];
		}
	}

	/**
	 * The CLI exited, and its stream ends here. An eval whose eval-end never came (the process was
	 * killed: a cancel whose in-flight samples outlived the grace period, a crash, an OOM) ended
	 * interrupted with what the stream showed: its finished samples, and the planned rest not run.
	 * Without this its row would stay "running" and then read as whatever its finished samples were.
	 */
	processEnded(now = Date.now()): UiAction[] {
		const actions: UiAction[] = [];
		for (const entry of this.evals.values()) {
			if (entry.closed) continue;
			entry.closed = true;
			const summary: EvalSummary = {
				...emptySummaryOf(entry.strategy ?? { name: 'unknown' }, entry.total),
				completed: entry.alreadyDone + entry.ended.size,
				errors: entry.errored,
				wallMs: entry.startedAt === null ? 0 : Math.max(0, now - entry.startedAt),
			};
			const notRun = (entry.planned ?? []).filter((i) => !entry.ended.has(i));
			actions.push({
				kind: 'eval-ended',
				eval: this.ref(entry.evalId),
				status: 'interrupted',
				summary,
				samplesFailed: entry.failed,
				samplesErrored: entry.errored,
				notRun,
			});
		}
		return actions;
	}

	/** Live accuracy over the samples judged so far, or null before the first verdict. */
	accuracy(): number | null {
		return this.progress.judged === 0 ? null : this.progress.passed / this.progress.judged;
	}

	private entry(evalId: string): EvalEntry {
		let entry = this.evals.get(evalId);
		if (!entry) {
			// sample events for an eval whose eval-start we never saw: derive what we can from the id.
			const { name, file } = parseEvalId(evalId);
			entry = {
				evalId,
				name,
				file,
				line: null,
				failed: 0,
				errored: 0,
				ended: new Set(),
				planned: null,
				total: null,
				alreadyDone: 0,
				strategy: null,
				startedAt: null,
				closed: false,
			};
			this.evals.set(evalId, entry);
		}
		return entry;
	}

	private ref(evalId: string): EvalRef {
		const { evalId: id, name, file, line } = this.entry(evalId);
		return { evalId: id, name, file, line };
	}
}
