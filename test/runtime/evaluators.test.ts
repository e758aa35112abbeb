import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluator, exactMatch, numericMatch, validJson, contains, matchesRegex, accuracy, mean } from '../../runtime/src/evaluators/index.js';
import { Score } from '../../runtime/src/index.js';

test('exactMatch: strict equality without normalisation, deep for arrays and objects', () => {
	assert.equal(exactMatch('positive', 'positive').value, true);
	assert.equal(exactMatch('42', 42).value, false);
	assert.equal(exactMatch(' positive', 'positive').value, false);
	assert.equal(exactMatch([1, { a: 2 }], [1, { a: 2 }]).value, true);
	assert.equal(exactMatch({ a: 1 }, { a: 1, b: 2 }).value, false);
	const s = exactMatch('a', 'b', { name: 'labelMatch' });
	assert.deepEqual([s.name, s.metrics, s.metadata], ['labelMatch', ['accuracy'], { result: 'a', expected: 'b' }]);
});

test('numericMatch: separators and spaces ignored, unparsable fails', () => {
	assert.equal(numericMatch('1,234', 1234).value, true);
	assert.equal(numericMatch(' 42 ', '42.0').value, true);
	assert.equal(numericMatch('-3.5', -3.5).value, true);
	assert.equal(numericMatch('1e3', '1000').value, true);
	for (const bad of ['', null, undefined, 'forty-two', '0x10', 'NaN']) assert.equal(numericMatch(bad, 16).value, false, String(bad));
	assert.equal(numericMatch(Number.NaN, Number.NaN).value, false);
});

test('validJson: parse, optional JSON Schema (ajv), invalid schema fails with a reason', () => {
	assert.equal(validJson('{"answer": 4}').value, true);
	assert.equal(validJson('{answer: 4}').value, false);
	assert.match(String(validJson('{answer: 4}').metadata.reason), /not JSON/);
	assert.equal(validJson('   ').value, false);
	const schema = { type: 'object', required: ['answer'], properties: { answer: { type: 'number' } } };
	assert.equal(validJson('{"answer": 4}', schema).value, true);
	const wrong = validJson('{"answer": "four"}', schema);
	assert.equal(wrong.value, false);
	assert.match(String(wrong.metadata.reason), /does not match the schema: \/answer must be number/);
	const broken = validJson('{}', { type: 'not-a-type' });
	assert.equal(broken.value, false);
	assert.match(String(broken.metadata.reason), /invalid JSON Schema/);
	assert.equal(validJson('[1]', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'number' }] }).value, true);
});

test('contains and matchesRegex', () => {
	assert.equal(contains('The capital is Paris.', 'Paris').value, true);
	assert.equal(contains('the capital is paris', 'Paris').value, false);
	assert.equal(contains('the capital is paris', 'Paris', { caseSensitive: false }).value, true);
	assert.equal(contains(undefined, 'x').value, false);
	const g = /\d+/g;
	assert.equal(matchesRegex('abc 123', g).value, true);
	assert.equal(matchesRegex('abc 123', g).value, true, 'no lastIndex state between calls');
	assert.equal(matchesRegex('2026-01-02', '^\\d{4}-\\d{2}-\\d{2}$').value, true);
	assert.equal(matchesRegex('ABC', 'abc', { flags: 'i' }).value, true);
	assert.equal(matchesRegex(null, /x/).value, false);
	assert.throws(() => matchesRegex('a', 5 as never), /pattern must be a RegExp or a string/);
});

test('evaluator(metrics)(fn): score named after the function, metadata by parameter name, renamable, async ok', async () => {
	const lengthOk = evaluator([accuracy])(function lengthOk(answer: string, limit: number) {
		return answer.length <= limit;
	});
	const s = lengthOk('short', 80);
	assert.ok(s instanceof Score);
	assert.deepEqual([s.name, s.value, s.metrics, s.metadata], ['lengthOk', true, ['accuracy'], { answer: 'short', limit: 80 }]);
	assert.equal(lengthOk.withName('brief')('a', 0).name, 'brief');
	const graded = evaluator(mean, { name: 'similarity' })(async (a: string, b: string) => (a === b ? 1 : 0.5));
	const g = await graded('x', 'y');
	assert.deepEqual([g.name, g.value, g.metrics], ['similarity', 0.5, ['mean']]);
	assert.throws(() => evaluator([accuracy])((x: unknown) => x), /give the function a name/);
});
