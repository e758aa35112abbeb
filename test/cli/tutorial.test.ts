// The tutorial's promise, checked on examples/ at a scaled latency (1 unit = 200 ms instead of 1 s):
// sync ≈ async by default ≈ 8 units, SlidingWindow(4) ≈ 2 units, SlidingWindow(8) ≈ 1 unit.
// Bounds are ratios with generous margins: the machine may be busy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExitCode, type EvalEndEvent } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, parseEvents, repoRoot, runCli } from './helpers.ts';

before(ensureBuilt);

const unitMs = 200;
const examples = path.join(repoRoot, 'examples');

async function runStep(target: string, experiment: string, storage: string): Promise<EvalEndEvent> {
	const result = await runCli(['run', target, '--experiment', experiment, '--reporter', 'jsonl', '--storage', storage], {
		cwd: examples,
		env: { DOTEVAL_EXAMPLE_LATENCY_SCALE: String(unitMs / 1000) },
	});
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const ends = parseEvents(result.stdout).filter((e): e is EvalEndEvent => e.type === 'eval-end');
	assert.equal(ends.length, 1, `one evaluation for ${target}`);
	assert.equal(ends[0]!.status, 'completed');
	assert.equal(ends[0]!.summary.completed, 8);
	return ends[0]!;
}

test('the tutorial steps keep their timing ratios', async () => {
	const storage = path.join(mkdtempSync(path.join(tmpdir(), 'doteval-tutorial-')), 'doteval.db');
	const sync = await runStep('eval_slow_sync.ts', 'sync_baseline', storage);
	const asyncBasic = await runStep('eval_async_sentiment.ts', 'async_basic', storage);
	const window4 = await runStep('eval_concurrent_sentiment.ts::evalConcurrentSentiment', 'concurrent_test', storage);
	const window8 = await runStep('eval_concurrent_sentiment.ts::evalHighConcurrency', 'high_concurrency', storage);
	const realApi = await runStep('eval_real_async.ts', 'real_api', storage);

	const units = (e: EvalEndEvent) => e.summary.wallMs / unitMs;
	const report = `sync ${units(sync).toFixed(2)}, async ${units(asyncBasic).toFixed(2)}, window4 ${units(window4).toFixed(2)}, window8 ${units(window8).toFixed(2)}, api ${units(realApi).toFixed(2)} units`;
	assert.ok(units(sync) >= 7.6 && units(sync) <= 12, report);
	const asyncOverSync = asyncBasic.summary.wallMs / sync.summary.wallMs;
	assert.ok(asyncOverSync >= 0.8 && asyncOverSync <= 1.25, `async/sync ${asyncOverSync.toFixed(2)}: ${report}`);
	// The windows against the sync baseline's own unit (its wall / 8): a busy machine stretches all runs alike.
	const baseUnitMs = sync.summary.wallMs / 8;
	const inBaseUnits = (e: EvalEndEvent) => e.summary.wallMs / baseUnitMs;
	assert.ok(inBaseUnits(window4) >= 1.6 && inBaseUnits(window4) <= 3.2, `window4 ${inBaseUnits(window4).toFixed(2)} sync units: ${report}`);
	assert.ok(inBaseUnits(window8) >= 0.8 && inBaseUnits(window8) <= 2, `window8 ${inBaseUnits(window8).toFixed(2)} sync units: ${report}`);
	assert.ok(window4.summary.wallMs / window8.summary.wallMs >= 1.3, `window 4 slower than window 8: ${report}`);
	// Step 6 does real HTTP in the same process as the server, so on a busy machine its time is CPU,
	// not the 0.5-unit latency: check only that the calls wait for the server and all overlap (max in flight 8, below).
	assert.ok(units(realApi) >= 0.4, report);

	assert.deepEqual(
		[sync, asyncBasic, window4, window8, realApi].map((e) => e.summary.maxInFlight),
		[1, 1, 4, 8, 8],
	);
	assert.deepEqual(
		[sync, asyncBasic, window4, window8].map((e) => e.summary.metrics[0]!.value),
		[1, 1, 1, 1],
	);
	assert.equal(realApi.summary.metrics[0]!.value, 0.75, "the mock API only knows 'amazing' and 'terrible'");

	// `doteval show` prints the timing the tutorial promises (step 4)
	const show = await runCli(['show', 'concurrent_test', '--storage', storage], { cwd: examples });
	assert.equal(show.code, ExitCode.Ok, show.stderr);
	assert.match(show.stdout, /wall .*samples\/s/);
	assert.match(show.stdout, /SlidingWindow\(maxConcurrency=4\)/);

	// Step 4 in one command: `doteval compare` puts the three side by side, same dataset.
	const compare = await runCli(['compare', 'sync_baseline', 'async_basic', 'concurrent_test', '--storage', storage], { cwd: examples });
	assert.equal(compare.code, ExitCode.Ok, compare.stderr);
	const rows = compare.stdout.split('\n').filter((l) => /^(sync_baseline|async_basic|concurrent_test) /.test(l));
	assert.deepEqual(
		rows.map((l) => l.split(/\s+/)[0]),
		['sync_baseline', 'async_basic', 'concurrent_test'],
	);
	assert.equal(new Set(rows.map((l) => l.trim().split(/\s+/).at(-1))).size, 1, 'one dataset fingerprint');
	assert.match(rows[2]!, /SlidingWindow\(maxConcurrency=4\) +[\d.]+× +[\d.]+× +[0-9a-f]{8}$/);
	assert.match(compare.stdout, /All scored the same dataset: doteval diff sync_baseline::evalSyncSentiment/);
});
