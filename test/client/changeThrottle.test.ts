import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeThrottle, type Timers } from '../../client/src/store/changeThrottle';

/** Timers that run only when the test says so. */
function manualTimers() {
	const queue = new Map<number, () => void>();
	let next = 0;
	const timers: Timers = { set: (fn) => (queue.set(++next, fn), next), clear: (h) => void queue.delete(h as number) };
	const runAll = () => {
		for (const [h, fn] of [...queue]) {
			queue.delete(h);
			fn();
		}
	};
	return { timers, runAll, pending: () => queue.size };
}

test('many changes within an interval emit once per store; an urgent change emits at once and drops the pending one', () => {
	const emitted: string[] = [];
	const { timers, runAll, pending } = manualTimers();
	const throttle = new ChangeThrottle((key) => emitted.push(key), timers);
	for (let i = 0; i < 20; i++) throttle.change('a.db', 500);
	throttle.change('b.db', 500);
	assert.deepEqual(emitted, []);
	assert.equal(pending(), 2);
	runAll();
	assert.deepEqual(emitted, ['a.db', 'b.db']);
	throttle.change('a.db', 500);
	throttle.change('a.db', 500, true);
	assert.deepEqual(emitted, ['a.db', 'b.db', 'a.db']);
	assert.equal(pending(), 0, 'the urgent emit replaced the pending one');
	throttle.change('a.db', 500);
	throttle.dispose();
	runAll();
	assert.equal(emitted.length, 3, 'nothing fires after dispose');
});
