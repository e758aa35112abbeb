// Bug 1 of issue 11: the packaged .vsix must run evals in a project that installs nothing. The
// workspace is a fresh folder outside the repository with one eval file and no node_modules at all,
// so neither `doteval` nor `esbuild` can resolve from the project (or from the repository).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openFile, readLogs, repoRoot, screenshot, startVSCode } from './harness.mjs';
import { runLens, waitForRunLens, waitForSamples } from './fixtures.mjs';

const evalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

const rows: [string, string][] = [['good', 'positive'], ['bad', 'negative'], ['meh', 'positive']];
const model = (text: string) => (text === 'bad' ? 'negative' : text === 'good' ? 'positive' : 'neutral');

export const evalStandalone = foreach('text,expected', rows)(({ text, expected }) => {
	const answer = model(text);
	return new Result(exactMatch(answer, expected), { prompt: text, modelResponse: answer });
});
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'packaged', files: { 'eval_standalone.ts': evalFile }, linkRuntime: false });
});

after(async () => {
	await vscode?.stop();
});

test('the workspace is outside the repository and has no node_modules', () => {
	assert.ok(!vscode.workspace.startsWith(repoRoot + path.sep), vscode.workspace);
	assert.ok(!existsSync(path.join(vscode.workspace, 'node_modules')));
	for (let dir = vscode.workspace; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
		assert.ok(!existsSync(path.join(dir, 'node_modules', 'esbuild')), `${dir}/node_modules/esbuild would hide the bug`);
	}
});

test("Run with the bundled runtime shows every sample's result", async () => {
	const { page } = vscode;
	await openFile(page, 'eval_standalone.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	const { evalRow, samples } = await waitForSamples(page, 'evalStandalone', 3, { timeout: 90_000 });
	await screenshot(page, 'packaged-bundled-runtime-results');
	const states = Object.fromEntries(samples.map((s) => [Number(/\d+/.exec(s.label)?.[0]), s.state]));
	assert.deepEqual(states, { 0: 'passed', 1: 'passed', 2: 'failed' });
	assert.equal(evalRow.state, 'failed');
	const log = readLogs(vscode.runDir)
		.map((l) => l.text)
		.join('\n');
	assert.match(log, /runtime: .*dist[/\\]runtime[/\\]cli\.js \(bundled/);
	assert.doesNotMatch(log, /Cannot find module/);
});
