import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findEvalFiles } from '../../runtime/src/loader/findEvalFiles.ts';
import { globToRegExp, isEvalFileName } from '../../runtime/src/contracts/evalFiles.ts';

test('default eval file names', () => {
	for (const name of ['a.eval.ts', 'eval_a.ts', 'a.eval.mts', 'eval_b.mjs', 'c.eval.js']) assert.ok(isEvalFileName(name), name);
	for (const name of ['a.ts', 'evaluate.ts', 'eval_.ts', 'a.eval.d.ts', 'eval_a.tsx', '.eval_a.ts.1-0.doteval.mjs', 'a.eval.ts.1-0.doteval.mjs']) {
		assert.ok(!isEvalFileName(name), name);
	}
});

test('globs match across folders', () => {
	assert.ok(globToRegExp('/p/**/*.eval.ts').test('/p/a/b/x.eval.ts'));
	assert.ok(globToRegExp('/p/**/*.eval.ts').test('/p/x.eval.ts'));
	assert.ok(!globToRegExp('/p/*.eval.ts').test('/p/a/x.eval.ts'));
	assert.ok(globToRegExp('/p/eval_{a,b}.ts').test('/p/eval_b.ts'));
});

test('folders are walked outside node_modules and dot-folders; explicit files are taken as given', () => {
	const root = mkdtempSync(path.join(tmpdir(), 'doteval-find-'));
	for (const file of ['eval_a.ts', 'sub/b.eval.mts', 'sub/helper.ts', 'node_modules/pkg/eval_x.ts', '.cache/eval_y.ts', 'other/custom.ts']) {
		mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		writeFileSync(path.join(root, file), '');
	}
	assert.deepEqual(findEvalFiles([], root), [path.join(root, 'eval_a.ts'), path.join(root, 'sub/b.eval.mts')]);
	assert.deepEqual(findEvalFiles(['other/custom.ts', 'eval_a.ts'], root), [path.join(root, 'other/custom.ts'), path.join(root, 'eval_a.ts')]);
	assert.deepEqual(findEvalFiles(['sub/*.mts'], root), [path.join(root, 'sub/b.eval.mts')]);
	assert.throws(() => findEvalFiles(['missing.ts'], root), /no such file or folder: missing\.ts/);
});
