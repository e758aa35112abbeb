// The sample scope is entered only while something can read it (core/sampleScope.ts). Each test file
// runs in its own process, so this one starts with no reader: it must not import doteval/models
// before its last test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForEach, Result } from '../../runtime/src/index.js';
import { SlidingWindow } from '../../runtime/src/concurrency/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { addScopeReader, currentScope, scopeIsRead } from '../../runtime/src/core/sampleScope.js';
import { currentSample } from '../../runtime/src/executor/sampleContext.js';
import { run, delay } from './helpers.js';

/** Runs 6 samples, 3 at a time, and returns which sample index each one's code saw as its scope (after an await). */
async function scopesSeen(): Promise<Array<number | undefined>> {
	const seen: Array<number | undefined> = [];
	const threeAtATime = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 3 }) });
	const ev = threeAtATime(
		'i',
		[0, 1, 2, 3, 4, 5],
	)(async ({ i }) => {
		await delay(5 * (6 - i));
		seen[i] = currentSample()?.index;
		return new Result(exactMatch(i, i));
	});
	const { outcome } = await run(ev);
	assert.equal(outcome.summary.completed, 6);
	return seen;
}

test('with nothing reading the scope, samples run outside any async context', async () => {
	assert.equal(scopeIsRead(), false);
	assert.deepEqual(await scopesSeen(), [undefined, undefined, undefined, undefined, undefined, undefined]);
	assert.equal(currentScope(), undefined);
});

test('while a reader is declared, each sample runs in its own context; undeclaring (twice is harmless) stops it', async () => {
	const stop = addScopeReader();
	try {
		assert.deepEqual(await scopesSeen(), [0, 1, 2, 3, 4, 5]);
	} finally {
		stop();
		stop();
	}
	assert.equal(scopeIsRead(), false);
	assert.deepEqual(await scopesSeen(), [undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('importing doteval/models declares a reader for the process (model calls find their sample)', async () => {
	await import('../../runtime/src/models/index.js');
	assert.equal(scopeIsRead(), true);
	assert.deepEqual(await scopesSeen(), [0, 1, 2, 3, 4, 5]);
});
