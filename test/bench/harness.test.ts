// The benchmark harness itself: its statistics, its PASS/MISS verdicts and its process measurement
// (wall time and peak RSS read from /proc) must be right, or every figure in BENCHMARKS.md is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain ESM JavaScript without type declarations
import { median, quantile, pairedRatio, summarize } from '../../bench/lib/stats.mjs';
// @ts-expect-error: plain ESM JavaScript without type declarations
import { rowHelpers, toMarkdown, toSummary } from '../../bench/lib/table.mjs';
// @ts-expect-error: plain ESM JavaScript without type declarations
import { measureProcess } from '../../bench/lib/proc.mjs';

test('median, quantile and min–max', () => {
	assert.equal(median([5, 1, 3]), 3);
	assert.equal(median([4, 1, 3, 2]), 2.5);
	assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.95), 10.5);
	assert.deepEqual(summarize([3, Number.NaN, 1, 2]).values, [3, 1, 2]);
	assert.deepEqual([summarize([3, 1, 2]).min, summarize([3, 1, 2]).max, summarize([3, 1, 2]).n], [1, 3, 3]);
});

test('a ratio is the median of the per-round ratios, so drift between rounds cancels', () => {
	// Round 2 ran on a machine twice as slow for both variants: the paired ratio stays 0.5.
	const r = pairedRatio([100, 200, 110], [200, 400, 220]);
	assert.equal(r.median, 0.5);
	assert.equal(r.min, 0.5);
	assert.equal(r.max, 0.5);
});

test('PASS/MISS follows the goal: on the ratio by default, on the figure when asked', () => {
	const s = rowHelpers.series;
	const ge = rowHelpers.row({
		group: 'G',
		name: 'n',
		figure: s([1], ''),
		ratio: { median: 0.97, min: 0.9, max: 1, n: 3 },
		goal: { op: '>=', value: 0.98, text: '≥ 0.98' },
	});
	assert.equal(ge.status, 'MISS');
	const le = rowHelpers.row({ group: 'G', name: 'n', figure: s([150, 190, 260], 'MB'), goal: { op: '<=', value: 200, on: 'figure', text: '≤ 200 MB' } });
	assert.equal(le.status, 'PASS');
	const none = rowHelpers.notMeasured('G', 'x', 'the CLI is not built', '≤ 1.6×');
	assert.equal(none.status, 'not measured');
	const table = toMarkdown([ge, le, none]);
	assert.match(table, /\| G: n \| 190 MB \(150–260\) \|/);
	assert.match(table, /not measured: the CLI is not built/);
	assert.match(toSummary([ge, le, none]), /\*\*MISS\*\*[\s\S]*\*\*PASS\*\*/);
});

test('measureProcess reports wall time, exit code and the peak RSS of a child that allocates', async () => {
	// The child holds ~150 MB of touched memory for 300 ms, then exits with code 3.
	const script = 'const b = Buffer.alloc(150 * 1024 * 1024, 1); setTimeout(() => { console.log(b[7]); process.exit(3); }, 300);';
	const r = await measureProcess(process.execPath, ['-e', script]);
	assert.equal(r.code, 3);
	assert.equal(r.stdout.trim(), '1');
	assert.ok(r.wallMs >= 300, `wall ${r.wallMs} ms`);
	assert.ok(r.peakRssMb >= 150, `peak RSS ${r.peakRssMb} MB`);
	assert.ok(r.peakRssMb < 1000, `peak RSS ${r.peakRssMb} MB`);
});

test('measureProcess counts a grandchild in the tree', async () => {
	const grandchild = 'const b = Buffer.alloc(120 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 400);';
	const script = `require('child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });`;
	const r = await measureProcess(process.execPath, ['-e', script]);
	assert.equal(r.code, 0);
	assert.ok(r.peakRssMb >= 120, `largest process ${r.peakRssMb} MB`);
	assert.ok(r.treeRssMb >= r.peakRssMb * 0.9, `tree ${r.treeRssMb} MB`);
});
