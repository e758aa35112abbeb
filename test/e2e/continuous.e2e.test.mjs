// Item 10 of issue 11: continuous run. Turn on continuous run in the Testing view, then save an eval file:
// its evals run again by themselves, capped at 10 samples per eval (every run calls the model).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openFile, readLogs, screenshot, startVSCode, waitFor } from './harness.mjs';
import { showWholeTestTree, waitForRunLens, waitForSamples } from './fixtures.mjs';

const rows = Array.from({ length: 15 }, (_, i) => `['w${i}']`).join(', ');
const evalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

export const evalWatched = foreach('word', [${rows}])(({ word }) => new Result(exactMatch(word, word)));
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'continuous', files: { 'eval_watched.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

const logLines = () =>
	readLogs(vscode.runDir)
		.filter((l) => /doteval\.log$/.test(l.file))
		.flatMap((l) => l.text.split('\n'));

test('saving a file under a continuous run runs its evals again, 10 samples each', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_watched.ts');
	await waitForRunLens(page);
	await showWholeTestTree(page);
	// The Testing view's toolbar toggle (the eye): a continuous run of everything.
	await page.locator('.part.sidebar .action-label[aria-label*="Continuous Run"]').first().click({ timeout: 10_000 });
	// Nothing runs until a save.
	await page.waitForTimeout(1500);
	assert.equal(logLines().filter((l) => l.includes('run (in ')).length, 0, 'no run before a save');

	await page.locator('.tabs-container .tab', { hasText: 'eval_watched.ts' }).first().click({ timeout: 5000 });
	// Save the active editor (File: Save; a save without changes is a save too).
	await page.keyboard.press('Control+S');
	const command = await waitFor(() => logLines().find((l) => l.includes('run (in ') && l.includes('eval_watched.ts::evalWatched')), {
		timeout: 60_000,
		what: 'a run started by the save',
	});
	assert.match(command, /--samples 10\b/);
	assert.ok(logLines().some((l) => /continuous run: .*eval_watched\.ts saved/.test(l)));
	await waitForSamples(page, 'evalWatched', 10, { timeout: 60_000 });
	await screenshot(page, 'continuous-run');
});
