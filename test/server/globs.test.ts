import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EvalFileMatcher } from '../../server/src/workspace/globs';
import { storePathFor, normalizeSettings } from '../../server/src/settings';

test('default globs: the CLI eval file names, never under node_modules or dot-folders', () => {
	const m = new EvalFileMatcher();
	const yes = ['a.eval.ts', 'x/y/b.eval.mts', 'c.eval.js', 'd.eval.mjs', 'eval_sentiment.ts', 'deep/eval_x.mjs'];
	const no = ['a.ts', 'a.eval.tsx', 'evalx.ts', 'x_eval_y.ts', 'node_modules/p/a.eval.ts', '.hidden/a.eval.ts', 'src/.cache/eval_a.ts', '../outside/a.eval.ts'];
	assert.deepEqual(
		yes.filter((f) => m.matches(f)),
		yes,
	);
	assert.deepEqual(
		no.filter((f) => m.matches(f)),
		[],
	);
});

test('custom globs: **, *, ? and {a,b}', () => {
	const m = new EvalFileMatcher(['evals/**/*.{ts,js}', 'check?.ts']);
	assert.deepEqual(
		['evals/a.ts', 'evals/x/y/b.js', 'check1.ts', 'evals/a.mts', 'other/a.ts', 'check12.ts'].filter((f) => m.matches(f)),
		['evals/a.ts', 'evals/x/y/b.js', 'check1.ts'],
	);
});

test('settings: defaults for anything malformed; the store path as the CLI resolves it', () => {
	assert.deepEqual(normalizeSettings({ evalGlobs: [1, ''], storagePath: 3 }), normalizeSettings(undefined));
	assert.equal(storePathFor(normalizeSettings({}), '/p', '/w'), path.join('/p', '.doteval'));
	assert.equal(storePathFor(normalizeSettings({ storagePath: 'results/' }), '/p', '/w'), path.join('/w', 'results'));
	assert.equal(storePathFor(normalizeSettings({ storagePath: 'results/my.db' }), '/p', '/w'), path.join('/w', 'results', 'my'));
	assert.equal(storePathFor(normalizeSettings({ storagePath: '/abs/x.db' }), '/p', '/w'), '/abs/x');
});
