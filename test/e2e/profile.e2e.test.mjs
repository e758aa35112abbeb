// Item 10 of issue 11: the Run profile's configuration. A user opens *Test: Configure Test Profiles*
// → Run, answers the three input boxes (a wrong value shows its validation message and is not
// accepted), runs from the Testing view, and the run has those settings: the CLI line has the flags,
// the samples run at most N at once, and the Testing view and the lens show the experiment with N
// samples. Emptying the sample count brings back a continuous run's default cap of 10.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLensTexts, openFile, readLogs, runCommand, screenshot, startVSCode, waitFor, workspaceFile } from './harness.mjs';
import { evalWithSamples, showWholeTestTree, waitForRunLens, waitForSamples } from './fixtures.mjs';

// 15 rows. The first sample waits (up to 20 s) until a second one is in flight; each writes the most
// samples it saw at once. So the file says exactly the concurrency a run allows (1 when the samples run
// one at a time), however slow the machine is.
const rows = Array.from({ length: 15 }, (_, i) => `['w${i}']`).join(', ');
const evalFile = `import { writeFileSync } from 'node:fs';
import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

let inFlight = 0;
let most = 0;
export const evalTuned = foreach('word', [${rows}])(async ({ word }) => {
	inFlight++;
	most = Math.max(most, inFlight);
	for (const start = Date.now(); word === 'w0' && inFlight < 2 && Date.now() - start < 20_000; ) await new Promise((r) => setTimeout(r, 50));
	await new Promise((r) => setTimeout(r, 200));
	most = Math.max(most, inFlight);
	inFlight--;
	writeFileSync(new URL('./most-in-flight', import.meta.url), String(most));
	return new Result(exactMatch(word, word));
});
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'profile', files: { 'eval_tuned.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

const page = () => vscode.page;
const logLines = () =>
	readLogs(vscode.runDir)
		.filter((l) => /doteval\.log$/.test(l.file))
		.flatMap((l) => l.text.split('\n'));
const runLines = () => logLines().filter((l) => l.includes('run (in '));

/** The open input box: its field, and the message under it (prompt or validation error). */
function inputBox() {
	const widget = page().locator('.quick-input-widget');
	return { field: widget.locator('.quick-input-box input'), message: widget.locator('.quick-input-message') };
}

/**
 * Wait for the input box whose prompt is `promptText`, type `value` (replacing the prefilled text) and
 * accept it once the box shows its prompt again (not a validation error). Each box has its own prompt,
 * so this never types into the box before.
 */
async function answer(value, promptText) {
	const { field, message } = inputBox();
	const showsPrompt = async () => (await message.textContent())?.includes(promptText);
	await waitFor(showsPrompt, { timeout: 10_000, what: `the input box "${promptText}"` });
	await field.fill(value);
	await waitFor(showsPrompt, { timeout: 10_000, what: `"${value}" accepted by the input box "${promptText}"` });
	await page().keyboard.press('Enter');
}

/** Test: Configure Test Profiles → doteval's Run profile: opens its first input box. */
async function openRunProfileConfiguration() {
	await runCommand(page(), 'Test: Configure Test Profiles');
	const row = page().locator('.quick-input-list .monaco-list-row', { hasText: 'Run' }).first();
	await row.waitFor({ state: 'visible', timeout: 10_000 });
	await row.click({ timeout: 5000 });
}

test('the Run profile: configured in its input boxes, its next run has those samples, concurrency and experiment', async () => {
	await openFile(page(), 'eval_tuned.ts');
	await waitForRunLens(page());
	await showWholeTestTree(page());

	await openRunProfileConfiguration();
	const { field, message } = inputBox();
	await waitFor(async () => (await message.textContent())?.includes('Samples per eval'), { timeout: 10_000, what: 'the samples input box' });
	await field.fill('0');
	const error = await waitFor(
		async () => {
			const text = await message.textContent();
			return text?.includes('whole number') ? text : null;
		},
		{ timeout: 10_000, what: 'the validation message for 0 samples' },
	);
	assert.match(error, /Samples must be a whole number of 1 or more, or empty for the default/);
	await screenshot(page(), 'profile-validation');
	// Enter on an invalid value is refused: the box stays, with its message.
	await page().keyboard.press('Enter');
	await page().waitForTimeout(500);
	assert.equal(await field.inputValue(), '0', 'the invalid value was not accepted');
	await field.fill('4'); // a valid value: the error goes, the prompt is back
	await answer('4', 'Samples per eval');
	await answer('2', 'Samples at once');
	await answer('tuned', 'Experiment the runs go into');
	await waitFor(() => logLines().some((l) => l.includes('Run profile: 4 samples · concurrency 2 · experiment tuned')), {
		timeout: 10_000,
		what: 'the log line of the saved profile',
	});

	// Run from the Testing view: the default Run profile's run of everything.
	await runCommand(page(), 'Test: Run All Tests');
	const command = await waitFor(() => runLines().find((l) => l.includes('eval_tuned.ts')), { timeout: 60_000, what: 'the run started from the Testing view' });
	assert.match(command, /--samples 4\b/, command);
	assert.match(command, /--concurrency 2\b/, command);
	assert.match(command, /--experiment tuned\b/, command);

	const { evalRow, samples } = await waitForSamples(page(), 'evalTuned', 4, { timeout: 90_000 });
	assert.deepEqual(
		samples.map((s) => s.state),
		['passed', 'passed', 'passed', 'passed'],
	);
	const described = await waitFor(
		async () => {
			await showWholeTestTree(page());
			const row = (await evalWithSamples(page(), 'evalTuned')).evalRow;
			return row && /tuned/.test(row.description) ? row : null;
		},
		{ timeout: 30_000, interval: 500, what: `the eval's description naming the experiment (was: ${evalRow.description})` },
	);
	assert.match(described.description, /tuned: 4\/4 passed/);
	const lens = await waitFor(async () => (await codeLensTexts(page())).find((t) => t.trim().endsWith('· tuned') && !t.startsWith('◌')), {
		timeout: 30_000,
		what: 'the result lens of the tuned experiment',
	});
	// A new experiment's dataset is the 4 samples that ran (its total is 4, so no "· 4 of 15 ran").
	assert.match(lens, /^✓ 4\/4 · 100 % · [\d.]+ m?s · tuned$/, lens);
	assert.equal(workspaceFile(vscode, 'most-in-flight'), '2', 'at most 2 samples at once, and 2 did run together');
	await screenshot(page(), 'profile-run');
});

test('with the sample count emptied, a continuous run takes its default 10 samples, in the profile experiment', async () => {
	await openRunProfileConfiguration();
	// Each box is prefilled with the current value; emptying the first means "all samples".
	const { field } = inputBox();
	await waitFor(async () => (await field.inputValue()) === '4', { timeout: 10_000, what: 'the samples box prefilled with 4' });
	await answer('', 'Samples per eval');
	await answer('2', 'Samples at once');
	await answer('tuned', 'Experiment the runs go into');
	await waitFor(() => logLines().some((l) => l.includes('Run profile: all samples · concurrency 2 · experiment tuned')), {
		timeout: 10_000,
		what: 'the log line of the changed profile',
	});

	const before = runLines().length;
	await page().locator('.part.sidebar .action-label[aria-label*="Continuous Run"]').first().click({ timeout: 10_000 });
	await page().locator('.tabs-container .tab', { hasText: 'eval_tuned.ts' }).first().click({ timeout: 5000 });
	await page().keyboard.press('Control+S');
	const command = await waitFor(
		() =>
			runLines()
				.slice(before)
				.find((l) => l.includes('eval_tuned.ts')),
		{
			timeout: 60_000,
			what: 'the run started by the save',
		},
	);
	assert.match(command, /--samples 10\b/, command);
	assert.match(command, /--concurrency 2\b/, command);
	assert.match(command, /--experiment tuned\b/, command);
	await waitForSamples(page(), 'evalTuned', 10, { timeout: 90_000 });
	await waitFor(
		async () => {
			await showWholeTestTree(page());
			return /tuned: 10\/10 passed/.test((await evalWithSamples(page(), 'evalTuned')).evalRow?.description ?? '');
		},
		{ timeout: 30_000, interval: 500, what: 'the eval described as tuned: 10/10 passed' },
	);
	assert.equal(workspaceFile(vscode, 'most-in-flight'), '2');
	await screenshot(page(), 'profile-continuous');
});
