/**
 * Discovery re-parses an edited file incrementally (server/src/discovery/typescript.ts): TypeScript
 * reuses the old tree's nodes outside the changed span. The evals it finds must be exactly those a
 * fresh parse finds, for edits anywhere — typing, deleting, pasting, breaking the syntax and fixing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverFile } from '../../server/src/discovery/index';
import { changeRange, parse } from '../../server/src/discovery/typescript';
import { evalFileText } from './corpus';

const root = '/ws';
const edited = '/ws/edited.eval.ts';
let fresh = 0;
/** The same text under a file name never parsed before: a whole parse. */
const freshFacts = (text: string) => JSON.stringify(discoverFile(`/ws/fresh${fresh++}.eval.ts`, text, root)).replace(/fresh\d+\.eval\.ts/g, 'F');
const incrementalFacts = (text: string) => JSON.stringify(discoverFile(edited, text, root)).replaceAll('edited.eval.ts', 'F');

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test('changeRange: the one span between the common prefix and suffix', () => {
	assert.deepEqual(changeRange('abcdef', 'abXYdef'), { span: { start: 2, length: 1 }, newLength: 2 });
	assert.deepEqual(changeRange('aaa', 'aaaa'), { span: { start: 3, length: 0 }, newLength: 1 });
	assert.deepEqual(changeRange('abc', ''), { span: { start: 0, length: 3 }, newLength: 0 });
	assert.deepEqual(changeRange('same', 'same'), { span: { start: 4, length: 0 }, newLength: 0 });
});

test('400 random edits of an eval file: the incremental parse finds what a fresh parse finds', () => {
	const next = random(11);
	const pieces = ['x', ' ', '\n', '(', ')', '{', '}', "'", '`', '/*', '*/', '//', ',', 'foreach(', 'export const evalNew = ', 'async () => new Result()', ';'];
	let text = evalFileText(3);
	let changed = 0;
	for (let i = 0; i < 400; i++) {
		const at = Math.floor(next() * (text.length + 1));
		const kind = next();
		if (kind < 0.45) text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
		else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6));
		else if (i % 20 === 0)
			text = evalFileText(3); // fixed again: the evals come back
		else text = text.slice(0, at) + text.slice(at, at + 40) + text.slice(at); // a paste of nearby text
		const incremental = incrementalFacts(text);
		assert.equal(incremental, freshFacts(text), `edit ${i}`);
		if (incremental !== freshFacts(evalFileText(3))) changed++;
	}
	assert.ok(changed > 0, 'the edits changed what was found');
});

test('an edit re-parses incrementally: the statements before it are the same nodes', () => {
	const text = evalFileText(4);
	const before = parse('/ws/reuse.eval.ts', text);
	const first = before.statements[0];
	const after = parse('/ws/reuse.eval.ts', `${text}\n// typed at the end\n`);
	assert.equal(after.statements[0], first, 'the import statement was reused, not parsed again');
	assert.notEqual(parse('/ws/other.eval.ts', text).statements[0], first, 'another file is parsed afresh');
});
