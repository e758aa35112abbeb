// Item 9 of issue 11: an errored sample's message points at the line that threw (the source-mapped
// stack), not at the eval's declaration, and its stack shows the user's frames only (no runtime files).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openFile, screenshot, waitFor } from './harness.mjs';
import { evalWithSamples, runLens, showWholeTestTree, startExamples, waitForRunLens } from './fixtures.mjs';

const evalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

function callModel(n: number): string {
	if (n === 1) throw new TypeError('the model answered nonsense');
	return 'yes';
}

export const evalThrows = foreach('n', [[0], [1], [2]])(({ n }) => new Result(exactMatch(callModel(n), 'yes')));
`;
let vscode;

before(async () => {
	vscode = await startExamples('errorlocation', { files: { 'eval_throws.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

test("an errored sample opens at the line that threw, with the user's frames only", async () => {
	const { page } = vscode;
	await openFile(page, 'eval_throws.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitFor(
		async () => {
			await showWholeTestTree(page);
			const { samples } = await evalWithSamples(page, 'evalThrows');
			return samples.length === 3 && samples.every((s) => ['passed', 'error'].includes(s.state));
		},
		{ timeout: 60_000, interval: 500, what: '3 finished samples' },
	);
	await page.locator('.test-explorer .monaco-list-row', { hasText: '#1 ' }).first().dblclick({ timeout: 5000 });
	const peek = page.locator('.peekview-widget').first();
	await peek.waitFor({ state: 'visible', timeout: 10_000 });
	await page.waitForTimeout(500);
	// The peek opens below the line of its message's location: line 5 (the throw), not line 9 (the eval).
	const editor = page.locator('.monaco-editor', { has: page.locator('.peekview-widget') }).first();
	const lineTop = (n) =>
		editor
			.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${n}$`) })
			.first()
			.evaluate((el) => el.getBoundingClientRect().top);
	const peekTop = await peek.evaluate((el) => el.getBoundingClientRect().top);
	const [five, six] = [await lineTop(5), await lineTop(6)];
	await screenshot(page, 'error-location-peek');
	assert.ok(five < peekTop && peekTop < six, `the peek (top ${peekTop}) opens between line 5 (${five}) and line 6 (${six})`);
	const text = await peek.evaluate((el) => el.innerText);
	assert.match(text, /the model answered nonsense/);
	assert.match(text, /callModel/);
	assert.doesNotMatch(
		text,
		/attempts\.ts|sampleContext|node:async_hooks|runtime[\\/]dist|chunk-/,
		'runtime and Node frames are hidden (live and when the tree reloads the stored samples)',
	);
});
