/**
 * What a finished sample means for the Test Explorer: passed / failed / errored, the message to show
 * and its duration. Pure: a `sample-end` event (or a stored sample, same shape) in, plain data out.
 */
import type { SampleEndEvent, ScoreRecord } from '../../../runtime/src/protocol/events.js';
import { errorHeadline, parseStack, userFrames, type FrameFilter, type StackFrame } from './stackFrames';

export type SampleLike = Pick<SampleEndEvent, 'index' | 'row' | 'modelResponse' | 'scores' | 'error' | 'passed' | 'timing' | 'output'>;

export interface OutcomeMessage {
	text: string;
	/** Present for a failed comparison: VS Code shows them as a diff. */
	expected?: string;
	actual?: string;
	/** An errored sample: the user's frames of its stack, innermost first (the first is where it threw). */
	frames?: StackFrame[];
}

export interface SampleOutcome {
	state: 'passed' | 'failed' | 'errored';
	/** Time the eval function ran (summed over attempts, without queueing and back-off). */
	durationMs: number;
	messages: OutcomeMessage[];
	/** What the sample's own code printed (console.log, stdout/stderr writes), when it printed anything. */
	output?: string;
}

const show = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

/** Expected and actual of a failed score: from its metadata first, then the row and the model output. */
function comparison(score: ScoreRecord, sample: SampleLike): { expected?: string; actual?: string } {
	const meta = score.metadata ?? {};
	const expected = 'expected' in meta ? meta.expected : sample.row?.expected;
	// exactMatch(result, expected) records its arguments by name; other evaluators name them differently.
	const actualKey = ['result', 'actual', 'prediction', 'output', 'response', 'value'].find((k) => k in meta);
	const actual = actualKey !== undefined ? meta[actualKey] : sample.modelResponse;
	return {
		expected: expected === undefined ? undefined : show(expected),
		actual: actual === undefined || actual === null ? undefined : show(actual),
	};
}

function failureMessage(score: ScoreRecord, sample: SampleLike): OutcomeMessage {
	const { expected, actual } = comparison(score, sample);
	const reason = typeof score.metadata?.reason === 'string' ? `: ${score.metadata.reason}` : '';
	if (expected !== undefined && actual !== undefined) {
		return { text: `${score.name} failed${reason}: expected ${expected}, got ${actual}`, expected, actual };
	}
	return { text: `${score.name} failed${reason} (value ${show(score.value)})` };
}

/** `frames`: the runtime that ran the sample, whose frames are hidden with Node's and node_modules' (stackFrames.ts). */
export function sampleOutcome(sample: SampleLike, frames: FrameFilter = {}): SampleOutcome {
	const outcome = verdict(sample, frames);
	if (typeof sample.output === 'string' && sample.output) outcome.output = sample.output;
	return outcome;
}

function verdict(sample: SampleLike, frames: FrameFilter): SampleOutcome {
	const durationMs = Math.max(0, Math.round(sample.timing?.latencyMs ?? 0));
	if (sample.error) {
		const { type, message, stack } = sample.error;
		const user = userFrames(parseStack(stack), frames);
		if (user.length === 0)
			return {
				state: 'errored',
				durationMs,
				messages: [{ text: stack && stack.includes(message) ? stack : `${type}: ${message}${stack ? `\n${stack}` : ''}` }],
			};
		const at = user.map((f) => `    at ${f.label ? `${f.label} (${f.file}:${f.line}:${f.column})` : `${f.file}:${f.line}:${f.column}`}`);
		return { state: 'errored', durationMs, messages: [{ text: [errorHeadline(type, message), ...at].join('\n'), frames: user }] };
	}
	const failing = sample.scores.filter((s) => s.passed === false);
	// `passed: null` means no score is pass/fail: nothing failed, so the sample counts as passed.
	if (sample.passed === false || failing.length > 0) {
		const messages = failing.map((s) => failureMessage(s, sample));
		return { state: 'failed', durationMs, messages: messages.length ? messages : [{ text: 'the sample did not pass' }] };
	}
	return { state: 'passed', durationMs, messages: [] };
}
