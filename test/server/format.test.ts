import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricText, statusIcon } from '../../server/src/features/format';
import { wilsonInterval } from '../../runtime/src/metrics/stats';

test('a metric shows its 95 % interval (Wilson for 8 of 8 passed), not ± 0 %', () => {
	const ci95 = wilsonInterval(8, 8);
	assert.equal(metricText({ score: 'exactMatch', metric: 'accuracy', value: 1, stderr: 0, ci95 }), 'exactMatch.accuracy 100 % (95 % CI 67.6–100 %)');
	assert.equal(metricText({ score: 'len', metric: 'mean', value: 0.5, stderr: 0.1 }), 'len.mean 50 % ± 10 %');
	assert.equal(metricText({ score: 'len', metric: 'mean', value: 0.5 }), 'len.mean 50 %');
});

test('an interrupted evaluation is marked ■, never ⏸ (an empty box in many fonts)', () => {
	const icon = statusIcon({ status: 'interrupted', summary: { errors: 0 } } as Parameters<typeof statusIcon>[0]);
	assert.equal(icon, '■');
});
