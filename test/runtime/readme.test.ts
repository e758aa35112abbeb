// Runs every TypeScript example of docs/api.md as an eval file: each must load, and each
// eval it defines must complete with every sample passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredEvals } from '../../runtime/src/runner/index.js';
import { run } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(path.join(repo, 'docs', 'api.md'), 'utf8');
const section = doc.slice(doc.indexOf('<!-- section:api -->'), doc.indexOf('<!-- /section:api -->'));
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const entry = (name: string) => pathToFileURL(path.join(repo, 'runtime/src', name)).href;
const dir = mkdtempSync(path.join(tmpdir(), 'doteval-readme-api-'));

test('docs/api.md has examples', () => {
	assert.ok(blocks.length >= 6, `found ${blocks.length} blocks`);
});

blocks.forEach((code, i) => {
	const firstEval = /export const (\w+)|static async (\w+)|function (eval\w+)/.exec(code);
	test(`docs/api.md example ${i + 1} (${firstEval?.slice(1).find(Boolean) ?? 'runner'}) runs and passes`, async () => {
		const source = code
			.replace(/from 'doteval'/g, `from '${entry('index.ts')}'`)
			.replace(/from 'doteval\/(evaluators|concurrency|datasets|runner)'/g, (_, sub: string) => `from '${entry(`${sub}/index.ts`)}'`);
		const file = path.join(dir, `example${i + 1}.eval.mts`);
		writeFileSync(file, source);
		await import(pathToFileURL(file).href);
		const defs = registeredEvals().filter((d) => d.definedAt?.file === file);
		assert.ok(defs.length > 0, 'defines at least one eval');
		for (const def of defs) {
			const { outcome, samples } = await run({ [Symbol.for('doteval.eval')]: def }, { samples: 5 });
			assert.equal(outcome.status, 'completed', `${def.name}: ${outcome.failure?.message}`);
			assert.ok(samples.length > 0);
			for (const s of samples) assert.equal(s.passed, true, `${def.name} sample ${s.index}: ${JSON.stringify(s.error ?? s.scores)}`);
		}
	});
});
