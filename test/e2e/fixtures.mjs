// What the scenarios share: a VS Code on a copy of examples/ (runtime linked, fast simulated latency),
// the Test Explorer walk, and an oracle that asks the CLI itself what each sample scored.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { startVSCode, repoRoot, runCommand, testExplorerRows, waitFor, codeLens } from './harness.mjs';

export const examplesDir = path.join(repoRoot, 'examples');
/** The examples simulate one second of model latency; a small scale keeps each run well under a second. */
export const latencyScale = '0.05';

/** A VS Code on a copy of examples/ plus `files`; the extension host inherits the latency scale. */
export function startExamples(name, options = {}) {
	return startVSCode({
		name,
		workspace: examplesDir,
		...options,
		env: { DOTEVAL_EXAMPLE_LATENCY_SCALE: latencyScale, ...options.env },
	});
}

/** The CodeLens whose whole text is "Run" (not "Run 10 samples"), with or without an icon. */
export function runLens(page) {
	return codeLens(page, 'Run').filter({ hasText: /^\W*Run\s*$/ });
}

/**
 * Wait for the Run lens. The first lens needs the language server up and its first scan done:
 * seconds on a quiet machine, more on a loaded 2-core CI machine, hence the generous bound.
 */
export function waitForRunLens(page) {
	return runLens(page).first().waitFor({ state: 'visible', timeout: 45_000 });
}

export function debugLens(page) {
	return codeLens(page, 'Debug').filter({ hasText: /^\W*Debug\s*$/ });
}

/** Open the Testing view and expand every collapsed row until the tree is fully shown. */
export async function showWholeTestTree(page) {
	await runCommand(page, 'Testing: Focus on Test Explorer View');
	await page.locator('.test-explorer').waitFor({ state: 'visible', timeout: 10_000 });
	for (let round = 0; round < 10; round++) {
		const collapsed = page.locator('.test-explorer .monaco-list-row[aria-expanded="false"] .monaco-tl-twistie');
		const count = await collapsed.count();
		if (count === 0) return;
		await collapsed.first().click({ timeout: 2000 });
		await page.waitForTimeout(150);
	}
}

/** The row of the eval `name` and the rows of its children (the next rows one level deeper). */
export async function evalWithSamples(page, name) {
	const rows = await testExplorerRows(page);
	const at = rows.findIndex((r) => r.label === name);
	if (at < 0) return { evalRow: null, samples: [], rows };
	const children = [];
	for (let i = at + 1; i < rows.length && rows[i].level > rows[at].level; i++) {
		if (rows[i].level === rows[at].level + 1) children.push(rows[i]);
	}
	return { evalRow: rows[at], samples: children, rows };
}

/** Wait until the eval's row has `count` sample children that all finished (passed/failed/errored; VS Code's icon class for errored is `testing-error-icon`). */
export async function waitForSamples(page, name, count, { timeout = 60_000 } = {}) {
	return waitFor(
		async () => {
			await showWholeTestTree(page);
			const found = await evalWithSamples(page, name);
			const done = found.samples.filter((s) => ['passed', 'failed', 'error', 'errored'].includes(s.state));
			return done.length === count ? found : null;
		},
		{ timeout, interval: 500, what: `${count} finished samples under ${name} in the Test Explorer` },
	);
}

/**
 * The oracle: run the same eval with the CLI (jsonl reporter) into a throwaway store and return the
 * CLI's own verdict per sample index, so the UI is checked against the runtime, not hard-coded values.
 */
export function cliVerdicts(workspace, file, evalName) {
	const samples = cliSamples(workspace, file, evalName);
	return new Map([...samples].map(([index, s]) => [index, s.error ? 'errored' : s.passed === false ? 'failed' : 'passed']));
}

/** The CLI's `sample-end` events for the eval, by sample index (see cliVerdicts). */
export function cliSamples(workspace, file, evalName) {
	const storage = mkdtempSync('/tmp/de2e-oracle-');
	try {
		const cli = path.join(repoRoot, 'runtime', 'dist', 'cli.js');
		const result = spawnSync(
			process.execPath,
			[cli, 'run', '--reporter', 'jsonl', `${file}::${evalName}`, '--storage', path.join(storage, 'oracle.db'), '--experiment', 'oracle'],
			{
				cwd: workspace,
				encoding: 'utf8',
				env: { ...process.env, DOTEVAL_EXAMPLE_LATENCY_SCALE: latencyScale },
				timeout: 60_000,
			},
		);
		const events = result.stdout
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line));
		const samples = events.filter((e) => e.type === 'sample-end');
		if (samples.length === 0) throw new Error(`the CLI oracle produced no samples (exit ${result.status}):\n${result.stderr}`);
		return new Map(samples.map((s) => [s.index, s]));
	} finally {
		rmSync(storage, { recursive: true, force: true });
	}
}

/** An eval whose model answers are HTML/script (scenario 4): each must show as text and run nothing. */
// alert() is blocked in webviews anyway (their iframes lack allow-modals), so two payloads also leave a
// mark in the DOM that the test looks for.
export const hostileOutputs = [
	'<img src=x onerror=alert(1)>',
	'<script>document.documentElement.dataset.pwned = "script"; alert(2)</script>',
	'<img src=x onerror="document.documentElement.dataset.pwned = \'img\'">',
	'positive',
];
export const hostileEvalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

// A "model" that answers with markup: the editor must show it as text and run none of it.
const outputs = ${JSON.stringify(hostileOutputs)};

export const evalHostileOutput = foreach('question', outputs.map((_, i) => [\`question <b>\${i}</b>\`]))(({ question }) => {
	const answer = outputs[Number(question.replace(/\\D/g, ''))];
	return new Result(exactMatch(answer, 'positive'), { prompt: question, modelResponse: answer });
});
`;

/** An eval that leaves a marker file when its code runs (scenario 5: it must not run untrusted). */
export const markerName = 'ran-user-code.marker';
export const markerEvalFile = `import { writeFileSync } from 'node:fs';
import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

// Loading this file is running user code: leave a marker next to it.
writeFileSync(new URL('./${markerName}', import.meta.url), String(process.pid));

export const evalMarker = foreach('x', [['a'], ['b']])(({ x }) => new Result(exactMatch(x, 'a')));
`;
