/** The diagnostics example of docs/language-server.md gives exactly the table below it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFile } from '../../server/src/discovery/index';
import { diagnose } from '../../server/src/features/diagnostics';
import { repoRoot } from './lspClient';

test('docs/language-server.md: the diagnostics example matches its table', () => {
	const doc = readFileSync(path.join(repoRoot, 'docs', 'language-server.md'), 'utf8');
	const section = doc.slice(doc.indexOf('<!-- section:language-server -->'), doc.indexOf('<!-- /section:language-server -->'));
	const example = section.split('- **Diagnostics**')[1]!;
	const code = /```ts\n([\s\S]*?)```/.exec(example)![1]!;
	const file = path.join(repoRoot, 'examples', 'readme.eval.ts');
	const found = diagnose(discoverFile(file, code, path.join(repoRoot, 'examples')), new Set())
		.map((d) => `${d.range.start.line + 1} ${d.code}`)
		.sort();
	const table = [...example.matchAll(/^\| ([\d, ]+) \| `([a-z-]+)`/gm)]
		.flatMap(([, lines, codeName]) => lines!.split(', ').map((line) => `${line} ${codeName}`))
		.sort();
	assert.ok(table.length >= 5);
	assert.deepEqual(found, table);
});
