import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { foreach, ForEach, Result, Score, accuracy } from '../../runtime/src/index.js';
import { registeredEvals, getEvalDefinition, isEval, beginFileLoad, endFileLoad } from '../../runtime/src/runner/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { SlidingWindow, Adaptive, Sequential } from '../../runtime/src/concurrency/index.js';
import { destructuredNames } from '../../runtime/src/core/params.js';
import { captureDefinitionSite } from '../../runtime/src/core/registry.js';
import { run } from './helpers.js';

const here = fileURLToPath(import.meta.url);
const sentimentData = [
	['This movie is absolutely amazing!', 'positive'],
	['Terrible plot and awful acting', 'negative'],
];

test('foreach(columns, data)(fn) returns a callable, branded, registered eval with its definition site', () => {
	const line =
		readFileSync(here, 'utf8')
			.split('\n')
			.findIndex((l) => l.includes('const evalSentiment = ' + 'foreach(')) + 1;
	const evalSentiment = foreach('text,expected', sentimentData)(async ({ text, expected }) => new Result(exactMatch(text, expected), { prompt: text }));
	const def = getEvalDefinition(evalSentiment)!;
	assert.ok(def, 'branded');
	assert.equal((evalSentiment as unknown as Record<symbol, unknown>)[Symbol.for('doteval.eval')], def);
	assert.ok(registeredEvals().includes(def));
	assert.deepEqual(def.columns, ['text', 'expected']);
	assert.equal(def.async, true);
	assert.equal(def.name, undefined, 'anonymous arrow: the loader names it from the export');
	assert.deepEqual(def.definedAt, { file: here, line });
	assert.deepEqual(def.strategyInfo, { name: 'Sequential', maxConcurrency: 1 });
	assert.deepEqual(def.requested, { names: ['text', 'expected'], optional: [] });
	assert.ok(isEval(evalSentiment));
	assert.equal(
		isEval(() => 1),
		false,
	);
});

test('calling the eval object calls the function with one sample', async () => {
	const e = foreach(
		'a',
		[1],
	)(function evalDouble({ a }) {
		return new Result(new Score('double', a * 2, [accuracy]));
	});
	const result = e({ a: 21 } as Parameters<typeof e>[0]) as Result; // fixtures the test program declares are not needed here
	assert.equal(result.scores[0]!.value, 42);
	assert.equal(getEvalDefinition(e)!.name, 'evalDouble');
});

test('new ForEach({ concurrency }) is callable like foreach and carries its strategy', () => {
	const foreachConcurrent = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) });
	assert.equal(typeof foreachConcurrent, 'function');
	assert.ok(foreachConcurrent instanceof ForEach);
	const e = foreachConcurrent('text,expected', sentimentData)(async ({ text }) => new Result({ prompt: text }));
	assert.deepEqual(getEvalDefinition(e)!.strategyInfo, { name: 'SlidingWindow', maxConcurrency: 4 });
	// Per-call options override the instance's.
	const e2 = foreachConcurrent('text', ['x'], { concurrency: 2 })(async () => new Result());
	assert.deepEqual(getEvalDefinition(e2)!.strategyInfo, { name: 'SlidingWindow', maxConcurrency: 2 });
});

test('standard decorator on a class method: named after the method, called without this', async () => {
	class Suite {
		@foreach('text,expected', sentimentData)
		static async evalDecorated({ text, expected }: { text: string; expected: string }) {
			return new Result(exactMatch(text.includes('amazing') ? 'positive' : 'negative', expected));
		}
	}
	const def = getEvalDefinition(Suite.evalDecorated)!;
	assert.equal(def.name, 'evalDecorated');
	assert.equal(def.definedAt?.file, here);
	const { samples } = await run(Suite.evalDecorated);
	assert.deepEqual(
		samples.map((s) => s.passed),
		[true, true],
	);
});

test('invalid options throw TypeErrors naming the constraint when the eval is defined', () => {
	for (const bad of [0, -1, 2.5, Number.NaN]) {
		assert.throws(() => new SlidingWindow({ maxConcurrency: bad }), { name: 'TypeError', message: /maxConcurrency must be an integer ≥ 1/ });
		assert.throws(() => new ForEach({ concurrency: bad }), { name: 'TypeError', message: /maxConcurrency must be an integer ≥ 1/ });
	}
	assert.throws(() => new Adaptive({ minConcurrency: 10, maxConcurrency: 5 }), /minConcurrency \(10\) must be ≤ maxConcurrency \(5\)/);
	assert.throws(() => new Adaptive({ initialConcurrency: 0 }), /initialConcurrency must be an integer ≥ 1/);
	assert.throws(() => new ForEach({ retries: { maxAttempts: 0 } }), /maxAttempts must be an integer ≥ 1/);
	assert.throws(() => new ForEach({ retries: { initialDelayMs: -5 } }), /initialDelayMs must be a number of milliseconds ≥ 0/);
	assert.throws(() => new ForEach({ concurrency: 'fast' as never }), /concurrency must be a strategy/);
	assert.throws(() => foreach('', [1]), /columns must be non-empty names/);
	assert.throws(() => foreach('a,a', [[1, 2]]), /column "a" appears twice/);
	assert.throws(() => foreach('a', 'data.jsonl' as never), /dataset is a string.*jsonl\(path\)/);
	assert.throws(() => foreach('a', 42 as never), /dataset must be an array, an iterable/);
	assert.throws(() => foreach('a', [1])('nope' as never), /fn must be a function/);
});

test('a window on a sync eval warns that it has no effect and runs sequentially', async () => {
	const warnings: string[] = [];
	const listener = (w: Error) => warnings.push(w.message);
	process.on('warning', listener);
	const e = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 4 }) })(
		'x',
		[1, 2, 3],
	)(function evalSync({ x }) {
		return new Result(exactMatch(x, x));
	});
	await new Promise((r) => setImmediate(r));
	process.off('warning', listener);
	assert.ok(
		warnings.some((m) => /evalSync .* is synchronous, so SlidingWindow has no effect/.test(m)),
		warnings.join('\n'),
	);
	assert.deepEqual(getEvalDefinition(e)!.strategyInfo, new Sequential().describe());
	const { outcome } = await run(e);
	assert.equal(outcome.summary.maxInFlight, 1);
});

test('parameter scanning: destructured names, defaults, and non-patterns', () => {
	assert.deepEqual(
		destructuredNames(async ({ text, expected, asyncModel }: any) => [text, expected, asyncModel]),
		{ names: ['text', 'expected', 'asyncModel'], optional: new Set() },
	);
	const withDefaults = destructuredNames(({ a, b: { c }, d = '}', e: f = `${'x'}` }: any) => [a, c, d, f]);
	assert.deepEqual(withDefaults?.names, ['a', 'b', 'd', 'e']);
	assert.deepEqual([...withDefaults!.optional], ['d', 'e']);
	assert.equal(
		destructuredNames((args: any) => args),
		null,
	);
	assert.equal(
		destructuredNames(({ a, ...rest }: any) => [a, rest]),
		null,
	);
	assert.deepEqual(destructuredNames(() => 1)?.names, []);
});

test('definition site falls back to the file being loaded when the stack has no usable frame', () => {
	beginFileLoad('/project/evals/x.eval.ts');
	try {
		// Code compiled from a string has no file frame: eval() frames are anonymous.
		const site = (0, eval)('(capture) => capture()')(captureDefinitionSite);
		assert.equal(site.file, '/project/evals/x.eval.ts');
	} finally {
		endFileLoad();
	}
});
