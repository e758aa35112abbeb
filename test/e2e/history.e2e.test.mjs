// Scenario 3: the history view lists the experiment of a run, follows the store when another run
// (from a terminal) adds one, and comparing the two experiments shows both.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { canvasInk, codeLens, contextMenu, openFile, pickQuickItems, repoRoot, runCommand, screenshot, waitFor, webviewFrame } from './harness.mjs';
import { latencyScale, runLens, startExamples, waitForRunLens } from './fixtures.mjs';

// Runs from the editor go into the workspace's editor experiment (docs/extension.md, the experiment model).
const experimentName = /^current$/;
let vscode;
let fromLens;

before(async () => {
	vscode = await startExamples('history');
});

after(async () => {
	await vscode?.stop();
});

/** Rows of the doteval history view: { label, description, level }. */
function historyRows(page) {
	return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) =>
		rows.map((row) => ({
			label: row.querySelector('.label-name')?.textContent ?? '',
			description: row.querySelector('.label-description')?.textContent ?? '',
			level: Number(row.getAttribute('aria-level')),
		})),
	);
}

test('after a run from the Run lens, the history view lists its experiment', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_concurrent_sentiment.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	await codeLens(page, '/8').first().waitFor({ state: 'visible', timeout: 60_000 });
	await runCommand(page, 'doteval: Focus on Experiments View');
	const rows = await waitFor(
		async () => {
			const found = (await historyRows(page)).filter((r) => experimentName.test(r.label));
			return found.length === 1 ? found : null;
		},
		{ what: 'one experiment in the history view' },
	);
	fromLens = rows[0].label;
	assert.match(rows[0].description, /^[\d.]+ % · 8\/8 samples/);
	await screenshot(page, '3-history');
});

test('a run from a terminal appears in the history view; comparing the two experiments shows both', async () => {
	const { page } = vscode;
	const cli = path.join(repoRoot, 'runtime', 'dist', 'cli.js');
	const run = spawnSync(process.execPath, [cli, 'run', 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', '--experiment', 'concurrent_test'], {
		cwd: vscode.workspace,
		encoding: 'utf8',
		env: { ...process.env, DOTEVAL_EXAMPLE_LATENCY_SCALE: latencyScale },
		timeout: 60_000,
	});
	assert.equal(run.status, 0, run.stderr);
	await waitFor(async () => (await historyRows(page)).some((r) => r.label === 'concurrent_test'), {
		timeout: 30_000,
		what: 'concurrent_test in the history view',
	});
	const labels = (await historyRows(page)).map((r) => r.label);
	assert.ok(labels.includes(fromLens), `history: ${labels.join(', ')}`);

	// By its exact name: 'current' is also a substring of 'concurrent_test'.
	const row = page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${fromLens}$`) }) });
	await contextMenu(page, row.first(), 'Compare with');
	await pickQuickItems(page, ['concurrent_test']);

	const frame = await webviewFrame(page, '#timing-root[data-ready="true"][data-mode="compare"]');
	const headers = await frame.locator('th[data-experiment]').evaluateAll((els) => els.map((e) => e.dataset.experiment));
	assert.deepEqual([...headers].sort(), [fromLens, 'concurrent_test'].sort());
	// The panel names the evaluations it compares, per experiment and in its heading.
	const compared = await frame.locator('th[data-experiment] .compare-evals').evaluateAll((els) => els.map((e) => e.textContent));
	assert.deepEqual(compared, ['evalConcurrentSentiment', 'evalConcurrentSentiment']);
	assert.match(await frame.locator('#compare-subject').textContent(), /concurrent_test \(evalConcurrentSentiment\)/);
	await waitFor(async () => (await canvasInk(frame, '#compare-chart'))[0]?.painted > 200, { what: 'the comparison chart painted' });
	await screenshot(page, '3-compare');
});
