// Bug 2 of issue 11: "Rerun Failed Tests" includes the failed samples and their failed parent eval;
// it must start one CLI run over exactly the failed samples (not a second, full run of the eval).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openFile, readLogs, runCommand, screenshot, waitFor } from './harness.mjs';
import { cliVerdicts, runLens, startExamples, waitForRunLens, waitForSamples } from './fixtures.mjs';

const file = 'eval_real_async.ts';
const evalName = 'evalRealApi';
let vscode;

before(async () => {
	vscode = await startExamples('rerun');
});

after(async () => {
	await vscode?.stop();
});

/** The extension's own log (the "doteval" output channel). */
function logText() {
	return readLogs(vscode.runDir)
		.filter((l) => /doteval\.log$/.test(l.file))
		.map((l) => l.text)
		.join('\n');
}

/** The `run (in …): node cli.js run …` lines the extension logged, in order. */
function runLines() {
	return logText()
		.split('\n')
		.filter((line) => line.includes('run (in '));
}

test('Rerun Failed Tests runs only the failed samples, in one run', async () => {
	const { page } = vscode;
	const failed = [...cliVerdicts(vscode.workspace, file, evalName)]
		.filter(([, v]) => v !== 'passed')
		.map(([i]) => i)
		.sort((a, b) => a - b);
	assert.ok(failed.length > 0 && failed.length < 8, `the example should fail some samples: ${failed}`);
	await openFile(page, file);
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitForSamples(page, evalName, 8);
	assert.equal(runLines().length, 1);

	await runCommand(page, 'Test: Rerun Failed Tests');
	// Until every run started has finished, and no further one starts for a while.
	const settled = () => {
		const log = logText();
		const started = (log.match(/run \(in /g) ?? []).length;
		return started >= 2 && started === (log.match(/run (finished|cancelled)/g) ?? []).length ? started : 0;
	};
	await waitFor(settled, { timeout: 60_000, what: 'the rerun finished' });
	await page.waitForTimeout(3000);
	await waitFor(settled, { timeout: 60_000, what: 'every run finished' });
	const { samples } = await waitForSamples(page, evalName, 8);
	await screenshot(page, 'rerun-failed');
	const reruns = runLines().slice(1);
	assert.equal(reruns.length, 1, `runs started by Rerun Failed:\n${reruns.join('\n')}`);
	assert.match(reruns[0], new RegExp(`--only-samples ${failed.join(',')}(\\s|$)`), reruns[0]);
	assert.equal(samples.length, 8);
});
