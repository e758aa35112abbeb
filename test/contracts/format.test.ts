// One way to write a duration and a date, for the CLI, the language server and the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, formatDuration } from '../../runtime/src/contracts/format.ts';

test('durations read naturally at every scale', () => {
	const cases: [number, string][] = [
		[0, '0 ms'],
		[412.4, '412 ms'],
		[950, '950 ms'],
		[999.6, '1.00 s'],
		[2012, '2.01 s'],
		[8020, '8.02 s'],
		[9999, '10.0 s'],
		[12_340, '12.3 s'],
		[59_990, '1 min 00 s'],
		[65_000, '1 min 05 s'],
		[125_000, '2 min 05 s'],
		[3_725_000, '1 h 02 min'],
	];
	assert.deepEqual(
		cases.map(([ms]) => formatDuration(ms)),
		cases.map(([, text]) => text),
	);
});

test('a negative duration keeps its sign; what is not a number reads as a dash', () => {
	assert.equal(formatDuration(-6010), '-6.01 s');
	assert.deepEqual([Number.NaN, Number.POSITIVE_INFINITY].map(formatDuration), ['–', '–']);
});

test('dates are local time to the second, sortable as text', () => {
	assert.equal(formatDate(new Date(2026, 10, 27, 14, 5, 9).getTime()), '2026-11-27 14:05:09');
	assert.equal(formatDate(new Date(2026, 0, 2, 3, 4, 5).getTime()), '2026-01-02 03:04:05');
	assert.equal(formatDate(Number.NaN), '–');
});
