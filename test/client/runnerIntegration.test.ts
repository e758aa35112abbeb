// The extension's runner against real doteval CLIs (built by `npm run build`): the runtime bundled
// with the extension in a project that does not install doteval, and the workspace copy in examples/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveRuntime } from '../../client/src/runner/resolveRuntime';
import { startCli } from '../../client/src/runner/cliProcess';
import { runArgs } from '../../client/src/runner/cliArgs';
import { RunTracker, type UiAction } from '../../client/src/testing/runTracker';

const repo = path.resolve(import.meta.dirname, '../..');
const bundledCli = path.join(repo, 'dist', 'runtime', 'cli.js');

/** A project outside the repository with the runtime installed as node_modules/doteval (a link to runtime/). */
function projectWithRuntime(prefix: string, files: string[]): string {
	const project = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	for (const f of files) fs.copyFileSync(path.join(repo, 'examples', f), path.join(project, f));
	fs.mkdirSync(path.join(project, 'node_modules'));
	fs.symlinkSync(path.join(repo, 'runtime'), path.join(project, 'node_modules', 'doteval'), 'dir');
	return project;
}

async function runThrough(projectRoot: string, selector: string, extra: Partial<Parameters<typeof runArgs>[0]> = {}) {
	const runtime = resolveRuntime({
		target: path.join(projectRoot, selector.split('::')[0]),
		runtimePath: '',
		baseDir: projectRoot,
		bundledCli,
		bundledVersion: '0.1.0',
	});
	const tracker = new RunTracker();
	const actions: UiAction[] = [];
	const logs: string[] = [];
	const proc = startCli({
		node: process.execPath,
		cli: runtime.cli,
		args: runArgs({ selectors: [selector], ...extra }),
		cwd: projectRoot,
		env: { ...runtime.env, DOTEVAL_EXAMPLE_LATENCY_SCALE: '0.01' },
		onEvent: (e) => actions.push(...tracker.accept(e)),
		onLog: (l) => logs.push(l),
	});
	const exit = await proc.done;
	return { runtime, exit, actions, tracker, logs };
}

test('a project without doteval installed runs on the bundled runtime, and samples stream in as test states', { timeout: 60_000 }, async (t) => {
	assert.ok(fs.existsSync(bundledCli), `${bundledCli} is missing: run npm run build first`);
	const project = fs.mkdtempSync(path.join(os.tmpdir(), 'doteval-bundled-'));
	t.after(() => fs.rmSync(project, { recursive: true, force: true }));
	for (const f of ['eval_concurrent_sentiment.ts', 'sentiment.ts', 'package.json']) fs.copyFileSync(path.join(repo, 'examples', f), path.join(project, f));
	const { runtime, exit, actions, tracker, logs } = await runThrough(project, 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', {
		experiment: 'bundled',
	});
	assert.equal(runtime.source, 'bundled');
	assert.equal(exit.code, 0, logs.join('\n'));
	const samples = actions.filter((a) => a.kind === 'sample-ended');
	assert.equal(samples.length, 8);
	const first = samples.find((a) => a.index === 0);
	assert.equal(first?.label, '#0 This movie is absolutely amazing!');
	for (const s of samples) assert.ok(['passed', 'failed'].includes(s.outcome.state));
	assert.equal(tracker.progress.done, 8);
	assert.ok(fs.existsSync(path.join(project, '.doteval', 'catalog.db')) || fs.existsSync(path.join(project, '.doteval', 'journals')));
	assert.deepEqual(actions.at(-1), { kind: 'run-ended', status: 'completed', exitCode: 0, resumeCommand: undefined });
});

test('--only-samples runs exactly the chosen sample with the workspace runtime', { timeout: 60_000 }, async (t) => {
	const project = projectWithRuntime('doteval-runner-', ['eval_concurrent_sentiment.ts', 'sentiment.ts', 'package.json']);
	t.after(() => fs.rmSync(project, { recursive: true, force: true }));

	const { runtime, exit, actions, logs } = await runThrough(project, 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', { onlySamples: [5] });
	assert.equal(runtime.source, 'workspace');
	assert.equal(exit.code, 0, logs.join('\n'));
	const samples = actions.filter((a) => a.kind === 'sample-ended');
	assert.deepEqual(
		samples.map((s) => s.index),
		[5],
	);
	assert.equal(samples[0].label, '#5 Average movie with decent performances');
});

test('cancelling a real run stops it gracefully: exit 130, run-end interrupted, finished samples stored', { timeout: 60_000 }, async (t) => {
	const project = projectWithRuntime('doteval-cancel-', ['eval_async_sentiment.ts', 'sentiment.ts', 'package.json']);
	t.after(() => fs.rmSync(project, { recursive: true, force: true }));

	const runtime = resolveRuntime({
		target: path.join(project, 'eval_async_sentiment.ts'),
		runtimePath: '',
		baseDir: project,
		bundledCli,
		bundledVersion: null,
	});
	const tracker = new RunTracker();
	const actions: UiAction[] = [];
	// Sequential, 0.3 s per sample: 2.4 s in all, cancelled after the first sample.
	const proc = startCli({
		node: process.execPath,
		cli: runtime.cli,
		args: runArgs({ selectors: ['eval_async_sentiment.ts'], experiment: 'cancelled' }),
		cwd: project,
		env: { ...runtime.env, DOTEVAL_EXAMPLE_LATENCY_SCALE: '0.3' },
		onEvent: (e) => {
			for (const a of tracker.accept(e)) {
				actions.push(a);
				if (a.kind === 'sample-ended') proc.cancel();
			}
		},
		onLog: () => {},
	});
	const exit = await proc.done;
	assert.equal(exit.cancelled, true);
	assert.equal(exit.code, 130);
	const done = actions.filter((a) => a.kind === 'sample-ended').length;
	assert.ok(done >= 1 && done < 8, `${done} samples finished`);
	const last = actions.at(-1);
	assert.equal(last?.kind === 'run-ended' && last.status, 'interrupted');
	// The store (read with the extension's reader) holds the finished samples and knows the run was interrupted.
	const { openReader } = await import('../../client/src/store/storeIo');
	const reader = await openReader(path.join(project, '.doteval'));
	try {
		const evaluation = (await reader.listEvaluations('cancelled'))[0];
		assert.equal(evaluation.status, 'interrupted');
		assert.equal((await reader.samples('cancelled', evaluation.evalId)).total, done);
	} finally {
		await reader.close();
	}
});

test('the history actions rename and delete experiments through the bundled store code', { timeout: 60_000 }, async (t) => {
	const project = projectWithRuntime('doteval-history-', ['eval_concurrent_sentiment.ts', 'sentiment.ts', 'package.json']);
	t.after(() => fs.rmSync(project, { recursive: true, force: true }));

	for (const experiment of ['first', 'second']) {
		const { exit } = await runThrough(project, 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', { experiment, onlySamples: [0] });
		assert.equal(exit.code, 0);
	}
	const io = await import('../../client/src/store/storeIo');
	const db = path.join(project, '.doteval');
	await io.renameExperiment(db, 'first', 'baseline');
	await io.deleteExperiment(db, 'second');
	const reader = await io.openReader(db);
	try {
		assert.deepEqual(
			(await reader.listExperiments()).map((e) => e.name),
			['baseline'],
		);
	} finally {
		await reader.close();
	}
	await assert.rejects(io.renameExperiment(db, 'nope', 'x'), /no experiment named 'nope'/);
});
