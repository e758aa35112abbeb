// The README's quickstart and tutorial sections stay true: the quickstart's eval runs with the CLI and
// passes, and every TypeScript block of the tutorial is the current content of an examples/ file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { ensureBuilt, makeProject, parseEvents, repoRoot, runCli } from './helpers.ts';

before(ensureBuilt);

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const section = (name: string) => readme.slice(readme.indexOf(`<!-- section:${name} -->`), readme.indexOf(`<!-- /section:${name} -->`));
const tsBlocks = (text: string) => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('the quickstart eval runs and every sample passes', async () => {
	const [code] = tsBlocks(section('quickstart'));
	assert.ok(code, 'the quickstart has a TypeScript block');
	const fileName = /^\/\/ (\S+\.ts)/.exec(code)?.[1] ?? 'eval_quickstart.ts';
	const dir = makeProject({ [fileName]: code });
	const result = await runCli(['run', fileName, '--experiment', 'first', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const samples = parseEvents(result.stdout).filter((e) => e.type === 'sample-end');
	assert.ok(samples.length > 0);
	assert.ok(samples.every((e) => e.type === 'sample-end' && e.passed === true && e.error === null));
});

test('each TypeScript block of the tutorial is an examples/ file as it is', () => {
	const examples = path.join(repoRoot, 'examples');
	const files = readdirSync(examples)
		.filter((f) => f.endsWith('.ts'))
		.map((f) => readFileSync(path.join(examples, f), 'utf8'));
	const blocks = tsBlocks(section('tutorial'));
	assert.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
	for (const block of blocks) assert.ok(files.includes(block), `README tutorial block not found in examples/:\n${block.slice(0, 200)}`);
});

test("the npm package's README shows the quickstart's eval, as it is", () => {
	const packageReadme = readFileSync(path.join(repoRoot, 'runtime', 'README.md'), 'utf8');
	const [quickstart] = tsBlocks(section('quickstart'));
	assert.deepEqual(tsBlocks(packageReadme), [quickstart]);
});
