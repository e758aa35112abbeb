import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerReader } from '../../runtime/src/models/requestHeaders.js';

// The fetch drop-in reads request headers without building a Headers; it must read what Headers reads.
test('headerReader reads what new Headers(init).get reads, for objects, pairs and Headers', () => {
	const names = ['authorization', 'Authorization', 'x-api-key', 'anthropic-version', 'anthropic-beta', 'openai-beta', 'content-type', 'absent'];
	const inits: ConstructorParameters<typeof Headers>[0][] = [
		undefined,
		{},
		{ Authorization: 'Bearer sk-1', 'Content-Type': 'application/json', 'anthropic-version': ' 2023-06-01\t' },
		[
			['x-api-key', 'k'],
			['anthropic-beta', 'a'],
			['Anthropic-Beta', 'b'],
		],
		new Headers({ 'OpenAI-Beta': 'assistants=v2', authorization: 'Bearer sk-2' }),
	];
	for (const init of inits) {
		const expected = new Headers(init);
		const reader = headerReader(init);
		for (const name of names) assert.equal(reader.get(name), expected.get(name), `${name} of ${JSON.stringify(init)}`);
	}
	assert.equal(headerReader(null).get('authorization'), null);
});
