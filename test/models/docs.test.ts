// Runs every TypeScript example of docs/models.md as an eval file against the local mock API (the
// SDKs read OPENAI_BASE_URL / ANTHROPIC_BASE_URL): each must load, and every eval it defines must
// complete with every sample passing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredEvals } from '../../runtime/src/runner/index.js';
import { run } from '../runtime/helpers.js';
import { freshRun, startMock, type MockApi } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(path.join(repo, 'docs/models.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const entry = (name: string) => pathToFileURL(path.join(repo, 'runtime/src', name)).href;
// Inside node_modules, so the examples' SDK imports resolve from the repository's dependencies.
const dir = mkdtempSync(path.join(repo, 'node_modules', '.doteval-docs-models-'));
let api: MockApi;
let state: { done(): void };

before(async () => {
	api = await startMock();
	state = freshRun();
	Object.assign(process.env, { OPENAI_BASE_URL: `${api.url}/v1`, OPENAI_API_KEY: 'sk-docs', ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'sk-ant-docs' });
});
after(async () => {
	state.done();
	await api.close();
	rmSync(dir, { recursive: true, force: true });
});

test('docs/models.md has an example per SDK, prices and a judge', () => {
	assert.ok(blocks.length >= 7, `found ${blocks.length} blocks`);
	for (const sdk of ["from 'openai'", "from '@anthropic-ai/sdk'", "from '@ai-sdk/openai'", 'modelMiddleware()', 'llmJudge(', 'setPrices('])
		assert.ok(
			blocks.some((b) => b.includes(sdk)),
			sdk,
		);
});

blocks.forEach((code, i) => {
	const name = /export const (\w+)/.exec(code)?.[1] ?? 'no eval';
	test(`docs/models.md example ${i + 1} (${name}) runs and passes against the mock API`, async () => {
		const source = code
			.replace(/from 'doteval'/g, `from '${entry('index.ts')}'`)
			.replace(/from 'doteval\/(evaluators|concurrency|datasets|models)'/g, (_, sub: string) => `from '${entry(`${sub}/index.ts`)}'`);
		const file = path.join(dir, `example${i + 1}.eval.mts`);
		writeFileSync(file, source);
		await import(pathToFileURL(file).href);
		const defs = registeredEvals().filter((d) => d.definedAt?.file === file);
		for (const def of defs) {
			const { outcome, samples } = await run({ [Symbol.for('doteval.eval')]: def });
			assert.equal(outcome.status, 'completed', `${def.name}: ${outcome.failure?.message}`);
			assert.ok(samples.length > 0);
			for (const s of samples) {
				assert.equal(s.passed, true, `${def.name} sample ${s.index}: ${JSON.stringify(s.error ?? s.scores)}`);
				assert.ok((s.models?.calls ?? 0) > 0 && (s.models?.inputTokens ?? 0) > 0, `${def.name}: the call was counted`);
			}
		}
	});
});
