import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createPrettyReporter } from '../../runtime/src/reporters/pretty.ts';
import { createLogger } from '../../runtime/src/cli/logger.ts';
import type { EvalSummary, RunEvent } from '../../runtime/src/protocol/events.ts';

function sink() {
	let text = '';
	const stream = new Writable({
		write(chunk, _enc, done) {
			text += String(chunk);
			done();
		},
	});
	return { stream, text: () => text };
}

const summary: EvalSummary = {
	total: 2,
	completed: 2,
	errors: 0,
	errorsByType: {},
	metrics: [],
	wallMs: 200,
	samplesPerSecond: 10,
	latency: null,
	strategy: { name: 'Sequential' },
	maxInFlight: 1,
	speedup: 1,
	retries: 0,
	backoffMs: 0,
};
const events: RunEvent[] = [
	{
		type: 'eval-start',
		evalId: 'a.ts::evalA',
		name: 'evalA',
		file: '/p/a.ts',
		line: 1,
		total: 2,
		alreadyDone: 0,
		strategy: { name: 'Sequential' },
		async: true,
		at: 0,
	},
	{
		type: 'sample-end',
		evalId: 'a.ts::evalA',
		index: 0,
		row: {},
		prompt: null,
		modelResponse: null,
		scores: [],
		error: null,
		passed: true,
		attempts: 1,
		timing: { queuedAt: 0, startedAt: 0, finishedAt: 0, queueMs: 0, backoffMs: 0, latencyMs: 1 },
	},
];

test('not a terminal: no live line and no escape codes, only the summary', () => {
	const out = sink();
	const reporter = createPrettyReporter({ out: out.stream, isTTY: false });
	for (const e of events) reporter.onEvent(e);
	reporter.onEvent({ type: 'eval-end', evalId: 'a.ts::evalA', status: 'completed', summary, at: 0 });
	reporter.close();
	assert.equal(out.text().includes('\x1b['), false);
	assert.match(out.text(), /^✓ a\.ts::evalA {2}completed\n/);
});

test('on a terminal: a live line, cleared before log lines and before the summary', async () => {
	const out = sink();
	const err = sink();
	const logger = createLogger(err.stream);
	let now = 0;
	const reporter = createPrettyReporter({ out: out.stream, isTTY: true, logger, now: () => now });
	for (const e of events) reporter.onEvent(e);
	now = 1000;
	await new Promise((r) => setTimeout(r, 250)); // the redraw timer (≤ 10 per second)
	assert.match(out.text(), /evalA 1\/2 · 0 errors · accuracy 1\.000 · elapsed 1\.00 s · ETA 1\.00 s\n/);
	const before = out.text().length;
	logger.warn('a log line');
	assert.equal(err.text(), 'warning: a log line\n');
	assert.ok(out.text().slice(before).startsWith('\x1b[1A\x1b[0J'), 'the live line is cleared before the log line');
	reporter.onEvent({ type: 'eval-end', evalId: 'a.ts::evalA', status: 'completed', summary, at: 0 });
	reporter.close();
	assert.match(out.text(), /\x1b\[1A\x1b\[0J✓ a\.ts::evalA {2}completed/);
	const redraws = (out.text().match(/evalA 1\/2/g) ?? []).length;
	assert.ok(redraws >= 1 && redraws <= 6, `${redraws} redraws in ~250 ms`);
});
