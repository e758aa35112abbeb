import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaTone, formatBin, formatDelta, formatValue } from '../../client/src/webview/format.js';

test('histogram bin labels carry the decimals their width needs', () => {
	assert.equal(formatBin(0.2, 0.4), '0.2–0.4 ms');
	assert.equal(formatBin(20, 40), '20–40 ms');
	assert.equal(formatBin(1500, 2000), '1.5–2.0 s');
	assert.equal(formatBin(5, 5), '5 ms');
});

test('values and deltas by unit, and whether a delta is better', () => {
	assert.equal(formatValue(0.875, 'ratio'), '0.875');
	assert.equal(formatValue(3.98, 'times'), '4.0×');
	assert.equal(formatValue(null, 'ms'), '–');
	assert.equal(formatDelta(-6010, 'ms'), '−6.01 s');
	assert.equal(formatDelta(0.25, 'ratio'), '+0.250');
	assert.equal(formatDelta(null, 'ratio'), '');
	assert.equal(deltaTone(-6010, 'lower'), 'better');
	assert.equal(deltaTone(-0.125, 'higher'), 'worse');
	assert.equal(deltaTone(0, 'higher'), 'same');
});
