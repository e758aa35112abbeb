// Scenario 6: Debug on one sample (its Test Explorer item) starts Node's debugger on that sample only,
// and a breakpoint inside the eval function stops with that sample's row in scope.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openFile, screenshot, waitFor } from './harness.mjs';
import { examplesDir, runLens, startExamples, waitForSamples, waitForRunLens } from './fixtures.mjs';

const file = 'eval_concurrent_sentiment.ts';
const chosen = 3;
let vscode;

before(async () => {
	vscode = await startExamples('debug');
});

after(async () => {
	await vscode?.stop();
});

test('a run first lists the samples in the Test Explorer', async () => {
	const { page } = vscode;
	await openFile(page, file);
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitForSamples(page, 'evalConcurrentSentiment', 8);
});

test('Debug on one sample stops at a breakpoint in the eval function, on that sample', async () => {
	const { page } = vscode;
	// A breakpoint on the first line of the eval function's body.
	const line =
		readFileSync(path.join(examplesDir, file), 'utf8')
			.split('\n')
			.findIndex((l) => l.includes('const prediction = await')) + 1;
	assert.ok(line > 0);
	await openFile(page, file);
	await page.keyboard.press('Control+G');
	await page.locator('.quick-input-widget input').fill(`:${line}`);
	await page.keyboard.press('Enter');
	await page.keyboard.press('F9');
	await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ state: 'attached', timeout: 5000 });

	const row = page.locator(`.test-explorer .monaco-list-row[aria-level="4"]`, { hasText: `#${chosen} ` }).first();
	await row.hover({ timeout: 5000 });
	await row.locator('.action-label[aria-label^="Debug"]').click({ timeout: 5000 });

	await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 60_000 });
	const paused = await waitFor(
		async () => {
			const text = await page
				.locator('.debug-call-stack')
				.evaluate((el) => el.textContent ?? '')
				.catch(() => '');
			return /Paused on breakpoint/i.test(text) ? text : null;
		},
		{ timeout: 60_000, what: 'the call stack paused on the breakpoint' },
	);
	assert.match(paused, /eval_concurrent_sentiment\.ts/);
	await page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ state: 'attached', timeout: 5000 });
	// Only the chosen sample runs: the launched command line (echoed in the Debug Console) says so.
	const consoleText = await waitFor(
		async () => {
			const text = await page
				.locator('.repl')
				.evaluate((el) => el.textContent ?? '')
				.catch(() => '');
			return text.includes('--only-samples') ? text : null;
		},
		{ what: 'the debugged command line in the Debug Console' },
	);
	assert.match(consoleText, new RegExp(`--only-samples ${chosen}\\b`));
	// The paused sample is the chosen one: its text is in the Variables view (sample 3 is "Great cinematography…").
	await page
		.locator('.debug-variables .monaco-list-row', { hasText: /^\s*Local\s*$/ })
		.first()
		.click({ timeout: 5000 });
	const variables = await waitFor(
		async () => {
			const text = await page
				.locator('.debug-variables')
				.evaluate((el) => el.textContent ?? '')
				.catch(() => '');
			return text.includes('Great cinematography') ? text : null;
		},
		{ timeout: 10_000, what: `sample ${chosen}'s text in the Variables view` },
	);
	assert.doesNotMatch(variables, /This movie is absolutely amazing/);
	await screenshot(page, '6-debug-paused');

	// Continue to the end: only the one sample runs, so the session ends by itself.
	await page.keyboard.press('F5');
	await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
});
