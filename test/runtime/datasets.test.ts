import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { foreach, Result } from '../../runtime/src/index.js';
import { datasetFingerprint } from '../../runtime/src/datasets/index.js';
import { exactMatch } from '../../runtime/src/evaluators/index.js';
import { jsonl, csv, json } from '../../runtime/src/datasets/index.js';
import { run } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'doteval-datasets-'));
const file = (name: string, text: string) => {
	const p = path.join(dir, name);
	writeFileSync(p, text);
	return p;
};

test('jsonl: a malformed line becomes an error record naming file:line and the fix; the run goes on', async () => {
	const p = file('qa.jsonl', '{"q":"2+2","a":"4"}\n\n{"q": "3+3", "a": \n{"q":"1+1","a":"2"}\n');
	const e = foreach('q,a', jsonl(p))(({ q, a }) => new Result(exactMatch(String(eval(q)), a)));
	const { samples, outcome } = await run(e);
	assert.equal(outcome.status, 'completed');
	assert.equal(outcome.summary.total, 3, 'blank lines are not rows');
	const bad = samples.find((s) => s.index === 1)!;
	assert.equal(bad.error!.type, 'DatasetRowError');
	assert.match(bad.error!.message, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid JSON .*; fix or remove this line`));
	assert.deepEqual(
		samples.filter((s) => !s.error).map((s) => [s.index, s.passed]),
		[
			[0, true],
			[2, true],
		],
	);
});

test('csv: rows by header, any csv-parse option, a bad record becomes an error record', async () => {
	const p = file('sentiment.csv', 'text,expected\n"Great, really",positive\nAwful,negative,extra\nfine,neutral\n');
	const rows: unknown[] = [];
	for await (const r of csv(p)) rows.push(r);
	assert.deepEqual(rows[0], { text: 'Great, really', expected: 'positive' });
	assert.match((rows[1] as { message: string }).message, /sentiment\.csv:3: malformed CSV record \(Invalid Record Length/);
	assert.deepEqual(rows[2], { text: 'fine', expected: 'neutral' });
	const semi = file('semi.csv', 'a;b\n1;2\n');
	const e = foreach('a,b', csv(semi, { delimiter: ';', cast: true }))(({ a, b }) => new Result(exactMatch(a + 1, b)));
	assert.equal((await run(e)).samples[0]!.passed, true);
});

test('json: an array, or an object holding one array; a bad file fails the eval with the file named', async () => {
	const p = file(
		'rows.json',
		JSON.stringify({
			data: [
				['a', 'a'],
				['b', 'c'],
			],
		}),
	);
	const e = foreach('x,y', json(p))(({ x, y }) => new Result(exactMatch(x, y)));
	const r = await run(e);
	assert.deepEqual(
		r.samples.map((s) => s.passed),
		[true, false],
	);
	const broken = file('broken.json', '[1, 2');
	const b = foreach('x', json(broken))(({ x }) => new Result(exactMatch(x, x)));
	const rb = await run(b);
	assert.equal(rb.outcome.status, 'failed');
	assert.match(rb.outcome.failure!.message, /broken\.json: invalid JSON .* use jsonl\(\)/);
});

test('file datasets are re-iterable: the fingerprint pre-read equals the run fingerprint', async () => {
	const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i })).join('\n');
	const p = file('big.jsonl', lines);
	const pre = await datasetFingerprint(jsonl(p), 20);
	const e = foreach('i', jsonl(p))(({ i }) => new Result(exactMatch(i, i)));
	const { outcome } = await run(e, { samples: 20 });
	assert.deepEqual(outcome.datasetFingerprint, pre);
	assert.equal(pre!.rows, 20);
	assert.notEqual((await datasetFingerprint(jsonl(p)))!.hash, pre!.hash);
});

test('a large JSONL file with --samples reads only what it needs', async () => {
	const p = path.join(dir, 'large.jsonl');
	writeFileSync(p, Array.from({ length: 200_000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(40)}"}`).join('\n'));
	let calls = 0;
	const e = foreach('i', jsonl(p))(({ i }) => (calls++, new Result(exactMatch(i, i))));
	const started = performance.now();
	const { outcome } = await run(e, { samples: 10 });
	assert.equal(calls, 10);
	assert.equal(outcome.summary.total, 10);
	assert.ok(outcome.datasetFingerprint!.rows <= 10);
	assert.ok(performance.now() - started < 2000, 'does not parse the whole file');
});
