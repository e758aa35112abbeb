import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRuns } from '../../client/src/runner/plan';
import { runArgs, parseSampleIndexes } from '../../client/src/runner/cliArgs';
import { debugConfiguration } from '../../client/src/runner/debugConfig';

// /w/app has a package.json (a project root); /w/app/evals and /w/lib do not; /w/lib/pkg does.
const packages = new Set(['/w/app/package.json', '/w/lib/pkg/package.json']);
const exists = (p: string) => packages.has(p);
const isDir = (p: string) => !/\.[cm]?[jt]s$/.test(p);

test('targets are grouped per project root with selectors relative to it', () => {
	const plans = planRuns(
		[
			{ kind: 'eval', file: '/w/app/evals/eval_a.ts', evalId: 'evals/eval_a.ts::evalA' },
			{ kind: 'path', path: '/w/app/evals/b.eval.ts' },
			{ kind: 'path', path: '/w/lib/pkg/sub' },
			{ kind: 'eval', file: '/w/app/evals/eval_a.ts', evalId: 'evals/eval_a.ts::evalA' },
			{ kind: 'path', path: '/w/app' },
		],
		{ samples: 10 },
		exists,
		isDir,
	);
	assert.deepEqual(plans, [
		{ projectRoot: '/w/app', anchor: '/w/app/evals/eval_a.ts', selectors: ['evals/eval_a.ts::evalA', 'evals/b.eval.ts', '.'], samples: 10 },
		{ projectRoot: '/w/lib/pkg', anchor: '/w/lib/pkg/sub', selectors: ['sub'], samples: 10 },
	]);
});

test('the run command line carries every option the editor uses', () => {
	assert.deepEqual(runArgs({ selectors: ['a.ts::x'], experiment: 'exp', samples: 10, onlySamples: [5, 1, 5], storage: '/s.db' }), [
		'run',
		'--reporter',
		'jsonl',
		'a.ts::x',
		'--experiment',
		'exp',
		'--samples',
		'10',
		'--only-samples',
		'1,5',
		'--storage',
		'/s.db',
	]);
	assert.deepEqual(runArgs({ selectors: [] }), ['run', '--reporter', 'jsonl']);
});

test('sample indexes typed by a person are parsed or refused with a hint', () => {
	assert.deepEqual(parseSampleIndexes(' 3 '), [3]);
	assert.deepEqual(parseSampleIndexes('1, 5,7'), [1, 5, 7]);
	assert.throws(() => parseSampleIndexes(''), /one or more sample indexes/);
	assert.throws(() => parseSampleIndexes('1,-2'), /"-2" is not a sample index/);
	assert.throws(() => parseSampleIndexes('x'), /0-based integers/);
});

test('debugging runs the CLI under Node with the pretty reporter, only the chosen samples, and source maps', () => {
	const config = debugConfiguration(
		'/w/app/node_modules/doteval/dist/cli.js',
		{ projectRoot: '/w/app', anchor: '/w/app/eval_a.ts', selectors: ['eval_a.ts::evalA'], onlySamples: [3] },
		{ ESBUILD_BINARY_PATH: '/x/esbuild' },
	);
	assert.equal(config.type, 'node');
	assert.equal(config.request, 'launch');
	assert.equal(config.program, '/w/app/node_modules/doteval/dist/cli.js');
	assert.deepEqual(config.args, ['run', '--reporter', 'pretty', 'eval_a.ts::evalA', '--only-samples', '3']);
	assert.equal(config.cwd, '/w/app');
	assert.equal(config.sourceMaps, true);
	assert.equal(config.name, 'doteval: debug eval_a.ts::evalA (sample 3)');
	assert.deepEqual(config.env, { ESBUILD_BINARY_PATH: '/x/esbuild', NO_COLOR: '1' });
});
