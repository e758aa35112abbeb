import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invocation, resumeCommand, shellQuote, withExperiment } from '../../runtime/src/cli/run/resumeCommand.ts';

test('the resume command keeps the arguments and names the experiment once', () => {
	assert.deepEqual(withExperiment(['a.ts', '--experiment', 'old', '--samples', '5'], 'new'), ['a.ts', '--samples', '5', '--experiment', 'new']);
	assert.deepEqual(withExperiment(['-e', 'old', '--experiment=x', '-ey', 'b.ts'], 'n'), ['b.ts', '--experiment', 'n']);
	assert.equal(
		resumeCommand('doteval', ['evals/', '--filter', 'two words'], '20260101_000000_abcdef12'),
		"doteval run evals/ --filter 'two words' --experiment 20260101_000000_abcdef12",
	);
});

test('arguments are quoted for the shell only when needed', () => {
	assert.equal(shellQuote('eval_a.ts::evalA'), 'eval_a.ts::evalA');
	assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

test('the invocation is `doteval` through the bin, else node and the script path', () => {
	assert.equal(invocation('/usr/lib/node_modules/.bin/doteval', '/p'), 'doteval');
	assert.equal(invocation('/p/node_modules/.bin/doteval', '/p', { npm_command: 'exec' }), 'npx doteval');
	assert.equal(invocation('/p/runtime/dist/cli.js', '/p'), 'node runtime/dist/cli.js');
	assert.equal(invocation('/p/runtime/dist/cli.js', '/p/examples'), 'node ../runtime/dist/cli.js');
});
