/**
 * Untrusted sample content (rows, prompts, model outputs, errors) must reach the webview DOM as
 * text only. Two checks that can fail: the renderers run against a fake document whose elements
 * throw on HTML parsing and whose created tags we inspect, and a static scan of the webview
 * sources for HTML-parsing sinks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildCompareView } from '../../client/src/panels/compareData.js';
import { toDetailView, toRowView } from '../../client/src/panels/resultsData.js';
import { renderDetail, renderHeader, renderRow } from '../../client/src/webview/resultsRender.js';
import { renderCompareTable } from '../../client/src/webview/timingRender.js';
import { fakeDocument, type FakeElement } from './fakeDom.js';
import { evaluation, sample } from './fixtures.js';

const hostile = ['<img src=x onerror=alert(1)>', '<script>alert("xss")</script>', '"><svg onload=alert(1)>'];
const allowedTags = new Set(['div', 'span', 'section', 'h1', 'h2', 'h3', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'header']);

function assertOnlyOurTags(root: FakeElement): void {
	for (const element of root.walk()) {
		assert.ok(allowedTags.has(element.tagName), `unexpected <${element.tagName}> created`);
		for (const name of element.attributes.keys()) assert.ok(!/^on/i.test(name), `event handler attribute ${name}`);
	}
}

function assertHasText(root: FakeElement, text: string): void {
	assert.ok(
		[...root.texts()].some((node) => node.data.includes(text)),
		`"${text}" not rendered as a text node`,
	);
}

const evil = sample(7, {
	row: { text: hostile[0], expected: hostile[1] },
	prompt: hostile[1],
	modelResponse: hostile[0],
	passed: null,
	error: { type: '<b>Evil</b>', message: hostile[2], stack: hostile[1] },
	scores: [{ name: hostile[2], value: hostile[0], metrics: [hostile[1]], passed: false, metadata: { reason: hostile[0] } }],
	output: `${hostile[2]}\n`,
});

test('a table row with hostile content renders it as text', () => {
	const row = renderRow(fakeDocument, toRowView(evil), 0, true) as FakeElement;
	assertOnlyOurTags(row);
	assert.equal(row.attributes.get('data-index'), '7');
	assert.equal(row.attributes.get('data-status'), 'error');
	assertHasText(row, 'text: <img src=x onerror=alert(1)>');
	const response = [...row.walk()].find((e) => e.attributes.get('class') === 'cell cell-response');
	assert.equal(response?.textContent, hostile[0]);
	const errored = renderRow(fakeDocument, toRowView({ ...evil, modelResponse: null }), 1, false) as FakeElement;
	assertOnlyOurTags(errored);
	assertHasText(errored, '<b>Evil</b>: "><svg onload=alert(1)>');
});

test('the detail view renders row, prompt, response, scores, error and output as text', () => {
	const detail = renderDetail(fakeDocument, toDetailView(evil)) as FakeElement;
	assertOnlyOurTags(detail);
	for (const text of hostile) assertHasText(detail, text);
	const fields = [...detail.walk()].map((e) => e.attributes.get('data-field')).filter(Boolean);
	assert.deepEqual(fields, ['row', 'prompt', 'modelResponse', 'scores', 'error', 'output', 'attempts', 'timing']);
	const output = [...detail.walk()].find((e) => e.attributes.get('data-field') === 'output');
	assert.equal(output?.textContent, `Output${hostile[2]}\n`);
	const response = [...detail.walk()].find((e) => e.attributes.get('data-field') === 'modelResponse');
	assert.equal(response?.textContent, `Model response${hostile[0]}`);
});

test('headers and comparison tables render experiment and evaluation names as text', () => {
	const header = renderHeader(fakeDocument, {
		experiment: hostile[1],
		evalId: hostile[0],
		name: hostile[0],
		status: 'completed',
		completed: 1,
		errors: 0,
		metricsLine: hostile[2],
	}) as FakeElement;
	assertOnlyOurTags(header);
	assertHasText(header, hostile[0]);
	const view = buildCompareView([hostile[0], 'b'], [[evaluation(hostile[0], 'x')], [evaluation('b', 'y')]]);
	const table = renderCompareTable(fakeDocument, view) as FakeElement;
	assertOnlyOurTags(table);
	assertHasText(table, hostile[0]);
});

test('the fake document catches a renderer that parses HTML', () => {
	// Guards the guard: if the fake stopped throwing, the tests above would prove nothing.
	const element = fakeDocument.createElement('div') as FakeElement & { innerHTML: string };
	assert.throws(() => {
		element.innerHTML = hostile[0];
	}, /innerHTML/);
});

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
	});
}

test('no webview or panel source uses an HTML-parsing sink', () => {
	const sinks = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc)\b|\beval\(|new Function\(/;
	const files = [...sourceFiles('client/src/webview'), ...sourceFiles('client/src/panels')];
	assert.ok(files.length >= 8, 'webview sources not found');
	const offenders = files.flatMap((file) =>
		readFileSync(file, 'utf8')
			.split('\n')
			.map((line, i) => ({ file, line: i + 1, text: line }))
			.filter(({ text }) => !text.trim().startsWith('*') && !text.trim().startsWith('//') && sinks.test(text)),
	);
	assert.deepEqual(offenders, []);
});

test('the webview bundle does not inline event handlers', () => {
	const files = sourceFiles('client/src/webview');
	const inline = files.filter((file) => /setAttribute\(\s*['"]on/i.test(readFileSync(file, 'utf8')));
	assert.deepEqual(inline, []);
});
