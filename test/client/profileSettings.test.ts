import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	continuousSampleCap,
	describeProfile,
	parseCount,
	parseExperimentName,
	profileRunOptions,
	readProfileSettings,
} from '../../client/src/runner/profileSettings';
import { runArgs } from '../../client/src/runner/cliArgs';

test("the Run profile's settings become run options; a continuous run is capped unless the profile says how many", () => {
	assert.deepEqual(profileRunOptions({}, false), {});
	assert.deepEqual(profileRunOptions({}, true), { samples: continuousSampleCap });
	assert.deepEqual(profileRunOptions({ samples: 50, concurrency: 4, experiment: 'baseline' }, true), { samples: 50, concurrency: 4, experiment: 'baseline' });
	assert.deepEqual(runArgs({ selectors: ['a.eval.ts::evalA'], ...profileRunOptions({ samples: 5, concurrency: 2 }, false) }), [
		'run',
		'--reporter',
		'jsonl',
		'a.eval.ts::evalA',
		'--samples',
		'5',
		'--concurrency',
		'2',
	]);
});

test('typed values: empty is the default, counts are whole numbers ≥ 1, names have no control characters', () => {
	assert.deepEqual(parseCount('', 'Samples'), { value: undefined });
	assert.deepEqual(parseCount(' 12 ', 'Samples'), { value: 12 });
	for (const bad of ['0', '-3', '2.5', 'ten'])
		assert.match((parseCount(bad, 'Samples') as { error: string }).error, /Samples must be a whole number of 1 or more/);
	assert.deepEqual(parseExperimentName('  baseline '), { value: 'baseline' });
	assert.deepEqual(parseExperimentName(''), { value: undefined });
	assert.ok('error' in parseExperimentName('a\u001b[2Jb'));
});

test('settings read back from workspace state keep only well-formed values', () => {
	assert.deepEqual(readProfileSettings(undefined), {});
	assert.deepEqual(readProfileSettings({ samples: 10, concurrency: 0, experiment: '  ', extra: 1 }), { samples: 10 });
	assert.deepEqual(readProfileSettings({ samples: '10', concurrency: 3, experiment: 'nightly' }), { concurrency: 3, experiment: 'nightly' });
	assert.equal(describeProfile({}), 'all samples');
	assert.equal(describeProfile({ samples: 10, concurrency: 4, experiment: 'baseline' }), '10 samples · concurrency 4 · experiment baseline');
});
