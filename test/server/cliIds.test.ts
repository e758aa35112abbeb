/**
 * The ids the editor shows must be the ids the CLI runs: `doteval run --list --reporter jsonl`
 * (the real CLI process) against the server's static discovery, on the tutorial examples and on a
 * project that uses every naming form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findProjectRoot } from '../../runtime/src/contracts/evalId.js';
import { discoverEvals } from '../../server/src/discovery/index';
import { repoRoot } from './lspClient';

const cli = path.join(repoRoot, 'runtime/dist/cli.js');

interface Listed {
	evalId: string;
	name: string;
	line: number | null;
	async: boolean;
	strategy: { name: string; maxConcurrency?: number };
}

function listWithCli(cwd: string, args: string[]): Listed[] {
	if (!existsSync(cli)) {
		const built = spawnSync(process.execPath, ['esbuild.mjs', '--no-types'], { cwd: repoRoot, encoding: 'utf8' });
		assert.equal(built.status, 0, `build failed: ${built.stderr}`);
	}
	const run = spawnSync(process.execPath, [cli, 'run', '--list', '--reporter', 'jsonl', ...args], { cwd, encoding: 'utf8' });
	assert.equal(run.status, 0, `doteval run --list failed (${run.status}): ${run.stdout}${run.stderr}`);
	const events = run.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l));
	assert.deepEqual(
		events.filter((e) => e.type !== 'eval-listed'),
		[],
		'no load errors',
	);
	return events;
}

function listStatically(files: string[]) {
	return files.flatMap((file) => discoverEvals(file, readFileSync(file, 'utf8'), findProjectRoot(file, existsSync)));
}

function compare(cliList: Listed[], files: string[]): void {
	const staticList = listStatically(files).filter((e) => !e.dynamic);
	const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
	assert.deepEqual(
		sortById(staticList.map((e) => ({ id: e.id, name: e.name, async: e.async }))),
		sortById(cliList.map((e) => ({ id: e.evalId, name: e.name, async: e.async }))),
	);
	// Lines too, wherever the runtime knows the definition site.
	for (const listed of cliList.filter((l) => l.line !== null)) {
		assert.equal(staticList.find((e) => e.id === listed.evalId)!.range.start.line + 1, listed.line, `line of ${listed.evalId}`);
	}
	for (const e of staticList) {
		if (!e.strategy) continue;
		const listed = cliList.find((l) => l.evalId === e.id)!;
		assert.deepEqual(
			{ name: listed.strategy.name, maxConcurrency: listed.strategy.maxConcurrency },
			{ name: e.strategy.name, maxConcurrency: e.strategy.maxConcurrency },
			e.id,
		);
	}
}

test('examples/*.ts: the same eval ids as `doteval run --list`', () => {
	const examples = path.join(repoRoot, 'examples');
	const files = readdirSync(examples)
		.filter((f) => /\.(ts|mts)$/.test(f))
		.sort();
	const cliList = listWithCli(examples, files);
	assert.ok(cliList.length >= 3, `the examples define evals (${cliList.length} listed)`);
	compare(
		cliList,
		files.map((f) => path.join(examples, f)),
	);
});

test('every naming form: the same ids, names and lines as the runtime', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'doteval-ids-'));
	try {
		writeFileSync(path.join(dir, 'package.json'), '{ "name": "ids" }');
		writeFileSync(
			path.join(dir, 'forms.eval.ts'),
			[
				`import { foreach as fe, ForEach } from 'doteval';`,
				`import * as dt from 'doteval';`,
				`import { SlidingWindow } from 'doteval/concurrency';`,
				``,
				`const data = [['a', 'b'], ['c', 'd']];`,
				`export const evalAliased = fe('x,y', data)(async ({ x, y }) => x === y);`,
				`export const evalNamespace = dt.foreach('x,y', data)(async ({ x, y }) => x === y);`,
				`const fc = new ForEach({ concurrency: new SlidingWindow({ maxConcurrency: 3 }) });`,
				`export const evalInstance = fc('x,y', data)(async ({ x, y }) => x === y);`,
				`export const evalNumeric = new ForEach({ concurrency: 5 })('x,y', data)(async ({ x, y }) => x === y);`,
				`const evalListed = fe('x,y', data)(async ({ x, y }) => x === y);`,
				`export { evalListed as evalRenamed };`,
				`const local = fe('x,y', data)(async function evalOwnName({ x, y }) { return x === y; });`,
				`export default fe('x,y', data)(async function evalDefaultNamed({ x, y }) { return x === y; });`,
				`export class Suite {`,
				`\t@fe('x,y', data)`,
				`\tasync evalMethod({ x, y }: { x: string; y: string }) { return x === y; }`,
				`}`,
				`function evalDeclared({ x, y }: { x: string; y: string }) { return x === y; }`,
				`fe('x,y', data)(evalDeclared);`,
			].join('\n'),
		);
		writeFileSync(path.join(dir, 'eval_default.mts'), `import { foreach } from 'doteval';\nexport default foreach('q', [1, 2, 3])(async ({ q }) => q > 0);\n`);
		const cliList = listWithCli(dir, ['.']);
		assert.equal(cliList.length, 10);
		assert.ok(
			cliList.every((l) => l.line !== null),
			'the runtime knows where each eval is defined',
		);
		compare(cliList, [path.join(dir, 'eval_default.mts'), path.join(dir, 'forms.eval.ts')]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
