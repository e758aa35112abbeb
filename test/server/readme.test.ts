/** The diagnostics example of the README's language-server section gives exactly the table below it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFile } from '../../server/src/discovery/index';
import { diagnose } from '../../server/src/features/diagnostics';
import { repoRoot } from './lspClient';

test('README language-server section: the diagnostics example matches its table', () => {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('<!-- section:language-server -->'), readme.indexOf('<!-- /section:language-server -->'));
	const example = section.split('- **Diagnostics**')[1]!;
	const code = /```ts\n([\s\S]*?)```/.exec(example)![1]!;
	const file = path.join(repoRoot, 'examples', 'readme.eval.ts');
	const found = diagnose(discoverFile(file, code, path.join(repoRoot, 'examples')), new Set())
		.map((d) => `${d.range.start.line + 1} ${d.code}`).sort();
	const table = [...example.matchAll(/^\| ([\d, ]+) \| `([a-z-]+)`/gm)]
		.flatMap(([, lines, codeName]) => lines!.split(', ').map((line) => `${line} ${codeName}`)).sort();
	assert.ok(table.length >= 5);
	assert.deepEqual(found, table);
});
