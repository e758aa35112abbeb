// Every public export of the doteval package (every entry point of runtime/package.json "exports")
// has a doc comment, measured by scripts/check-doc-comments.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain ESM JavaScript without type declarations
import { measure } from '../../scripts/check-doc-comments.mjs';

test('every public export has a doc comment', () => {
	const { total, missing } = measure() as { total: number; missing: Array<{ name: string; entry: string; file: string }> };
	assert.ok(total > 80, `found ${total} public exports`);
	assert.deepEqual(
		missing.map((m) => `${m.name} (${m.entry}, ${m.file})`),
		[],
	);
});
