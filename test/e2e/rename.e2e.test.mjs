// Bug 4 of issue 11: renaming an experiment must not break the panels that show it. They follow the
// experiment by identity, show the same rows under the new name, and retitle their tabs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLens, contextMenu, openFile, runCommand, screenshot, waitFor, webviewFrame } from './harness.mjs';
import { runLens, startExamples, waitForRunLens } from './fixtures.mjs';

const newName = 'renamed_baseline';
let vscode;

before(async () => {
	vscode = await startExamples('rename');
});

after(async () => {
	await vscode?.stop();
});

function resultsState(frame) {
	return frame.evaluate(() => ({
		rows: document.querySelectorAll('.results-row[data-index]').length,
		error: document.getElementById('results-error')?.hidden === false ? document.getElementById('results-error')?.textContent : null,
		header: document.getElementById('results-header')?.textContent ?? '',
	}));
}

const tabTitles = (page) => page.locator('.tabs-container .tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('aria-label') ?? t.textContent ?? ''));

test('after a rename in the Experiments view the results panel shows the same rows under the new name', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_concurrent_sentiment.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	const resultLens = codeLens(page, '/8').first();
	await resultLens.waitFor({ state: 'visible', timeout: 60_000 });
	const oldName = /· (\S+)\s*$/.exec(await resultLens.textContent())?.[1];
	assert.ok(oldName, 'the result lens names its experiment');
	await resultLens.click();
	let frame = await webviewFrame(page, '#results-root[data-ready="true"]');
	await waitFor(async () => (await resultsState(frame)).rows === 8, { what: '8 rows before the rename' });

	await runCommand(page, 'doteval: Focus on Experiments View');
	const row = page.locator('.part.sidebar .monaco-list-row', { hasText: oldName }).first();
	await row.waitFor({ state: 'visible', timeout: 15_000 });
	await contextMenu(page, row, 'Rename');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible', timeout: 5000 });
	await input.fill(newName);
	await page.keyboard.press('Enter');
	await page.locator('.part.sidebar .monaco-list-row', { hasText: newName }).first().waitFor({ state: 'visible', timeout: 15_000 });

	await waitFor(async () => (await tabTitles(page)).some((t) => t.includes(`(${newName})`)), { timeout: 15_000, what: `a tab titled with ${newName}` });
	const titles = await tabTitles(page);
	// `(name)` as the results tab puts it: 'current' alone is also inside 'eval_concurrent_sentiment.ts'.
	assert.ok(!titles.some((t) => t.includes(`(${oldName})`)), `tabs: ${titles.join(' | ')}`);
	frame = await webviewFrame(page, '#results-root[data-ready="true"]');
	const state = await waitFor(
		async () => {
			const s = await resultsState(frame);
			return s.rows === 8 || s.error ? s : null;
		},
		{ timeout: 15_000, what: 'the results panel after the rename' },
	);
	await screenshot(page, 'rename-results-panel');
	assert.equal(state.error, null);
	assert.equal(state.rows, 8);
	// The lens names the experiment by its new name too (lenses render in a visible editor).
	await page.locator('.tabs-container .tab', { hasText: 'eval_concurrent_sentiment.ts' }).first().click();
	await waitFor(async () => (await codeLens(page, newName).count()) > 0, { timeout: 15_000, what: `a lens naming ${newName}` });
});
