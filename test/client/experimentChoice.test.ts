import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentChoice } from '../../client/src/runner/experimentChoice';
import { runArgs } from '../../client/src/runner/cliArgs';

test('editor runs go into the editor experiment, replacing what they run; named runs and Resume resume; Run Again replaces', () => {
	assert.deepEqual(experimentChoice({ kind: 'editor' }, 'current'), { experiment: 'current', rerun: true });
	assert.deepEqual(experimentChoice({ kind: 'editor' }, ''), {}, 'setting empty: a new timestamped experiment per run');
	assert.deepEqual(experimentChoice({ kind: 'named', experiment: 'baseline' }, 'current'), { experiment: 'baseline' });
	assert.deepEqual(experimentChoice({ kind: 'resume', experiment: 'nightly' }, 'current'), { experiment: 'nightly' });
	assert.deepEqual(experimentChoice({ kind: 'again', experiment: 'baseline' }, 'current'), { experiment: 'baseline', rerun: true });
	assert.deepEqual(runArgs({ selectors: ['a.eval.ts::evalA'], ...experimentChoice({ kind: 'editor' }, 'current'), onlySamples: [3] }), [
		'run',
		'--reporter',
		'jsonl',
		'a.eval.ts::evalA',
		'--experiment',
		'current',
		'--only-samples',
		'3',
		'--rerun',
	]);
});
