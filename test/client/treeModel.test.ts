import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, sampleLabel, rowPreview, folderOf, sampleNode, type TreeNode } from '../../client/src/testing/treeModel';
import type { FileEvals } from '../../runtime/src/contracts/editorProtocol.js';

const range = { start: { line: 2, character: 0 }, end: { line: 9, character: 2 } };
const def = (file: string, name: string, id: string) => ({
	id,
	name,
	file,
	range,
	nameRange: range,
	columns: ['text', 'expected'],
	dataset: { kind: 'unknown' as const },
	strategy: null,
	async: true,
	dynamic: false,
	exported: true,
});

/** Renders a tree as indented text, like playwright-vscode's toHaveTestTree. */
function render(nodes: TreeNode[], depth = 0): string {
	return nodes.map((n) => `${'  '.repeat(depth)}- ${n.label} [${n.kind}]\n${'children' in n ? render(n.children as TreeNode[], depth + 1) : ''}`).join('');
}

test('buildTree groups files under their workspace folder, sorted, skipping files without evals', () => {
	const files: FileEvals[] = [
		{ uri: 'file:///w/b/x.eval.ts', file: '/w/b/x.eval.ts', evals: [def('/w/b/x.eval.ts', 'evalX', 'x.eval.ts::evalX')] },
		{
			uri: 'file:///w/a/sub/eval_z.ts',
			file: '/w/a/sub/eval_z.ts',
			evals: [def('/w/a/sub/eval_z.ts', 'z1', 'sub/eval_z.ts::z1'), def('/w/a/sub/eval_z.ts', 'z2', 'sub/eval_z.ts::z2')],
		},
		{ uri: 'file:///w/a/eval_y.ts', file: '/w/a/eval_y.ts', evals: [def('/w/a/eval_y.ts', 'y', 'eval_y.ts::y')] },
		{ uri: 'file:///w/a/empty.eval.ts', file: '/w/a/empty.eval.ts', evals: [] },
	];
	const tree = buildTree(
		[
			{ name: 'b', path: '/w/b' },
			{ name: 'a', path: '/w/a' },
		],
		files,
	);
	assert.equal(
		render(tree),
		[
			'- a [folder]',
			'  - eval_y.ts [file]',
			'    - y [eval]',
			'  - sub/eval_z.ts [file]',
			'    - z1 [eval]',
			'    - z2 [eval]',
			'- b [folder]',
			'  - x.eval.ts [file]',
			'    - evalX [eval]',
			'',
		].join('\n'),
	);
	const evalNode = tree[0].children[1].children[0];
	assert.deepEqual(evalNode, {
		kind: 'eval',
		id: 'eval:/w/a/sub/eval_z.ts::z1',
		label: 'z1',
		file: '/w/a/sub/eval_z.ts',
		evalId: 'sub/eval_z.ts::z1',
		name: 'z1',
		range,
		dynamic: false,
	});
});

test('a file outside every workspace folder gets a folder of its own', () => {
	const tree = buildTree([{ name: 'a', path: '/w/a' }], [{ uri: '', file: '/elsewhere/e.eval.ts', evals: [def('/elsewhere/e.eval.ts', 'e', 'e.eval.ts::e')] }]);
	assert.equal(render(tree), '- elsewhere [folder]\n  - e.eval.ts [file]\n    - e [eval]\n');
});

test('folderOf picks the deepest folder and does not match a name prefix', () => {
	const folders = [
		{ name: 'w', path: '/w' },
		{ name: 'inner', path: '/w/inner' },
		{ name: 'ab', path: '/ab' },
	];
	assert.equal(folderOf(folders, '/w/inner/x.ts')?.name, 'inner');
	assert.equal(folderOf(folders, '/w/x.ts')?.name, 'w');
	assert.equal(folderOf(folders, '/abc/x.ts'), undefined);
});

test('sample labels show the index and a one-line preview of the first column', () => {
	assert.equal(sampleLabel(0, { text: 'This movie is absolutely amazing!', expected: 'positive' }), '#0 This movie is absolutely amazing!');
	assert.equal(sampleLabel(3, { q: 'two\n  lines' }), '#3 two lines');
	assert.equal(sampleLabel(4, {}), '#4');
	assert.equal(sampleLabel(5, { n: 42 }), '#5 42');
	const long = rowPreview({ text: 'x'.repeat(200) });
	assert.equal(long.length, 60);
	assert.ok(long.endsWith('…'));
	assert.equal(sampleLabel(1, { text: '<img src=x onerror=alert(1)>' }), '#1 <img src=x onerror=alert(1)>');
});

test('sample nodes are keyed under their eval node', () => {
	const tree = buildTree([{ name: 'a', path: '/w/a' }], [{ uri: '', file: '/w/a/eval_y.ts', evals: [def('/w/a/eval_y.ts', 'y', 'eval_y.ts::y')] }]);
	const parent = tree[0].children[0].children[0];
	assert.deepEqual(sampleNode(parent, 7, { text: 'hi' }), {
		kind: 'sample',
		id: 'eval:/w/a/eval_y.ts::y#7',
		label: '#7 hi',
		file: '/w/a/eval_y.ts',
		evalId: 'eval_y.ts::y',
		index: 7,
	});
});
