// Item 8 of issue 11: per-sample output. What a sample's own code prints (console.log, console.error,
// process.stdout/stderr writes) shows on that sample in Test Results — and only there — and in the
// results panel's sample detail. Four samples run at once and interleave their prints, so attribution
// by order of arrival would mix them up.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLens, openFile, runCommand, screenshot, startVSCode, waitFor, webviewFrame } from './harness.mjs';
import { runLens, waitForRunLens, waitForSamples } from './fixtures.mjs';

const evalFile = `import { ForEach, Result } from 'doteval';
import { exactMatch } from 'doteval/evaluators';
import { SlidingWindow } from 'doteval/concurrency';

const each = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });

export const evalChatty = each('word', [['alpha'], ['bravo'], ['charlie'], ['delta']])(async ({ word }) => {
	console.log(\`thinking about \${word}\`);
	await new Promise((resolve) => setTimeout(resolve, 50));
	console.error(\`warning: \${word} is long\`);
	process.stdout.write(\`answer for \${word}: \${word.length}\\n\`);
	return new Result(exactMatch(word.length % 2 === 1 ? 'odd' : 'even', 'odd'));
});
`;
let vscode;

before(async () => {
	vscode = await startVSCode({ name: 'output', files: { 'eval_chatty.ts': evalFile } });
});

after(async () => {
	await vscode?.stop();
});

const expectedLines = (word) => [`thinking about ${word}`, `warning: ${word} is long`, `answer for ${word}: ${word.length}`];
const words = ['alpha', 'bravo', 'charlie', 'delta'];

/** The text of the Test Results view's terminal (xterm's DOM renderer), lines joined by \n. */
function resultsTerminalText(page) {
	return page
		.locator('.test-output-peek-message-container .xterm-rows')
		.evaluateAll((els) => els.map((e) => [...e.children].map((row) => row.textContent.replace(/\u00a0/g, ' ').trimEnd()).join('\n')).join('\n'));
}

test("each sample's prints show in Test Results on that sample only", async () => {
	const { page } = vscode;
	await openFile(page, 'eval_chatty.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	await waitForSamples(page, 'evalChatty', 4);
	await runCommand(page, 'Test: Show Output');
	const tree = page.locator('.test-output-peek-tree');
	await tree.waitFor({ state: 'visible', timeout: 10_000 });
	// The whole run's output: every sample's prints, each under a header naming its sample (the
	// terminal draws only the rows in view: maximized, the panel holds all of them).
	await runCommand(page, 'View: Toggle Maximized Panel');
	let seen = '';
	const whole = await waitFor(
		async () => {
			seen = await resultsTerminalText(page);
			return words.every((w) => seen.includes(`answer for ${w}`)) ? seen : null;
		},
		{ timeout: 15_000, what: "every sample's prints in the run's output" },
	).catch((error) => {
		throw new Error(`${error.message}; the terminal showed ${JSON.stringify(seen)}`);
	});
	for (const [i, word] of words.entries()) assert.match(whole, new RegExp(`── #${i} ${word} ──\\n${expectedLines(word).join('\\n')}`));
	await screenshot(page, 'output-run');
	for (const [i, word] of words.entries()) {
		await tree
			.locator('.monaco-list-row')
			.filter({ hasText: new RegExp(`^#${i}\\b`) })
			.first()
			.click({ timeout: 10_000 });
		const text = await waitFor(
			async () => {
				seen = await resultsTerminalText(page);
				return seen.includes(`thinking about ${word}`) && words.every((w) => w === word || !seen.includes(w)) ? seen : null;
			},
			{ timeout: 15_000, what: `only sample ${i}'s output in Test Results` },
		).catch((error) => {
			throw new Error(`${error.message}; the terminal showed ${JSON.stringify(seen)}`);
		});
		for (const line of expectedLines(word)) assert.ok(text.includes(line), `sample ${i}: ${line} in ${JSON.stringify(text)}`);
		if (i === 2) await screenshot(page, 'output-one-sample');
	}
	await runCommand(page, 'View: Toggle Maximized Panel');
});

test("the results panel's sample detail shows what the sample printed", async () => {
	const { page } = vscode;
	await page.locator('.tabs-container .tab', { hasText: 'eval_chatty.ts' }).first().click({ timeout: 5000 });
	const resultLens = codeLens(page, '/4').first();
	await resultLens.waitFor({ state: 'visible', timeout: 60_000 });
	await resultLens.click();
	const frame = await webviewFrame(page, '#results-root[data-ready="true"]');
	await frame.locator('#results-table .results-row[data-index="1"]').click({ timeout: 15_000 });
	const output = frame.locator('#sample-detail[data-index="1"] [data-field="output"] pre');
	await output.waitFor({ state: 'visible', timeout: 15_000 });
	assert.equal((await output.textContent()).trimEnd(), expectedLines('bravo').join('\n'));
	await output.scrollIntoViewIfNeeded();
	await screenshot(page, 'output-results-detail');
});
