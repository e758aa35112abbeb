// Names come from the source, never from the bundle: esbuild renames a symbol that collides with
// another in the bundle (`withinBudget` → `withinBudget2`), and score names and eval ids are read
// from functions' names at run time. They must agree with the language server's static discovery.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ExitCode } from '../../runtime/src/protocol/events.ts';
import { discoverEvals } from '../../server/src/discovery/index.ts';
import { ensureBuilt, makeProject, parseEvents, runCli } from './helpers.ts';

before(ensureBuilt);

test("the README's `const withinBudget = evaluator(…)(function withinBudget …)` scores as withinBudget; ids match the language server", async () => {
	const dir = makeProject({
		'helper.ts': 'export function evalDup(x: number) { return x; }\n',
		'eval_names.ts': `import { foreach, Result } from 'doteval';
import { evaluator, accuracy } from 'doteval/evaluators';
import { evalDup as identity } from './helper.ts';
const withinBudget = evaluator([accuracy])(function withinBudget(cost: number) { return cost < 10; });
export const evalBudget = foreach('cost', [1, 20])(({ cost }) => new Result(withinBudget(identity(cost))));
const hidden = foreach('n', [1])(function evalDup({ n }) { return new Result(withinBudget(n)); });
`,
	});
	const result = await runCli(['run', '--experiment', 'names', '--reporter', 'jsonl'], { cwd: dir });
	assert.equal(result.code, ExitCode.Ok, result.stderr);
	const events = parseEvents(result.stdout);
	const scoreNames = new Set(events.flatMap((e) => (e.type === 'sample-end' ? e.scores.map((s) => s.name) : [])));
	assert.deepEqual([...scoreNames], ['withinBudget']);
	const ranIds = events.flatMap((e) => (e.type === 'eval-start' ? [e.evalId] : [])).sort();
	assert.deepEqual(ranIds, ['eval_names.ts::evalBudget', 'eval_names.ts::evalDup']);
	const file = path.join(dir, 'eval_names.ts');
	const staticIds = discoverEvals(file, readFileSync(file, 'utf8'), dir)
		.map((e) => e.id)
		.sort();
	assert.deepEqual(ranIds, staticIds, 'the CLI and the language server name the evals alike');
});
