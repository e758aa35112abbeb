/**
 * The row mappers both store backends share (store/rows.ts): a row of either engine — sql.js gives
 * booleans as 0/1, PostgreSQL as true/false — maps to the same experiment, evaluation, run and scores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluationFromRow, experimentFromRow, runFromRow, scoresBySample } from '../../runtime/src/store/rows.js';

test('an experiment row: ephemeral from 0/1 or false/true; running over interrupted over failed', () => {
	const sqljs = experimentFromRow(['nightly', 1, 10, 20, 3, 0, 1, 1]);
	const pg = experimentFromRow(['nightly', true, '10', '20', '3', '0', '1', '1']);
	assert.deepEqual(sqljs, { name: 'nightly', ephemeral: true, createdAt: 10, updatedAt: 20, evaluationCount: 3, status: 'interrupted' });
	assert.deepEqual(pg, sqljs);
	assert.equal(experimentFromRow(['x', 0, 0, 0, 2, 1, 1, 1]).status, 'running');
	assert.equal(experimentFromRow(['x', false, 0, 0, 2, 0, 0, 2]).status, 'failed');
	assert.equal(experimentFromRow(['x', false, 0, 0, 0, null, null, null]).status, 'completed');
	assert.equal(experimentFromRow(['x', false, 0, 0, 0, null, null, null]).ephemeral, false);
});

test('an evaluation row: its key and total apart, nulls kept, the strategy parsed; columns past the 13th ignored', () => {
	const row = [
		'exp',
		7,
		'a.eval.ts::evalA',
		'evalA',
		'/p/a.eval.ts',
		'completed',
		100,
		null,
		null,
		'0.1.0',
		'{"name":"Sequential","maxConcurrency":1}',
		'fp',
		12,
		'{"cached":true}',
	];
	const { key, total, info } = evaluationFromRow(row);
	assert.equal(key, 7);
	assert.equal(total, 12);
	assert.deepEqual(info, {
		experiment: 'exp',
		evalId: 'a.eval.ts::evalA',
		name: 'evalA',
		file: '/p/a.eval.ts',
		status: 'completed',
		startedAt: 100,
		finishedAt: null,
		gitCommit: null,
		runtimeVersion: '0.1.0',
		strategy: { name: 'Sequential', maxConcurrency: 1 },
		datasetFingerprint: 'fp',
	});
	// PostgreSQL's bigint columns arrive as strings.
	const pg = evaluationFromRow([
		'exp',
		'7',
		'a.eval.ts::evalA',
		'evalA',
		'/p/a.eval.ts',
		'running',
		'100',
		'200',
		'abc',
		'0.1.0',
		'{"name":"Sequential","maxConcurrency":1}',
		null,
		null,
	]);
	assert.deepEqual([pg.key, pg.total, pg.info.startedAt, pg.info.finishedAt, pg.info.gitCommit, pg.info.datasetFingerprint], [7, null, 100, 200, 'abc', null]);
});

test('a run row: numbers, and null for what the run did not report', () => {
	assert.deepEqual(runFromRow(['completed', '5', '9', 4.5, 3]), { status: 'completed', startedAt: 5, finishedAt: 9, wallMs: 4.5, maxInFlight: 3 });
	assert.deepEqual(runFromRow(['running', 5, null, null, null]), { status: 'running', startedAt: 5, finishedAt: null, wallMs: null, maxInFlight: null });
});

test('score rows grouped by sample, in order; passed from 0/1 or booleans; values and metadata decoded', () => {
	const scores = scoresBySample([
		[1, 'exactMatch', 1, 'true', 1, '["accuracy"]', null],
		[1, 'label', null, '"positive"', null, '[]', '{"why":"x"}'],
		['2', 'exactMatch', 0, 'false', false, '["accuracy"]', null],
		[3, 'similarity', 0.25, null, true, '["mean"]', null],
	]);
	assert.deepEqual([...scores.keys()], [1, 2, 3]);
	assert.deepEqual(scores.get(1), [
		{ name: 'exactMatch', value: true, metrics: ['accuracy'], passed: true },
		{ name: 'label', value: 'positive', metrics: [], passed: null, metadata: { why: 'x' } },
	]);
	assert.deepEqual(scores.get(2), [{ name: 'exactMatch', value: false, metrics: ['accuracy'], passed: false }]);
	assert.deepEqual(scores.get(3), [{ name: 'similarity', value: 0.25, metrics: ['mean'], passed: true }]);
});
