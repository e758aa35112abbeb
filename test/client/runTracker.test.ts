import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunTracker, ProtocolVersionError, type UiAction } from '../../client/src/testing/runTracker';
import { sampleOutcome } from '../../client/src/testing/sampleOutcome';
import { runStart, evalStart, sampleEnd, exactMatch } from './fixtures/events';
import type { EvalStartEvent, RunEvent } from '../../runtime/src/protocol/events';

const summary = {
	total: 2,
	completed: 2,
	errors: 0,
	errorsByType: {},
	metrics: [],
	wallMs: 20,
	samplesPerSecond: 100,
	latency: null,
	strategy: { name: 'Sequential' },
	maxInFlight: 1,
	speedup: 1,
	retries: 0,
	backoffMs: 0,
};

test('a passing sample passes with its latency as duration', () => {
	assert.deepEqual(sampleOutcome(sampleEnd()), { state: 'passed', durationMs: 12, messages: [] });
});

test('a failed exact match shows expected vs actual from the row and the model output', () => {
	const outcome = sampleOutcome(sampleEnd({ modelResponse: 'neutral', scores: [exactMatch(false)], passed: false }));
	assert.deepEqual(outcome, {
		state: 'failed',
		durationMs: 12,
		messages: [{ text: 'exactMatch failed: expected positive, got neutral', expected: 'positive', actual: 'neutral' }],
	});
});

test('score metadata wins over the row for expected and actual', () => {
	const outcome = sampleOutcome(sampleEnd({ modelResponse: null, scores: [exactMatch(false, { expected: 'a', actual: 'b' })], passed: false }));
	assert.deepEqual(outcome.messages, [{ text: 'exactMatch failed: expected a, got b', expected: 'a', actual: 'b' }]);
});

test('exactMatch records its arguments as result and expected: those are the diff', () => {
	const outcome = sampleOutcome(sampleEnd({ modelResponse: null, scores: [exactMatch(false, { result: 'neutral', expected: 'positive' })], passed: false }));
	assert.deepEqual(outcome.messages, [{ text: 'exactMatch failed: expected positive, got neutral', expected: 'positive', actual: 'neutral' }]);
});

test('a failed score without anything to compare names its value', () => {
	const outcome = sampleOutcome(
		sampleEnd({ row: { q: 1 }, modelResponse: null, scores: [{ name: 'validJson', value: false, metrics: [], passed: false }], passed: false }),
	);
	assert.deepEqual(outcome, { state: 'failed', durationMs: 12, messages: [{ text: 'validJson failed (value false)' }] });
});

test('an errored sample shows the exception', () => {
	const outcome = sampleOutcome(sampleEnd({ scores: [], passed: false, error: { type: 'RateLimitError', message: 'slow down' } }));
	assert.deepEqual(outcome, { state: 'errored', durationMs: 12, messages: [{ text: 'RateLimitError: slow down' }] });
	const withStack = sampleOutcome(
		sampleEnd({ error: { type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at f (a.ts:3:1)' } }),
	);
	assert.equal(withStack.messages[0].text, 'TypeError: x is undefined\n    at f (a.ts:3:1)');
});

test('a sample without pass/fail scores counts as passed', () => {
	const outcome = sampleOutcome(sampleEnd({ scores: [{ name: 'len', value: 3, metrics: ['mean'], passed: null }], passed: null }));
	assert.equal(outcome.state, 'passed');
});

test('the tracker maps a whole stream to UI actions and live progress', () => {
	const tracker = new RunTracker();
	const events: RunEvent[] = [
		runStart(),
		evalStart(),
		{ type: 'sample-start', evalId: 'examples/eval_a.ts::evalA', index: 0, attempt: 1, at: 0 },
		sampleEnd(),
		sampleEnd({ index: 1, row: { text: 'Terrible plot', expected: 'negative' }, modelResponse: 'neutral', scores: [exactMatch(false)], passed: false }),
		{ type: 'eval-end', evalId: 'examples/eval_a.ts::evalA', status: 'completed', summary, at: 1 },
		{ type: 'run-end', status: 'completed', exitCode: 0, at: 2 },
	];
	const actions: UiAction[] = events.flatMap((e) => tracker.accept(e));
	assert.deepEqual(
		actions.map((a) => a.kind),
		['run-started', 'eval-started', 'sample-started', 'sample-ended', 'sample-ended', 'eval-ended', 'run-ended'],
	);
	const ref = { evalId: 'examples/eval_a.ts::evalA', name: 'evalA', file: '/p/examples/eval_a.ts', line: 3 };
	assert.deepEqual(actions[2], { kind: 'sample-started', eval: ref, index: 0 });
	const second = actions[4];
	assert.equal(second.kind === 'sample-ended' && second.label, '#1 Terrible plot');
	assert.equal(second.kind === 'sample-ended' && second.outcome.state, 'failed');
	assert.deepEqual(actions[5], { kind: 'eval-ended', eval: ref, status: 'completed', summary, samplesFailed: 1, samplesErrored: 0, notRun: [] });
	assert.deepEqual(tracker.progress, { experiment: 'exp1', done: 2, total: 2, passed: 1, judged: 2, errored: 0 });
	assert.equal(tracker.accuracy(), 0.5);
});

test('a running sample is labelled from the row its sample-start carries; a retry (no row) keeps the label', () => {
	const tracker = new RunTracker();
	tracker.accept(runStart());
	tracker.accept(evalStart());
	const [first] = tracker.accept({
		type: 'sample-start',
		evalId: 'examples/eval_a.ts::evalA',
		index: 4,
		attempt: 1,
		row: { text: 'Great acting', expected: 'positive' },
		at: 0,
	});
	assert.equal(first.kind === 'sample-started' && first.label, '#4 Great acting');
	const [retry] = tracker.accept({ type: 'sample-start', evalId: 'examples/eval_a.ts::evalA', index: 4, attempt: 2, at: 1 });
	assert.equal(retry.kind === 'sample-started' && retry.label, undefined);
});

test('what a sample printed comes with its outcome; a sample that printed nothing has none', () => {
	assert.equal(sampleOutcome(sampleEnd({ output: 'thinking…\nwarning: long\n' })).output, 'thinking…\nwarning: long\n');
	assert.equal('output' in sampleOutcome(sampleEnd()), false);
	assert.equal(sampleOutcome(sampleEnd({ output: 'x', scores: [], passed: false, error: { type: 'TypeError', message: 'y' } })).output, 'x');
});

test('the total counts only samples still to run, summed over evals, unknown while any is unknown', () => {
	const tracker = new RunTracker();
	tracker.accept(runStart());
	tracker.accept(evalStart({ total: 8, alreadyDone: 3 }));
	assert.equal(tracker.progress.total, 5);
	tracker.accept(evalStart({ evalId: 'b.ts::b', total: 4 }));
	assert.equal(tracker.progress.total, 9);
	tracker.accept(evalStart({ evalId: 'c.ts::c', total: null }));
	assert.equal(tracker.progress.total, null);
	assert.equal(tracker.accuracy(), null);
});

test('a different protocol version is refused with a message naming both versions', () => {
	const tracker = new RunTracker();
	assert.throws(
		() => tracker.accept(runStart({ protocolVersion: 2 })),
		(error: unknown) => {
			assert.ok(error instanceof ProtocolVersionError);
			assert.match(error.message, /protocol 2.*protocol 1/);
			return true;
		},
	);
});

test('errored samples count as judged and not passed; unknown event types are ignored', () => {
	const tracker = new RunTracker();
	tracker.accept(runStart());
	const [action] = tracker.accept(sampleEnd({ evalId: 'x.ts::orphan', passed: false, scores: [], error: { type: 'Error', message: 'boom' } }));
	assert.equal(action.kind === 'sample-ended' && action.eval.name, 'orphan');
	assert.deepEqual(tracker.progress, { experiment: 'exp1', done: 1, total: null, passed: 0, judged: 1, errored: 1 });
	assert.deepEqual(tracker.accept({ type: 'future-thing' } as unknown as RunEvent), []);
});

test('an interrupted eval names the planned samples it never finished; a resume or an unsized dataset names none', () => {
	const interruptedAfter = (tracker: RunTracker, start: Partial<EvalStartEvent>, ended: number[]) => {
		tracker.accept(runStart());
		tracker.accept(evalStart(start));
		for (const index of ended) tracker.accept(sampleEnd({ index }));
		const [action] = tracker.accept({ type: 'eval-end', evalId: 'examples/eval_a.ts::evalA', status: 'interrupted', summary, at: 1 });
		return action.kind === 'eval-ended' ? action.notRun : 'not an eval-ended action';
	};
	assert.deepEqual(interruptedAfter(new RunTracker(), { total: 8 }, [0, 2, 1, 5]), [3, 4, 6, 7]);
	assert.deepEqual(interruptedAfter(new RunTracker([3, 7, 9]), { total: 3 }, [7]), [3, 9]);
	assert.deepEqual(interruptedAfter(new RunTracker(), { total: 8, alreadyDone: 4 }, [4]), []);
	assert.deepEqual(interruptedAfter(new RunTracker(), { total: null }, [0]), []);
});

test('a stream that stops before eval-end (the CLI was killed) ends each open eval as interrupted, once', () => {
	const tracker = new RunTracker();
	tracker.accept(runStart());
	tracker.accept(evalStart({ total: 4, at: 1_000 }));
	tracker.accept(sampleEnd({ index: 0 }));
	tracker.accept(sampleEnd({ index: 2, error: { type: 'TypeError', message: 'boom' }, passed: null, scores: [] }));
	const [action, ...rest] = tracker.processEnded(4_000);
	assert.equal(rest.length, 0);
	assert.ok(action.kind === 'eval-ended');
	assert.equal(action.status, 'interrupted');
	assert.deepEqual(action.notRun, [1, 3]);
	assert.equal(action.samplesErrored, 1);
	assert.deepEqual([action.summary.total, action.summary.completed, action.summary.errors, action.summary.wallMs], [4, 2, 1, 3_000]);
	assert.deepEqual(tracker.processEnded(), [], 'an eval is ended once');
});

test('an eval that ended in the stream is not ended again when the process exits', () => {
	const tracker = new RunTracker();
	tracker.accept(runStart());
	tracker.accept(evalStart({ total: 1 }));
	tracker.accept(sampleEnd({ index: 0 }));
	tracker.accept({ type: 'eval-end', evalId: 'examples/eval_a.ts::evalA', status: 'completed', summary, at: 1 });
	assert.deepEqual(tracker.processEnded(), []);
});
