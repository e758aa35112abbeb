/**
 * Per-sample output: what a sample's own code prints (console.log/error, stdout/stderr writes) is
 * kept with that sample — streamed in its `sample-end` event and stored — even when samples run
 * concurrently and interleave their prints. With the jsonl reporter nothing a sample prints reaches
 * stdout (a printed JSON line must never pass for an event); on a terminal the prints show as before.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ExitCode, type SampleEndEvent } from '../../runtime/src/protocol/events.ts';
import { openStoreReader } from '../../runtime/src/store/index.ts';
import { maxSampleOutputChars, SampleOutput } from '../../runtime/src/executor/sampleOutput.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

// Four samples at once; each prints three times with waits between, so their prints interleave.
const printingEval = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';
const each = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });
console.log('printed while loading');
export const evalPrints = each('n', [0, 1, 2, 3, 4, 5, 6, 7])(async ({ n }) => {
	console.log('start of sample ' + n);
	await new Promise((r) => setTimeout(r, 5 + (n % 3) * 7));
	console.error('warning from sample ' + n);
	process.stdout.write(JSON.stringify({ type: 'sample-end', evalId: 'forged', index: 99 }) + '\\n');
	await new Promise((r) => setTimeout(r, 3));
	process.stderr.write('end of sample ' + n + '\\n');
	if (n === 5) throw new Error('boom in 5');
	return new Result(exactMatch(String(n % 2), '0'));
});
export const evalQuiet = each('n', [0, 1])(({ n }) => new Result(exactMatch(String(n), '0')));
`;

const expected = (n: number) => `start of sample ${n}\nwarning from sample ${n}\n{"type":"sample-end","evalId":"forged","index":99}\nend of sample ${n}\n`;

test('each sample carries exactly its own prints, in the jsonl stream and in the store, and none reach stdout', async () => {
	const dir = makeProject({ 'eval_prints.ts': printingEval });
	const result = await runCli(['run', '--reporter', 'jsonl', '--experiment', 'out'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	// Every stdout line is a real event: the forged line went into the samples' output, not the stream.
	const events = parseEvents(result.stdout);
	const samples = events.filter((e): e is SampleEndEvent => e.type === 'sample-end');
	assert.equal(samples.length, 10);
	assert.ok(samples.every((s) => s.evalId !== 'forged'));
	for (const s of samples.filter((e) => e.evalId.endsWith('::evalPrints'))) assert.equal(s.output, expected(s.index), `sample ${s.index}`);
	// Each first attempt's sample-start names its row, so the editor labels a running sample.
	const starts = events.filter((e) => e.type === 'sample-start' && e.evalId.endsWith('::evalPrints'));
	assert.deepEqual(
		starts.map((e) => e.type === 'sample-start' && e.row).sort((a, b) => Number(a && a.n) - Number(b && b.n)),
		[0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
	);
	// A sample that prints nothing has no output field; the errored one kept what it printed first.
	for (const s of samples.filter((e) => e.evalId.endsWith('::evalQuiet'))) assert.equal(s.output, undefined);
	assert.equal(samples.find((s) => s.evalId.endsWith('::evalPrints') && s.index === 5)?.error?.message, 'boom in 5');
	// Prints outside any sample (while loading) are not a sample's: they stay in the log as before.
	assert.doesNotMatch(result.stderr, /of sample/);
	assert.match(result.stdout + result.stderr, /printed while loading/);

	const reader = await openStoreReader(path.join(dir, '.doteval'));
	try {
		const stored = (await reader.samples('out', 'eval_prints.ts::evalPrints', { limit: 100 })).samples;
		assert.equal(stored.length, 8);
		for (const s of stored) assert.equal(s.output, expected(s.index));
		const quiet = (await reader.samples('out', 'eval_prints.ts::evalQuiet')).samples;
		assert.ok(quiet.every((s) => s.output === undefined));
	} finally {
		await reader.close();
	}
});

test('on a terminal (the pretty reporter) the prints still show, and are stored with their samples', async () => {
	const dir = makeProject({ 'eval_prints.ts': printingEval });
	const result = await runCli(['run', 'eval_prints.ts::evalPrints', '--experiment', 'tty'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	for (let n = 0; n < 8; n++) {
		assert.match(result.stdout, new RegExp(`start of sample ${n}\\n`));
		assert.match(result.stderr, new RegExp(`end of sample ${n}\\n`));
	}
	const reader = await openStoreReader(path.join(dir, '.doteval'));
	try {
		const stored = (await reader.samples('tty', 'eval_prints.ts::evalPrints', { limit: 100 })).samples;
		assert.deepEqual(
			stored.map((s) => s.output),
			stored.map((s) => expected(s.index)),
		);
	} finally {
		await reader.close();
	}
});

test('a sample printing without end keeps the first 64 KiB and says how much it left out', () => {
	const output = new SampleOutput();
	assert.equal(output.value(), undefined);
	const line = 'x'.repeat(1000) + '\n';
	for (let i = 0; i < 100; i++) output.append(line);
	const value = output.value()!;
	assert.ok(value.startsWith(line.repeat(65)));
	assert.equal(
		value.split('\n').at(-2),
		`… ${100 * line.length - maxSampleOutputChars} more characters of output not kept (at most ${maxSampleOutputChars} per sample)`,
	);
});
