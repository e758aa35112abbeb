import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRestoreState } from '../../client/src/panels/restore.js';

test('restore state is read from what each webview saves', () => {
	// The results webview nests it next to its filter and search; the timing webview saves it as is.
	assert.deepEqual(
		parseRestoreState({
			key: 'k',
			filter: 'failed',
			search: '',
			restore: { panel: 'results', storePath: '/p/.doteval/doteval.db', experiment: 'e', evalId: 'a.eval.ts::x' },
		}),
		{ panel: 'results', storePath: '/p/.doteval/doteval.db', experiment: 'e', evalId: 'a.eval.ts::x' },
	);
	assert.deepEqual(parseRestoreState({ panel: 'compare', storePath: '/s.db', experiments: ['a', 'b'] }), {
		panel: 'compare',
		storePath: '/s.db',
		experiments: ['a', 'b'],
	});
	assert.deepEqual(parseRestoreState({ panel: 'timing', storePath: '/s.db', experiment: 'e', evalId: 'f::g', extra: 1 }), {
		panel: 'timing',
		storePath: '/s.db',
		experiment: 'e',
		evalId: 'f::g',
	});
});

test('anything else is refused', () => {
	for (const bad of [
		undefined,
		null,
		'x',
		{},
		{ panel: 'results', storePath: '/s.db', experiment: 'e' },
		{ panel: 'compare', storePath: '/s.db', experiments: [] },
		{ panel: 'compare', storePath: '/s.db', experiments: [1] },
		{ panel: 'other', storePath: '/s.db', experiment: 'e', evalId: 'x' },
		{ panel: 'timing', storePath: '', experiment: 'e', evalId: 'x' },
	]) {
		assert.equal(parseRestoreState(bad), undefined, JSON.stringify(bad));
	}
});
