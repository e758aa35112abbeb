import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverEvals, discoverFixtures } from '../../server/src/discovery/index';
import { def, file, root, span } from './helpers';

const discover = (src: string) => discoverEvals(file, src, root);

test('named import: exported const over an inline dataset', () => {
	const src = [
		`import { foreach, Result } from 'doteval';`,
		`const sentimentData = [['great', 'positive'], ['awful', 'negative'], ['meh', 'neutral']];`,
		`export const evalSentiment = foreach('text,expected', sentimentData)(async ({ text, expected, asyncModel }) => {`,
		`\treturn new Result();`,
		`});`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({
			name: 'evalSentiment',
			range: span(src, `foreach('text`, '\treturn new Result();\n})'),
			nameRange: span(src, 'evalSentiment'),
			columns: ['text', 'expected'],
			dataset: { kind: 'inline', length: 3 },
		}),
	]);
});

test('aliased import, sync eval, inline array literal', () => {
	const src = `import { foreach as fe } from "doteval";\nexport const evalAdd = fe("a,b,sum", [[1, 2, 3], [2, 2, 4]])(({ a, b, sum }) => a + b === sum);\n`;
	assert.deepEqual(discover(src), [
		def({
			name: 'evalAdd',
			range: span(src, 'fe("a', '=== sum)'),
			nameRange: span(src, 'evalAdd'),
			columns: ['a', 'b', 'sum'],
			dataset: { kind: 'inline', length: 2 },
			async: false,
		}),
	]);
});

test('namespace import: dt.foreach and dt.ForEach', () => {
	const src = [
		`import * as dt from 'doteval';`,
		`import * as conc from 'doteval/concurrency';`,
		`export const evalA = dt.foreach('q', ['x'])(async ({ q }) => q);`,
		`const fc = new dt.ForEach({ concurrency: new conc.Adaptive() });`,
		`export const evalB = fc('q', ['x', 'y'])(async ({ q }) => q);`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({ name: 'evalA', range: span(src, `dt.foreach(`, '=> q)'), nameRange: span(src, 'evalA'), columns: ['q'], dataset: { kind: 'inline', length: 1 } }),
		def({
			name: 'evalB',
			range: span(src, `fc('q'`, '=> q)'),
			nameRange: span(src, 'evalB'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 2 },
			strategy: { name: 'Adaptive', maxConcurrency: 100 }, // the runtime's default window, as `doteval run --list` reports it
		}),
	]);
});

test('ForEach instance with a literal SlidingWindow, and a loader dataset', () => {
	const src = [
		`import { ForEach } from 'doteval';`,
		`import { SlidingWindow as SW } from 'doteval/concurrency';`,
		`import { jsonl, csv, json } from 'doteval/datasets';`,
		`const fc = new ForEach({ concurrency: new SW({ maxConcurrency: 4 }) });`,
		`const rows = csv('data/qa.csv');`,
		`export const evalJsonl = fc('question,answer', jsonl('data/qa.jsonl'))(async ({ question }) => question);`,
		`export const evalCsv = fc('question,answer', rows)(async ({ question }) => question);`,
		`export const evalJson = fc('question', json(\`data/qa.json\`))(async ({ question }) => question);`,
	].join('\n');
	const strategy = { name: 'SlidingWindow', maxConcurrency: 4 };
	assert.deepEqual(discover(src), [
		def({
			name: 'evalJsonl',
			range: span(src, `fc('question,answer', jsonl`, '=> question)'),
			nameRange: span(src, 'evalJsonl'),
			columns: ['question', 'answer'],
			dataset: { kind: 'file', loader: 'jsonl', path: 'data/qa.jsonl' },
			strategy,
		}),
		def({
			name: 'evalCsv',
			range: span(src, `fc('question,answer', rows`, '=> question)'),
			nameRange: span(src, 'evalCsv'),
			columns: ['question', 'answer'],
			dataset: { kind: 'file', loader: 'csv', path: 'data/qa.csv' },
			strategy,
		}),
		def({
			name: 'evalJson',
			range: span(src, `fc('question', json`, '=> question)'),
			nameRange: span(src, 'evalJson', 'evalJson', 1),
			columns: ['question'],
			dataset: { kind: 'file', loader: 'json', path: 'data/qa.json' },
			strategy,
		}),
	]);
});

test('foreach options argument, and a maxConcurrency that is not a literal', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`import { SlidingWindow, Sequential } from 'doteval/concurrency';`,
		`const n = 8;`,
		`export const evalA = foreach('x', data(), { concurrency: new SlidingWindow({ maxConcurrency: n }) })(async ({ x }) => x);`,
		`export const evalB = foreach('x', [1], { concurrency: new Sequential() })(({ x }) => x);`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({ name: 'evalA', range: span(src, `foreach('x', data`, '=> x)'), nameRange: span(src, 'evalA'), columns: ['x'], strategy: { name: 'SlidingWindow' } }),
		def({
			name: 'evalB',
			range: span(src, `foreach('x', [1]`, '=> x)'),
			nameRange: span(src, 'evalB'),
			columns: ['x'],
			dataset: { kind: 'inline', length: 1 },
			strategy: { name: 'Sequential' },
			async: false,
		}),
	]);
});

test('@foreach decorators on class methods', () => {
	const src = [
		`import { foreach, ForEach } from 'doteval';`,
		`const fc = new ForEach();`,
		`export class SentimentEvals {`,
		`\t@foreach('text,expected', [['a', 'b']])`,
		`\tasync evalPolarity({ text, expected }) { return text === expected; }`,
		``,
		`\t@fc('text', [])`,
		`\tevalLength({ text }) { return text.length > 0; }`,
		`}`,
		`class Hidden {`,
		`\t@foreach('q', [])`,
		`\tevalHidden({ q }) { return q; }`,
		`}`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({
			name: 'evalPolarity',
			range: span(src, `@foreach('text`, 'expected; }'),
			nameRange: span(src, 'evalPolarity'),
			columns: ['text', 'expected'],
			dataset: { kind: 'inline', length: 1 },
		}),
		def({
			name: 'evalLength',
			range: span(src, `@fc(`, '> 0; }'),
			nameRange: span(src, 'evalLength'),
			columns: ['text'],
			dataset: { kind: 'inline', length: 0 },
			async: false,
		}),
		def({
			name: 'evalHidden',
			range: span(src, `@foreach('q'`, 'return q; }'),
			nameRange: span(src, 'evalHidden'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			async: false,
			exported: false,
		}),
	]);
});

test('names: export function, default export, export list, unexported evals', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`export async function evalDeclared({ q }) { return q; }`,
		`foreach('q', [])(evalDeclared);`,
		`export default foreach('q', [])(async ({ q }) => q);`,
		`const evalLocal = foreach('q', [])(async ({ q }) => q);`,
		`const wrapper = foreach('q', [])(async function evalOwnName({ q }) { return q; });`,
		`const evalListed = foreach('q', [])(async ({ q }) => q);`,
		`export { evalListed as evalRenamed };`,
		`foreach('q', [])(async ({ q }) => q);`,
	].join('\n');
	const call = (nth: number) =>
		span(src, `foreach('q'`, nth === 5 ? '=> q);'.slice(0, 5) : nth === 3 ? 'return q; })' : nth === 0 ? '(evalDeclared)' : '=> q)', nth);
	assert.deepEqual(discover(src), [
		def({
			name: 'evalDeclared',
			range: call(0),
			nameRange: span(src, 'evalDeclared', 'evalDeclared', 1),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			exported: false,
		}),
		def({ name: 'default', range: call(1), nameRange: span(src, 'foreach', 'foreach', 2), columns: ['q'], dataset: { kind: 'inline', length: 0 } }),
		def({ name: 'evalLocal', range: call(2), nameRange: span(src, 'evalLocal'), columns: ['q'], dataset: { kind: 'inline', length: 0 }, exported: false }),
		def({ name: 'evalOwnName', range: call(3), nameRange: span(src, 'wrapper'), columns: ['q'], dataset: { kind: 'inline', length: 0 }, exported: false }),
		def({ name: 'evalRenamed', range: call(4), nameRange: span(src, 'evalListed'), columns: ['q'], dataset: { kind: 'inline', length: 0 } }),
		def({
			name: 'anonymous@9',
			range: call(5),
			nameRange: span(src, 'foreach', 'foreach', 6),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			exported: false,
		}),
	]);
});

test('evals made in loops or factories are dynamic placeholders', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`for (const model of ['a', 'b']) {`,
		`\tforeach('q', [])(async ({ q }) => q);`,
		`}`,
		`export function makeEval(model: string) {`,
		`\treturn foreach('q', [model])(async ({ q }) => q);`,
		`}`,
		`export const evals = ['x', 'y'].map((m) => foreach('q', [m])(async ({ q }) => q));`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({
			name: 'dynamic@3',
			range: span(src, `foreach('q', []`, '=> q)'),
			nameRange: span(src, 'foreach', 'foreach', 1),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			dynamic: true,
			exported: false,
		}),
		def({
			name: 'dynamic@6',
			range: span(src, `foreach('q', [model]`, '=> q)'),
			nameRange: span(src, 'foreach', 'foreach', 2),
			columns: ['q'],
			dataset: { kind: 'inline', length: 1 },
			dynamic: true,
			exported: false,
		}),
		def({
			name: 'dynamic@8',
			range: span(src, `foreach('q', [m]`, '=> q)'),
			nameRange: span(src, 'foreach', 'foreach', 3),
			columns: ['q'],
			dataset: { kind: 'inline', length: 1 },
			dynamic: true,
			exported: false,
		}),
	]);
});

test('a foreach that does not come from doteval is ignored', () => {
	const src = [
		`import { foreach } from './my-foreach';`,
		`import { ForEach } from 'not-doteval';`,
		`import type { Result } from 'doteval';`,
		`const fc = new ForEach();`,
		`export const evalA = foreach('q', [])(async ({ q }) => q);`,
		`export const evalB = fc('q', [])(async ({ q }) => q);`,
	].join('\n');
	assert.deepEqual(discover(src), []);
	const shadowingOnly = `import { Result } from 'doteval';\nconst foreach = (c: string, d: unknown[]) => (f: unknown) => f;\nexport const evalA = foreach('q', [])(async () => 1);\n`;
	assert.deepEqual(discover(shadowingOnly), []);
});

test('CommonJS require of doteval', () => {
	const src = `const { foreach } = require('doteval');\nconst dt = require('doteval');\nexports.x = 1;\nconst evalA = foreach('q', [1, 2])(({ q }) => q);\nconst evalB = dt.foreach('q', [1])(async ({ q }) => q);\n`;
	assert.deepEqual(discoverEvals('/project/evals/sentiment.eval.js', src, root), [
		def({
			id: 'evals/sentiment.eval.js::evalA',
			file: '/project/evals/sentiment.eval.js',
			name: 'evalA',
			range: span(src, `foreach('q', [1, 2]`, '=> q)'),
			nameRange: span(src, 'evalA'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 2 },
			async: false,
			exported: false,
		}),
		def({
			id: 'evals/sentiment.eval.js::evalB',
			file: '/project/evals/sentiment.eval.js',
			name: 'evalB',
			range: span(src, `dt.foreach('q', [1]`, '=> q)'),
			nameRange: span(src, 'evalB'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 1 },
			exported: false,
		}),
	]);
});

test('syntax errors: what can be found is found, and nothing throws', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`export const evalGood = foreach('q', [1])(async ({ q }) => q);`,
		`export const evalBroken = foreach('q', [1)(async ({ q }) => {`,
		`  const x = ;`,
		`export function }}} (((`,
	].join('\n');
	const found = discover(src);
	assert.deepEqual(
		found[0],
		def({
			name: 'evalGood',
			range: span(src, `foreach('q', [1])`, '=> q)'),
			nameRange: span(src, 'evalGood'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 1 },
		}),
	);
	for (const garbage of [
		'',
		'(((((',
		'import { foreach } from "doteval"; foreach(',
		'@foreach(\n class {',
		'import * as d from "doteval"; d.foreach()()()',
		'\u0000\uffff<<>>`${',
	]) {
		assert.doesNotThrow(() => discover(garbage));
	}
	assert.deepEqual(discover('import { foreach } from "doteval"; foreach('), []);
});

test('discoverFixtures: names declared with fixture() from doteval', () => {
	const src = [
		`import { fixture } from 'doteval';`,
		`import * as dt from 'doteval';`,
		`fixture('asyncModel', async () => ({ classify: async (t: string) => t }), { scope: 'session' });`,
		`export const judge = dt.fixture("judge", () => 1);`,
		`fixture(dynamicName, () => 1);`,
	].join('\n');
	assert.deepEqual(discoverFixtures(src), ['asyncModel', 'judge']);
	assert.deepEqual(discoverFixtures(`function fixture(n: string) {}\nfixture('notOurs');`), []);
});

test('as the runtime: a default export keeps its function name; numeric and per-call concurrency', () => {
	const src = [
		`import { foreach, ForEach } from 'doteval';`,
		`import { Sequential } from 'doteval/concurrency';`,
		`const fc = new ForEach({ concurrency: 4 });`,
		`export const evalWindow = fc('q', [])(async ({ q }) => q);`,
		`export const evalOverride = fc('q', [], { concurrency: new Sequential() })(async ({ q }) => q);`,
		`export default foreach('q', [])(async function evalDefaultNamed({ q }) { return q; });`,
	].join('\n');
	assert.deepEqual(discover(src), [
		def({
			name: 'evalWindow',
			range: span(src, `fc('q', [])`, '=> q)'),
			nameRange: span(src, 'evalWindow'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			strategy: { name: 'SlidingWindow', maxConcurrency: 4 },
		}),
		def({
			name: 'evalOverride',
			range: span(src, `fc('q', [], {`, '=> q)'),
			nameRange: span(src, 'evalOverride'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
			strategy: { name: 'Sequential' },
		}),
		def({
			name: 'evalDefaultNamed',
			range: span(src, `foreach('q', [])(async function`, 'return q; })'),
			nameRange: span(src, 'evalDefaultNamed'),
			columns: ['q'],
			dataset: { kind: 'inline', length: 0 },
		}),
	]);
});

test('CRLF line endings give the same ranges as LF', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`const data = [['a', 'b']];`,
		`export const evalA = foreach('x,y', data)(async ({ x, y }) => {`,
		`\treturn x === y;`,
		`});`,
	].join('\n');
	const lf = discover(src);
	assert.equal(lf.length, 1);
	assert.deepEqual(discover(src.replace(/\n/g, '\r\n')), lf);
});

test('batch(columns, dataset, { batchSize })(fn) is discovered as an eval, like foreach', () => {
	const src = [
		`import { batch, Result } from 'doteval';`,
		`const rows = [{ text: 'a', expected: 'x' }, { text: 'b', expected: 'y' }];`,
		`export const evalBatched = batch('text,expected', rows, { batchSize: 8 })(async ({ text, expected }) => {`,
		`\treturn text.map(() => new Result());`,
		`});`,
	].join('\n');
	const [found, ...rest] = discover(src);
	assert.equal(rest.length, 0);
	assert.deepEqual(
		[found!.name, found!.columns, found!.dataset, found!.range],
		['evalBatched', ['text', 'expected'], { kind: 'inline', length: 2 }, span(src, `batch('text`, '\treturn text.map(() => new Result());\n})')],
	);
});
