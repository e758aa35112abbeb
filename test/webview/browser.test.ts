/**
 * The real webview bundles in a real browser (Debian's chromium through playwright-core), under the
 * same strict CSP VS Code gets, with the real host controllers answering over a stubbed
 * `acquireVsCodeApi`. VS Code itself is covered by the e2e suite (test/e2e); this checks the
 * webviews alone: 100,000 virtualized rows, filters, detail, hostile output, charts, no CSP errors.
 *
 * Needs `dist/webview/*.js` (node esbuild.mjs --no-types) and chromium (apt-get install chromium,
 * or CHROMIUM_PATH); without chromium the test is reported as skipped, naming the fix.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ResultsWebviewMessage, TimingHostMessage } from '../../client/src/panels/messages.js';
import { ResultsController } from '../../client/src/panels/resultsController.js';
import { loadCompareView, loadTimingView } from '../../client/src/panels/timingController.js';
import { parseRestoreState } from '../../client/src/panels/restore.js';
import { buildWebviewHtml, createNonce } from '../../client/src/panels/webviewHtml.js';
import type { EvaluationInfo, SampleInfo, StoreReader } from '../../runtime/src/store/types.js';
import { evaluation, sample, storeReader } from './fixtures.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const bundles = ['dist/webview/results.js', 'dist/webview/timing.js'];
const missing = !chromiumPath
	? 'chromium not found: apt-get install chromium, or set CHROMIUM_PATH'
	: bundles.some((b) => !existsSync(b))
		? 'webview bundles missing: run node esbuild.mjs --no-types first'
		: undefined;

const HOSTILE = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const t0 = 1_700_000_000_000;
const info = evaluation(
	'big',
	'evalBig',
	{ total: 100_000, completed: 100_000, wallMs: 6_300, samplesPerSecond: 15_873, speedup: 15.8, maxInFlight: 16 },
	{ name: 'SlidingWindow', maxConcurrency: 16 },
);
const samples: SampleInfo[] = Array.from({ length: 100_000 }, (_, i) =>
	sample(i, {
		modelResponse: i === 42 ? HOSTILE : i === 43 ? SCRIPT : i % 10 === 3 ? 'negative' : 'positive',
		passed: i % 10 !== 3,
		prompt: i === 42 ? SCRIPT : `prompt ${i}`,
		timing: {
			queuedAt: t0,
			startedAt: t0 + Math.floor(i / 16) * 1,
			finishedAt: t0 + Math.floor(i / 16) * 1 + 1,
			queueMs: Math.floor(i / 16),
			backoffMs: 0,
			latencyMs: 1 + (i % 7),
		},
	}),
);
const second = evaluation('sync_baseline', 'evalSync', { wallMs: 8_000, speedup: 1 });

function memoryReader(evaluations: EvaluationInfo[]): StoreReader {
	return storeReader({
		listExperiments: () =>
			evaluations.map((e) => ({ name: e.experiment, ephemeral: false, createdAt: 0, updatedAt: 0, evaluationCount: 1, status: 'completed' as const })),
		listEvaluations: (experiment) => evaluations.filter((e) => e.experiment === experiment),
		getEvaluation: (experiment, evalId) => evaluations.find((e) => e.experiment === experiment && e.evalId === evalId),
		samples: (_e, _id, query = {}) => {
			const matching =
				query.filter !== 'failed' && !query.search
					? samples
					: samples.filter((s) => (query.filter !== 'failed' || s.passed === false) && JSON.stringify(s.row).includes(query.search ?? ''));
			const offset = query.offset ?? 0;
			return { total: matching.length, samples: matching.slice(offset, offset + (query.limit ?? 100)) };
		},
	});
}

let server: Server;
let browser: Browser;
let origin = '';

before(async () => {
	if (missing) return;
	server = createServer((req, res) => {
		const file = path.join(process.cwd(), (req.url ?? '/').split('?')[0]);
		if (!/^\/(dist\/webview|media)\//.test(req.url ?? '') || !existsSync(file)) return void res.writeHead(404).end();
		res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(readFileSync(file));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
	await browser?.close();
	server?.close();
});

/** Opens a webview page whose host side is `onMessage`; returns the page and a reply function. */
async function openWebview(entry: 'results' | 'timing', onMessage: (message: unknown, reply: (m: unknown) => void) => void) {
	const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
	const problems: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error' || /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('dialog', (d) => {
		problems.push(`dialog: ${d.message()}`);
		void d.dismiss();
	});
	// Page scripts are strings: tsx's keepNames would inject `__name` into serialized functions.
	const reply = (m: unknown) => void page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
	await page.exposeFunction('__hostReceive', (m: unknown) => onMessage(m, reply));
	await page.addInitScript({
		content: `window.acquireVsCodeApi = () => ({
		postMessage: (m) => window.__hostReceive(m),
		getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') ?? undefined,
		setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
	});`,
	});
	const html = buildWebviewHtml({
		cspSource: origin,
		nonce: createNonce(),
		scriptUri: `${origin}/dist/webview/${entry}.js`,
		styleUris: [`${origin}/theme.css`, `${origin}/media/common.css`, `${origin}/media/${entry}.css`],
		title: entry,
		rootId: `${entry}-root`,
	});
	// A stand-in for VS Code's theme variables: one theme class turns the charts' blue into pure red.
	await page.route(`${origin}/theme.css`, (route) =>
		route.fulfill({ contentType: 'text/css', body: 'body.vscode-high-contrast { --vscode-charts-blue: rgb(255, 0, 0); }' }),
	);
	await page.route(`${origin}/${entry}.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
	await page.goto(`${origin}/${entry}.html`);
	return { page, problems };
}

async function waitReady(page: Page, rootId: string, problems: string[]) {
	await page.waitForSelector(`#${rootId}[data-ready="true"]`, { timeout: 15_000 }).catch((error: Error) => {
		throw new Error(`${error.message}\nbrowser problems: ${problems.join('\n') || 'none'}`);
	});
}

test('results panel: 100,000 rows virtualized, scrolling pages in, filters, detail, hostile text inert', { skip: missing }, async () => {
	const reader = memoryReader([info]);
	let controller: ResultsController | undefined;
	const { page, problems } = await openWebview('results', (m, reply) => {
		controller ??= new ResultsController(reader, { experiment: info.experiment, evalId: info.evalId }, reply);
		void controller.handle(m as ResultsWebviewMessage); // a rejection surfaces as an unhandled rejection: the test fails
	});
	await waitReady(page, 'results-root', problems);
	await page.waitForSelector('#results-table [data-index="0"]');
	assert.equal(await page.textContent('#results-count'), '100000 samples');
	const rendered = await page.locator('#results-table .results-row').count();
	assert.ok(rendered > 10 && rendered < 120, `${rendered} rows in the DOM`);

	// Jump to the middle and to the end: rows arrive by page and only the visible ones exist.
	const start = Date.now();
	const scrollTo = (expression: string) => page.evaluate(`{ const s = document.querySelector('.results-scroll'); s.scrollTop = ${expression}; }`);
	await scrollTo('26 * 50000');
	await page.waitForSelector('#results-table [data-index="50005"]');
	await scrollTo('s.scrollHeight');
	await page.waitForSelector('#results-table [data-index="99999"]');
	const jumpMs = Date.now() - start;
	assert.ok(jumpMs < 5000, `two jumps took ${jumpMs} ms`);
	assert.ok((await page.locator('#results-table .results-row').count()) < 120);

	// Hostile model output and prompt: shown as text, no element created, nothing runs.
	await scrollTo('26 * 40');
	await page.click('#results-table [data-index="42"]');
	await page.waitForSelector('#sample-detail[data-index="42"]');
	assert.equal(await page.textContent('#sample-detail [data-field="modelResponse"] pre'), HOSTILE);
	assert.equal(await page.textContent('#sample-detail [data-field="prompt"] pre'), SCRIPT);
	assert.equal(await page.textContent('#results-table [data-index="43"] .cell-response'), SCRIPT);
	assert.equal(await page.locator('#results-root img, #results-root script').count(), 0);
	await page.screenshot({ path: path.join('test-results', 'webview-results.png') }).catch(() => undefined);

	await page.click('button[data-filter="failed"]');
	await waitReady(page, 'results-root', problems);
	await page.waitForSelector('#results-table [data-index="3"]');
	assert.equal(await page.textContent('#results-count'), '10000 matching samples');
	const statuses = (await page.evaluate(
		`[...document.querySelectorAll('#results-table .results-row[data-status]')].map((r) => r.getAttribute('data-status'))`,
	)) as string[];
	assert.ok(statuses.length > 0 && statuses.every((s) => s === 'failed'));

	// Search within the failed filter: "row 77" matches 77, 770–779, 7700–7799 and 77000–77999, of
	// which 1 + 10 + 100 failed; 77773 is at position 88.
	await page.fill('#results-search', 'row 77');
	await page.waitForSelector('#results-table [data-index="7703"]');
	await waitReady(page, 'results-root', problems);
	assert.equal(await page.textContent('#results-count'), '111 matching samples');
	await scrollTo('26 * 84');
	await page.waitForSelector('#results-table [data-index="77773"]');
	await page.click('#results-table [data-index="77773"]');
	await page.waitForSelector('#sample-detail[data-index="77773"]');
	await page.waitForTimeout(300); // the scroll position is saved 200 ms after scrolling stops

	// VS Code reloads a webview that was hidden: filter, search, scroll position and selection come back.
	await page.reload();
	await waitReady(page, 'results-root', problems);
	await page.waitForSelector('#sample-detail[data-index="77773"]');
	assert.equal(await page.evaluate(`document.querySelector('.results-scroll').scrollTop`), 26 * 84);
	assert.equal(await page.getAttribute('#results-table .results-row.selected', 'data-index'), '77773');
	assert.equal(await page.getAttribute('#results-root', 'data-filter'), 'failed');
	assert.equal(await page.inputValue('#results-search'), 'row 77');
	assert.equal(await page.getAttribute('button[data-filter="failed"]', 'aria-pressed'), 'true');
	// What VS Code's panel serializer gets back after a restart.
	const saved = JSON.parse((await page.evaluate(`sessionStorage.getItem('vscode-state')`)) as string);
	assert.deepEqual(parseRestoreState(saved), { panel: 'results', storePath: ':memory:', experiment: 'big', evalId: info.evalId });
	assert.deepEqual(problems, []);
	await page.close();
});

test('results panel during a live run: waits for the evaluation, then follows new samples', { skip: missing }, async () => {
	const live = { evaluations: [] as EvaluationInfo[], samples: [] as SampleInfo[] };
	const reader: StoreReader = storeReader({
		getEvaluation: (experiment, evalId) => live.evaluations.find((e) => e.experiment === experiment && e.evalId === evalId),
		samples: (_e, _id, query = {}) => ({
			total: live.samples.length,
			samples: live.samples.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)),
		}),
	});
	let controller: ResultsController | undefined;
	const { page, problems } = await openWebview('results', (m, reply) => {
		controller ??= new ResultsController(reader, { experiment: info.experiment, evalId: info.evalId }, reply);
		void controller.handle(m as ResultsWebviewMessage); // a rejection surfaces as an unhandled rejection: the test fails
	});
	await waitReady(page, 'results-root', problems);
	assert.match((await page.textContent('#results-error')) ?? '', /No evaluation .* Run it first/);

	live.evaluations.push(info);
	live.samples.push(...samples.slice(0, 3));
	await controller?.changed();
	await page.waitForSelector('#results-table [data-index="2"]');
	assert.equal(await page.isHidden('#results-error'), true);
	assert.equal(await page.textContent('#results-count'), '3 samples');

	live.samples.push(...samples.slice(3, 8));
	await controller?.changed();
	await page.waitForSelector('#results-table [data-index="7"]');
	assert.equal(await page.textContent('#results-count'), '8 samples');
	assert.equal(await page.locator('#results-table .results-row').count(), 8);
	assert.deepEqual(problems, []);
	await page.close();
});

test('results panel with trials: a trial column tells trial 1 of row 3 from trial 0; selecting one selects that sample only', { skip: missing }, async () => {
	const trialsInfo = evaluation('trials', 'evalTrials', {
		total: 12,
		completed: 12,
		trials: { k: 3, rows: 4, incomplete: 0, passAtK: 1, passHatK: 0.75, passAt1: 0.917, unstable: 1, unstableIndexes: [3] },
	});
	const trialSamples = Array.from({ length: 12 }, (_, i) => {
		const [index, trial] = [Math.floor(i / 3), i % 3];
		return sample(index, { ...(trial ? { trial } : {}), modelResponse: `answer ${index}.${trial}`, passed: !(index === 3 && trial === 1) });
	});
	const reader = storeReader({
		getEvaluation: () => trialsInfo,
		samples: (_e, _id, query = {}) => ({ total: 12, samples: trialSamples.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)) }),
	});
	let controller: ResultsController | undefined;
	const { page, problems } = await openWebview('results', (m, reply) => {
		controller ??= new ResultsController(reader, { experiment: trialsInfo.experiment, evalId: trialsInfo.evalId }, reply);
		void controller.handle(m as ResultsWebviewMessage);
	});
	await waitReady(page, 'results-root', problems);
	await page.waitForSelector('#results-table [data-index="3"][data-trial="2"]');
	const heads = (await page.evaluate(`[...document.querySelectorAll('.results-head .cell')].map((c) => c.textContent)`)) as string[];
	assert.deepEqual(heads.slice(0, 3), ['#', 'trial', 'status']);
	const cells = (await page.evaluate(
		`[...document.querySelectorAll('#results-table .results-row')].map((r) => r.querySelector('.cell-index').textContent + '/' + r.querySelector('.cell-trial').textContent)`,
	)) as string[];
	assert.deepEqual(cells, ['0/t0', '0/t1', '0/t2', '1/t0', '1/t1', '1/t2', '2/t0', '2/t1', '2/t2', '3/t0', '3/t1', '3/t2']);
	// The trial cell sits in its own grid column, between # and status (not wrapped onto another line).
	const boxes = (await page.evaluate(
		`['.cell-index', '.cell-trial', '.cell-status'].map((c) => { const b = document.querySelector('#results-table [data-index="3"][data-trial="1"] ' + c).getBoundingClientRect(); return [b.left, b.top]; })`,
	)) as number[][];
	assert.ok(boxes[0]![0]! < boxes[1]![0]! && boxes[1]![0]! < boxes[2]![0]!, `left to right: ${JSON.stringify(boxes)}`);
	assert.ok(new Set(boxes.map((b) => b[1])).size === 1, `one line: ${JSON.stringify(boxes)}`);

	await page.click('#results-table [data-index="3"][data-trial="1"]');
	await page.waitForSelector('#sample-detail[data-index="3"][data-trial="1"]');
	assert.match((await page.textContent('#sample-detail h2')) ?? '', /^Sample 3 · trial 1 failed$/);
	assert.equal(await page.textContent('#sample-detail [data-field="modelResponse"] pre'), 'answer 3.1');
	assert.equal(await page.locator('#results-table .results-row.selected').count(), 1, 'one sample selected, not every trial of its row');
	assert.equal(await page.getAttribute('#results-table .results-row.selected', 'data-trial'), '1');
	await page.keyboard.press('ArrowDown');
	await page.waitForSelector('#sample-detail[data-index="3"][data-trial="2"]');
	assert.equal(await page.textContent('#sample-detail [data-field="modelResponse"] pre'), 'answer 3.2');
	await page.screenshot({ path: path.join('test-results', 'webview-results-trials.png') }).catch(() => undefined);
	assert.deepEqual(problems, []);
	await page.close();
});

test('timing panel draws its charts; the comparison shows every experiment', { skip: missing }, async () => {
	const reader = memoryReader([info, second]);
	let post: TimingHostMessage = {
		type: 'timing',
		view: await loadTimingView(reader, 'big', info.evalId),
		restore: { panel: 'timing', storePath: reader.path, experiment: 'big', evalId: info.evalId },
	};
	const { page, problems } = await openWebview('timing', (m, reply) => {
		if ((m as { type: string }).type === 'ready') reply(post);
	});
	await waitReady(page, 'timing-root', problems);
	for (const id of ['histogram-chart', 'inflight-chart', 'waterfall-chart']) {
		const painted = (await page.evaluate(`(() => {
			const canvas = document.getElementById('${id}');
			const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
			let filled = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) filled++;
			return { width: canvas.width, filled };
		})()`)) as { width: number; filled: number };
		assert.ok(painted.width > 100 && painted.filled > 1000, `${id}: ${JSON.stringify(painted)}`);
	}
	assert.equal(await page.textContent('#timing-stats [data-stat="speedup"] .stat-value'), '15.8×');

	// A theme change (VS Code swaps the body class) redraws the charts in the new theme's colours.
	const redPixels = `(() => {
		const canvas = document.getElementById('histogram-chart');
		const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
		let red = 0;
		for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 0 && data[i + 2] === 0) red++;
		return red;
	})()`;
	assert.equal(await page.evaluate(redPixels), 0);
	await page.evaluate(`document.body.className = 'vscode-high-contrast'`);
	await page.waitForFunction(`${redPixels} > 1000`, undefined, { timeout: 5000 });
	assert.equal(await page.locator('#percentiles tr').count(), 6);
	const saved = JSON.parse((await page.evaluate(`sessionStorage.getItem('vscode-state')`)) as string);
	assert.deepEqual(parseRestoreState(saved), { panel: 'timing', storePath: ':memory:', experiment: 'big', evalId: info.evalId });
	await page.screenshot({ path: path.join('test-results', 'webview-timing.png'), fullPage: true }).catch(() => undefined);

	post = {
		type: 'compare',
		view: await loadCompareView(reader, ['sync_baseline', 'big']),
		restore: { panel: 'compare', storePath: reader.path, experiments: ['sync_baseline', 'big'] },
	};
	await page.reload();
	await page.waitForSelector('#timing-root[data-mode="compare"][data-ready="true"]');
	assert.deepEqual(
		await page.evaluate(`[...document.querySelectorAll('#compare-table thead th[data-experiment]')].map((th) => th.getAttribute('data-experiment'))`),
		['sync_baseline', 'big'],
	);
	assert.match((await page.textContent('#compare-table tr[data-row="Wall time"]')) ?? '', /8\.00 s.*6\.30 s.*−1\.70 s/);
	const canvasWidth = (await page.evaluate(`document.getElementById('compare-chart').width`)) as number;
	assert.ok(canvasWidth > 100);
	await page.screenshot({ path: path.join('test-results', 'webview-compare.png'), fullPage: true }).catch(() => undefined);
	assert.deepEqual(problems, []);
	await page.close();
});

test('timing panel waterfall: rate-limit wait and judge drawn as their own bars, trials labelled', { skip: missing }, async () => {
	const t = 1_700_000_000_000;
	// Four samples of two rows × two trials: 200 ms budget wait, 500 ms run, 300 ms judge each.
	const judged = Array.from({ length: 4 }, (_, i) =>
		sample(i >> 1, {
			...(i % 2 ? { trial: 1 } : {}),
			timing: {
				queuedAt: t,
				startedAt: t + i * 100,
				finishedAt: t + i * 100 + 1000,
				queueMs: i * 100,
				backoffMs: 0,
				latencyMs: 500,
				budgetMs: 200,
				judgeMs: 300,
			},
		}),
	);
	const judgedInfo = evaluation('judged', 'evalJudged', { total: 4, completed: 4, wallMs: 1300 });
	const reader = storeReader({
		getEvaluation: () => judgedInfo,
		samples: (_e, _id, query = {}) => ({ total: 4, samples: judged.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)) }),
	});
	const view = await loadTimingView(reader, 'judged', judgedInfo.evalId);
	assert.deepEqual(
		view.waterfall.map((r) => [r.index, r.trial ?? 0, r.budget[1] - r.budget[0], r.judge[1] - r.judge[0]]),
		[
			[0, 0, 200, 300],
			[0, 1, 200, 300],
			[1, 0, 200, 300],
			[1, 1, 200, 300],
		],
	);
	const { page, problems } = await openWebview('timing', (m, reply) => {
		if ((m as { type: string }).type === 'ready')
			reply({ type: 'timing', view, restore: { panel: 'timing', storePath: reader.path, experiment: 'judged', evalId: judgedInfo.evalId } });
	});
	await waitReady(page, 'timing-root', problems);
	assert.match((await page.textContent('#timing-root')) ?? '', /Waterfall: queue wait, back-off, rate-limit wait, run, judge \(4 samples\)/);
	// The bars in the phases' colours (chart.js fills them solid: the palette's fallbacks without a theme).
	const pixels = (await page.evaluate(`(() => {
		const canvas = document.getElementById('waterfall-chart');
		const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
		const count = { budget: 0, judge: 0, run: 0 };
		for (let i = 0; i < data.length; i += 4) {
			const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
			if (r === 0xd1 && g === 0x86 && b === 0x16) count.budget++;
			if (r === 0xb1 && g === 0x80 && b === 0xd7) count.judge++;
			if (r === 0x37 && g === 0x94 && b === 0xff) count.run++;
		}
		return count;
	})()`)) as { budget: number; judge: number; run: number };
	assert.ok(pixels.budget > 500 && pixels.judge > 500 && pixels.run > 500, `bars of each phase: ${JSON.stringify(pixels)}`);
	// Judge bars are 3/5 the run's length, budget bars 2/5 (the same height): the ratio of their areas.
	assert.ok(Math.abs(pixels.judge / pixels.run - 0.6) < 0.15 && Math.abs(pixels.budget / pixels.run - 0.4) < 0.15, JSON.stringify(pixels));
	await page.screenshot({ path: path.join('test-results', 'webview-timing-phases.png'), fullPage: true }).catch(() => undefined);
	assert.deepEqual(problems, []);
	await page.close();
});
