// Items 6 and 7 of issue 11, the experiment model: runs from the editor go into the workspace's
// `current` experiment, where a partial run ("Run 10 samples") replaces the samples it runs and
// keeps the others, so the lens, the Test Explorer and the Experiments view keep showing the whole
// dataset (never `✓ 0/1 · 0 %`). An experiment a terminal left half done gets a Resume lens that
// runs only what is left, into that experiment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeLens, codeLensTexts, openFile, readLogs, repoRoot, runCommand, screenshot, waitFor } from './harness.mjs';
import { evalWithSamples, latencyScale, runLens, showWholeTestTree, startExamples, waitForRunLens, waitForSamples } from './fixtures.mjs';

// 20 rows; the even ones pass, until a file named `fixed` exists (the "fixed prompt"): then all pass.
// With FLAKY=1 (a terminal run against a rate-limited API) the samples from 5 on throw.
const evalFile = `import { existsSync } from 'node:fs';
import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

export const evalParity = foreach('n', Array.from({ length: 20 }, (_, n) => [n]))(({ n }) => {
	if (process.env.FLAKY === '1' && n >= 5) throw new Error('429 rate limited');
	return new Result(exactMatch(existsSync('fixed') || n % 2 === 0 ? 'even' : 'odd', 'even'), { prompt: 'n=' + n });
});
`;
let vscode;

before(async () => {
	vscode = await startExamples('experiments', { files: { 'eval_parity.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

const logText = () =>
	readLogs(vscode.runDir)
		.filter((l) => /doteval\.log$/.test(l.file))
		.map((l) => l.text)
		.join('\n');
const runLines = () =>
	logText()
		.split('\n')
		.filter((line) => line.includes('run (in '));
const resultLens = async (experiment) => (await codeLensTexts(page())).find((t) => t.trim().endsWith(`· ${experiment}`) && !t.startsWith('◌'));
const page = () => vscode.page;
/** What a lens wait that timed out saw: every lens of the editor. */
const lensesNow = async () => `lenses: ${JSON.stringify(await codeLensTexts(page()))}`;

function historyRows() {
	return page()
		.locator('.part.sidebar .monaco-list-row')
		.evaluateAll((rows) =>
			rows.map((row) => ({
				label: row.querySelector('.label-name')?.textContent ?? '',
				description: row.querySelector('.label-description')?.textContent ?? '',
				icon: /codicon-([a-z-]+)/.exec(row.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
			})),
		);
}

test('a partial run replaces its samples in the current experiment: the headline stays the whole dataset', async () => {
	await openFile(page(), 'eval_parity.ts');
	await waitForRunLens(page());
	await runLens(page()).first().click();
	await waitForSamples(page(), 'evalParity', 20);
	const full = await waitFor(
		async () => {
			const lens = await resultLens('current');
			return lens && /10\/20/.test(lens) ? lens : null;
		},
		{ timeout: 30_000, what: 'the result lens of the full run', describe: lensesNow },
	);
	assert.match(full, /^✗ 10\/20 · 50 % · [\d.]+ m?s · current$/, 'failed samples: ✗, never ✓');
	assert.match(runLines()[0], /--experiment current .*--rerun/);

	// The "prompt is fixed": the first 10 samples now all pass. Run 10 samples replaces those 10.
	writeFileSync(path.join(vscode.workspace, 'fixed'), '');
	await codeLens(page(), 'Run 10 samples').first().click();
	const partial = await waitFor(
		async () => {
			const lens = await resultLens('current');
			return lens && /15\/20/.test(lens) ? lens : null;
		},
		{ timeout: 60_000, what: 'the lens after Run 10 samples', describe: lensesNow },
	);
	assert.match(partial, /^✗ 15\/20 · 75 % · [\d.]+ m?s · current$/, `the headline is the experiment's 20 samples, not the 10 that ran: ${partial}`);
	assert.match(runLines()[1], /--experiment current --samples 10 --rerun/);
	const { evalRow, samples } = await waitFor(
		async () => {
			await showWholeTestTree(page());
			const found = await evalWithSamples(page(), 'evalParity');
			return found.evalRow && found.evalRow.state === 'failed' && found.samples.filter((s) => s.state === 'passed').length === 15 ? found : null;
		},
		{ timeout: 30_000, interval: 500, what: 'the eval failed (the experiment has failures) with 15 passed samples' },
	);
	assert.equal(samples.length, 20);
	assert.match(evalRow.description, /current: 15\/20 passed/);
	await screenshot(page(), 'experiments-partial-run');
});

test('an experiment a terminal run left with errors gets a Resume lens that runs what is left, into it', async () => {
	const cli = path.join(repoRoot, 'runtime', 'dist', 'cli.js');
	const run = spawnSync(process.execPath, [cli, 'run', 'eval_parity.ts::evalParity', '--experiment', 'half'], {
		cwd: vscode.workspace,
		encoding: 'utf8',
		env: { ...process.env, DOTEVAL_EXAMPLE_LATENCY_SCALE: latencyScale, FLAKY: '1' },
		timeout: 60_000,
	});
	assert.equal(run.status, 0, run.stderr);
	// The store was read while the terminal run wrote it, maybe: wait for its last state.
	const lens = await waitFor(
		async () => {
			const text = await resultLens('half');
			return text && /5\/20/.test(text) ? text : null;
		},
		{ timeout: 30_000, what: 'the lens of the terminal run', describe: lensesNow },
	);
	assert.match(lens, /^⚠ 5\/20 · 25 % · [\d.]+ m?s · half$/, 'errors: ⚠, 5 of the 20 stored passed (an error counts as not passed)');
	const resume = codeLens(page(), 'Resume · 15 of 20 left');
	await resume.first().waitFor({ state: 'visible', timeout: 10_000 });
	await screenshot(page(), 'experiments-resume-lens');
	await resume.first().click();
	const done = await waitFor(
		async () => {
			const text = await resultLens('half');
			return text && /20\/20/.test(text) ? text : null;
		},
		{ timeout: 60_000, what: 'the resumed experiment complete', describe: lensesNow },
	);
	assert.match(done, /^✓ 20\/20 · 100 % · [\d.]+ m?s · half$/);
	const resumeRun = runLines().at(-1);
	assert.match(resumeRun, /--experiment half/);
	assert.doesNotMatch(resumeRun, /--rerun/, 'a resume keeps the completed samples');
	assert.equal((await codeLensTexts(page())).filter((t) => t.startsWith('Resume')).length, 0, 'nothing left to resume');

	await runCommand(page(), 'doteval: Focus on Experiments View');
	const rows = await waitFor(
		async () => {
			const found = await historyRows();
			const current = found.find((r) => r.label === 'current');
			const half = found.find((r) => r.label === 'half');
			return current && half && /20\/20 samples/.test(half.description) ? { current, half } : null;
		},
		{ timeout: 30_000, what: 'both experiments with their figures in the Experiments view' },
	);
	assert.match(rows.current.description, /^75 % · 20\/20 samples · /);
	assert.equal(rows.current.icon, 'error');
	assert.match(rows.half.description, /^100 % · 20\/20 samples · /);
	assert.equal(rows.half.icon, 'pass');
	await screenshot(page(), 'experiments-view');
});
