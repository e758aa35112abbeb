// Item 10 of issue 11, while a run is in flight: a running sample is labelled with its row text (not
// a bare "#N" until it ends), the eval reads "running k/N", and the result lens's timer ticks
// between store writes. Samples are slow (3 s each, one at a time) so each state lasts long enough to
// be seen on a loaded machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLensTexts, openFile, screenshot, startVSCode, testExplorerRows, waitFor } from './harness.mjs';
import { runLens, showWholeTestTree, waitForRunLens, waitForSamples } from './fixtures.mjs';

const evalFile = `import { foreach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';

export const evalSlow = foreach('word', [['alpha'], ['bravo'], ['charlie'], ['delta'], ['echo'], ['foxtrot'], ['golf'], ['hotel']])(async ({ word }) => {
	await new Promise((resolve) => setTimeout(resolve, 3000));
	return new Result(exactMatch(word, word));
});
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'running', files: { 'eval_slow.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

/** Seconds in a lens title (`… · 2.01 s · current`, `… · 850 ms · …`, `… · 1 min 5 s · …`). */
function seconds(title) {
	const m = /· (?:(\d+) min )?([\d.]+) (s|ms) ·/.exec(title);
	return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) / (m[3] === 'ms' ? 1000 : 1) : NaN;
}

test('while it runs: samples named by their rows, the eval reads "running k/8", the lens timer ticks', async () => {
	const { page } = vscode;
	await openFile(page, 'eval_slow.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();

	// The running lens (◌), read twice a few seconds apart: its time moved on.
	const runningLens = async () => (await codeLensTexts(page)).find((t) => t.startsWith('◌'));
	const first = await waitFor(runningLens, { timeout: 60_000, interval: 100, what: 'a running (◌) result lens' });
	const firstAt = Date.now();
	const later = await waitFor(
		async () => {
			const t = await runningLens();
			return t && Date.now() - firstAt > 2500 && seconds(t) > seconds(first) ? t : null;
		},
		{ timeout: 15_000, interval: 200, what: `the running lens's time to move on from "${first}"` },
	);
	assert.ok(seconds(later) >= seconds(first) + 1, `${first} → ${later}`);

	// A sample in flight already has its row text; the eval says how far the run got.
	const inFlight = await waitFor(
		async () => {
			await showWholeTestTree(page);
			const rows = await testExplorerRows(page);
			const evalRow = rows.find((r) => r.label === 'evalSlow');
			// A running item's icon spins (codicon-loading): its aria-label says it.
			const running = rows.find((r) => /^#\d/.test(r.label) && /\(Running\)/i.test(r.ariaLabel));
			return evalRow && running && /running [0-7]\/8/.test(evalRow.description) ? { evalRow, running } : null;
		},
		{ timeout: 30_000, interval: 200, what: 'a running sample and "running k/8" on the eval' },
	);
	assert.match(inFlight.running.label, /^#\d (alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel)$/);
	await screenshot(page, 'running-in-flight');

	// After the run: every sample finished, and the eval no longer says "running". VS Code renders a
	// row's state and its description separately, so the last sample can read finished a moment
	// before the eval's "running 8/8" is cleared: wait for both (a CI run read "running 7/8" here).
	const { evalRow } = await waitFor(
		async () => {
			const found = await waitForSamples(page, 'evalSlow', 8, { timeout: 60_000 });
			return /running/.test(found.evalRow.description ?? '') ? null : found;
		},
		{ timeout: 30_000, interval: 300, what: 'the eval row without "running" after its 8 samples finished' },
	);
	assert.doesNotMatch(evalRow.description, /running/);
});
