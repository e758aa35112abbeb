/** Turning what an eval returned (or threw) into the stored/streamed shapes. */
import type { SampleError, ScoreRecord } from '../protocol/events.js';
import { describe, isResult, isScore, type Score } from '../core/result.js';
import { toJsonSafe } from '../core/jsonSafe.js';
import { scoreValueProblem } from '../metrics/checkScore.js';

export class InvalidResultError extends Error {
	override name = 'InvalidResultError';
}

export interface ProcessedReturn {
	scores: ScoreRecord[];
	prompt: string | null;
	modelResponse: string | null;
	error: SampleError | null;
	metadata?: Record<string, unknown>;
}

function errorType(e: Error): string {
	return (typeof e.name === 'string' && e.name !== 'Error' ? e.name : e.constructor?.name) || 'Error';
}

/** A thrown value that is not an Error, as text: `{"code":42}`, not `[object Object]`. */
function describeThrown(value: unknown): string {
	if (typeof value !== 'object' || value === null) return String(value);
	const text = JSON.stringify(toJsonSafe(value)) ?? String(value);
	return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/**
 * The chain of `cause`s, which says what actually went wrong: `fetch failed` alone hides the
 * `ECONNRESET` (undici puts the socket's error in `cause`). Three levels at most.
 */
function causes(error: unknown): string {
	const parts: string[] = [];
	let cause = (error as { cause?: unknown }).cause;
	for (let depth = 0; depth < 3 && cause !== undefined && cause !== null; depth++) {
		if (cause instanceof Error || (typeof cause === 'object' && 'message' in cause)) {
			const c = cause as Error & { code?: unknown };
			const code = typeof c.code === 'string' && !String(c.message).includes(c.code) ? ` [${c.code}]` : '';
			parts.push(`${errorType(c)}: ${String(c.message)}${code}`);
		} else parts.push(describeThrown(cause));
		cause = (cause as { cause?: unknown }).cause;
	}
	return parts.length ? ` (cause: ${parts.join('; cause: ')})` : '';
}

export function toSampleError(error: unknown): SampleError {
	if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
		const e = error as Error;
		return { type: errorType(e), message: String(e.message) + causes(e), stack: typeof e.stack === 'string' ? e.stack : undefined };
	}
	return { type: typeof error === 'string' ? 'Error' : `thrown ${error === null ? 'null' : typeof error}`, message: describeThrown(error) };
}

/** The error record of a sample whose code left a rejected promise unhandled (a forgotten `await`). */
export function unhandledRejectionError(reason: unknown): SampleError {
	const error = toSampleError(reason);
	return { ...error, message: `${error.message} (an unhandled rejection: a promise in this sample was neither awaited nor given a .catch())` };
}

/** A score its metrics cannot take (NaN, an accuracy of 2, …) makes the sample an error (metrics/checkScore.ts). */
function invalidScore(scores: readonly Score[]): SampleError | null {
	for (const score of scores) {
		const problem = scoreValueProblem(score.name, score.value, score.metrics);
		if (problem) return { type: 'InvalidScoreError', message: problem };
	}
	return null;
}

export function scorePassed(score: Pick<Score, 'value' | 'metrics'>): boolean | null {
	if (typeof score.value === 'boolean') return score.value;
	if (typeof score.value === 'number' && score.metrics.includes('accuracy') && (score.value === 0 || score.value === 1)) return score.value >= 1;
	return null;
}

export function toScoreRecord(score: Score): ScoreRecord {
	const record: ScoreRecord = {
		name: score.name,
		value: toJsonSafe(score.value) as ScoreRecord['value'],
		metrics: [...score.metrics],
		passed: scorePassed(score),
	};
	if (score.metadata && Object.keys(score.metadata).length > 0) record.metadata = toJsonSafe(score.metadata) as Record<string, unknown>;
	return record;
}

/** Interprets an eval's return value: a Result, a bare Score (wrapped), else an InvalidResultError record. */
export function processReturn(value: unknown, evalName: string): ProcessedReturn {
	if (isScore(value)) return { scores: [toScoreRecord(value)], prompt: null, modelResponse: null, error: invalidScore([value]) };
	if (isResult(value)) {
		const out: ProcessedReturn = {
			scores: value.scores.map(toScoreRecord),
			prompt: value.prompt == null ? null : String(value.prompt),
			modelResponse:
				value.modelResponse == null ? null : typeof value.modelResponse === 'string' ? value.modelResponse : JSON.stringify(toJsonSafe(value.modelResponse)),
			error: value.error == null ? invalidScore(value.scores) : { type: 'ResultError', message: String(value.error) },
		};
		if (value.metadata) out.metadata = toJsonSafe(value.metadata) as Record<string, unknown>;
		return out;
	}
	const hint = value === undefined ? ' (did you forget `return`?)' : '';
	const error = new InvalidResultError(
		`eval ${evalName} returned ${describe(value)}${hint}; expected a Result — return new Result(exactMatch(prediction, expected), { prompt }) — or a Score`,
	);
	return { scores: [], prompt: null, modelResponse: null, error: { type: error.name, message: error.message } };
}

/** true when every pass/fail score passed and there was no error; null when no score is pass/fail. */
export function samplePassed(scores: ScoreRecord[], error: SampleError | null): boolean | null {
	if (error) return false;
	let any = false;
	for (const s of scores) {
		if (s.passed === null) continue;
		if (!s.passed) return false;
		any = true;
	}
	return any ? true : null;
}
