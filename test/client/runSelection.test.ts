import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupSamples, narrowestSelection } from '../../client/src/testing/runSelection';

// folder → file → eval → samples, as plain objects with parent links.
interface Node {
	id: string;
	parent?: Node;
	eval?: string;
	index?: number;
}
const folder: Node = { id: 'folder' };
const file: Node = { id: 'file', parent: folder };
const evalA: Node = { id: 'evalA', parent: file };
const evalB: Node = { id: 'evalB', parent: file };
const sample = (e: Node, index: number): Node => ({ id: `${e.id}#${index}`, parent: e, eval: e.id, index });
const [a3, a7, b1] = [sample(evalA, 3), sample(evalA, 7), sample(evalB, 1)];
const tree = { parent: (n: Node) => n.parent };
const ids = (nodes: Node[]) => nodes.map((n) => n.id);

test('Rerun Failed (failed samples plus their failed parent eval) runs only the samples, once', () => {
	const narrowed = narrowestSelection([evalA, a3, a7, a3], [], tree);
	assert.deepEqual(ids(narrowed), ['evalA#3', 'evalA#7']);
	const { others, samples } = groupSamples(narrowed, (n) => (n.eval ? { eval: n.eval, index: n.index! } : undefined));
	assert.deepEqual(others, []);
	assert.deepEqual([...samples], [['evalA', [3, 7]]]);
});

test('an eval without included samples still runs whole; a file with an included eval narrows to it', () => {
	assert.deepEqual(ids(narrowestSelection([file, evalB, evalA, a7], [], tree)), ['evalB', 'evalA#7']);
	assert.deepEqual(ids(narrowestSelection([folder], [], tree)), ['folder']);
});

test('excluded items and everything under them drop out', () => {
	assert.deepEqual(ids(narrowestSelection([evalA, a3, b1], [evalA], tree)), ['evalB#1']);
	assert.deepEqual(ids(narrowestSelection([a3, evalB], [file], tree)), []);
});

test('samples of two evals are grouped per eval, indexes sorted and distinct', () => {
	const { others, samples } = groupSamples([a7, b1, evalB, a3, a7], (n) => (n.eval ? { eval: n.eval, index: n.index! } : undefined));
	assert.deepEqual(ids(others), ['evalB']);
	assert.deepEqual(
		[...samples],
		[
			['evalA', [3, 7]],
			['evalB', [1]],
		],
	);
});
