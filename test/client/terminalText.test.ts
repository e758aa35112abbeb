import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalLine, terminalOutput, terminalText } from '../../client/src/testing/terminalText';
import { plainOutput } from '../../client/src/panels/resultsData';

test('every line break becomes \\r\\n (no staircase in Test Results), existing \\r\\n stay single', () => {
	assert.equal(terminalText('TypeError: x\n    at a (f.ts:4:3)\r\n    at b\n'), 'TypeError: x\r\n    at a (f.ts:4:3)\r\n    at b\r\n');
	assert.equal(terminalText('one line'), 'one line');
});

test("a sample's output keeps its colours, loses every other escape and control character, and ends its last line", () => {
	assert.equal(terminalOutput('plain\nlines'), 'plain\r\nlines\r\n');
	assert.equal(terminalOutput('\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[m\n'), '\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[m\r\n');
	// A title change, a hyperlink, a clipboard write, a screen clear, a cursor move, a bell: none survive.
	assert.equal(
		terminalOutput('\u001b]0;pwned\u0007a\u001b]8;;https://x.invalid\u001b\\link\u001b]8;;\u001b\\\u001b]52;c;aGk=\u0007\u001b[2J\u001b[10;1Hb\u0007\n'),
		'alinkb\r\n',
	);
	assert.equal(terminalOutput('progress 10%\rprogress 100%\r\n'), 'progress 10%progress 100%\r\n');
	assert.equal(terminalLine('#3 a\u001b[2Jb\nc'), '#3 a [2Jb c');
});

test('the results panel shows output as plain text', () => {
	assert.equal(plainOutput('\u001b[31mred\u001b[0m\r\n\u001b]0;t\u0007ok\u0008\n'), 'red\nok\n');
});
