import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { foreach, ForEach, Result, fixture } from '../../runtime/src/index.js';
import { createRunScope, fixtureFilesFor, registeredEvals } from '../../runtime/src/runner/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { run, delay } from './helpers.js';

const log: string[] = [];

// The fixtures these tests define, typed for the evals that use them (typed-authoring.ts pins the rules).
declare module '../../runtime/src/index.js' {
	interface Fixtures {
		runModel: { id: number };
		evalClient: { id: number; model: { id: number } };
		sampleState: { id: number };
		brokenModel: never;
		optionalThing?: string;
		wideUsesNarrow: { id: number };
		cycleA: unknown;
		cycleB: unknown;
	}
}

let modelCount = 0;
fixture('runModel', () => ({ id: ++modelCount }), { scope: 'run', teardown: (m) => log.push(`teardown runModel ${m.id}`) });
let evalCount = 0;
fixture(
	'evalClient',
	async ({ runModel }) => {
		await delay(1);
		return { id: ++evalCount, model: runModel };
	},
	{ teardown: async (c) => log.push(`teardown evalClient ${c.id}`) },
);
let sampleCount = 0;
fixture('sampleState', () => ({ id: ++sampleCount }), { scope: 'sample', teardown: (s) => log.push(`teardown sampleState ${s.id}`) });
fixture('brokenModel', () => {
	throw new Error('API key missing: set OPENAI_API_KEY');
});

test('a run-scoped fixture is created once and shared by every eval of the run; torn down by the run scope', async () => {
	const seen: number[] = [];
	const a = foreach('x', [1, 2])(async ({ runModel }) => (seen.push(runModel.id), new Result()));
	const b = foreach('x', [1])(async ({ runModel }) => (seen.push(runModel.id), new Result()));
	const scope = createRunScope();
	modelCount = 0;
	log.length = 0;
	await run(a, { runScope: scope });
	await run(b, { runScope: scope });
	assert.deepEqual(seen, [1, 1, 1]);
	assert.deepEqual(log, [], 'not torn down before the run ends');
	await scope.teardown();
	assert.deepEqual(log, ['teardown runModel 1']);
});

test('eval scope: once per eval, torn down after it; sample scope: once per sample; columns and fixtures together', async () => {
	evalCount = 0;
	sampleCount = 0;
	log.length = 0;
	const got: Array<[number, number, number]> = [];
	const e = new ForEach({ concurrency: 2 })(
		'x',
		[10, 20, 30],
	)(async ({ x, evalClient, sampleState }) => {
		got.push([x, evalClient.id, sampleState.id]);
		return new Result(exactMatch(x, x));
	});
	const { outcome } = await run(e); // no run scope given: run-scoped fixtures live for this eval only
	assert.equal(outcome.status, 'completed');
	assert.deepEqual(
		got.map(([x, c]) => [x, c]),
		[
			[10, 1],
			[20, 1],
			[30, 1],
		],
	);
	assert.deepEqual(new Set(got.map(([, , s]) => s)).size, 3);
	assert.ok(log.indexOf('teardown evalClient 1') > log.findLastIndex((l) => l.startsWith('teardown sampleState')), log.join(', '));
	assert.equal(log.filter((l) => l.startsWith('teardown sampleState')).length, 3);
	assert.equal(log[log.length - 1], 'teardown runModel ' + modelCount, 'dependencies torn down after their users');
});

test('teardown runs after sample errors and after an abort', async () => {
	log.length = 0;
	const failing = foreach(
		'x',
		[1, 2],
	)(async ({ evalClient }) => {
		throw new Error(`boom ${evalClient.id}`);
	});
	const r1 = await run(failing);
	assert.equal(r1.outcome.summary.errors, 2);
	assert.ok(log.some((l) => l.startsWith('teardown evalClient')));
	log.length = 0;
	const controller = new AbortController();
	const aborted = foreach(
		'x',
		[1, 2, 3, 4],
	)(async ({ x, evalClient }) => {
		if (x === 2) controller.abort();
		return new Result(exactMatch(evalClient.id, evalClient.id));
	});
	const r2 = await run(aborted, { signal: controller.signal });
	assert.equal(r2.outcome.status, 'interrupted');
	assert.ok(log.some((l) => l.startsWith('teardown evalClient')));
});

test('a failing setup fails the eval that needs it, naming the fixture; other evals run', async () => {
	const needs = foreach(
		'x',
		[1],
	)(async function evalNeedsBroken({ brokenModel }) {
		return new Result(exactMatch(brokenModel, 1));
	});
	const { outcome, samples } = await run(needs);
	assert.equal(outcome.status, 'failed');
	assert.equal(samples.length, 0);
	assert.match(
		outcome.failure!.message,
		/fixture 'brokenModel' \(defined at .*fixtures\.test\.ts:\d+\) failed to set up: Error: API key missing: set OPENAI_API_KEY/,
	);
	const fine = foreach('x', [1])(async ({ x }) => new Result(exactMatch(x, 1)));
	assert.equal((await run(fine)).outcome.status, 'completed');
});

test('asking for a name that is neither a column nor a visible fixture fails with the fix', async () => {
	// @ts-expect-error the typo this test is about: the compiler reports it too
	const e = foreach('text', ['a'])(async function evalTypo({ text, asyncModle }) {
		return new Result(exactMatch(text, asyncModle));
	});
	const { outcome } = await run(e);
	assert.equal(outcome.status, 'failed');
	assert.match(
		outcome.failure!.message,
		/eval evalTypo asks for 'asyncModle', which is neither a column \(text\) nor a fixture visible from .*fixtures\.test\.ts \(visible fixtures: .*runModel.*\); add the column, or define fixture\('asyncModle', \.\.\.\)/,
	);
	const withDefault = foreach('text', ['a'])(
		async ({ text, optionalThing = 'fallback' }) => new Result(exactMatch(optionalThing, 'fallback'), { prompt: text }),
	);
	assert.equal((await run(withDefault)).samples[0]!.passed, true);
});

test('scope rules and cycles are reported with the fixture names', async () => {
	fixture('wideUsesNarrow', ({ sampleState }) => sampleState, { scope: 'run' });
	fixture('cycleA', ({ cycleB }) => cycleB);
	fixture('cycleB', ({ cycleA }) => cycleA);
	const a = foreach('x', [1])(async ({ wideUsesNarrow }) => new Result(exactMatch(wideUsesNarrow, 1)));
	assert.match((await run(a)).outcome.failure!.message, /fixture 'wideUsesNarrow' \(scope 'run'\) cannot use 'sampleState' \(scope 'sample'\)/);
	const b = foreach('x', [1])(async ({ cycleA }) => new Result(exactMatch(cycleA, 1)));
	assert.match((await run(b)).outcome.failure!.message, /depends on itself: cycleA → cycleB → cycleA/);
	assert.throws(() => fixture('bad name', () => 1), /name must be an identifier/);
	assert.throws(() => fixture('x', () => 1, { scope: 'session' as never }), /scope must be 'sample', 'eval' or 'run'/);
});

test('shared fixture files: found from the eval folder up to the project root, nearest wins, other files invisible', async () => {
	const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'doteval-fixtures-')));
	const runtime = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime/src/index.ts')).href;
	mkdirSync(path.join(root, 'evals', 'deep'), { recursive: true });
	writeFileSync(path.join(root, 'package.json'), '{}');
	writeFileSync(
		path.join(root, 'doteval.fixtures.ts'),
		`import { fixture } from '${runtime}';\nfixture('greeting', () => 'root');\nfixture('rootOnly', () => 'r', { scope: 'run' });\n`,
	);
	writeFileSync(path.join(root, 'evals', 'doteval.fixtures.ts'), `import { fixture } from '${runtime}';\nfixture('greeting', () => 'evals');\n`);
	writeFileSync(path.join(root, 'evals', 'helpers.ts'), `import { fixture } from '${runtime}';\nfixture('hidden', () => 'h');\n`);
	const evalFile = path.join(root, 'evals', 'deep', 'a.eval.ts');
	writeFileSync(
		evalFile,
		`import { foreach, Result, Score } from '${runtime}';\nimport './../helpers.ts';\nexport const evalGreeting = foreach('x', [1])(async ({ greeting, rootOnly }) => new Result(new Score('g', greeting + rootOnly, [])));\nexport const evalHidden = foreach('x', [1])(async ({ hidden }) => new Result());\n`,
	);

	const files = fixtureFilesFor(evalFile, root);
	assert.deepEqual(files, [path.join(root, 'doteval.fixtures.ts'), path.join(root, 'evals', 'doteval.fixtures.ts')]);
	for (const f of [...files, evalFile]) await import(pathToFileURL(f).href);
	const [greeting, hidden] = registeredEvals().filter((d) => d.definedAt?.file === evalFile);
	assert.equal(greeting!.definedAt!.line, 3);
	const r = await run({ [Symbol.for('doteval.eval')]: greeting });
	assert.equal(r.samples[0]!.scores[0]!.value, 'evalsr', 'nearest doteval.fixtures.ts wins; the root one is visible too');
	const h = await run({ [Symbol.for('doteval.eval')]: hidden });
	assert.match(h.outcome.failure!.message, /asks for 'hidden', which is neither a column \(x\) nor a fixture visible from/);
	assert.deepEqual(fixtureFilesFor(path.join(tmpdir(), 'elsewhere.eval.ts'), root), [], 'nothing outside the project root');
});
