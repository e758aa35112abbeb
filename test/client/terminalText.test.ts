import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalText } from '../../client/src/testing/terminalText';

test('every line break becomes \\r\\n (no staircase in Test Results), existing \\r\\n stay single', () => {
	assert.equal(terminalText('TypeError: x\n    at a (f.ts:4:3)\r\n    at b\n'), 'TypeError: x\r\n    at a (f.ts:4:3)\r\n    at b\r\n');
	assert.equal(terminalText('one line'), 'one line');
});
