// Scenario: the team store. `doteval.storagePath` is a postgres:// URL (the password in PGPASSWORD);
// a run from a terminal into the PostgreSQL server appears in the Experiments view, its results
// panel lists the samples as the CLI stored them, and a run from the Run lens writes into the server.
// The server is real: Debian's PostgreSQL started by test/postgres/server.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { codeLens, contextMenu, openFile, repoRoot, runCommand, screenshot, waitFor, webviewFrame } from './harness.mjs';
import { latencyScale, runLens, startExamples, waitForRunLens } from './fixtures.mjs';
import { startPostgres } from '../postgres/server.mjs';

const cli = path.join(repoRoot, 'runtime', 'dist', 'cli.js');
let server;
let url;
let vscode;

before(async () => {
	server = await startPostgres();
	url = server.createDatabase('team');
	vscode = await startExamples('postgres', { settings: { 'doteval.storagePath': url }, env: server.env });
});

after(async () => {
	await vscode?.stop();
	await server?.stop();
});

function historyRows(page) {
	return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) =>
		rows.map((row) => ({
			label: row.querySelector('.label-name')?.textContent ?? '',
			description: row.querySelector('.label-description')?.textContent ?? '',
		})),
	);
}

function cli_(args) {
	const result = spawnSync(process.execPath, [cli, ...args], {
		cwd: vscode.workspace,
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, ...server.env, DOTEVAL_STORAGE: url, DOTEVAL_EXAMPLE_LATENCY_SCALE: latencyScale },
	});
	assert.equal(result.status, 0, `doteval ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

test('a terminal run into PostgreSQL shows in the Experiments view, and its results panel lists the stored samples', async () => {
	const { page } = vscode;
	cli_(['run', 'eval_concurrent_sentiment.ts::evalConcurrentSentiment', '--experiment', 'team_pg']);
	const stored = JSON.parse(cli_(['show', 'team_pg', '--json', '--full'])).evaluations[0].samples;
	assert.equal(stored.length, 8);

	await runCommand(page, 'doteval: Focus on Experiments View');
	const row = await waitFor(async () => (await historyRows(page)).find((r) => r.label === 'team_pg'), {
		timeout: 30_000,
		what: 'team_pg in the Experiments view',
	});
	assert.match(row.description, /^[\d.]+ % · 8\/8 samples/);
	await screenshot(page, 'postgres-history');

	await contextMenu(page, page.locator('.part.sidebar .monaco-list-row', { hasText: 'team_pg' }).first(), 'Open Results');
	const frame = await webviewFrame(page, '#results-root[data-ready="true"]');
	const rows = await waitFor(
		async () => {
			const found = await frame.evaluate(() =>
				[...document.querySelectorAll('.results-row[data-index]')].map((r) => ({ index: Number(r.dataset.index), status: r.dataset.status })),
			);
			return found.length === 8 ? found : null;
		},
		{ timeout: 20_000, what: '8 rows in the results panel' },
	);
	const expected = new Map(stored.map((s) => [s.index, s.error ? 'errored' : s.passed === false ? 'failed' : 'passed']));
	assert.deepEqual(new Map(rows.map((r) => [r.index, r.status])), expected);
	await screenshot(page, 'postgres-results');
});

test('the Run lens runs into the PostgreSQL store: a new experiment in the database and in the view', async () => {
	const { page } = vscode;
	const before = (await historyRows(page)).map((r) => r.label);
	await openFile(page, 'eval_concurrent_sentiment.ts');
	await waitForRunLens(page);
	await runLens(page).first().click();
	// The lens already shows team_pg's result: wait for the run itself, in the database.
	const fromLens = await waitFor(
		() => {
			const rows = server
				.psql(
					'team',
					`SELECT x.name, count(s.id) FROM doteval.experiments x JOIN doteval.evaluations e ON e.experiment_id = x.id
			LEFT JOIN doteval.samples s ON s.evaluation_id = e.id WHERE x.name <> 'team_pg' GROUP BY x.name`,
				)
				.trim();
			const [name, count] = rows.split('|');
			return rows && count === '8' ? name : null;
		},
		{ timeout: 60_000, interval: 500, what: "the Run lens's experiment with 8 samples in the database" },
	);
	await codeLens(page, '/8').first().waitFor({ state: 'visible', timeout: 30_000 });
	await runCommand(page, 'doteval: Focus on Experiments View');
	await waitFor(async () => (await historyRows(page)).some((r) => r.label === fromLens), {
		timeout: 30_000,
		what: `${fromLens} in the Experiments view (had ${before.join(', ')})`,
	});
	await screenshot(page, 'postgres-after-lens-run');
});
