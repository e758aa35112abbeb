import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followExperiment, identitiesOf, renamedNames } from '../../client/src/panels/followExperiment';

const followed = { name: '20261201_100052_0ef5ef5e', createdAt: 1000 };

test('a panel keeps its experiment while the name exists', () => {
	assert.deepEqual(followExperiment(followed, [{ name: 'other', createdAt: 1000 }, followed]), { kind: 'same' });
});

test('a renamed experiment is found by its creation time', () => {
	assert.deepEqual(
		followExperiment(followed, [
			{ name: 'baseline', createdAt: 1000 },
			{ name: 'x', createdAt: 2000 },
		]),
		{ kind: 'renamed', name: 'baseline' },
	);
});

test('a deleted experiment, or two born in the same millisecond, is gone rather than guessed', () => {
	assert.deepEqual(followExperiment(followed, [{ name: 'x', createdAt: 2000 }]), { kind: 'gone' });
	assert.deepEqual(
		followExperiment(followed, [
			{ name: 'a', createdAt: 1000 },
			{ name: 'b', createdAt: 1000 },
		]),
		{ kind: 'gone' },
	);
});

test('the names a panel shows are mapped to their new names; unchanged panels get undefined', () => {
	const before = [
		{ name: 'a', createdAt: 1 },
		{ name: 'b', createdAt: 2 },
		{ name: 'c', createdAt: 3 },
	];
	const followed = identitiesOf(['a', 'c', 'unknown'], before);
	assert.deepEqual(followed, [
		{ name: 'a', createdAt: 1 },
		{ name: 'c', createdAt: 3 },
	]);
	assert.equal(renamedNames(followed, before), undefined);
	assert.deepEqual(
		[
			...renamedNames(followed, [
				{ name: 'a', createdAt: 1 },
				{ name: 'b', createdAt: 2 },
				{ name: 'baseline', createdAt: 3 },
			])!,
		],
		[['c', 'baseline']],
	);
});
