// Scenario 2: the results panel lists the samples and filters them; the timing panel draws its charts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasInk, codeLens, openFile, screenshot, waitFor, webviewFrame } from './harness.mjs';
import { cliVerdicts, runLens, startExamples, waitForRunLens } from './fixtures.mjs';

let vscode;

before(async () => {
	vscode = await startExamples('panels');
});

after(async () => {
	await vscode?.stop();
});

/** Click Run above the first eval of `file`, then the last-result lens ("✓ 8/8 · …") that opens the results panel. */
async function runAndOpenResults(file, total) {
	const { page } = vscode;
	await openFile(page, file);
	await waitForRunLens(page);
	await runLens(page).first().click();
	const resultLens = codeLens(page, `/${total}`).first();
	await resultLens.waitFor({ state: 'visible', timeout: 60_000 });
	await resultLens.click();
}

/** The results webview's state: rows shown (index → status), the count line, the active filter. */
function resultsState(frame) {
	return frame.evaluate(() => {
		const root = document.getElementById('results-root');
		return {
			ready: root?.dataset.ready === 'true',
			filter: root?.dataset.filter ?? 'all',
			count: document.getElementById('results-count')?.textContent ?? '',
			rows: [...document.querySelectorAll('.results-row[data-index]')].map((r) => ({ index: Number(r.dataset.index), status: r.dataset.status })),
			header: document.getElementById('results-header')?.textContent ?? '',
		};
	});
}

async function showFilter(frame, filter, expectedRows) {
	await frame.locator(`button[data-filter="${filter}"]`).click({ timeout: 5000 });
	return waitFor(
		async () => {
			const state = await resultsState(frame);
			return state.ready && state.filter === filter && state.rows.length === expectedRows ? state : null;
		},
		{ timeout: 10_000, what: `${expectedRows} rows under the "${filter}" filter` },
	);
}

test('the results panel lists the 8 samples of the concurrent example; the failed filter shows exactly the failed ones', async () => {
	await runAndOpenResults('eval_concurrent_sentiment.ts', 8);
	const frame = await webviewFrame(vscode.page, '#results-root[data-ready="true"]');
	const all = await waitFor(
		async () => {
			const state = await resultsState(frame);
			return state.rows.length === 8 ? state : null;
		},
		{ what: '8 rows in the results panel' },
	);
	assert.deepEqual(
		all.rows.map((r) => r.index).sort((a, b) => a - b),
		[0, 1, 2, 3, 4, 5, 6, 7],
	);
	assert.match(all.count, /8 samples/);
	assert.match(all.header, /evalConcurrentSentiment/);
	await screenshot(vscode.page, '2-results-panel');
	const expected = cliVerdicts(vscode.workspace, 'eval_concurrent_sentiment.ts', 'evalConcurrentSentiment');
	const failed = [...expected].filter(([, v]) => v === 'failed').map(([i]) => i);
	const shown = await showFilter(frame, 'failed', failed.length);
	assert.deepEqual(
		shown.rows.map((r) => r.index).sort((a, b) => a - b),
		failed,
	);
	await showFilter(frame, 'all', 8);
});

test('the timing panel draws its histogram, in-flight and waterfall charts; the window of 4 holds', async () => {
	const results = await webviewFrame(vscode.page, '#results-root[data-ready="true"] header[data-eval-id$="::evalConcurrentSentiment"]');
	await results.locator('#open-timing').click({ timeout: 5000 });
	const frame = await webviewFrame(vscode.page, '#timing-root[data-ready="true"][data-mode="timing"]');
	const charts = await waitFor(
		async () => {
			const ink = await canvasInk(frame, 'canvas');
			const ids = ink
				.filter((c) => c.painted > 200)
				.map((c) => c.id)
				.sort();
			return ids.join() === 'histogram-chart,inflight-chart,waterfall-chart' ? ink : null;
		},
		{ what: 'three painted charts in the timing panel' },
	);
	for (const chart of charts) assert.ok(chart.width > 100 && chart.height > 50, `${chart.id} is ${chart.width}×${chart.height}`);
	const stats = await frame
		.locator('[data-stat]')
		.evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.stat, e.querySelector('.stat-value')?.textContent])));
	assert.equal(stats.samples, '8');
	assert.match(stats.wallMs ?? '', /\d/);
	// SlidingWindow({ maxConcurrency: 4 }): never more than 4 samples in flight.
	assert.ok(Number(stats.maxInFlight) >= 1 && Number(stats.maxInFlight) <= 4, `max in flight ${stats.maxInFlight}`);
	await screenshot(vscode.page, '2-timing-panel');
});

test("the failed filter on an eval with failures (the tutorial's mock API) lists only those samples", async () => {
	const expected = cliVerdicts(vscode.workspace, 'eval_real_async.ts', 'evalRealApi');
	const failed = [...expected].filter(([, v]) => v === 'failed').map(([i]) => i);
	assert.ok(failed.length > 0 && failed.length < 8, `the mock API should fail some samples, not ${failed.length}`);
	await runAndOpenResults('eval_real_async.ts', 8);
	const frame = await webviewFrame(vscode.page, '#results-root[data-ready="true"] header[data-eval-id$="::evalRealApi"]');
	await waitFor(async () => (await resultsState(frame)).rows.length === 8, { what: '8 rows of evalRealApi' });
	const shown = await showFilter(frame, 'failed', failed.length);
	assert.deepEqual(
		shown.rows.map((r) => r.index).sort((a, b) => a - b),
		failed,
	);
	assert.ok(shown.rows.every((r) => r.status === 'failed'));
	assert.match(shown.count, new RegExp(`${failed.length} matching`));
	await screenshot(vscode.page, '2-results-filter-failed');
});
