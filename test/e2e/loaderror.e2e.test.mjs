// Bug 5 of issue 11: an eval file that throws while loading. The log, the Test Explorer and the
// Problems view must show the real error at the throwing line (read from the source-mapped stack),
// not "it defines no evals" and not line 1. Runs with the bundled runtime, so the packaged .vsix's own
// runtime is what is checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openFile, readLogs, runCommand, screenshot, startVSCode, testExplorerRows, waitFor } from './harness.mjs';
import { runLens, showWholeTestTree, waitForRunLens } from './fixtures.mjs';

const evalFile = `import { foreach, Result } from 'doteval';
const config: any = undefined;

const modelName = config.model.name;

export const evalBroken = foreach('text', [['a'], ['b']])(({ text }) => new Result(text === modelName));
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'loaderror', files: { 'eval_broken.ts': evalFile }, linkRuntime: false });
});

after(async () => {
	await vscode?.stop();
});

const logText = () =>
	readLogs(vscode.runDir)
		.filter((l) => /doteval\.log$/.test(l.file))
		.map((l) => l.text)
		.join('\n');

test('a TypeError at load time is reported at line 4 in the log, the Test Explorer and the Problems view', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_broken.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	const line = await waitFor(
		() =>
			logText()
				.split('\n')
				.find((l) => l.includes('load error:')),
		{ timeout: 60_000, what: 'a load error in the doteval log' },
	);
	assert.match(line, /eval_broken\.ts:4:\d+: TypeError: Cannot read properties of undefined \(reading 'model'\)/);
	assert.doesNotMatch(logText(), /defines no evals/);

	await showWholeTestTree(page);
	const fileRow = await waitFor(async () => (await testExplorerRows(page)).find((r) => r.label === 'eval_broken.ts' && r.state === 'error'), {
		timeout: 15_000,
		what: 'the file errored in the Test Explorer',
	});
	assert.ok(fileRow);
	await screenshot(page, 'loaderror-test-explorer');

	await runCommand(page, 'Focus on Problems View');
	const problem = await waitFor(
		async () => {
			const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
			return rows.find((r) => r.includes('TypeError'));
		},
		{ timeout: 15_000, what: 'the TypeError in the Problems view' },
	);
	assert.match(problem, /Ln 4/);
	await screenshot(page, 'loaderror-problems');
});
