import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startCli } from '../../client/src/runner/cliProcess';
import { RunTracker } from '../../client/src/testing/runTracker';
import type { RunEvent } from '../../runtime/src/protocol/events';

const fakeCli = path.join(import.meta.dirname, 'fixtures', 'fake-cli.mjs');

function run(mode: string, killAfterMs = 5000) {
	const events: RunEvent[] = [];
	const logs: string[] = [];
	const tracker = new RunTracker();
	const proc = startCli({
		node: process.execPath,
		cli: fakeCli,
		args: ['run', '--reporter', 'jsonl', 'a.ts::a'],
		cwd: import.meta.dirname,
		env: { FAKE_MODE: mode },
		killAfterMs,
		onEvent: (e) => {
			tracker.accept(e);
			events.push(e);
		},
		onLog: (l) => logs.push(l),
	});
	return { proc, events, logs };
}

const waitFor = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
	assert.ok(check(), 'condition not reached in 5 s');
};

test('events stream from stdout; stderr and non-event lines go to the log', async () => {
	const { proc, events, logs } = run('ok');
	const exit = await proc.done;
	assert.deepEqual({ code: exit.code, cancelled: exit.cancelled, error: exit.error }, { code: 0, cancelled: false, error: undefined });
	assert.deepEqual(
		events.map((e) => e.type),
		['run-start', 'run-end'],
	);
	assert.ok(logs.includes('args: run --reporter jsonl a.ts::a'));
	assert.ok(logs.includes('not json at all'));
});

test('cancel sends SIGINT first: a graceful CLI reports the interruption and exits 130', async () => {
	const { proc, events } = run('graceful');
	await waitFor(() => events.some((e) => e.type === 'sample-start'));
	proc.cancel();
	const exit = await proc.done;
	assert.equal(exit.code, 130);
	assert.equal(exit.cancelled, true);
	assert.equal(events.at(-1)?.type, 'run-end');
});

test('a CLI that ignores SIGINT is killed after the grace period', async () => {
	const { proc, events } = run('stubborn', 300);
	await waitFor(() => events.some((e) => e.type === 'sample-start'));
	proc.cancel();
	const exit = await proc.done;
	assert.equal(exit.signal, 'SIGKILL');
	assert.equal(exit.cancelled, true);
});

test('a stream in another protocol version stops the process with a clear error', async () => {
	const { proc } = run('v2');
	const exit = await proc.done;
	assert.equal(exit.signal, 'SIGKILL');
	assert.match(exit.error?.message ?? '', /protocol 2, but this extension understands protocol 1/);
});

test('a missing node binary gives an actionable error', async () => {
	const proc = startCli({ node: '/nonexistent/node', cli: fakeCli, args: [], cwd: import.meta.dirname, onEvent: () => {}, onLog: () => {} });
	const exit = await proc.done;
	assert.match(exit.error?.message ?? '', /Node\.js was not found.*PATH/);
});
