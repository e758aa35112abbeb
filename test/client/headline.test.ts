import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headline } from '../../runtime/src/contracts/headline';

test('headline states in priority order: running, could not run, interrupted, errors, failures, not all run, passed', () => {
	const f = { status: 'completed' as const, total: 20, completed: 20, errors: 0, passed: 20 };
	assert.equal(headline(f).state, 'passed');
	assert.equal(headline({ ...f, passed: 18 }).state, 'failed');
	assert.equal(headline({ ...f, passed: 18 }).failed, 2);
	assert.equal(headline({ ...f, errors: 1, passed: 18 }).state, 'errored');
	assert.equal(headline({ ...f, errors: 1, passed: 18 }).failed, 1);
	assert.equal(headline({ ...f, completed: 1, passed: 1 }).state, 'incomplete');
	assert.equal(headline({ ...f, completed: 1, passed: 1 }).left, 19);
	assert.equal(headline({ ...f, status: 'interrupted', completed: 4 }).state, 'interrupted');
	assert.equal(headline({ ...f, status: 'failed' }).state, 'could-not-run');
	assert.equal(headline({ ...f, status: 'running' }).icon, '◌');
	assert.equal(headline({ ...f, total: null, errors: 2, passed: 10 }).left, 2, 'unknown size: only the errored ones are known to be left');
});

import { parseStack, userFrames } from '../../client/src/testing/stackFrames';
import { sampleOutcome } from '../../client/src/testing/sampleOutcome';

// A real source-mapped stack of `doteval run` (an eval calling a helper that throws), runtime frames included.
const stack = `TypeError: bad answer from model
    at callModel (/tmp/p/eval_t.ts:5:21)
    at Object.fn (/tmp/p/eval_t.ts:9:84)
    at call (/opt/doteval/runtime/src/executor/attempts.ts:85:25)
    at AsyncLocalStorage.run (node:async_hooks:346:14)
    at runInSample (/opt/doteval/runtime/src/models/context.ts:62:26)
    at <anonymous> (/tmp/p/node_modules/p-retry/index.js:1:1)
    at file:///tmp/p/helpers.ts:3:7
    at async Promise.all (index 0)`;

test('an errored sample points at the line that threw; Node, node_modules and runtime frames are hidden', () => {
	const frames = userFrames(parseStack(stack), { runtimeDirs: ['/opt/doteval/runtime/'] });
	assert.deepEqual(frames, [
		{ label: 'callModel', file: '/tmp/p/eval_t.ts', line: 5, column: 21 },
		{ label: 'Object.fn', file: '/tmp/p/eval_t.ts', line: 9, column: 84 },
		{ label: '', file: '/tmp/p/helpers.ts', line: 3, column: 7 },
	]);
	assert.deepEqual(
		userFrames(parseStack(stack), { runtimeDirs: ['/opt/doteval/runtime/'], exists: (f) => f !== '/tmp/p/helpers.ts' }).map((f) => f.line),
		[5, 9],
		"frames of files that do not exist (a bundle's build machine) are hidden",
	);
	const outcome = sampleOutcome(
		{
			index: 1,
			row: {},
			modelResponse: null,
			scores: [],
			passed: null,
			timing: { latencyMs: 3 } as never,
			error: { type: 'TypeError', message: 'bad answer from model', stack },
		},
		{ runtimeDirs: ['/opt/doteval/runtime/'] },
	);
	assert.equal(outcome.state, 'errored');
	assert.equal(outcome.messages[0]!.frames?.[0]?.line, 5);
	assert.equal(
		outcome.messages[0]!.text,
		'TypeError: bad answer from model\n    at callModel (/tmp/p/eval_t.ts:5:21)\n    at Object.fn (/tmp/p/eval_t.ts:9:84)\n    at /tmp/p/helpers.ts:3:7',
	);
});
