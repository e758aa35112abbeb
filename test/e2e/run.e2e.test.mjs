// Scenario 1: open the tutorial's concurrent example, click the Run lens, and read the Test Explorer:
// the eval with its 8 samples, each passed/failed as the runtime scored it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { activationTime, codeLensTexts, openFile, readLogs, screenshot, waitFor } from './harness.mjs';
import { cliSamples, cliVerdicts, runLens, startExamples, waitForSamples, waitForRunLens } from './fixtures.mjs';
import { recordFigure } from './figures.mjs';

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
	const visibleAt = Date.now();
	await waitForRunLens(vscode.page);
	// Issue 11's speed goal: first lens <= 2 s after the file is visible (on a quiet machine).
	const firstLens = Date.now() - visibleAt;
	console.log(`first CodeLens ${firstLens} ms after the file was visible (goal <= 2000 ms)`);
	// Where the server's share of it went (its own log line: process start → first answer).
	const startup = readLogs(vscode.runDir)
		.flatMap((l) => l.text.split('\n'))
		.find((l) => l.includes('[startup]'));
	if (startup) console.log(startup.trim());
	recordFigure('firstLens', firstLens, 'folder opened in code-server, eval file opened by Quick Open: file visible → Run lens visible');
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
	assert.deepEqual(
		[...seen.keys()].sort((a, b) => a - b),
		[0, 1, 2, 3, 4, 5, 6, 7],
		`sample labels: ${samples.map((s) => s.label).join(' | ')}`,
	);
	for (const [index, state] of expected) assert.equal(seen.get(index), state, `sample ${index}`);
	const anyFailed = [...expected.values()].some((s) => s !== 'passed');
	assert.equal(evalRow.state, anyFailed ? 'failed' : 'passed');
	// Each sample shows its duration.
	for (const s of samples) assert.match(s.description + s.ariaLabel, /\d(\.\d+)?\s*m?s/, `no duration on ${s.label}`);
});

test("a failed sample shows expected vs actual as a diff (the tutorial's mock API fails some)", async () => {
	const { page } = vscode;
	const failed = [...cliSamples(vscode.workspace, 'eval_real_async.ts', 'evalRealApi').values()].find((s) => s.passed === false);
	assert.ok(failed, 'the mock API should fail a sample');
	await openFile(page, 'eval_real_async.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitForSamples(page, 'evalRealApi', 8);
	// Double-clicking a failed test opens its failure in a peek, with a diff for a failed comparison.
	await page
		.locator('.test-explorer .monaco-list-row[aria-label*="(Failed)"]', { hasText: `#${failed.index} ` })
		.first()
		.dblclick({ timeout: 5000 });
	const diff = page.locator('.peekview-widget .monaco-diff-editor').first();
	await diff.waitFor({ state: 'visible', timeout: 10_000 });
	const side = (which) =>
		diff
			.locator(`.editor.${which} .view-lines`)
			.first()
			.evaluate((el) => el.innerText.trim());
	const score = failed.scores.find((s) => s.passed === false);
	assert.equal(await side('original'), String(score.metadata?.expected ?? failed.row.expected));
	assert.equal(await side('modified'), String(score.metadata?.result ?? failed.modelResponse));
	await screenshot(page, '1-failed-sample-diff');
});

test('after a run ends, the result lens shows it quickly (lens lag)', async () => {
	const { page } = vscode;
	// Measured on the editor the previous test left active (an 8-sample example; its diff peek closed):
	// reopening another file through Quick Open from a focused peek does not switch tabs in code-server.
	await page.locator('.peekview-widget .codicon-close').first().click({ timeout: 5000 });
	await page.locator('.peekview-widget').first().waitFor({ state: 'hidden', timeout: 5000 });
	const before = (await codeLensTexts(page)).find((t) => /\/8 ·/.test(t)) ?? '';
	const finishedLines = () =>
		readLogs(vscode.runDir)
			.filter((l) => /doteval\.log$/.test(l.file))
			.flatMap((l) => l.text.split('\n'))
			.filter((l) => l.includes('run finished'));
	const finishedBefore = finishedLines().length;
	await runLens(page).first().click();
	// Poll the lens often: the time it changes is what is measured.
	let seenAt = 0;
	await waitFor(
		async () => {
			const lens = (await codeLensTexts(page)).find((t) => /\/8 ·/.test(t) && !t.startsWith('◌'));
			if (lens && lens !== before && finishedLines().length > finishedBefore) return (seenAt = Date.now());
			return 0;
		},
		{ timeout: 60_000, interval: 25, what: 'the result lens of the new run' },
	);
	const line = finishedLines()[finishedBefore];
	const finishedAt = Date.parse(line.slice(0, 23).replace(' ', 'T'));
	const lag = seenAt - finishedAt;
	console.log(`lens lag: result lens ${lag} ms after the extension logged "run finished" (goal <= 300 ms)`);
	recordFigure('lensLag', lag, 'run from the Run lens: the extension\'s "run finished" log line → the new result lens visible');
	assert.ok(Number.isFinite(lag), line);
});

/** A duration as VS Code's Test Explorer or the lens writes it (`12ms`, `1.4s`, `2.01 s`), in ms. */
function durationMs(text) {
	const m = /(\d+(?:\.\d+)?)\s*(ms|s)\b/.exec(text ?? '');
	return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : null;
}

test('after a window reload: the first lens again (V8 code cache warm) and the tree with wall times from the store', async () => {
	const { page } = vscode;
	await page.reload();
	// VS Code restores the editor it had open; the first lens is timed from when its text shows.
	await page.locator('.tabs-container .tab.active', { hasText: 'eval_real_async.ts' }).waitFor({ state: 'visible', timeout: 60_000 });
	await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30_000 });
	const visibleAt = Date.now();
	await waitForRunLens(page);
	const firstLens = Date.now() - visibleAt;
	console.log(`first CodeLens after a window reload ${firstLens} ms after the file was visible (goal <= 2000 ms)`);
	const startups = readLogs(vscode.runDir)
		.flatMap((l) => l.text.split('\n'))
		.filter((l) => l.includes('[startup]'));
	if (startups.length) console.log(startups.at(-1).trim());
	recordFigure(
		'firstLensWarm',
		firstLens,
		'window reloaded in code-server (V8 code cache of the first start present): restored file visible → Run lens visible',
	);

	// The tree comes back from the store: the eval's own duration is its wall time, which the result
	// lens shows too, not the sum of its samples' latencies.
	const resultLens = await waitFor(async () => (await codeLensTexts(page)).find((t) => /\/8 ·/.test(t) && !t.startsWith('◌')), {
		timeout: 30_000,
		what: 'the result lens after the reload',
	});
	const wallMs = durationMs(/· ([\d.]+ m?s) ·/.exec(resultLens)?.[1]);
	const { evalRow, samples } = await waitForSamples(page, 'evalRealApi', 8);
	await screenshot(page, '1-after-reload-test-explorer');
	const treeMs = durationMs(evalRow.description + ' ' + evalRow.ariaLabel);
	const sumMs = samples.reduce((n, s) => n + (durationMs(s.description + ' ' + s.ariaLabel) ?? 0), 0);
	console.log(`after reload: eval row ${treeMs} ms, result lens ${wallMs} ms (${resultLens}), samples' sum ${sumMs} ms`);
	assert.notEqual(wallMs, null, `no wall time in the result lens: ${resultLens}`);
	assert.notEqual(treeMs, null, `no duration on the eval row: ${evalRow.description} | ${evalRow.ariaLabel}`);
	// VS Code rounds to 0.1 s above a second, the lens to 3 digits.
	assert.ok(Math.abs(treeMs - wallMs) <= Math.max(60, wallMs * 0.01), `eval row ${treeMs} ms, stored wall time ${wallMs} ms`);
});
