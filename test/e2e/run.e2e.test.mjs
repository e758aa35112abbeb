// Scenario 1: open the tutorial's concurrent example, click the Run lens, and read the Test Explorer:
// the eval with its 8 samples, each passed/failed as the runtime scored it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { activationTime, openFile, screenshot } from './harness.mjs';
import { cliVerdicts, runLens, startExamples, waitForSamples, waitForRunLens } from './fixtures.mjs';

const file = 'eval_concurrent_sentiment.ts';
const evalName = 'evalConcurrentSentiment';
let vscode;

before(async () => {
	vscode = await startExamples('run');
});

after(async () => {
	await vscode?.stop();
});

test('the Run lens appears above the concurrent example', async () => {
	await openFile(vscode.page, file);
	await waitForRunLens(vscode.page);
	const text = await runLens(vscode.page).first().textContent();
	assert.match(text ?? '', /Run/);
});

test('the extension reports its activation time', () => {
	const ms = activationTime(vscode.runDir);
	assert.notEqual(ms, null, 'no "activated in N ms" line in the doteval output channel log');
	console.log(`doteval extension activated in ${ms} ms (goal <= 100 ms)`);
	assert.ok(ms > 0 && ms < 5000, `activation took ${ms} ms`);
});

test('clicking Run shows the eval with 8 samples, passed/failed as the runtime scored them', async () => {
	await runLens(vscode.page).first().click();
	const { evalRow, samples } = await waitForSamples(vscode.page, evalName, 8);
	await screenshot(vscode.page, '1-run-test-explorer');
	const expected = cliVerdicts(vscode.workspace, file, evalName);
	assert.equal(expected.size, 8);
	const seen = new Map(samples.map((s) => [Number(/\d+/.exec(s.label)?.[0]), s.state]));
	assert.deepEqual([...seen.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7], `sample labels: ${samples.map((s) => s.label).join(' | ')}`);
	for (const [index, state] of expected) assert.equal(seen.get(index), state, `sample ${index}`);
	const anyFailed = [...expected.values()].some((s) => s !== 'passed');
	assert.equal(evalRow.state, anyFailed ? 'failed' : 'passed');
	// Each sample shows its duration.
	for (const s of samples) assert.match(s.description + s.ariaLabel, /\d(\.\d+)?\s*m?s/, `no duration on ${s.label}`);
});
