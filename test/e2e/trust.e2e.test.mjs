// Scenario 5: in an untrusted workspace (Restricted Mode) discovery and lenses work, but Run and Debug
// run no user code and explain why. The eval file leaves a marker file whenever its code runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { notifications, openFile, repoRoot, screenshot, statusBarText, waitFor, workspaceFile } from './harness.mjs';
import { debugLens, markerEvalFile, markerName, runLens, startExamples, waitForRunLens } from './fixtures.mjs';

let vscode;

before(async () => {
	vscode = await startExamples('trust', { trust: false, files: { 'eval_trust_marker.ts': markerEvalFile } });
});

after(async () => {
	await vscode?.stop();
});

test('the workspace opens in Restricted Mode and the eval still gets its lenses', async () => {
	const { page } = vscode;
	await waitFor(async () => /Restricted Mode/.test(await statusBarText(page)), { timeout: 20_000, what: 'Restricted Mode in the status bar' });
	await openFile(page, 'eval_trust_marker.ts');
	await waitForRunLens(page);
});

test('Run explains that the workspace is untrusted and runs no user code', async () => {
	const { page } = vscode;
	await runLens(page).first().click();
	const shown = await waitFor(async () => (await notifications(page)).find((text) => /untrusted workspace/.test(text)), {
		what: 'the untrusted-workspace explanation',
	});
	assert.match(shown, /Trust this workspace/);
	await screenshot(page, '5-untrusted-run');
	// Long enough for a run that did start to load the file (the trusted runs here take 2-8 s).
	await page.waitForTimeout(5000);
	assert.equal(workspaceFile(vscode, markerName), null, 'the eval file ran in an untrusted workspace');
});

test('Debug runs no user code either', async () => {
	const { page } = vscode;
	await debugLens(page).first().click();
	await page.waitForTimeout(4000);
	assert.equal(workspaceFile(vscode, markerName), null, 'the eval file ran under the debugger in an untrusted workspace');
	assert.equal(await page.locator('.debug-toolbar').count(), 0, 'a debug session started');
});

test('control: running the same file for real leaves the marker', () => {
	const cli = path.join(repoRoot, 'runtime', 'dist', 'cli.js');
	const run = spawnSync(process.execPath, [cli, 'run', 'eval_trust_marker.ts', '--storage', path.join(vscode.runDir, 'control.db')], {
		cwd: vscode.workspace,
		encoding: 'utf8',
		timeout: 60_000,
	});
	assert.equal(run.status, 0, run.stderr);
	assert.notEqual(workspaceFile(vscode, markerName), null);
});
