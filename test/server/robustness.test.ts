/**
 * Discovery over every .ts/.d.ts/.js file of the repository's own node_modules: thousands of real
 * files nobody here wrote (minified bundles, declaration files, odd syntax). Nothing may throw, and
 * files that do not import doteval must report no eval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { discoverEvals, discoverFile } from '../../server/src/discovery/index';
import { repoRoot } from './lspClient';

const nodeModules = path.join(repoRoot, 'node_modules');
const ownRuntime = realpathSync(path.join(repoRoot, 'runtime'));

function* sourceFiles(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		// node_modules/doteval is a link to our own runtime, which is not "code nobody here wrote".
		if (entry.isSymbolicLink() && realpathSync(full) === ownRuntime) continue;
		if (entry.isDirectory()) yield* sourceFiles(full);
		else if (entry.isFile() && /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) yield full;
	}
}

const importsDoteval = /(?:from\s*|require\s*\(\s*|import\s*\(\s*)['"]doteval(?:\/[^'"]*)?['"]/;

test('discovery over every source file under node_modules: no crash, no false evals', () => {
	const files = [...sourceFiles(nodeModules)];
	assert.ok(files.length > 3000, `expected thousands of files under node_modules, found ${files.length}`);
	let withDoteval = 0;
	const falseEvals: string[] = [];
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const evals = discoverEvals(file, text, repoRoot);
		if (importsDoteval.test(text)) withDoteval++;
		else if (evals.length) falseEvals.push(`${file}: ${evals.map((e) => e.name).join(', ')}`);
	}
	assert.deepEqual(falseEvals, []);
	assert.ok(withDoteval < files.length / 100, 'this corpus is code that does not use doteval');
});

test('the walker itself over real code: the same files as if they imported doteval', () => {
	// Binding common names to doteval makes real code full of candidates (`forEach(`, `new Map(`,
	// `require(`), so the walker, not only the import check, meets minified and unusual syntax.
	const prefix = `import { foreach as forEach, ForEach as Map, fixture as require } from 'doteval';\nimport * as Object from 'doteval';\n`;
	const suffix = `\n;export const evalAfterRealCode = forEach('q', [1])(async ({ q }) => q);\n`;
	let walked = 0;
	let definitions = 0;
	for (const file of sourceFiles(nodeModules)) {
		const text = readFileSync(file, 'utf8');
		if (text.length > 100_000 || !/forEach|\bMap\b|\brequire\b|\bObject\./.test(text)) continue;
		// A known eval after the real code: the walker must still find it, with the right id and range.
		const { evals, fixtures } = discoverFile(file, prefix + text + suffix, repoRoot);
		assert.ok(
			evals.some((e) => e.definition.name === 'evalAfterRealCode'),
			`the eval after the code of ${file} was not found`,
		);
		for (const { definition } of evals) {
			assert.ok(definition.id.includes('::') && definition.range.start.line >= 2, `bad definition in ${file}: ${definition.id}`);
			definitions++;
		}
		for (const name of fixtures) assert.equal(typeof name, 'string');
		walked++;
	}
	assert.ok(walked > 1000, `walked ${walked} files`);
	// The check above must have run (it once read fields that had moved, and passed on an empty loop).
	assert.ok(definitions >= walked, `found ${definitions} definitions in ${walked} files`);
});
