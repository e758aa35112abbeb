// Bug 3 of issue 11: a cancelled run must read as interrupted, never as passed, and the samples it
// never ran must show as not run. The eval's first four samples answer at once; the others take
// 30 s, longer than the grace the extension gives a cancelled CLI (5 s) before SIGKILL, so the run
// always ends killed, without the CLI's eval-end: the extension must still end the eval as
// interrupted (the graceful path, eval-end 'interrupted', is covered by test/client/runTracker).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLensTexts, openFile, runCommand, screenshot, waitFor } from './harness.mjs';
import { evalWithSamples, runLens, showWholeTestTree, startExamples, waitForRunLens } from './fixtures.mjs';

const evalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

const rows = Array.from({ length: 8 }, (_, i) => [\`text \${i}\`, 'positive']);

export const evalSlowTail = foreach('text,expected', rows)(async ({ text, expected }) => {
	const index = Number(text.split(' ')[1]);
	if (index >= 4) await new Promise((r) => setTimeout(r, 30_000));
	return new Result(exactMatch('positive', expected), { prompt: text, modelResponse: 'positive' });
});
`;
let vscode;

before(async () => {
	vscode = await startExamples('cancel', { files: { 'eval_slow_tail.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

test('cancelling a run after 4 of 8 samples: the eval reads as interrupted, the unrun samples as not run', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_slow_tail.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitFor(
		async () => {
			await showWholeTestTree(page);
			const { samples } = await evalWithSamples(page, 'evalSlowTail');
			return samples.filter((s) => s.state === 'passed').length >= 4;
		},
		{ timeout: 60_000, interval: 300, what: '4 passed samples' },
	);
	await runCommand(page, 'doteval: Cancel Run');
	const found = await waitFor(
		async () => {
			await showWholeTestTree(page);
			const result = await evalWithSamples(page, 'evalSlowTail');
			return result.samples.length === 8 && result.evalRow && !['running', 'queued'].includes(result.evalRow.state) ? result : null;
		},
		{ timeout: 30_000, interval: 300, what: '8 sample rows and a settled eval row' },
	);
	await screenshot(page, 'cancel-test-explorer');
	const { evalRow, samples } = found;
	assert.notEqual(evalRow.state, 'passed', `eval row: ${JSON.stringify(evalRow)}`);
	assert.equal(evalRow.state, 'error');
	const ran = samples.filter((s) => s.state === 'passed');
	const notRun = samples.filter((s) => s.state === 'skipped');
	assert.ok(ran.length >= 4 && notRun.length >= 1, `states: ${samples.map((s) => `${s.label}=${s.state}`).join(', ')}`);
	assert.equal(ran.length + notRun.length, 8);
	for (const s of notRun) assert.match(s.description, /not run/);
	// The lens shows the stored result as interrupted (no check mark, the count out of 8).
	const lens = await waitFor(async () => (await codeLensTexts(page)).find((t) => /\/8/.test(t) && !t.startsWith('◌')), {
		timeout: 20_000,
		what: 'a result lens of the ended run',
	});
	assert.doesNotMatch(lens, /✓/);
	assert.match(lens, /interrupted/);
	await screenshot(page, 'cancel-lens');
});
