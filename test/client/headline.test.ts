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
