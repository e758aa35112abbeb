import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverFile } from '../../server/src/discovery/index';
import { diagnose } from '../../server/src/features/diagnostics';
import { file, root, span } from './helpers';

/** Diagnostics as `line:code: message` (1-based lines), sorted, to compare whole lists. */
function check(src: string, fixtures: string[] = []): string[] {
	return diagnose(discoverFile(file, src, root), new Set(fixtures))
		.map((d) => `${d.range.start.line + 1}:${d.code}: ${d.message}`)
		.sort();
}

test('column count vs the arity of inline rows (arrays and objects)', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`const rows = [['a', 'b'], ['c'], { text: 'x' }, { text: 'y', expected: 'z' }];`,
		`export const evalA = foreach('text,expected', rows)(async ({ text, expected }) => text === expected);`,
		`export const evalOne = foreach('messages', [['hi', 'there']])(async ({ messages }) => messages);`,
	].join('\n');
	assert.deepEqual(check(src), [
		`2:row-arity: This row has 1 value but foreach declares 2 columns (text, expected). Add or remove values, or change the column list.`,
		`2:row-arity: This row has no "expected" key; foreach declares the columns text, expected.`,
	]);
	const d = diagnose(discoverFile(file, src, root), new Set())[0]!;
	assert.deepEqual(d.range, span(src, `['c']`));
	assert.equal(d.source, 'doteval');
});

test('destructured names that are neither columns nor fixtures (file and shared fixtures count)', () => {
	const src = [
		`import { foreach, fixture } from 'doteval';`,
		`fixture('judge', () => ({}));`,
		`export const evalA = foreach('text', [])(async ({ text, judge, asyncModel, modle: renamed, ...rest }) => text);`,
		`export const evalB = foreach('text', [])(async ({ text, judge, modle, temperature = 0.7 }) => text);`,
		`export const evalC = foreach(columnsFromSomewhere, [])(async ({ anything }) => anything);`,
	].join('\n');
	assert.deepEqual(check(src, ['asyncModel']), [
		`4:unknown-name: "modle" is neither a column of this eval (text) nor a known fixture. Add it to the columns, or declare it with fixture('modle', …) in this file or in a doteval.fixtures.ts next to it.`,
	]);
});

test('SlidingWindow on a sync eval, and maxConcurrency that is not a positive integer', () => {
	const src = [
		`import { ForEach, foreach } from 'doteval';`,
		`import { SlidingWindow } from 'doteval/concurrency';`,
		`const sw = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });`,
		`export const evalSync = sw('q', [])(({ q }) => q);`,
		`export const evalAsync = sw('q', [])(async ({ q }) => q);`,
		`export const evalZero = foreach('q', [], { concurrency: new SlidingWindow({ maxConcurrency: 0 }) })(async ({ q }) => q);`,
		`export const evalHalf = foreach('q', [], { concurrency: 2.5 })(async ({ q }) => q);`,
		`export const evalNegative = foreach('q', [], { concurrency: new SlidingWindow({ maxConcurrency: -1 }) })(async ({ q }) => q);`,
		`export const evalImported = sw('q', [])(someImportedFunction);`,
	].join('\n');
	assert.deepEqual(check(src), [
		`4:sync-sliding-window: SlidingWindow has no effect on a sync eval: its samples still run one at a time. Make the eval function async (and await the model).`,
		`6:max-concurrency: maxConcurrency must be a positive integer, got 0.`,
		`7:max-concurrency: maxConcurrency must be a positive integer, got 2.5.`,
		`8:max-concurrency: maxConcurrency must be a positive integer, got -1.`,
	]);
});

test('two evals with the same id, and evals the runtime cannot name', () => {
	const src = [
		`import { foreach } from 'doteval';`,
		`export const evalA = foreach('q', [])(async ({ q }) => q);`,
		`const other = foreach('q', [])(async function evalA({ q }) { return q; });`,
		`const hidden = foreach('q', [])(async ({ q }) => q);`,
		`for (const m of [1, 2]) foreach('q', [])(async ({ q }) => q);`,
	].join('\n');
	assert.deepEqual(check(src), [
		`2:duplicate-id: Two evals have the id "evals/sentiment.eval.ts::evalA" (also on line 3); results would mix. Give one of them another name.`,
		`3:duplicate-id: Two evals have the id "evals/sentiment.eval.ts::evalA" (also on line 2); results would mix. Give one of them another name.`,
		'4:unnamed-eval: This eval has no name at run time (an anonymous function that is not exported), so `doteval run` skips it. Export it as a const, or give the function a name.',
	]);
});
