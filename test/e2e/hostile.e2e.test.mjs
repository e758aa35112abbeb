// Scenario 4: model outputs that are markup (<img onerror>, <script>) show as text everywhere and run
// nothing: no dialog, no element parsed from them, no mark left by their code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLens, openFile, screenshot, waitFor, webviewFrame } from './harness.mjs';
import { hostileEvalFile, hostileOutputs, runLens, startExamples, waitForSamples, waitForRunLens } from './fixtures.mjs';

let vscode;

before(async () => {
	vscode = await startExamples('hostile', { files: { 'eval_hostile_output.ts': hostileEvalFile } });
});

after(async () => {
	await vscode?.stop();
});

/** What ran or was parsed in the results webview that should not have been. */
function intrusions(frame) {
	return frame.evaluate(() => ({
		pwned: document.documentElement.dataset.pwned ?? null,
		images: document.querySelectorAll('img, [onerror]').length,
		// VS Code injects its own inline script into every webview: count only scripts from the samples.
		scripts: [...document.querySelectorAll('script')].filter((s) => /pwned|alert/.test(s.textContent ?? '')).length,
		bold: document.querySelectorAll('#results-root b').length,
	}));
}

test('a run of the hostile eval shows its samples in the Test Explorer with the markup as text', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_hostile_output.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	const { samples } = await waitForSamples(page, 'evalHostileOutput', hostileOutputs.length);
	// The row preview holds "question <b>0</b>": the tree shows the tags as characters.
	assert.ok(
		samples.some((s) => s.label.includes('<b>0</b>')),
		`labels: ${samples.map((s) => s.label).join(' | ')}`,
	);
	assert.deepEqual(
		samples.map((s) => s.state),
		hostileOutputs.map((o) => (o === 'positive' ? 'passed' : 'failed')),
	);
	assert.equal(await page.locator('.monaco-workbench b', { hasText: /^0$/ }).count(), 0, 'markup from a row was parsed in the workbench');
});

test('the results panel shows each model output as text and runs none of it', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_hostile_output.ts');
	const resultLens = codeLens(page, `/${hostileOutputs.length}`).first();
	await resultLens.waitFor({ state: 'visible', timeout: 30_000 });
	await resultLens.click();
	const frame = await webviewFrame(page, '#results-root[data-ready="true"] header[data-eval-id$="::evalHostileOutput"]');
	const responses = await waitFor(
		async () => {
			const cells = await frame.locator('.results-row[data-index] .cell-response').evaluateAll((els) => els.map((e) => e.textContent));
			return cells.length === hostileOutputs.length ? cells : null;
		},
		{ what: 'every row in the results panel' },
	);
	// The table shows a preview: the output's own characters, possibly cut short with an ellipsis.
	responses.forEach((shown, i) => {
		const text = shown.replace(/…$/, '');
		assert.ok(text.length >= Math.min(10, hostileOutputs[i].length) && hostileOutputs[i].startsWith(text), `row ${i} shows ${JSON.stringify(shown)}`);
	});

	// The detail view of each hostile sample shows the full output verbatim.
	for (let index = 0; index < hostileOutputs.length - 1; index++) {
		await frame.locator(`.results-row[data-index="${index}"]`).click({ timeout: 5000 });
		const text = await waitFor(
			async () => frame.locator(`#sample-detail .detail-body[data-index="${index}"] [data-field="modelResponse"] pre`).textContent({ timeout: 500 }),
			{ what: `the detail of sample ${index}` },
		);
		assert.equal(text, hostileOutputs[index]);
		if (index === 0) await screenshot(page, '4-hostile-output-as-text');
	}
	// Give any injected handler (image error events fire asynchronously) time to run, then look.
	await page.waitForTimeout(1000);
	assert.deepEqual(await intrusions(frame), { pwned: null, images: 0, scripts: 0, bold: 0 });
	assert.deepEqual(vscode.dialogs, [], `dialogs: ${JSON.stringify(vscode.dialogs)}`);
	assert.equal(await page.evaluate(() => document.documentElement.dataset.pwned ?? null), null);
});
