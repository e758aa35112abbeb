import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompilerLoad } from '../../server/src/compilerLoad';

test('the compiler loads once: on the timer, or at once with now()', async () => {
	let loads = 0;
	const c = new CompilerLoad(() => loads++);
	c.soon(10_000);
	c.soon(0); // the sooner time stands
	await c.loaded;
	c.now();
	assert.equal(loads, 1);
	assert.equal(c.isLoaded, true);
});

test('while held (a first lens still to come) the load waits, but never past the cap', async () => {
	let loads = 0;
	let held = true;
	let asked = 0;
	const c = new CompilerLoad(
		() => loads++,
		() => (asked++, held),
		60_000,
	);
	c.soon(0);
	await new Promise((r) => setTimeout(r, 300));
	assert.equal(loads, 0, 'held: not loaded yet');
	assert.equal(asked, 1, 'the hold is asked once, not polled');
	// The first lens is answered: the hold ends and the load is due at once.
	held = false;
	c.soon(0);
	await c.loaded;
	assert.equal(loads, 1);

	const capped = new CompilerLoad(
		() => loads++,
		() => true,
		200,
	);
	capped.soon(0);
	await capped.loaded; // held for ever, loaded at the cap
	assert.equal(loads, 2);
});

test('a failing load still resolves `loaded` (the next parse reports the error)', async () => {
	const c = new CompilerLoad(() => {
		throw new Error('no typescript');
	});
	c.now();
	await c.loaded;
	assert.equal(c.isLoaded, true);
});
